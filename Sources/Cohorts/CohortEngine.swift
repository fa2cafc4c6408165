import Dispatch
import Basics
import Population
import RuleLanguage
import Vocabulary

/// A declared `field` read from the extracts as its type.
struct FieldColumn: Sendable {
    let evaluator: Evaluator
    /// Whether any extract file had the column (if not, every value is unknown: worth a warning).
    let present: Bool
    /// Values that did not parse as the declared type.
    let problems: [Reject]
}

/// One cohort's result.
public struct CohortResult: Sendable {
    public let cohort: Cohort
    /// Members' patient indices, ascending.
    public let members: [Int32]
    /// People left out only because a value was unknown: no `include if` was yes, at least one was
    /// unknown, and no `exclude if` was yes.
    public let unknownOnly: Int
}

/// What one codelist matched in the extracts.
public struct CodelistMatch: Sendable {
    public let name: String
    public let codes: Int
    /// Events (up to `today`, any window) whose code is in the list.
    public let events: Int
}

/// The result of evaluating a rule set over extracts on one day: who is in which cohort, with what
/// the report and the scheduler need (reasons rendered per person, counts, overlaps, matches).
public struct CohortRun: Sendable {
    public let ruleSet: RuleSet
    public let asOf: Day
    public let extract: Extract
    public let scan: EventScanResult
    /// In the rule set's cohort order (priority, then id).
    public let results: [CohortResult]
    /// Patients alive and registered on `asOf`: the only people who can be members.
    public let eligible: Int
    public let codelistMatches: [CodelistMatch]
    /// Declared fields that no extract had (every value unknown).
    public let missingFields: [String]
    /// Values of declared fields that did not parse.
    public let fieldProblems: [Reject]
    let templates: [CohortTemplates]
    /// How long the stages took, for `outreach bench`.
    public struct Timings: Sendable {
        /// Streaming the events into the summaries (on every core).
        public let eventScan: Double
        /// Compiling the rules and deciding every cohort for every patient.
        public let evaluation: Double
    }

    public let timings: Timings
    /// The events of the patient asked for with `witness`, for explanations.
    let witnessEvents: [WitnessedEvent]
    /// Compiles any expression of the rule set against this run's population and summaries.
    let compileExpression: @Sendable (RuleExpression) throws -> Evaluator

    public var population: Population { extract.population }

    /// The value of any expression of the rule set for one patient (for explanations and examples).
    public func evaluate(_ expression: RuleExpression, patient: Int) throws -> EvalValue {
        try compileExpression(expression)(patient)
    }

    /// Everyone's cohort indices (into ``results``), by patient index; empty for non-members.
    public func cohortsByPatient() -> [Int32: [Int]] {
        var byPatient: [Int32: [Int]] = [:]
        for (index, result) in results.enumerated() {
            for patient in result.members { byPatient[patient, default: []].append(index) }
        }
        return byPatient
    }

    /// The cohort's `reason` for a member, rendered (dates as `3 Mar 2026`).
    public func reason(cohort index: Int, patient: Int32) -> String {
        templates[index].reason(Int(patient))
    }

    /// The cohort's `talk about` for a member, rendered, or `nil` when the cohort has none.
    public func talkAbout(cohort index: Int, patient: Int32) -> String? {
        templates[index].talkAbout?(Int(patient))
    }

    /// How many people are in both cohorts, for every pair (the diagonal is each cohort's size).
    public func overlaps() -> [[Int]] {
        let sets = results.map { Set($0.members) }
        return sets.map { a in sets.map { b in a.count <= b.count ? a.filter(b.contains).count : b.filter(a.contains).count } }
    }
}

/// An event of the witnessed patient whose code a rule uses.
struct WitnessedEvent: Sendable {
    let code: String
    let day: Day
    let value: Double?
}

/// Feeds the summaries and keeps one patient's events, for `explain`.
struct WitnessingSink: EventSink {
    var aggregates: EventAggregates
    let target: Int32
    let codes: CodeTable
    var events: [WitnessedEvent] = []

    mutating func receive(patient: Int32, code: Int32, day: Day, value: Double?) {
        receive([ScannedEvent(patient: patient, code: code, day: day, value: value)])
    }

