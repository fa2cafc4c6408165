import Dispatch
import Basics
import Population
import RuleLanguage
import Vocabulary

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
    public static func run(_ ruleSet: RuleSet, extract: Extract, asOf: Day, witness: UInt64? = nil) throws -> CohortRun
    {
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
        // Made here when no event reached them: no events file, or no row with a code the rules use.
        aggregates.fill()

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
        let contact = try ContactEvaluators(ruleSet.contact) {
            try compiler.compile($0, context, defines: defines, plan: plan)
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
            let events = codelist.codes.reduce(0) { sum, code in
                sum + (plan.codes.id(of: code).map { perCode[Int($0)] } ?? 0)
            }
            return CodelistMatch(name: name, codes: codelist.codes.count, events: events)
        }
        return CohortRun(
            ruleSet: ruleSet, asOf: asOf, extract: extract, scan: scan, results: results,
            eligible: eligibility.count, codelistMatches: matches, missingFields: missingFields,
            fieldProblems: fieldProblems, templates: templates, contact: contact,
            timings: CohortRun.Timings(eventScan: scanSeconds, evaluation: evaluationSeconds),
            witnessEvents: witnessEvents,
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
