// Checking codelists, lookups and their data files, and fields.

import Basics

extension Checker {
    /// Reads every codelist, reporting what is wrong with each. Those whose name is wrong are read
    /// too, for their own mistakes (a missing file), but are never added.
    mutating func loadCodelists() {
        let all = codelistSyntax.map { ($0.0, $0.1, true) } + misnamedCodelists.map { ($0.0, $0.1, false) }
        for (syntax, fileID, named) in all {
            guard let source = syntax.source else { continue }
            switch source {
            case .inline(let written):
                let codes = written.map(\.value)
                if codes.isEmpty {
                    report(Messages.emptyCodelist(syntax.name.text, file: nil), at: syntax.name.range)
                    continue
                }
                var seen = Set<String>()
                var unique: [String] = []
                var duplicates: [String] = []
                for code in codes where !code.isEmpty {
                    if seen.insert(code).inserted { unique.append(code) } else { duplicates.append(code) }
                }
                if !duplicates.isEmpty {
                    report(
                        Messages.duplicateCodes(syntax.name.text, count: duplicates.count, example: duplicates[0]),
                        at: syntax.name.range)
                }
                if named { addCodelist(syntax.name, codes: unique, sourcePath: nil) }
            case .file(let written, let column):
                let ruleFile = sources[fileID].relativePath
                guard let path = DataFilePath.resolve(written.value, ruleFile: ruleFile, root: root) else {
                    report(Messages.pathEscapes(written.value), at: written.range)
                    continue
                }
                dataFiles.insert(path.relativePath)
                let result = DataFileReader.readCodelist(
                    path: path, written: written.value, column: column?.value, name: syntax.name.text)
                let at =
                    result.problems.contains { $0.id == "no-such-column" }
                    ? (column?.range ?? written.range) : written.range
                for problem in result.problems { report(problem, at: at) }
                guard !result.failed else { continue }
                if !result.duplicates.isEmpty {
                    report(
                        Messages.duplicateCodes(
                            syntax.name.text, count: result.duplicates.count, example: result.duplicates[0]),
                        at: written.range)
                }
                if named { addCodelist(syntax.name, codes: result.codes, sourcePath: path.relativePath) }
            }
        }
        codelistHealth()
    }

    fileprivate mutating func addCodelist(_ name: NameSyntax, codes: [String], sourcePath: String?) {
        codelists[name.key] = Codelist(
            name: name.key, codes: codes, codeSet: Set(codes), sourcePath: sourcePath,
            looksSNOMED: codes.allSatisfy(SNOMEDIdentifier.isConceptID), range: name.range)
    }

    /// Warns about codelists in another coding system from the rest (a CTV3 list among SNOMED ones).
    fileprivate mutating func codelistHealth() {
        let snomedLists = codelists.values.filter(\.looksSNOMED).count
        guard snomedLists > 0 else { return }
        for list in codelists.values.sorted(by: { $0.range.start < $1.range.start }) where !list.looksSNOMED {
            let odd = list.codes.filter { !SNOMEDIdentifier.isConceptID($0) }
            let name = symbols[list.name]?.name.text ?? list.name
            if odd.count == list.codes.count, odd.allSatisfy(SNOMEDIdentifier.looksLikeRead) {
                report(Messages.readCodelist(name, example: odd[0]), at: list.range)
            } else {
                report(
                    Messages.notSNOMEDCodes(name, count: odd.count, total: list.codes.count, example: odd[0]),
                    at: list.range)
            }
        }
    }

    /// Reads every lookup, as ``loadCodelists()`` does codelists.
    mutating func loadLookups() {
        let all = lookupSyntax.map { ($0.0, $0.1, true) } + misnamedLookups.map { ($0.0, $0.1, false) }
        for (syntax, fileID, named) in all {
            guard let written = syntax.path, let key = syntax.key, let value = syntax.value else { continue }
            let ruleFile = sources[fileID].relativePath
            guard let path = DataFilePath.resolve(written.value, ruleFile: ruleFile, root: root) else {
                report(Messages.pathEscapes(written.value), at: written.range)
                continue
            }
            dataFiles.insert(path.relativePath)
            let result = DataFileReader.readLookup(
                path: path, written: written.value, key: key.value, value: value.value, name: syntax.name.text)
            for problem in result.problems {
                var at = written.range
                if problem.id == "no-such-column" {
                    at = problem.text.contains("'\(key.value)'") ? key.range : value.range
                }
                report(problem, at: at)
            }
            guard !result.failed else {
                if named { lookupTypes[syntax.name.key] = nil }
                continue
            }
            if !result.conflictingKeys.isEmpty {
                report(
                    Messages.conflictingLookupKeys(
                        syntax.name.text, count: result.conflictingKeys.count, example: result.conflictingKeys[0]),
                    at: written.range)
            }
            guard named else { continue }
            lookupTypes[syntax.name.key] = result.valueType
            lookups[syntax.name.key] = Lookup(
                name: syntax.name.key, entries: result.entries, valueType: result.valueType, keyColumn: key.value,
                valueColumn: value.value, sourcePath: path.relativePath, range: syntax.name.range)
        }
    }

    mutating func checkFields() {
        for syntax in fieldSyntax {
            guard let type = syntax.type else { continue }
            fields[syntax.name.key] = Field(
                name: syntax.name.key, type: ValueType(type.value), sourceHeader: syntax.header?.value,
                range: syntax.name.range)
        }
    }
}
