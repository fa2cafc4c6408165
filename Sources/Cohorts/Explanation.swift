import Basics
import Population
import RuleLanguage

/// Why one person is, or is not, in each cohort: every condition with its value and the facts
/// behind it (which event, which date, which value was missing).
public struct Explanation: Sendable {
    /// One `include if` or `exclude if` line.
    public struct Condition: Sendable {
        public let isInclude: Bool
        /// The condition as written in the rule file.
        public let text: String
        public let value: EvalValue
        /// The facts that decided it, e.g. `last 2026-10-02, code 161041000000106`, `efi missing → unknown`.
        public let facts: [String]
    }

    /// One cohort's verdict.
    public struct CohortVerdict: Sendable {
        public let cohort: Cohort
        public let isMember: Bool
        public let conditions: [Condition]
    }

    public let nhsNumber: UInt64
    public let practice: String
    public let asOf: Day
    /// Why the person cannot be in any cohort (died, deregistered), or `nil`.
    public let ineligibility: String?
    public let verdicts: [CohortVerdict]
    /// What the rules' `contact` block says about reaching the person (``ContactNeeds/none`` when
    /// nothing holds).
    public let contact: ContactNeeds

    /// Explains the patient with `nhsNumber` in a run made with `witness: nhsNumber`.
    public static func explain(_ nhsNumber: UInt64, in run: CohortRun) throws -> Explanation? {
        guard let patient = run.population.index(of: nhsNumber) else { return nil }
        let eligibility = Eligibility(population: run.population, asOf: run.asOf)
        let facts = FactFinder(run: run, patient: patient)
        var verdicts: [CohortVerdict] = []
        for result in run.results {
            let isMember = result.members.contains(Int32(patient))
            var conditions: [Condition] = []
            for (isInclude, expressions) in [(true, result.cohort.includes), (false, result.cohort.excludes)] {
                for expression in expressions {
                    conditions.append(
                        Condition(
                            isInclude: isInclude, text: run.ruleSet.sourceText(of: expression.range),
                            value: try run.evaluate(expression, patient: patient), facts: try facts.facts(expression)))
                }
            }
            verdicts.append(CohortVerdict(cohort: result.cohort, isMember: isMember, conditions: conditions))
        }
        return Explanation(
            nhsNumber: nhsNumber, practice: run.population.practice(of: patient), asOf: run.asOf,
            ineligibility: eligibility.ineligibility(patient), verdicts: verdicts,
            contact: run.contactNeeds(patient: Int32(patient)))
    }

    /// The explanation as aligned text, as the spec's example shows.
    public func render() -> String {
        var lines = ["\(NHSNumber.spaced(nhsNumber)) · practice \(practice) · as of \(asOf)"]
        if let ineligibility {
            lines.append(
                "Not in any cohort: \(ineligibility) (only people alive and registered on \(asOf) can be members).")
        }
        if let summary = contact.summary {
            lines.append("Contact: \(summary) (" + contact.because.joined(separator: "; ") + ")")
        }
        lines.append("")
        var table = TextTable(columns: 4)
        for verdict in verdicts {
            var first = true
            if verdict.conditions.isEmpty {
                table.append([verdict.cohort.id, verdict.isMember ? "IN" : "OUT", "", ""])
            }
            for condition in verdict.conditions {
                var text = (condition.isInclude ? "include if " : "exclude if ") + condition.text
                if text.count > 56 {
                    // Cut at a word, as the spec's example does: `include if age >= 75 and lives_alone = yes …`.
                    let head = text.prefix(54)
                    text = String(head[..<(head.lastIndex(of: " ") ?? head.endIndex)]) + " …"
                }
                var value = "→ " + condition.value.verdictWord
                if !condition.facts.isEmpty { value += " (" + condition.facts.joined(separator: "; ") + ")" }
                table.append([
                    first ? verdict.cohort.id : "", first ? (verdict.isMember ? "IN" : "OUT") : "", text, value,
                ])
                first = false
            }
        }
        lines.append(table.render())
        return lines.joined(separator: "\n") + "\n"
    }
}

extension EvalValue {
    /// `yes`, `no` or `unknown` for a condition; the value otherwise.
    var verdictWord: String {
        switch self {
        case .missing: return "unknown"
        default: return humanDescription
        }
    }
}

/// Collects the facts under a condition: the values of the names, events and lookups it reads.
private struct FactFinder {
    let run: CohortRun
    let patient: Int
    /// Whether event facts name their codelist: needed when a condition reads several, or
    /// `last 2022-08-25, code 195967001` beside `no copd events` reads as a COPD event.
    var namesCodelists = false

    func facts(_ expression: RuleExpression) throws -> [String] {
        var found: [String] = []
        let finder = FactFinder(run: run, patient: patient, namesCodelists: eventFunctions(in: expression) > 1)
        var expanded: Set<String> = []
        try finder.collect(expression, expanded: &expanded, into: &found)
        var seen = Set<String>()
        return found.filter { seen.insert($0).inserted }
    }

