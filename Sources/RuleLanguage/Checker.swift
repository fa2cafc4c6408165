import Basics
import Vocabulary

/// The kinds of thing a name can be declared as. Codelists, lookups, fields and defines share
/// the namespace of expressions; cohort ids and worker ids each have their own (they are never
/// used in expressions), so `codelist high_risk` and `cohort high_risk` can live side by side.
enum SymbolKind: String {
    case codelist, lookup, field, define, cohort, worker

    /// "a codelist", "a lookup", …
    var described: String { "a \(rawValue)" }
}

/// Resolves names across every file of a rule set, checks types and every rule of the spec's
/// "Checking" section, and builds the checked ``RuleSet`` when nothing is wrong.
struct Checker {
    private struct Symbol {
        let kind: SymbolKind
        let name: NameSyntax
    }

    private enum DefineState {
        case checking
        case done(RuleExpression?)
    }

    private let root: String
    private let sources: SourceFiles
    private let files: [FileSyntax]
    private(set) var diagnostics: DiagnosticCollector

    private var symbols: [String: Symbol] = [:]
    /// Cohort ids and worker ids, each in its own namespace.
    private var cohortIDs: [String: NameSyntax] = [:]
    private var workerIDs: [String: NameSyntax] = [:]
    private var codelistSyntax: [(CodelistSyntax, SourceFileID)] = []
    private var lookupSyntax: [(LookupSyntax, SourceFileID)] = []
    private var fieldSyntax: [FieldSyntax] = []
    private var defineSyntax: [String: DefineSyntax] = [:]
    private var cohortSyntax: [CohortSyntax] = []
    private var workerSyntax: [WorkerSyntax] = []
    private var teamSyntax: TeamSyntax?
    private var policySyntax: PolicySyntax?
    private var extractSyntax: [ExtractSyntax] = []
    private var exampleSyntax: [ExampleSyntax] = []

    private var codelists: [String: Codelist] = [:]
    private var lookups: [String: Lookup] = [:]
    private var lookupTypes: [String: ValueType] = [:]
    private var fields: [String: Field] = [:]
    private var defineStates: [String: DefineState] = [:]
    private var defineStack: [String] = []
    private var defineOrder: [String] = []
    private var used: Set<String> = []
    /// Relative paths of the data files read, for the content hash.
    private(set) var dataFiles: Set<String> = []

    /// Counts for the summary line, available even when there are errors.
    private(set) var summary = CheckSummary()

    init(root: String, sources: SourceFiles, files: [FileSyntax], diagnostics: DiagnosticCollector) {
        self.root = root
        self.sources = sources
        self.files = files
        self.diagnostics = diagnostics
    }

    private mutating func report(_ message: DiagnosticMessage, at range: SourceRange) {
        diagnostics.add(message, at: range)
    }

    // MARK: - The passes

    /// Runs every check; returns the rule set when there were no errors (in any pass, parsing included).
    mutating func check() -> RuleSet? {
        declare()
        loadCodelists()
        loadLookups()
        checkFields()
        for name in defineSyntax.keys.sorted() { _ = resolveDefine(name) }
        let cohorts = cohortSyntax.compactMap { checkCohort($0) }
        let team = checkTeam()
        let workers = workerSyntax.compactMap { checkWorker($0, team: team) }
        let policy = checkPolicy()
        let profiles = extractSyntax.map { checkExtract($0) }
        let examples = exampleSyntax.compactMap { checkExample($0) }
        crossCheck(cohorts: cohorts, workers: workers, policy: policy)
        summary.cohorts = cohortSyntax.count
        summary.workers = workerSyntax.count
        summary.codelists = codelistSyntax.count
        summary.codes = codelists.values.reduce(0) { $0 + $1.codes.count }
        guard !diagnostics.hasErrors else { return nil }
        var defines: [String: Define] = [:]
        for (name, syntax) in defineSyntax {
            if case .done(let expression?) = defineStates[name] {
                defines[name] = Define(name: name, expression: expression, range: syntax.name.range)
            }
        }
        return RuleSet(
            directory: root, sources: sources, codelists: codelists, lookups: lookups, fields: fields,
            defines: defines, defineOrder: defineOrder,
            cohorts: cohorts.sorted { ($0.priority, $0.id) < ($1.priority, $1.id) }, team: team,
            workers: workers.sorted { $0.id < $1.id }, policy: policy, extractProfiles: profiles,
            examples: examples, contentHash: "")
    }

    /// Collects every declaration into one namespace, reporting duplicates and clashes.
    private mutating func declare() {
        var extractNames: [String: NameSyntax] = [:]
        for file in files {
            for declaration in file.declarations {
                switch declaration {
                case .codelist(let syntax):
                    if declareName(syntax.name, as: .codelist) { codelistSyntax.append((syntax, file.file)) }
                case .lookup(let syntax):
                    if declareName(syntax.name, as: .lookup) { lookupSyntax.append((syntax, file.file)) }
                case .field(let syntax):
                    if declareName(syntax.name, as: .field) { fieldSyntax.append(syntax) }
                case .define(let syntax):
                    if declareName(syntax.name, as: .define) { defineSyntax[syntax.name.key] = syntax }
                case .cohort(let syntax):
                    if declareName(syntax.id, as: .cohort) { cohortSyntax.append(syntax) }
                case .worker(let syntax):
                    if declareName(syntax.id, as: .worker) { workerSyntax.append(syntax) }
                case .team(let syntax):
                    if let first = teamSyntax {
                        report(Messages.secondBlock("team", first: sources.describe(first.range)), at: syntax.range)
                    } else {
                        teamSyntax = syntax
                    }
                case .policy(let syntax):
                    if let first = policySyntax {
                        report(Messages.secondBlock("policy", first: sources.describe(first.range)), at: syntax.range)
                    } else {
                        policySyntax = syntax
                    }
                case .extract(let syntax):
                    guard !syntax.name.text.isEmpty else { continue }
                    if let first = extractNames[syntax.name.key] {
                        report(Messages.duplicateName(syntax.name.text, kind: "an extract profile", first: sources.describe(first.range)), at: syntax.name.range)
                    } else {
                        extractNames[syntax.name.key] = syntax.name
                        extractSyntax.append(syntax)
                    }
                case .example(let syntax):
                    exampleSyntax.append(syntax)
                }
            }
        }
    }

