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
    struct Symbol {
        let kind: SymbolKind
        let name: NameSyntax
    }

    enum DefineState {
        case checking
        case done(RuleExpression?)
    }

    let root: String
    let sources: SourceFiles
    fileprivate let files: [FileSyntax]
    private(set) var diagnostics: DiagnosticCollector

    var symbols: [String: Symbol] = [:]
    /// Cohort ids and worker ids, each in its own namespace.
    var cohortIDs: [String: NameSyntax] = [:]
    var workerIDs: [String: NameSyntax] = [:]
    var codelistSyntax: [(CodelistSyntax, SourceFileID)] = []
    var lookupSyntax: [(LookupSyntax, SourceFileID)] = []
    var fieldSyntax: [FieldSyntax] = []
    var defineSyntax: [String: DefineSyntax] = [:]
    var cohortSyntax: [CohortSyntax] = []
    var workerSyntax: [WorkerSyntax] = []
    var teamSyntax: TeamSyntax?
    var policySyntax: PolicySyntax?
    var contactSyntax: ContactSyntax?
    fileprivate var extractSyntax: [ExtractSyntax] = []
    fileprivate var exampleSyntax: [ExampleSyntax] = []

    /// Declarations whose name is wrong (missing, a reserved or built-in word, or already taken; reported).
    /// They are never part of the rule set, but what is inside them is still checked: a mistake
    /// there is not caused by the name, and one run reports every mistake.
    var misnamedCodelists: [(CodelistSyntax, SourceFileID)] = []
    var misnamedLookups: [(LookupSyntax, SourceFileID)] = []
    var misnamedDefines: [DefineSyntax] = []
    var misnamedCohorts: [CohortSyntax] = []
    var misnamedWorkers: [WorkerSyntax] = []
    fileprivate var misnamedExtracts: [ExtractSyntax] = []
    /// A second `team`, `policy` or `contact` block (reported), checked on its own and then ignored.
    fileprivate var secondTeams: [TeamSyntax] = []
    fileprivate var secondPolicies: [PolicySyntax] = []
    fileprivate var secondContacts: [ContactSyntax] = []

    var codelists: [String: Codelist] = [:]
    var lookups: [String: Lookup] = [:]
    var lookupTypes: [String: ValueType] = [:]
    var fields: [String: Field] = [:]
    var defineStates: [String: DefineState] = [:]
    var defineStack: [String] = []
    var defineOrder: [String] = []
    /// How deep each checked define's expression is, counting the defines it uses.
    var defineDepths: [String: Int] = [:]
    /// How many expression nodes `check` is inside now, counting the defines it went through.
    var depth = 0
    var used: Set<String> = []
    /// Relative paths of the data files read, for the content hash.
    var dataFiles: Set<String> = []

    /// Counts for the summary line, available even when there are errors.
    private(set) var summary = CheckSummary()

    init(root: String, sources: SourceFiles, files: [FileSyntax], diagnostics: DiagnosticCollector) {
        self.root = root
        self.sources = sources
        self.files = files
        self.diagnostics = diagnostics
    }

    mutating func report(_ message: DiagnosticMessage, at range: SourceRange) {
        diagnostics.add(message, at: range)
    }

    // MARK: - The passes

    /// Runs every check; returns the rule set when there were no errors (in any pass, parsing included).
    /// No mistake stops another being looked for: declarations with a wrong name, a second team or
    /// policy, and statements given twice are checked too, so one run reports every mistake.
    mutating func check() -> RuleSet? {
        declare()
        loadCodelists()
        loadLookups()
        checkFields()
        for name in defineSyntax.keys.sorted() { _ = resolveDefine(name) }
        for syntax in misnamedDefines { _ = check(syntax.expression) }
        let cohortChecks = (cohortSyntax + misnamedCohorts).map { checkCohort($0) }
        let cohorts = cohortChecks.prefix(cohortSyntax.count).compactMap(\.cohort)
        let team = checkTeam(teamSyntax)
        for syntax in secondTeams { _ = checkTeam(syntax) }
        let workers = workerSyntax.compactMap { checkWorker($0, team: team) }
        for syntax in misnamedWorkers { _ = checkWorker(syntax, team: team) }
        let policy = checkPolicy(policySyntax)
        for syntax in secondPolicies { _ = checkPolicy(syntax) }
        let contact = checkContact(contactSyntax)
        for syntax in secondContacts { _ = checkContact(syntax) }
        let profiles = extractSyntax.map { checkExtract($0) }
        for syntax in misnamedExtracts { _ = checkExtract(syntax) }
        let examples = exampleSyntax.compactMap { checkExample($0) }
        crossCheck(cohorts: cohortChecks, policy: policy)
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
            workers: workers.sorted { $0.id < $1.id }, policy: policy, extractProfiles: profiles, contact: contact,
            examples: examples, contentHash: ContentHash(of: [UInt8]()))
    }

    /// Collects every declaration into one namespace, reporting duplicates and clashes.
    fileprivate mutating func declare() {
        var extractNames: [String: NameSyntax] = [:]
        for file in files {
            for declaration in file.declarations {
                switch declaration {
                case .codelist(let syntax):
                    if declareName(syntax.name, as: .codelist) {
                        codelistSyntax.append((syntax, file.file))
                    } else {
                        misnamedCodelists.append((syntax, file.file))
                    }
                case .lookup(let syntax):
                    if declareName(syntax.name, as: .lookup) {
                        lookupSyntax.append((syntax, file.file))
                    } else {
                        misnamedLookups.append((syntax, file.file))
                    }
                case .field(let syntax):
                    if declareName(syntax.name, as: .field) { fieldSyntax.append(syntax) }
                case .define(let syntax):
                    if declareName(syntax.name, as: .define) {
                        defineSyntax[syntax.name.key] = syntax
                    } else {
                        misnamedDefines.append(syntax)
                    }
                case .cohort(let syntax):
                    if declareName(syntax.id, as: .cohort) {
                        cohortSyntax.append(syntax)
                    } else {
                        misnamedCohorts.append(syntax)
                    }
                case .worker(let syntax):
                    if declareName(syntax.id, as: .worker) {
                        workerSyntax.append(syntax)
                    } else {
                        misnamedWorkers.append(syntax)
                    }
                case .team(let syntax):
                    if let first = teamSyntax {
                        report(Messages.secondBlock("team", first: sources.describe(first.range)), at: syntax.range)
                        secondTeams.append(syntax)
                    } else {
                        teamSyntax = syntax
                    }
                case .policy(let syntax):
                    if let first = policySyntax {
                        report(Messages.secondBlock("policy", first: sources.describe(first.range)), at: syntax.range)
                        secondPolicies.append(syntax)
                    } else {
                        policySyntax = syntax
                    }
                case .contact(let syntax):
                    if let first = contactSyntax {
                        report(Messages.secondBlock("contact", first: sources.describe(first.range)), at: syntax.range)
                        secondContacts.append(syntax)
                    } else {
                        contactSyntax = syntax
                    }
                case .extract(let syntax):
                    guard !syntax.name.text.isEmpty else {
                        misnamedExtracts.append(syntax)
                        continue
                    }
                    if let first = extractNames[syntax.name.key] {
                        report(
                            Messages.duplicateName(
                                syntax.name.text, kind: "an extract profile", first: sources.describe(first.range)),
                            at: syntax.name.range)
                        misnamedExtracts.append(syntax)
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
    fileprivate mutating func declareName(_ name: NameSyntax, as kind: SymbolKind) -> Bool {
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
                Messages.duplicateName(
                    name.text, kind: existing.kind.described, first: sources.describe(existing.name.range)),
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
}
