import Basics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// SNOMED CT identifier checks, for codelist health.
public enum SNOMEDIdentifier {
    /// Whether `code` is a well-formed SNOMED CT concept id: 6–18 digits, no leading zero, a
    /// concept partition (`00` or `10`) and a valid Verhoeff check digit.
    public static func isConceptID(_ code: String) -> Bool {
        let digits = Array(code.utf8)
        guard (6...18).contains(digits.count), digits.allSatisfy({ $0 >= 48 && $0 <= 57 }), digits[0] != 48 else {
            return false
        }
        let partition = (digits[digits.count - 3], digits[digits.count - 2])
        guard partition == (48, 48) || partition == (49, 48) else { return false }
        return verhoeffIsValid(digits.map { Int($0 - 48) })
    }

    /// Whether a code looks like a CTV3 (Read version 3) or Read v2 code: five characters of
    /// letters, digits and dots, such as `1461.` or `XE1Xt`.
    public static func looksLikeRead(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard bytes.count == 5 else { return false }
        let allowed = bytes.allSatisfy {
            ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 46
        }
        return allowed && !bytes.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    private static let multiplication: [[Int]] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
        [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
        [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ]
    private static let permutation: [[Int]] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
        [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
        [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
    ]

    private static func verhoeffIsValid(_ digits: [Int]) -> Bool {
        var check = 0
        for (position, digit) in digits.reversed().enumerated() {
            check = multiplication[check][permutation[position % 8][digit]]
        }
        return check == 0
    }
}

/// Where a file named in a rule file is, and whether it is allowed.
struct DataFilePath {
    /// The path to open.
    let fullPath: String
    /// Relative to the rules folder, `/`-separated.
    let relativePath: String

    /// Resolves `written` (relative to the folder of the rule file `ruleFile`, itself relative to
    /// the rules folder) and refuses paths that leave the rules folder, by name or by symbolic link.
    static func resolve(_ written: String, ruleFile: String, root: String) -> DataFilePath? {
        if written.hasPrefix("/") || written.hasPrefix("~") || written.contains("\\") { return nil }
        let ruleFolder = ruleFile.split(separator: "/").dropLast().map(String.init)
        var parts: [String] = ruleFolder
        for part in written.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            } else {
                parts.append(String(part))
            }
        }
        guard !parts.isEmpty else { return nil }
        let relative = parts.joined(separator: "/")
        let full = FileIO.join(root, relative)
        // A symbolic link may still point outside; compare the real paths when the file exists.
        if let realFile = realPath(full), let realRoot = realPath(root) {
            guard realFile.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/") else { return nil }
        }
        return DataFilePath(fullPath: full, relativePath: relative)
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// What reading a codelist or lookup file found; problems are reported at the rule that names it.
struct DataFileReader {
    /// Codes and problems from a codelist file.
    struct CodelistResult {
        var codes: [String] = []
        var duplicates: [String] = []
        var problems: [DiagnosticMessage] = []
        var failed = false
    }

    /// Reads the codes of a codelist CSV: the `code` column, else the named column, else the first.
    static func readCodelist(path: DataFilePath, written: String, column: String?, name: String) -> CodelistResult {
        var result = CodelistResult()
        guard FileIO.isFile(path.fullPath) else {
            result.problems.append(
                Messages.fileMissing(written, kind: "codelist", suggestion: nearbyFile(path, written)))
            result.failed = true
            return result
        }
        do {
            let reader = try CSVReader(path: path.fullPath)
            guard try reader.next() else {
                result.problems.append(Messages.emptyCodelist(name, file: written))
                result.failed = true
                return result
            }
            let header = reader.record.map { $0.trimmingSpaces }
            var codeIndex: Int
            var firstRowIsData = false
            if let column {
                guard let index = header.firstIndex(where: { $0.lowercased() == column.lowercased() }) else {
                    let suggestion = Suggestions.closest(to: column, among: header)
                    result.problems.append(
                        Messages.noSuchColumn(column, file: written, columns: header, suggestion: suggestion))
                    result.failed = true
                    return result
                }
                codeIndex = index
            } else if let index = header.firstIndex(where: { $0.lowercased() == "code" }) {
                codeIndex = index
            } else if let first = header.first,
                SNOMEDIdentifier.isConceptID(first) || SNOMEDIdentifier.looksLikeRead(first)
            {
                // No header row at all: the first row is already codes.
                codeIndex = 0
                firstRowIsData = true
            } else {
                codeIndex = 0
                result.problems.append(Messages.noCodeColumnUsingFirst(file: written, column: header.first ?? ""))
            }
            var seen = Set<String>()
            var duplicates: [String] = []
            var descriptive = 0
            func take(_ code: String) {
                guard !code.isEmpty else { return }
                if code.contains(" ") { descriptive += 1 }
                if seen.insert(code).inserted { result.codes.append(code) } else { duplicates.append(code) }
            }
            if firstRowIsData { take(header[codeIndex]) }
            while try reader.next() {
                take(reader.string(codeIndex).trimmingSpaces)
            }
            result.duplicates = duplicates
            if result.codes.isEmpty {
                result.problems.append(Messages.emptyCodelist(name, file: written))
                result.failed = true
            } else if column == nil, descriptive * 2 >= result.codes.count {
                result.problems = [Messages.noCodeColumn(file: written, column: header[codeIndex])]
                result.failed = true
            }
        } catch let error as CSVError {
            result.problems.append(Messages.unreadableFile(written, reason: error.message))
            result.failed = true
        } catch {
            result.problems.append(Messages.unreadableFile(written, reason: "\(error)"))
            result.failed = true
        }
        return result
    }

    /// Entries and problems from a lookup file.
    struct LookupResult {
        var entries: [String: LookupValue] = [:]
        var valueType: ValueType = .text
        var conflictingKeys: [String] = []
        var problems: [DiagnosticMessage] = []
        var failed = false
    }

    /// Reads a lookup CSV into key → value, numbers when every value is numeric.
    static func readLookup(path: DataFilePath, written: String, key: String, value: String, name: String)
        -> LookupResult
    {
        var result = LookupResult()
        guard FileIO.isFile(path.fullPath) else {
            result.problems.append(Messages.fileMissing(written, kind: "lookup", suggestion: nearbyFile(path, written)))
            result.failed = true
            return result
        }
        do {
            let reader = try CSVReader(path: path.fullPath)
            guard try reader.next() else {
                result.problems.append(Messages.emptyLookup(name, file: written))
                result.failed = true
                return result
            }
            let header = reader.record.map { $0.trimmingSpaces }
            var indexes: [Int] = []
            for column in [key, value] {
                guard let index = header.firstIndex(where: { $0.lowercased() == column.lowercased() }) else {
                    let suggestion = Suggestions.closest(to: column, among: header)
                    result.problems.append(
                        Messages.noSuchColumn(column, file: written, columns: header, suggestion: suggestion))
                    result.failed = true
                    continue
                }
                indexes.append(index)
            }
            guard indexes.count == 2 else { return result }
            // Each value as written, and as a number while every value so far is one (each
            // parsed once).
            var raw: [String: (text: String, number: Double?)] = [:]
            // About a row per ten bytes (an LSOA and its decile take twelve).
            raw.reserveCapacity(((try? FileIO.sizeAndModification(path.fullPath).size) ?? 0) / 10)
            var allNumeric = true
            var emptyValues = 0
            while try reader.next() {
                let keyText = reader.string(indexes[0]).trimmingSpaces
                guard !keyText.isEmpty else { continue }
                let valueText = reader.string(indexes[1]).trimmingSpaces
                if let existing = raw[keyText] {
                    if existing.text != valueText { result.conflictingKeys.append(keyText) }
                    continue
                }
                var number: Double?
                if valueText.isEmpty {
                    emptyValues += 1
                } else if allNumeric {
                    number = DataFileReader.number(valueText)
                    if number == nil { allNumeric = false }
                }
                raw[keyText] = (valueText, number)
            }
            guard !raw.isEmpty else {
                result.problems.append(Messages.emptyLookup(name, file: written))
                result.failed = true
                return result
            }
            result.valueType = allNumeric ? .number : .text
            func entry(_ value: (text: String, number: Double?)) -> LookupValue {
                allNumeric ? .number(value.number!) : .text(value.text)
            }
            // Keys with an empty value are left out; with none, `mapValues` keeps the table's
            // hashing as it is.
            result.entries =
                emptyValues == 0
                ? raw.mapValues(entry) : raw.compactMapValues { $0.text.isEmpty ? nil : entry($0) }
        } catch let error as CSVError {
            result.problems.append(Messages.unreadableFile(written, reason: error.message))
            result.failed = true
        } catch {
            result.problems.append(Messages.unreadableFile(written, reason: "\(error)"))
            result.failed = true
        }
        return result
    }

    /// `text` as a number, as `Double(text)` reads it; plain digits (an IMD decile, a rank) without
    /// the general parser.
    static func number(_ text: String) -> Double? {
        let utf8 = text.utf8
        guard (1...15).contains(utf8.count), utf8.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) else {
            return Double(text)
        }
        // Up to 15 digits: exact as a Double, as `Double(text)` would give it.
        return Double(utf8.reduce(0) { $0 * 10 + Int($1 &- UInt8(ascii: "0")) })
    }

    /// A file beside the missing one with a similar name, as the rule file would write it.
    private static func nearbyFile(_ path: DataFilePath, _ written: String) -> String? {
        let folder = FileIO.parentDirectory(of: path.fullPath)
        guard let names = try? FileIO.listDirectory(folder) else { return nil }
        let wanted = FileIO.fileName(of: path.fullPath)
        guard let match = Suggestions.closest(to: wanted, among: names.filter { !$0.hasPrefix(".") }) else {
            return nil
        }
        guard written.contains("/") else { return match }
        return FileIO.parentDirectory(of: written) + "/" + match
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        func isSpace(_ byte: UInt8?) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        if !isSpace(utf8.first) && !isSpace(utf8.last) { return self }
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