    /// Declares a name; `false` when it clashes (reported) or is empty (a syntax error already).
    private mutating func declareName(_ name: NameSyntax, as kind: SymbolKind) -> Bool {
        guard !name.text.isEmpty, !Parser.reservedWords.contains(name.key) else { return false }
        if kind == .cohort || kind == .worker {
            if let existing = (kind == .cohort ? cohortIDs : workerIDs)[name.key] {
                report(
                    Messages.duplicateName(name.text, kind: kind.described, first: sources.describe(existing.range)),
                    at: name.range)
                return false
            }
            if kind == .cohort { cohortIDs[name.key] = name } else { workerIDs[name.key] = name }
            return true
        }
        if let existing = symbols[name.key] {
            report(
                Messages.duplicateName(name.text, kind: existing.kind.described, first: sources.describe(existing.name.range)),
                at: name.range)
            return false
        }
        if name.key == "today" || name.key == "age" || PatientColumn(rawValue: name.key) != nil {
            report(Messages.builtInName(name.text), at: name.range)
            return false
        }
        symbols[name.key] = Symbol(kind: kind, name: name)
        return true
    }

    // MARK: - Codelists and lookups

    private mutating func loadCodelists() {
        for (syntax, fileID) in codelistSyntax {
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
                    report(Messages.duplicateCodes(syntax.name.text, count: duplicates.count, example: duplicates[0]), at: syntax.name.range)
                }
                addCodelist(syntax.name, codes: unique, sourcePath: nil)
            case .file(let written, let column):
                let ruleFile = sources[fileID].relativePath
                guard let path = DataFilePath.resolve(written.value, ruleFile: ruleFile, root: root) else {
                    report(Messages.pathEscapes(written.value), at: written.range)
                    continue
                }
                dataFiles.insert(path.relativePath)
                let result = DataFileReader.readCodelist(
                    path: path, written: written.value, column: column?.value, name: syntax.name.text)
                let at = result.problems.contains { $0.id == "no-such-column" } ? (column?.range ?? written.range) : written.range
                for problem in result.problems { report(problem, at: at) }
                guard !result.failed else { continue }
                if !result.duplicates.isEmpty {
                    report(
                        Messages.duplicateCodes(syntax.name.text, count: result.duplicates.count, example: result.duplicates[0]),
                        at: written.range)
                }
                addCodelist(syntax.name, codes: result.codes, sourcePath: path.relativePath)
            }
        }
        codelistHealth()
    }

    private mutating func addCodelist(_ name: NameSyntax, codes: [String], sourcePath: String?) {
        codelists[name.key] = Codelist(
            name: name.key, codes: codes, codeSet: Set(codes), sourcePath: sourcePath,
            looksSNOMED: codes.allSatisfy(SNOMEDIdentifier.isConceptID), range: name.range)
    }

    /// Warns about codelists in another coding system from the rest (a CTV3 list among SNOMED ones).
    private mutating func codelistHealth() {
        let snomedLists = codelists.values.filter(\.looksSNOMED).count
        guard snomedLists > 0 else { return }
        for list in codelists.values.sorted(by: { $0.range.start < $1.range.start }) where !list.looksSNOMED {
            let odd = list.codes.filter { !SNOMEDIdentifier.isConceptID($0) }
            let name = symbols[list.name]?.name.text ?? list.name
            if odd.count == list.codes.count, odd.allSatisfy(SNOMEDIdentifier.looksLikeRead) {
                report(Messages.readCodelist(name, example: odd[0]), at: list.range)
            } else {
                report(Messages.notSNOMEDCodes(name, count: odd.count, total: list.codes.count, example: odd[0]), at: list.range)
            }
        }
    }

    private mutating func loadLookups() {
        for (syntax, fileID) in lookupSyntax {
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
                lookupTypes[syntax.name.key] = nil
                continue
            }
            if !result.conflictingKeys.isEmpty {
                report(
                    Messages.conflictingLookupKeys(syntax.name.text, count: result.conflictingKeys.count, example: result.conflictingKeys[0]),
                    at: written.range)
            }
            lookupTypes[syntax.name.key] = result.valueType
            lookups[syntax.name.key] = Lookup(
                name: syntax.name.key, entries: result.entries, valueType: result.valueType, keyColumn: key.value,
                valueColumn: value.value, sourcePath: path.relativePath, range: syntax.name.range)
        }
    }

    private mutating func checkFields() {
        for syntax in fieldSyntax {
            guard let type = syntax.type else { continue }
            fields[syntax.name.key] = Field(
                name: syntax.name.key, type: ValueType(type.value), sourceHeader: syntax.header?.value, range: syntax.name.range)
        }
    }

    // MARK: - Defines

    private mutating func resolveDefine(_ key: String) -> RuleExpression? {
        switch defineStates[key] {
        case .done(let expression):
            return expression
        case .checking:
            let cycleStart = defineStack.firstIndex(of: key) ?? 0
            let cycle = Array(defineStack[cycleStart...]) + [key]
            let names = cycle.map { defineSyntax[$0]?.name.text ?? $0 }
            if let syntax = defineSyntax[key] {
                report(Messages.defineCycle(names[0], path: names), at: syntax.name.range)
            }
            for member in cycle { defineStates[member] = .done(nil) }
            return nil
        case nil:
            guard let syntax = defineSyntax[key] else { return nil }
            defineStates[key] = .checking
            defineStack.append(key)
            let expression = check(syntax.expression)
            defineStack.removeLast()
            if case .done = defineStates[key] { return nil }  // part of a cycle found below
            defineStates[key] = .done(expression)
            defineOrder.append(key)
            return expression
        }
    }

    // MARK: - Expressions

    private var valueNames: [String] {
        ["today", "age"] + PatientColumn.allCases.map(\.name) + symbols.values.filter { $0.kind == .field || $0.kind == .define }
            .map(\.name.key).sorted()
    }

    /// Checks an expression; `nil` when it is wrong (reported) or holds a syntax error.
    private mutating func check(_ syntax: ExpressionSyntax) -> RuleExpression? {
        let range = syntax.range
        switch syntax.kind {
        case .error:
            return nil
        case .number(let value):
            return RuleExpression(.literal(.number(value)), type: .number, range: range)
        case .text(let value):
            return RuleExpression(.literal(.text(value)), type: .text, range: range)
        case .date(let day):
            return RuleExpression(.literal(.date(day)), type: .date, range: range)
        case .duration(let period):
            return RuleExpression(.literal(.duration(period)), type: .duration, range: range)
        case .truth(let value):
            return RuleExpression(.literal(.yesNo(value)), type: .yesNo, range: range)
        case .list:
            report(Messages.listOutsideIn, at: range)
            return nil
        case .name(let name):
            return checkName(name)
        case .call(let name, let arguments):
            return checkCall(name, arguments, range: range)
        case .not(let operand):
            guard let inner = check(operand) else { return nil }
            guard inner.type == .yesNo else {
                report(Messages.needsYesNoOperand("not", found: inner.type, what: describeOperand(operand)), at: operand.range)
                return nil
            }
            return RuleExpression(.not(inner), type: .yesNo, range: range)
        case .binary(let op, let leftSyntax, let rightSyntax):
            let left = check(leftSyntax)
            let right = check(rightSyntax)
            guard let left, let right else { return nil }
            return checkBinary(op, left, right, leftSyntax, rightSyntax, range: range)
        case .membership(let subjectSyntax, let items, let negated):
            guard let subject = check(subjectSyntax) else { return nil }
            var values: [Value] = []
            for item in items {
                guard let checked = check(item) else { return nil }
                guard case .literal(let value) = checked.kind else {
                    report(Messages.listNeedsValues, at: item.range)
                    return nil
                }
                guard value.type == subject.type else {
                    report(Messages.listItemType(describeOperand(subjectSyntax), subjectType: subject.type, itemType: value.type), at: item.range)
                    return nil
                }
                values.append(value)
            }
            if subject.type == .yesNo || subject.type == .duration {
                report(Messages.cannotUseIn(subject.type), at: subjectSyntax.range)
                return nil
            }
            return RuleExpression(.membership(subject, values, negated: negated), type: .yesNo, range: range)
        case .between(let subjectSyntax, let lowSyntax, let highSyntax):
            let subject = check(subjectSyntax)
            let low = check(lowSyntax)
            let high = check(highSyntax)
            guard let subject, let low, let high else { return nil }
            guard [.number, .date, .duration].contains(subject.type) else {
                report(Messages.cannotOrder(subject.type, op: "between"), at: subjectSyntax.range)
                return nil
            }
            for (bound, boundSyntax) in [(low, lowSyntax), (high, highSyntax)] where bound.type != subject.type {
                report(Messages.comparisonMismatch(describeOperand(subjectSyntax), subject.type, bound.type, hint: numericTextHint(boundSyntax)), at: boundSyntax.range)
                return nil
            }
            return RuleExpression(.between(subject, low, high), type: .yesNo, range: range)
        case .isMissing(let subjectSyntax, let negated):
            guard let subject = check(subjectSyntax) else { return nil }
            return RuleExpression(.isMissing(subject, negated: negated), type: .yesNo, range: range)
        }
    }

    /// `'age' is a number`-style description of an operand for messages.
    private func describeOperand(_ syntax: ExpressionSyntax) -> String {
        "'\(sources.text(syntax.range))'"
    }

    private func numericTextHint(_ syntax: ExpressionSyntax) -> String? {
        if case .text(let text) = syntax.kind, Double(text) != nil { return text }
        return nil
    }

    private mutating func checkName(_ name: NameSyntax) -> RuleExpression? {
        let key = name.key
        if key == "today" { return RuleExpression(.today, type: .date, range: name.range) }
        if key == "age" { return RuleExpression(.age, type: .number, range: name.range) }
        if let column = PatientColumn(rawValue: key) { return RuleExpression(.column(column), type: column.type, range: name.range) }
        guard let symbol = symbols[key] else {
            if cohortIDs[key] != nil || workerIDs[key] != nil {
                report(
                    Messages.notAValue(name.text, kind: cohortIDs[key] != nil ? SymbolKind.cohort.described : SymbolKind.worker.described),
                    at: name.range)
                return nil
            }
            let suggestion = Suggestions.closest(to: key, among: valueNames)
            report(Messages.unknownName(name.text, suggestion: suggestion), at: name.range)
            return nil
        }
        used.insert(key)
        switch symbol.kind {
        case .field:
            guard let field = fields[key] else { return nil }
            return RuleExpression(.field(key), type: field.type, range: name.range)
        case .define:
            guard let expression = resolveDefine(key) else { return nil }
            return RuleExpression(.define(key), type: expression.type, range: name.range)
        case .codelist:
            report(Messages.codelistAsValue(name.text), at: name.range)
        case .lookup:
            report(Messages.lookupAsValue(name.text), at: name.range)
        case .cohort, .worker:
            report(Messages.notAValue(name.text, kind: symbol.kind.described), at: name.range)
        }
        return nil
    }

    private mutating func checkBinary(
        _ op: BinaryOperator, _ left: RuleExpression, _ right: RuleExpression, _ leftSyntax: ExpressionSyntax,
        _ rightSyntax: ExpressionSyntax, range: SourceRange
    ) -> RuleExpression? {
        switch op {
        case .and, .or:
            for (side, sideSyntax) in [(left, leftSyntax), (right, rightSyntax)] where side.type != .yesNo {
                report(Messages.needsYesNoOperand(op.rawValue, found: side.type, what: describeOperand(sideSyntax)), at: sideSyntax.range)
                return nil
            }
            return RuleExpression(op == .and ? .and(left, right) : .or(left, right), type: .yesNo, range: range)
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            let comparison = ComparisonOperator(rawValue: op.rawValue)!
            guard left.type == right.type else {
                let literalOnLeft: Bool
                if case .literal = left.kind, !isLiteral(right) { literalOnLeft = true } else { literalOnLeft = false }
                let (anchor, anchorSyntax, other, otherSyntax) =
                    literalOnLeft ? (right, rightSyntax, left, leftSyntax) : (left, leftSyntax, right, rightSyntax)
                report(
                    Messages.comparisonMismatch(describeOperand(anchorSyntax), anchor.type, other.type, hint: numericTextHint(otherSyntax)),
                    at: otherSyntax.range)
                return nil
            }
            if comparison != .equal, comparison != .notEqual, ![.number, .date, .duration].contains(left.type) {
                report(Messages.cannotOrder(left.type, op: op.rawValue), at: range)
                return nil
            }
            return RuleExpression(.comparison(comparison, left, right), type: .yesNo, range: range)
        case .plus, .minus:
            let arithmetic: ArithmeticOperator = op == .plus ? .plus : .minus
            let result: ValueType?
            switch (left.type, right.type) {
            case (.number, .number): result = .number
            case (.date, .duration): result = .date
            case (.duration, .date) where op == .plus: result = .date
            case (.date, .date) where op == .minus: result = .duration
            default: result = nil
            }
            guard let result else {
                report(Messages.badArithmetic(op.rawValue, left.type, right.type), at: range)
                return nil
            }
            return RuleExpression(.arithmetic(arithmetic, left, right), type: result, range: range)
        }
    }

    private func isLiteral(_ expression: RuleExpression) -> Bool {
        if case .literal = expression.kind { return true }
        return false
    }

    private static let functionNames = EventFunction.allCases.map(\.rawValue) + DateFunction.allCases.map(\.rawValue)

    private mutating func checkCall(_ name: NameSyntax, _ arguments: [ArgumentSyntax], range: SourceRange) -> RuleExpression? {
        let key = name.key
        if let function = EventFunction(rawValue: key) {
            return checkEventCall(function, name, arguments, range: range)
        }
        let plain = arguments.compactMap { argument -> ExpressionSyntax? in
            if case .expression(let expression) = argument.kind { return expression }
            return nil
        }
        if let window = arguments.first(where: { if case .expression = $0.kind { return false } else { return true } }) {
            report(Messages.windowNotAllowed(name.text), at: window.range)
            return nil
        }
        if let function = DateFunction(rawValue: key) {
            guard plain.count == 1 else {
                report(Messages.argumentCount(name.text, expected: "one date"), at: range)
                return nil
            }
            guard let argument = check(plain[0]) else { return nil }
            guard argument.type == .date else {
                report(Messages.argumentType(name.text, expected: .date, found: argument.type), at: plain[0].range)
                return nil
            }
            return RuleExpression(.dateFunction(function, argument), type: .number, range: range)
        }
        if let symbol = symbols[key] {
            guard symbol.kind == .lookup else {
                report(Messages.notAFunction(name.text, kind: symbol.kind.described, isCodelist: symbol.kind == .codelist), at: name.range)
                return nil
            }
            used.insert(key)
            guard plain.count == 1 else {
                report(Messages.argumentCount(name.text, expected: "one key, such as \(name.text)(lsoa)"), at: range)
                return nil
            }
            guard let argument = check(plain[0]) else { return nil }
            guard argument.type == .text || argument.type == .number else {
                report(Messages.lookupKeyType(name.text, found: argument.type), at: plain[0].range)
                return nil
            }
            guard let valueType = lookupTypes[key] else { return nil }
            return RuleExpression(.lookup(key, key: argument), type: valueType, range: range)
        }
        let lookupNames = symbols.values.filter { $0.kind == .lookup }.map(\.name.key)
        let suggestion = Suggestions.closest(to: key, among: Checker.functionNames + lookupNames.sorted())
        report(Messages.unknownFunction(name.text, suggestion: suggestion), at: name.range)
        return nil
    }

    /// Resolves a codelist name for an event function.
    private mutating func resolveCodelist(_ name: NameSyntax, function: String) -> Bool {
        guard let symbol = symbols[name.key] else {
            let lists = symbols.values.filter { $0.kind == .codelist }.map(\.name.key).sorted()
            report(Messages.unknownCodelist(name.text, suggestion: Suggestions.closest(to: name.key, among: lists)), at: name.range)
            return false
        }
        guard symbol.kind == .codelist else {
            report(Messages.needsCodelist(function, found: "'\(name.text)' is \(symbol.kind.described)"), at: name.range)
            return false
        }
        used.insert(name.key)
        return true
    }

    private mutating func checkEventCall(
        _ function: EventFunction, _ name: NameSyntax, _ arguments: [ArgumentSyntax], range: SourceRange
    ) -> RuleExpression? {
        var codelist: NameSyntax?
        var resolvedBy: NameSyntax?
        var window: EventWindow?
        var ok = true
        var plainCount = 0
        for argument in arguments {
            switch argument.kind {
            case .expression(let expression):
                plainCount += 1
                guard plainCount == 1 else {
                    report(Messages.argumentCount(name.text, expected: "one codelist and optionally a window, such as within 90 days"), at: argument.range)
                    ok = false
                    continue
                }
                guard case .name(let listName) = expression.kind else {
                    if case .error = expression.kind { ok = false; continue }
                    report(Messages.needsCodelist(name.text, found: "'\(sources.text(expression.range))' is not a codelist's name"), at: expression.range)
                    ok = false
                    continue
                }
                let key = listName.key
                if key == "age" || key == "today" || PatientColumn(rawValue: key) != nil {
                    let what = key == "age" ? "the patient's age" : key == "today" ? "the date of the run" : "a patient column"
                    report(Messages.needsCodelist(name.text, found: "'\(listName.text)' is \(what)"), at: listName.range)
                    ok = false
                } else if resolveCodelist(listName, function: name.text) {
                    codelist = listName
                } else {
                    ok = false
                }
            case .resolvedBy(let listName):
                guard function == .current else {
                    report(Messages.resolvedByOnlyInCurrent(name.text), at: argument.range)
                    ok = false
                    continue
                }
                if resolveCodelist(listName, function: name.text) { resolvedBy = listName } else { ok = false }
            case .within, .since, .before, .between:
                guard window == nil else {
                    report(Messages.oneWindow, at: argument.range)
                    ok = false
                    continue
                }
                if let checked = checkWindow(argument) { window = checked } else { ok = false }
            }
        }
        guard ok else { return nil }
        guard let codelist else {
            report(Messages.needsCodelist(name.text, found: "none was given"), at: range)
            return nil
        }
        if function == .current, resolvedBy == nil {
            report(Messages.currentNeedsResolvedBy(codelist.text), at: range)
            return nil
        }
        return RuleExpression(
            .event(function, codelist: codelist.key, resolvedBy: resolvedBy?.key, window: window),
            type: function.resultType, range: range)
    }

    private mutating func checkWindow(_ argument: ArgumentSyntax) -> EventWindow? {
        switch argument.kind {
        case .within(let syntax):
            if case .error = syntax.kind { return nil }
            guard case .duration(let period) = syntax.kind else {
                report(Messages.withinNeedsDuration(found: sources.text(syntax.range)), at: syntax.range)
                return nil
            }
            return .within(period)
        case .since(let syntax), .before(let syntax):
            guard let date = checkDateArgument(syntax, word: argument.kind.windowWord) else { return nil }
            if case .since = argument.kind { return .since(date) }
            return .before(date)
        case .between(let lowSyntax, let highSyntax):
            let low = checkDateArgument(lowSyntax, word: "between")
            let high = checkDateArgument(highSyntax, word: "between")
            guard let low, let high else { return nil }
            return .between(low, high)
        default:
            return nil
        }
    }

    private mutating func checkDateArgument(_ syntax: ExpressionSyntax, word: String) -> RuleExpression? {
        guard let date = check(syntax) else { return nil }
        guard date.type == .date else {
            report(Messages.windowNeedsDate(word, found: date.type), at: syntax.range)
            return nil
        }
        guard isFixedForEveryone(date) else {
            report(Messages.windowDependsOnPatient(word), at: syntax.range)
            return nil
        }
        return date
    }

    /// Whether an expression has one value for everyone (dates, lengths of time, `today`, and defines
    /// of those): event windows are worked out before any patient is read.
    private func isFixedForEveryone(_ expression: RuleExpression) -> Bool {
        switch expression.kind {
        case .literal, .today: return true
        case .arithmetic(_, let left, let right): return isFixedForEveryone(left) && isFixedForEveryone(right)
        case .define(let name):
            guard case .done(let resolved?)? = defineStates[name] else { return false }
            return isFixedForEveryone(resolved)
        default: return false
        }
    }

    private mutating func checkTemplate(_ syntax: TemplateSyntax) -> Template? {
        var segments: [Template.Segment] = []
        var ok = true
        for segment in syntax.segments {
            switch segment {
            case .text(let text): segments.append(.text(text))
            case .expression(let expressionSyntax):
                if let expression = check(expressionSyntax) { segments.append(.expression(expression)) } else { ok = false }
            }
        }
        return ok ? Template(segments: segments) : nil
    }

    // MARK: - Cohorts

    private mutating func checkCohort(_ syntax: CohortSyntax) -> Cohort? {
        var priority: Int?
        var sawPriority = false
        var includes: [RuleExpression] = []
        var sawInclude = false
        var excludes: [RuleExpression] = []
        var reason: Template?
        var talkAbout: Template?
        var callWithin: Period?
        var recallEvery: Period?
        var skills: [String] = []
        var whenUnreachable: String?
        var retries: [RetryRule] = []
        var seen: [String: SourceRange] = [:]
        var ok = true
        func once(_ statement: String, _ range: SourceRange, _ checker: inout Checker) -> Bool {
            if let first = seen[statement] {
                checker.report(Messages.statementTwice(statement, first: checker.sources.describe(first)), at: range)
                return false
            }
            seen[statement] = range
            return true
        }
        for statement in syntax.statements {
            switch statement.kind {
            case .priority(let value):
                sawPriority = true
                guard once("priority", statement.range, &self) else { ok = false; continue }
                if let value { priority = value } else { ok = false }
            case .include(let conditionSyntax):
                sawInclude = true
                if let condition = checkCondition(conditionSyntax, statement: "include if") { includes.append(condition) } else { ok = false }
            case .exclude(let conditionSyntax):
                if let condition = checkCondition(conditionSyntax, statement: "exclude if") { excludes.append(condition) } else { ok = false }
            case .reason(let template):
                guard once("reason", statement.range, &self), let template, let checked = checkTemplate(template) else { ok = false; continue }
                reason = checked
            case .talkAbout(let template):
                guard once("talk about", statement.range, &self), let template, let checked = checkTemplate(template) else { ok = false; continue }
                talkAbout = checked
            case .callWithin(let period):
                guard once("call within", statement.range, &self), let period, checkPositive(period, "call within") else { ok = false; continue }
                callWithin = period.value
            case .recallEvery(let period):
                guard once("recall every", statement.range, &self), let period, checkPositive(period, "recall every") else { ok = false; continue }
                recallEvery = period.value
            case .needsSkill(let skill):
                guard let skill else { ok = false; continue }
                if !skills.contains(skill.key) { skills.append(skill.key) }
            case .whenUnreachable(let text):
                guard once("when unreachable", statement.range, &self), let text else { ok = false; continue }
                whenUnreachable = text.value
            case .retry(let retry):
                guard let retry, let rule = checkRetry(retry, existing: retries) else { ok = false; continue }
                retries.append(rule)
            }
        }
        // A misspelt statement inside the block is already reported; do not add "no priority" to it.
        let blockHasSyntaxErrors = diagnostics.diagnostics.contains {
            $0.severity == .error && $0.range.file == syntax.range.file && syntax.range.start <= $0.range.start
                && $0.range.start < syntax.range.end
        }
        if !sawPriority, !blockHasSyntaxErrors { report(Messages.missingPriority(syntax.id.text), at: syntax.id.range) }
        if !sawInclude, !blockHasSyntaxErrors { report(Messages.missingInclude(syntax.id.text), at: syntax.id.range) }
        guard ok, let priority, !includes.isEmpty, !syntax.id.text.isEmpty else { return nil }
        let title = syntax.title?.value ?? syntax.id.text
        return Cohort(
            id: syntax.id.key, title: title, priority: priority, includes: includes, excludes: excludes,
            reason: reason ?? .text(title), talkAbout: talkAbout, callWithin: callWithin, recallEvery: recallEvery,
            needsSkills: skills, whenUnreachable: whenUnreachable, retries: retries, range: syntax.id.range)
    }

    private mutating func checkPositive(_ period: Located<Period>, _ statement: String) -> Bool {
        guard period.value.count >= 1 else {
            report(Messages.durationTooShort(statement), at: period.range)
            return false
        }
        return true
    }

    private mutating func checkCondition(_ syntax: ExpressionSyntax, statement: String) -> RuleExpression? {
        guard let condition = check(syntax) else { return nil }
        guard condition.type == .yesNo else {
            report(Messages.conditionNotYesNo(statement, found: condition.type), at: syntax.range)
            return nil
        }
        return condition
    }

    private mutating func checkRetry(_ syntax: RetrySyntax, existing: [RetryRule]) -> RetryRule? {
        guard let outcome = OutcomeCode(rawValue: syntax.outcome.key), OutcomeCode.retryable.contains(outcome) else {
            let suggestion = Suggestions.closest(to: syntax.outcome.key, among: OutcomeCode.retryable.map(\.rawValue))
            report(Messages.notRetryable(syntax.outcome.text, suggestion: suggestion), at: syntax.outcome.range)
            return nil
        }
        guard let after = syntax.after, let attempts = syntax.attempts else { return nil }
        guard checkPositive(after, "retry … after") else { return nil }
        if existing.contains(where: { $0.outcome == outcome }) {
            report(Messages.retryTwice(outcome.rawValue), at: syntax.outcome.range)
            return nil
        }
        return RetryRule(outcome: outcome, after: after.value, attempts: attempts.value)
    }

    // MARK: - Team, workers, policy

    private mutating func checkTeam() -> Team {
        guard let syntax = teamSyntax else { return .standard }
        var workingDays = Team.standard.workingDays
        var closed = Set<Day>()
        var sawDays: SourceRange?
        for statement in syntax.statements {
            switch statement.kind {
            case .workingDays(let days):
                if let first = sawDays {
                    report(Messages.statementTwice("working days", first: sources.describe(first)), at: statement.range)
                }
                sawDays = statement.range
                if let days { workingDays = days.weekdays }
            case .closed(let days):
                for day in days { closed.insert(day.value) }
            }
        }
        return Team(name: syntax.name?.value, workingDays: workingDays, closed: closed.sorted())
    }

    private mutating func checkWorker(_ syntax: WorkerSyntax, team: Team) -> Worker? {
        var calls: Int?
        var sawCalls = false
        var works: [Weekday]?
        var practices: [String]?
        var speaks: [String]?
        var skills: [String] = []
        var away: [ClosedRange<Day>] = []
        var ok = true
        var seen: [String: SourceRange] = [:]
        for statement in syntax.statements {
            let word: String
            switch statement.kind {
            case .callsPerDay: word = "calls per day"
            case .works: word = "works"
            case .practices: word = "practices"
            case .speaks: word = "speaks"
            case .skills, .away: word = ""
            }
            if !word.isEmpty {
                if let first = seen[word] {
                    report(Messages.statementTwice(word, first: sources.describe(first)), at: statement.range)
                    ok = false
                }
                seen[word] = statement.range
            }
            switch statement.kind {
            case .callsPerDay(let value):
                sawCalls = true
                if let value { calls = value } else { ok = false }
            case .works(let days):
                guard let days else { ok = false; continue }
                works = days.weekdays
                for item in days.items {
                    let named = WeekdaysSyntax(items: [item]).weekdays
                    if let outside = named.first(where: { !team.workingDays.contains($0) }) {
                        report(Messages.worksOutsideTeam(syntax.id.text, day: outside.shortName), at: item.range)
                    }
                }
            case .practices(let codes):
                var list: [String] = []
                for code in codes {
                    if Checker.isODSPracticeCode(code.text) {
                        list.append(code.text.uppercased())
                    } else {
                        report(Messages.notODSCode(code.text), at: code.range)
                        ok = false
                    }
                }
                practices = list
            case .speaks(let languages):
                speaks = languages.map(\.key)
            case .skills(let names):
                for name in names where !skills.contains(name.key) { skills.append(name.key) }
            case .away(let from, let to):
                guard from.value <= to.value else {
                    report(Messages.awayBackwards(from.value.description, to.value.description), at: statement.range)
                    ok = false
                    continue
                }
                away.append(from.value...to.value)
            }
        }
        if !sawCalls { report(Messages.workerNoCapacity(syntax.id.text), at: syntax.id.range) }
        guard ok, let calls, !syntax.id.text.isEmpty else { return nil }
        return Worker(
            id: syntax.id.key, name: syntax.name?.value ?? syntax.id.text, callsPerDay: calls, works: works,
            practices: practices, speaks: speaks ?? ["english"], skills: skills, away: away.sorted { $0.lowerBound < $1.lowerBound },
            range: syntax.id.range)
    }

    /// A GP practice ODS code: one letter and five digits, such as `E82001` or `Y02906`.
    static func isODSPracticeCode(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard bytes.count == 6 else { return false }
        let letter = bytes[0] | 0x20
        return letter >= 97 && letter <= 122 && bytes[1...].allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    private mutating func checkPolicy() -> Policy {
        var policy = Policy()
        guard let syntax = policySyntax else { return policy }
        var seen: [String: SourceRange] = [:]
        var retries: [RetryRule] = []
        for statement in syntax.statements {
            let word: String
            switch statement.kind {
            case .publishAt: word = "publish lists at"
            case .planAhead: word = "plan ahead"
            case .retry: word = ""
            case .followUpSupport: word = "follow up support after"
            case .rest: word = "rest"
            case .keepSameWorker: word = "keep the same worker"
            case .whenUnreachable: word = "when unreachable"
            case .assumeAnswer: word = "assume"
            case .favourMostDeprived: word = "favour the most deprived"
            case .extractsStaleAfter: word = "extracts go stale after"
            }
            if !word.isEmpty {
                if let first = seen[word] {
                    report(Messages.statementTwice(word, first: sources.describe(first)), at: statement.range)
                    continue
                }
                seen[word] = statement.range
            }
            switch statement.kind {
            case .publishAt(let minutes): if let minutes { policy.publishAt = minutes }
            case .planAhead(let days): if let days { policy.planAheadDays = days }
            case .retry(let retry):
                if let retry, let rule = checkRetry(retry, existing: retries) { retries.append(rule) }
            case .followUpSupport(let period):
                if let period, checkPositive(period, "follow up support after") { policy.followUpSupportAfter = period.value }
            case .rest(let period):
                if let period { policy.rest = period.value }
            case .keepSameWorker(let on): policy.keepSameWorker = on
            case .whenUnreachable(let text): if let text { policy.whenUnreachable = text.value }
            case .assumeAnswer(let percent): if let percent { policy.assumedAnswerRate = percent / 100 }
            case .favourMostDeprived(let on): policy.favourMostDeprived = on
            case .extractsStaleAfter(let period):
                if let period, checkPositive(period, "extracts go stale after") { policy.extractsStaleAfter = period.value }
            }
        }
        for rule in retries {
            policy.retries.removeAll { $0.outcome == rule.outcome }
            policy.retries.append(rule)
        }
        policy.retries.sort { $0.outcome.rawValue < $1.outcome.rawValue }
        return policy
    }

    // MARK: - Extracts and examples

    private static let eventColumns = ["code", "term", "date", "value"]

    private mutating func checkExtract(_ syntax: ExtractSyntax) -> ExtractProfile {
        var mappings: [ExtractProfile.Mapping] = []
        var headers: [String: SourceRange] = [:]
        let targets = PatientColumn.allCases.map(\.name) + Checker.eventColumns + fields.keys.sorted()
        for mapping in syntax.mappings {
            let normalised = mapping.header.value.lowercased().trimmingSpaces
            if let first = headers[normalised] {
                report(Messages.headerMappedTwice(mapping.header.value, first: sources.describe(first)), at: mapping.header.range)
                continue
            }
            headers[normalised] = mapping.header.range
            let target = mapping.target.key
            if !targets.contains(target) {
                report(Messages.unknownMapTarget(mapping.target.text, suggestion: Suggestions.closest(to: target, among: targets)), at: mapping.target.range)
            } else if fields[target] != nil {
                used.insert(target)
            }
            mappings.append(ExtractProfile.Mapping(sourceHeader: mapping.header.value, target: target))
        }
        return ExtractProfile(name: syntax.name.key, mappings: mappings, range: syntax.name.range)
    }

    private mutating func checkExample(_ syntax: ExampleSyntax) -> RuleExample? {
        var asOf: Day?
        var birth: RuleExample.Birth?
        var settings: [RuleExample.Setting] = []
        var events: [RuleExample.Event] = []
        var expectations: [RuleExample.Expectation] = []
        var ok = true
        var seen: [String: SourceRange] = [:]
        let cohortNames = cohortIDs.keys.sorted()
        for statement in syntax.statements {
            switch statement.kind {
            case .asOf(let day):
                if let first = seen["as of"] {
                    report(Messages.statementTwice("as of", first: sources.describe(first)), at: statement.range)
                    ok = false
                }
                seen["as of"] = statement.range
                asOf = day.value
            case .age(let years):
                if let first = seen["age"] {
                    report(Messages.statementTwice("age or born", first: sources.describe(first)), at: statement.range)
                    ok = false
                }
                seen["age"] = statement.range
                birth = .age(years.value)
            case .born(let day):
                if let first = seen["age"] {
                    report(Messages.statementTwice("age or born", first: sources.describe(first)), at: statement.range)
                    ok = false
                }
                seen["age"] = statement.range
                birth = .born(day.value)
            case .set(let name, let value):
                guard let setting = checkSetting(name, value, range: statement.range) else { ok = false; continue }
                settings.append(setting)
            case .event(let code, let day, let value):
                switch code {
                case .codelist(let name):
                    guard resolveCodelist(name, function: "event") else { ok = false; continue }
                    events.append(RuleExample.Event(code: .codelist(name.key), day: day.value, value: value?.value, range: statement.range))
                case .code(let text):
                    events.append(RuleExample.Event(code: .code(text.value), day: day.value, value: value?.value, range: statement.range))
                }
            case .expect(let cohort, let member):
                if cohortIDs[cohort.key] == nil, let symbol = symbols[cohort.key] {
                    report(Messages.notACohort(cohort.text, kind: symbol.kind.described), at: cohort.range)
                    ok = false
                    continue
                }
                guard cohortIDs[cohort.key] != nil else {
                    report(Messages.unknownCohort(cohort.text, suggestion: Suggestions.closest(to: cohort.key, among: cohortNames)), at: cohort.range)
                    ok = false
                    continue
                }
                expectations.append(RuleExample.Expectation(cohort: cohort.key, member: member, range: statement.range))
            }
        }
        if expectations.isEmpty, ok {
            report(Messages.exampleExpectsNothing(syntax.title?.value ?? ""), at: syntax.range)
        }
        guard ok, let title = syntax.title else { return nil }
        return RuleExample(
            title: title.value, asOf: asOf, birth: birth, settings: settings, events: events, expectations: expectations,
            range: syntax.range)
    }

    private mutating func checkSetting(_ name: NameSyntax, _ value: Located<ExampleValueSyntax>, range: SourceRange) -> RuleExample.Setting? {
        let key = name.key
        let target: RuleExample.Setting.Target
        let type: ValueType
        if let column = PatientColumn(rawValue: key) {
            target = .column(column)
            type = column.type
        } else if let field = fields[key] {
            used.insert(key)
            target = .field(key)
            type = field.type
        } else if key == "age" {
            report(Messages.exampleAgeNeedsNumber, at: value.range)
            return nil
        } else {
            if symbols[key]?.kind == .field { return nil }  // a field whose declaration was wrong
            let candidates = ["as of", "age", "born", "event", "expect"] + PatientColumn.allCases.map(\.name) + fields.keys.sorted()
            report(Messages.unknownExampleField(name.text, suggestion: Suggestions.closest(to: key, among: candidates)), at: name.range)
            return nil
        }
        let converted: Value?
        switch (type, value.value) {
        case (.text, .word(let text)), (.text, .text(let text)): converted = .text(text)
        case (.text, .number(let number)): converted = .text(Formatting.number(number))
        case (.number, .number(let number)): converted = .number(number)
        case (.date, .date(let day)): converted = .date(day)
        case (.yesNo, .truth(let truth)): converted = .yesNo(truth)
        default: converted = nil
        }
        guard let converted else {
            report(Messages.exampleValueType(name.text, expected: type, found: sources.text(value.range)), at: value.range)
            return nil
        }
        return RuleExample.Setting(target: target, value: converted, range: range)
    }

    // MARK: - Checks across the rule set

    private mutating func crossCheck(cohorts: [Cohort], workers: [Worker], policy: Policy) {
        // A skill some cohort needs that no worker has.
        let workerSkills = Set(workerSyntax.flatMap { worker in
            worker.statements.flatMap { statement -> [String] in
                if case .skills(let names) = statement.kind { return names.map(\.key) }
                return []
            }
        })
        for syntax in cohortSyntax {
            for statement in syntax.statements {
                guard case .needsSkill(let skill?) = statement.kind, !workerSkills.contains(skill.key) else { continue }
                let suggestion = Suggestions.closest(to: skill.key, among: workerSkills.sorted())
                report(Messages.skillNobodyHas(skill.text, cohort: syntax.id.text, suggestion: suggestion), at: skill.range)
            }
        }
        // Recall shorter than the rest between calls.
        for syntax in cohortSyntax {
            for statement in syntax.statements {
                guard case .recallEvery(let period?) = statement.kind, period.value.count >= 1,
                    period.value.approximateDays < policy.rest.approximateDays
                else { continue }
                report(Messages.recallShorterThanRest(period.value.description, rest: policy.rest.description), at: period.range)
            }
        }
        // Cohorts no one could ever be in.
        var defines: [String: RuleExpression] = [:]
        for (name, state) in defineStates {
            if case .done(let expression?) = state { defines[name] = expression }
        }
        for cohort in cohorts {
            if let reason = Feasibility.whyEmpty(cohort, defines: defines) {
                report(Messages.cohortAlwaysEmpty(cohortIDs[cohort.id]?.text ?? cohort.id, reason: reason), at: cohort.range)
            }
        }
        // Declarations never used.
        for (key, symbol) in symbols.sorted(by: { $0.key < $1.key }) where !used.contains(key) {
            switch symbol.kind {
            case .codelist where codelists[key] == nil, .lookup where lookups[key] == nil:
                continue  // failed to load: already reported
            case .define, .codelist, .lookup, .field:
                report(Messages.neverUsed(symbol.name.text, kind: symbol.kind.rawValue), at: symbol.name.range)
            case .cohort, .worker:
                break
            }
        }
        if workerSyntax.isEmpty, let first = cohortSyntax.first {
            report(Messages.noWorkers, at: first.id.range)
        }
    }
}

extension ArgumentSyntax.Kind {
    fileprivate var windowWord: String {
        switch self {
        case .since: return "since"
        case .before: return "before"
        case .between: return "between"
        case .within: return "within"
        default: return ""
        }
    }
}

/// Counts for the one-line summary of `outreach check`.
public struct CheckSummary: Sendable, Hashable {
    public var cohorts = 0
    public var workers = 0
    public var codelists = 0
    /// Distinct codes summed over the codelists.
    public var codes = 0
    public var errors = 0
    public var warnings = 0

    public init() {}
}