    mutating func receive(_ block: [ScannedEvent]) {
        aggregates.receive(block)
        for event in block where event.patient == target {
            events.append(WitnessedEvent(code: codes.codes[Int(event.code)], day: event.day, value: event.value))
        }
    }

    /// Folds in the sink of a later part of the events.
    mutating func merge(_ other: WitnessingSink) {
        aggregates.merge(other.aggregates)
        events += other.events
    }
}

/// Rendered `reason` and `talk about` texts.
struct CohortTemplates: Sendable {
    let reason: @Sendable (Int) -> String
    let talkAbout: (@Sendable (Int) -> String)?
}

/// Evaluates a rule set over extracts: reads the patients, streams the events once into the
/// summaries the rules need, then decides every cohort for every patient with three-valued logic.
public enum CohortEngine {
    /// Reads `inputs` and evaluates `ruleSet` as of `asOf`.
    /// - Throws: `ExtractError`, `CSVError`, `FileIOError` for unusable extracts; `CohortError`
    ///   for a rule that cannot be evaluated as written.
    /// - Parameter cohortsOnly: the caller needs the cohorts and nothing about reaching people, so
    ///   contact details the rules do not use are not read (`outreach cohorts`).
    public static func run(
        _ ruleSet: RuleSet, inputs: [ExtractInput], asOf: Day, maxRejectRate: Double = 0.05, profile: String? = nil,
        witness: UInt64? = nil, cohortsOnly: Bool = false
    ) throws -> CohortRun {
        var options = ReadOptions(
            profile: profile, customProfiles: ruleSet.extractProfiles.map(customProfile),
            maxRejectRate: maxRejectRate, today: asOf)
        if cohortsOnly {
            let used = Set(ruleSet.patientColumnsUsed.map(\.canonical))
            options.unreadContactDetails = CanonicalColumn.contactDetails.subtracting(used)
        }
        let extract = try ExtractReader.read(inputs, options: options)
        return try run(ruleSet, extract: extract, asOf: asOf, witness: witness)
    }

    /// Evaluates `ruleSet` over an extract already read; `witness` names a patient (by NHS number)
    /// whose matching events are kept for an explanation.
    public static func run(_ ruleSet: RuleSet, extract: Extract, asOf: Day, witness: UInt64? = nil) throws -> CohortRun {
        let compiler = ExpressionCompiler(ruleSet: ruleSet, today: asOf)
        var plan = AggregatePlan(today: asOf)
        try compiler.planAggregates(into: &plan)
        plan.finish(codelists: ruleSet.codelists)

        let population = extract.population
        let patientCount = population.count
        let scanClock = Stopwatch()
        let scanner = EventScanner(extract: extract, codes: plan.codes)
        var aggregates = EventAggregates(plan: plan, patientCount: patientCount)
        let scan: EventScanResult
        var witnessEvents: [WitnessedEvent] = []
        if let witness, let target = population.index(of: witness) {
            let codes = plan.codes
            var sink = WitnessingSink(aggregates: aggregates, target: Int32(target), codes: codes)
            scan = try scanner.scan(
                into: &sink,
                makeSink: { [plan] in
                    WitnessingSink(
                        aggregates: EventAggregates(plan: plan, patientCount: patientCount), target: Int32(target),
                        codes: codes)
                }, merge: { $0.merge($1) })
            aggregates = sink.aggregates
            witnessEvents = sink.events
        } else {
            scan = try scanner.scan(
                into: &aggregates, makeSink: { [plan] in EventAggregates(plan: plan, patientCount: patientCount) },
                merge: { $0.merge($1) })
        }

        let scanSeconds = scanClock.seconds
        let evaluationClock = Stopwatch()
        var fields: [String: FieldColumn] = [:]
        var missingFields: [String] = []
        var fieldProblems: [Reject] = []
        for (name, field) in ruleSet.fields.sorted(by: { $0.key < $1.key }) {
            let column = fieldColumn(field, population: population, asOf: asOf)
            fields[name] = column
            if !column.present { missingFields.append(name) }
            fieldProblems += column.problems
        }
        let context = ExpressionCompiler.Context(population: population, aggregates: aggregates, fields: fields)
        let defines = try compiler.compileDefines(context, plan: plan)
        let compiled = try ruleSet.cohorts.map { cohort in
            CompiledCohort(
                includes: try cohort.includes.map { try compiler.compile($0, context, defines: defines, plan: plan) },
                excludes: try cohort.excludes.map { try compiler.compile($0, context, defines: defines, plan: plan) })
        }
        let templates = try ruleSet.cohorts.map { cohort in
            CohortTemplates(
                reason: try render(cohort.reason, compiler, context, defines, plan),
                talkAbout: try cohort.talkAbout.map { try render($0, compiler, context, defines, plan) })
        }

        let eligibility = Eligibility(population: population, asOf: asOf)
        let decisions = decide(compiled, eligibility: eligibility, count: population.count)
        let results = zip(ruleSet.cohorts, decisions).map { cohort, decision in
            CohortResult(cohort: cohort, members: decision.members, unknownOnly: decision.unknownOnly)
        }

        let evaluationSeconds = evaluationClock.seconds
        var perCode = [Int](repeating: 0, count: plan.codes.count)
        for (index, count) in scan.total.matched.enumerated() { perCode[index] = count }
        let matches = ruleSet.codelists.keys.sorted().map { name -> CodelistMatch in
            let codelist = ruleSet.codelists[name]!
            let events = codelist.codes.reduce(0) { sum, code in sum + (plan.codes.id(of: code).map { perCode[Int($0)] } ?? 0) }
            return CodelistMatch(name: name, codes: codelist.codes.count, events: events)
        }
        return CohortRun(
            ruleSet: ruleSet, asOf: asOf, extract: extract, scan: scan, results: results,
            eligible: eligibility.count, codelistMatches: matches, missingFields: missingFields,
            fieldProblems: fieldProblems, templates: templates,
            timings: CohortRun.Timings(eventScan: scanSeconds, evaluation: evaluationSeconds), witnessEvents: witnessEvents,
            compileExpression: { [plan] in try compiler.compile($0, context, defines: defines, plan: plan) })
    }