    /// Each define is looked into once (`expanded`): its facts are the same at every use, and a
    /// chain of defines each using the next twice would otherwise be looked into 2^n times.
    private func collect(_ expression: RuleExpression, expanded: inout Set<String>, into found: inout [String]) throws {
        let text = run.ruleSet.sourceText(of: expression.range)
        switch expression.kind {
        case .literal, .today:
            break
        case .age, .column, .field:
            let value = try run.evaluate(expression, patient: patient)
            found.append(value.isMissing ? "\(text) missing → unknown" : "\(text) \(value.humanDescriptionForFacts)")
        case .lookup(_, let key):
            let value = try run.evaluate(expression, patient: patient)
            if value.isMissing {
                let keyValue = try run.evaluate(key, patient: patient)
                found.append(
                    keyValue.isMissing
                        ? "\(run.ruleSet.sourceText(of: key.range)) missing → unknown"
                        : "\(text) not in the table → unknown")
            } else {
                found.append("\(text) \(value.humanDescriptionForFacts)")
            }
        case .define(let name):
            if let define = run.ruleSet.defines[name], expanded.insert(name).inserted {
                try collect(define.expression, expanded: &expanded, into: &found)
            }
        case .event(let function, let codelist, let resolvedBy, _):
            found.append(try eventFact(expression, function, codelist, resolvedBy))
        case .dateFunction(_, let argument), .not(let argument), .isMissing(let argument, _),
            .membership(let argument, _, _):
            try collect(argument, expanded: &expanded, into: &found)
        case .and(let a, let b), .or(let a, let b), .comparison(_, let a, let b), .arithmetic(_, let a, let b):
            try collect(a, expanded: &expanded, into: &found)
            try collect(b, expanded: &expanded, into: &found)
        case .between(let a, let b, let c):
            try collect(a, expanded: &expanded, into: &found)
            try collect(b, expanded: &expanded, into: &found)
            try collect(c, expanded: &expanded, into: &found)
        }
    }

    /// What the events say for one event function, e.g. `last 2026-10-02, code 161041000000106`.
    private func eventFact(_ node: RuleExpression, _ function: EventFunction, _ codelist: String, _ resolvedBy: String?)
        throws -> String
    {
        let value = try run.evaluate(node, patient: patient)
        let codes = run.ruleSet.codelists[codelist]?.codeSet ?? []
        let events = run.witnessEvents.filter { codes.contains($0.code) && $0.day <= run.asOf }
        let named = namesCodelists ? codelist + " " : ""
        switch function {
        case .has, .last:
            let last = function == .has ? try lastDay(node) : value
            guard case .date(let ordinal) = last else {
                return "no \(codelist) events" + (events.isEmpty ? "" : " in the window")
            }
            return named + "last \(Day(ordinal: ordinal)), code \(code(on: ordinal, in: events))"
        case .first:
            guard case .date(let ordinal) = value else { return "no \(codelist) events" }
            return named + "first \(Day(ordinal: ordinal)), code \(code(on: ordinal, in: events))"
        case .count:
            return "\(codelist): \(value.humanDescription) \(value == .number(1) ? "event" : "events")"
        case .lastValue:
            return value.isMissing
                ? "no \(codelist) event with a value" : named + "last value \(value.humanDescription)"
        case .current:
            let resolution =
                resolvedBy.map { name -> String in
                    let resolving = run.ruleSet.codelists[name]?.codeSet ?? []
                    let latest = run.witnessEvents.filter { resolving.contains($0.code) && $0.day <= run.asOf }.map(
                        \.day
                    ).max()
                    return "; last \(name) " + (latest.map(\.description) ?? "none")
                } ?? ""
            let latest = events.map(\.day).max()
            return "last \(codelist) " + (latest.map(\.description) ?? "none") + resolution
        }
    }

    /// How many event functions a condition reads, through its defines: 0, 1, or 2 for "more
    /// than one" (all that is asked). Each define is counted once and remembered, so a chain of
    /// defines each using the next twice takes time in its length, not 2^length.
    private func eventFunctions(in expression: RuleExpression) -> Int {
        var known: [String: Int] = [:]
        return eventFunctions(in: expression, known: &known)
    }

    private func eventFunctions(in expression: RuleExpression, known: inout [String: Int]) -> Int {
        func sum(_ parts: RuleExpression...) -> Int {
            min(2, parts.reduce(0) { $0 + eventFunctions(in: $1, known: &known) })
        }
        switch expression.kind {
        case .event: return 1
        case .literal, .today, .age, .column, .field: return 0
        case .define(let name):
            if let count = known[name] { return count }
            let count = run.ruleSet.defines[name].map { eventFunctions(in: $0.expression, known: &known) } ?? 0
            known[name] = count
            return count
        case .lookup(_, let argument), .dateFunction(_, let argument), .not(let argument), .isMissing(let argument, _),
            .membership(let argument, _, _):
            return sum(argument)
        case .and(let a, let b), .or(let a, let b), .comparison(_, let a, let b), .arithmetic(_, let a, let b):
            return sum(a, b)
        case .between(let a, let b, let c):
            return sum(a, b, c)
        }
    }

    /// The latest day of the node's codelist within its window, for `has`.
    private func lastDay(_ node: RuleExpression) throws -> EvalValue {
        guard case .event(_, let codelist, let resolvedBy, let window) = node.kind else { return .missing }
        let last = RuleExpression(
            .event(.last, codelist: codelist, resolvedBy: resolvedBy, window: window), type: .date, range: node.range)
        return try run.evaluate(last, patient: patient)
    }

    private func code(on ordinal: Int32, in events: [WitnessedEvent]) -> String {
        events.filter { $0.day.ordinal == ordinal }.map(\.code).sorted().first ?? "?"
    }
}

extension EvalValue {
    /// Facts show dates as ISO (they are compared with rule-file dates).
    fileprivate var humanDescriptionForFacts: String {
        if case .date(let ordinal) = self { return Day(ordinal: ordinal).description }
        return humanDescription
    }
}