    /// A rule set's `extract` block as the reader's profile.
    public static func customProfile(_ profile: ExtractProfile) -> CustomProfile {
        CustomProfile(name: profile.name, mappings: profile.mappings.map { ($0.sourceHeader, $0.target) })
    }

    private struct CompiledCohort: Sendable {
        let includes: [Evaluator]
        let excludes: [Evaluator]
    }

    private struct Decision {
        var members: [Int32] = []
        var unknownOnly = 0
    }

    /// Decides every cohort for every eligible patient, on every core.
    private static func decide(_ cohorts: [CompiledCohort], eligibility: Eligibility, count: Int) -> [Decision] {
        let verdicts = cohorts.map(verdict)
        let chunks = max(1, min(Processors.active * 4, count / 4096))
        let partial = ChunkResults<[Decision]>(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = count * chunk / chunks
            let end = count * (chunk + 1) / chunks
            let eligible = (start..<end).filter(eligibility.isEligible)
            var decisions = [Decision](repeating: Decision(), count: cohorts.count)
            // Cohort by cohort, so each cohort's evaluator is fetched once per chunk, not per patient.
            for (index, verdict) in verdicts.enumerated() {
                var decision = Decision()
                for patient in eligible {
                    switch verdict(patient) {
                    case .member: decision.members.append(Int32(patient))
                    case .unknownOnly: decision.unknownOnly += 1
                    case .out: break
                    }
                }
                decisions[index] = decision
            }
            partial.set(chunk, decisions)
        }
        var merged = [Decision](repeating: Decision(), count: cohorts.count)
        for chunk in partial.values() {
            for index in merged.indices {
                merged[index].members += chunk[index].members
                merged[index].unknownOnly += chunk[index].unknownOnly
            }
        }
        return merged
    }

    /// One cohort's outcome for one person.
    private enum Verdict {
        /// An `include if` is yes and no `exclude if` is yes.
        case member
        /// No `include if` is yes, at least one is unknown, and no `exclude if` is yes.
        case unknownOnly
        case out
    }

    /// A cohort's includes and excludes as one function. Its evaluators are captured one by one
    /// (calling a captured closure costs nothing more), rather than fetched from arrays per patient.
    private static func verdict(_ cohort: CompiledCohort) -> @Sendable (Int) -> Verdict {
        let include = anyInclude(cohort.includes[...])
        let exclude = anyExclude(cohort.excludes[...])
        return { patient in
            let included = include(patient)
            if included == false { return .out }
            if exclude(patient) { return .out }
            return included == true ? .member : .unknownOnly
        }
    }

    /// Yes when any evaluator is yes (the rest are not evaluated), else unknown when any is
    /// unknown, else no.
    private static func anyInclude(_ evaluators: ArraySlice<Evaluator>) -> @Sendable (Int) -> Bool? {
        guard let first = evaluators.first else { return { _ in false } }
        guard evaluators.count > 1 else { return { patient in first(patient).truth } }
        let rest = anyInclude(evaluators.dropFirst())
        return { patient in
            switch first(patient).truth {
            case true?: return true
            case false?: return rest(patient)
            case nil: return rest(patient) == true ? true : nil
            }
        }
    }

    /// Whether any evaluator is yes.
    private static func anyExclude(_ evaluators: ArraySlice<Evaluator>) -> @Sendable (Int) -> Bool {
        guard let first = evaluators.first else { return { _ in false } }
        let rest = anyExclude(evaluators.dropFirst())
        return { patient in first(patient).truth == true || rest(patient) }
    }

    private static func render(
        _ template: Template, _ compiler: ExpressionCompiler, _ context: ExpressionCompiler.Context,
        _ defines: [String: Evaluator], _ plan: AggregatePlan
    ) throws -> @Sendable (Int) -> String {
        let parts: [(text: String?, evaluator: Evaluator?)] = try template.segments.map { segment in
            switch segment {
            case .text(let text): return (text, nil)
            case .expression(let expression):
                return (nil, try compiler.compile(expression, context, defines: defines, plan: plan))
            }
        }
        return { patient in
            parts.map { $0.text ?? $0.evaluator!(patient).humanDescription }.joined()
        }
    }

    private static func fieldColumn(_ field: Field, population: Population, asOf: Day) -> FieldColumn {
        let type: FieldType
        switch field.type {
        case .yesNo: type = .yesNo
        case .number: type = .number
        case .date: type = .date
        default: type = .text
        }
        guard let typed = population.field(field.sourceHeader ?? field.name, as: type, latest: asOf) else {
            return FieldColumn(evaluator: { _ in .missing }, present: false, problems: [])
        }
        let evaluator: Evaluator
        switch typed.values {
        case .yesNo(let values): evaluator = { p in values[p].map { .bool($0) } ?? .missing }
        case .number(let values): evaluator = { p in values[p].map { .number($0) } ?? .missing }
        case .text(let values): evaluator = { p in values[p].map { .text($0) } ?? .missing }
        case .date(let column):
            let ordinals = column.ordinals
            evaluator = { p in ordinals[p] == Int32.min ? .missing : .date(ordinals[p]) }
        }
        return FieldColumn(evaluator: evaluator, present: true, problems: typed.problems)
    }
}

/// Who can be a member on a day: alive and registered (rules-language.md "Who can be a member").
struct Eligibility: Sendable {
    let deaths: [Int32]
    let deregistrations: [Int32]
    let today: Int32
    let count: Int

    init(population: Population, asOf: Day) {
        deaths = population.datesOfDeath.ordinals
        deregistrations = population.deregisteredOn.ordinals
        today = asOf.ordinal
        var eligible = 0
        for patient in 0..<population.count where Eligibility.check(patient, deaths, deregistrations, today) {
            eligible += 1
        }
        count = eligible
    }

    @inline(__always)
    func isEligible(_ patient: Int) -> Bool {
        Eligibility.check(patient, deaths, deregistrations, today)
    }

    /// Why a patient cannot be a member on the day, or `nil` when they can.
    func ineligibility(_ patient: Int) -> String? {
        if deaths[patient] != Int32.min, deaths[patient] <= today {
            return "died on \(Day(ordinal: deaths[patient]).description)"
        }
        if deregistrations[patient] != Int32.min, deregistrations[patient] <= today {
            return "deregistered on \(Day(ordinal: deregistrations[patient]).description)"
        }
        return nil
    }

    /// No death and no deregistration on or before today.
    @inline(__always)
    private static func check(_ p: Int, _ deaths: [Int32], _ deregistrations: [Int32], _ today: Int32) -> Bool {
        let death = deaths[p]
        if death != Int32.min, death <= today { return false }
        let left = deregistrations[p]
        if left != Int32.min, left <= today { return false }
        return true
    }
}
