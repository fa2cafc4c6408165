import Basics
import Population
import RuleLanguage
import Vocabulary

/// A compiled expression: the value for the patient at an index.
public typealias Evaluator = @Sendable (Int) -> EvalValue

/// A rule that compiles but cannot be evaluated as written, with its location.
public struct CohortError: UserFacingError, Equatable {
    public let location: String
    public let what: String

    public var message: String { "\(location): error: \(what)" }
    public var exitCode: ExitCode { .dataError }
}

/// Finds the event summaries a rule set needs (first pass) and turns checked expressions into
/// evaluators over a population and its summaries (second pass).
struct ExpressionCompiler {
    let ruleSet: RuleSet
    let today: Day

    // MARK: - Planning the event summaries

    /// Records in `plan` every event summary the rule set's cohorts, defines, templates and
    /// `contact` conditions use.
    func planAggregates(into plan: inout AggregatePlan) throws {
        var expressions: [RuleExpression] = ruleSet.defineOrder.compactMap { ruleSet.defines[$0]?.expression }
        expressions += ruleSet.contact.conditions
        for cohort in ruleSet.cohorts {
            expressions += cohort.includes + cohort.excludes
            expressions += templateExpressions(cohort.reason) + (cohort.talkAbout.map(templateExpressions) ?? [])
        }
        for expression in expressions {
            try visitEvents(expression) { node in
                let keys = try slotKeys(for: node)
                _ = plan.slot(keys.main.slot, needs: keys.main.needs)
                if let resolution = keys.resolution { _ = plan.slot(resolution, needs: .last) }
            }
        }
    }

    private func templateExpressions(_ template: Template) -> [RuleExpression] {
        template.segments.compactMap { segment in
            if case .expression(let expression) = segment { return expression }
            return nil
        }
    }

    /// Calls `body` for every event-function node under `expression`.
    private func visitEvents(_ expression: RuleExpression, _ body: (RuleExpression) throws -> Void) throws {
        switch expression.kind {
        case .event: try body(expression)
        case .lookup(_, let key): try visitEvents(key, body)
        case .dateFunction(_, let argument), .not(let argument), .isMissing(let argument, _),
            .membership(let argument, _, _):
            try visitEvents(argument, body)
        case .and(let a, let b), .or(let a, let b), .comparison(_, let a, let b), .arithmetic(_, let a, let b):
            try visitEvents(a, body)
            try visitEvents(b, body)
        case .between(let a, let b, let c):
            try visitEvents(a, body)
            try visitEvents(b, body)
            try visitEvents(c, body)
        case .literal, .today, .age, .column, .field, .define:
            break
        }
    }

    /// The summaries an event-function node reads: its codelist through its window, and for
    /// `current` the resolving codelist up to today.
    func slotKeys(for node: RuleExpression) throws
        -> (main: (slot: AggregatePlan.Slot, needs: AggregatePlan.Needs), resolution: AggregatePlan.Slot?)
    {
        guard case .event(let function, let codelist, let resolvedBy, let window) = node.kind else {
            preconditionFailure("not an event function")
        }
        let (from, through) = try bounds(window, at: node)
        let needs: AggregatePlan.Needs
        switch function {
        case .has, .last, .current: needs = .last
        case .count: needs = .count
        case .first: needs = .first
        case .lastValue: needs = .lastValue
        }
        let main = AggregatePlan.Slot(codelist: codelist, from: from, through: min(through, today.ordinal))
        guard function == .current, let resolvedBy else { return ((main, needs), nil) }
        return ((main, needs), AggregatePlan.Slot(codelist: resolvedBy, from: Int32.min, through: today.ordinal))
    }

    /// The first and last day (inclusive) an event window lets through, before `today` is applied.
    private func bounds(_ window: EventWindow?, at node: RuleExpression) throws -> (Int32, Int32) {
        let end = today.ordinal
        switch window {
        case nil: return (Int32.min, end)
        case .within(let period): return (today.subtracting(period).ordinal, end)
        case .since(let start): return (try constantDay(start), end)
        case .before(let limit): return (Int32.min, try constantDay(limit) - 1)
        case .between(let start, let finish): return (try constantDay(start), try constantDay(finish))
        }
    }

    /// The day a window bound stands for; it may use `today`, dates, lengths of time and defines
    /// of those, but not the patient (the summaries are worked out before anyone is evaluated).
    private func constantDay(_ expression: RuleExpression) throws -> Int32 {
        guard let value = constant(expression), case .date(let ordinal) = value else {
            throw CohortError(
                location: ruleSet.location(of: expression.range),
                what: "a window's date must be fixed for everyone (a date, 'today', or a define of those), "
                    + "not '\(ruleSet.sourceText(of: expression.range))'")
        }
        return ordinal
    }

    /// The value of an expression that does not depend on the patient, or `nil` when it does.
    func constant(_ expression: RuleExpression) -> EvalValue? {
        var known: [String: EvalValue?] = [:]
        return constant(expression, known: &known)
    }

    /// Each define's value is worked out once (`known`), however many times a chain of defines
    /// uses it: `define a0 = (a1 - a1) + a1` down n levels would otherwise take 3^n steps.
    private func constant(_ expression: RuleExpression, known: inout [String: EvalValue?]) -> EvalValue? {
        switch expression.kind {
        case .literal(let value): return EvalValue(value)
        case .today: return .date(today.ordinal)
        case .define(let name):
            if let value = known[name] { return value }
            let value = ruleSet.defines[name].flatMap { constant($0.expression, known: &known) }
            known[name] = .some(value)
            return value
        case .arithmetic(let op, let a, let b):
            guard let x = constant(a, known: &known), let y = constant(b, known: &known) else { return nil }
            return Kleene.arithmetic(op, x, y)
        default: return nil
        }
    }

    // MARK: - Compiling

    /// Turns expressions into evaluators over one population and its event summaries.
    struct Context: Sendable {
        let population: Population
        let aggregates: EventAggregates
        let fields: [String: FieldColumn]
    }

    /// Compiles every define, in dependency order, once: every use shares the one evaluator.
    ///
    /// Sharing the evaluator does not share the work: a define used twice is evaluated twice for
    /// a patient, and down a chain (`define d0 = d1 and d1`, `define d1 = d2 and d2`, …) the count
    /// doubles at each level, so 30 levels would be a billion evaluations a patient. A define that
    /// could be evaluated more than `maximumEvaluationsPerPatient` times a patient is therefore
    /// worked out once for everyone first, and its uses read that column: the work grows with the
    /// text. Ordinary rules (a define used by a few cohorts) are evaluated lazily, as before.
    func compileDefines(_ context: Context, plan: AggregatePlan) throws -> [String: Evaluator] {
        let tabulated = definesToTabulate()
        var defines: [String: Evaluator] = [:]
        for name in ruleSet.defineOrder {
            guard let define = ruleSet.defines[name] else { continue }
            let evaluator = try compile(define.expression, context, defines: defines, plan: plan)
            if tabulated.contains(name) {
                let values = (0..<context.population.count).map(evaluator)
                defines[name] = { values[$0] }
            } else {
                defines[name] = evaluator
            }
        }
        return defines
    }

    /// How often a patient's evaluation may evaluate one define before it is tabulated.
    static let maximumEvaluationsPerPatient = 16

    /// The defines that could otherwise be evaluated more than `maximumEvaluationsPerPatient` times
    /// for one patient: the number of paths to each from the cohorts, templates and `contact`
    /// conditions, counting a tabulated define as one evaluation (its users read a column).
    func definesToTabulate() -> Set<String> {
        let cap = 1 << 40
        var uses: [String: Int] = [:]
        func count(_ expression: RuleExpression, weight: Int) {
            visitDefines(expression) { name in uses[name] = min(cap, (uses[name] ?? 0) + weight) }
        }
        for cohort in ruleSet.cohorts {
            for expression in cohort.includes + cohort.excludes + templateExpressions(cohort.reason)
                + (cohort.talkAbout.map(templateExpressions) ?? [])
            {
                count(expression, weight: 1)
            }
        }
        for condition in ruleSet.contact.conditions { count(condition, weight: 1) }
        var tabulated: Set<String> = []
        // Users come after what they use in `defineOrder`, so backwards each define's count is
        // complete before it passes its own on.
        for name in ruleSet.defineOrder.reversed() {
            guard let define = ruleSet.defines[name] else { continue }
            let evaluations = uses[name] ?? 0
            if evaluations > Self.maximumEvaluationsPerPatient { tabulated.insert(name) }
            count(define.expression, weight: tabulated.contains(name) ? 1 : max(1, evaluations))
        }
        return tabulated
    }

    /// Calls `body` with the name of every define used under `expression`, once per use.
    private func visitDefines(_ expression: RuleExpression, _ body: (String) -> Void) {
        switch expression.kind {
        case .define(let name): body(name)
        case .event(_, _, _, let window):
            switch window {
            case .since(let a)?, .before(let a)?: visitDefines(a, body)
            case .between(let a, let b)?:
                visitDefines(a, body)
                visitDefines(b, body)
            case .within?, nil: break
            }
        case .lookup(_, let key): visitDefines(key, body)
        case .dateFunction(_, let argument), .not(let argument), .isMissing(let argument, _),
            .membership(let argument, _, _):
            visitDefines(argument, body)
        case .and(let a, let b), .or(let a, let b), .comparison(_, let a, let b), .arithmetic(_, let a, let b):
            visitDefines(a, body)
            visitDefines(b, body)
        case .between(let a, let b, let c):
            visitDefines(a, body)
            visitDefines(b, body)
            visitDefines(c, body)
        case .literal, .today, .age, .column, .field:
            break
        }
    }

    /// Compiles one expression; defines it uses must be in `defines` already.
    func compile(_ expression: RuleExpression, _ context: Context, defines: [String: Evaluator], plan: AggregatePlan)
        throws -> Evaluator
    {
        let today = self.today
        let population = context.population
        switch expression.kind {
        case .literal(let value):
            let constant = EvalValue(value)
            return { _ in constant }
        case .today:
            return { _ in .date(today.ordinal) }
        case .age:
            let births = population.datesOfBirth.ordinals
            let ages = AgeTable(on: today)
            return { p in
                let birth = births[p]
                guard birth != Int32.min else { return .missing }
                return .number(Double(ages.age(bornOn: birth)))
            }
        case .column(let column):
            return PatientColumns.evaluator(column, population)
        case .field(let name):
            guard let field = context.fields[name] else { return { _ in .missing } }
            return field.evaluator
        case .define(let name):
            guard let evaluator = defines[name] else {
                throw CohortError(
                    location: ruleSet.location(of: expression.range), what: "define '\(name)' is not compiled")
            }
            return evaluator
        case .event(let function, _, _, _):
            let keys = try slotKeys(for: expression)
            guard let main = plan.index(of: keys.main.slot) else {
                preconditionFailure("event summary was not planned: \(keys.main.slot)")
            }
            let resolution = keys.resolution.flatMap { plan.index(of: $0) }
            return EventFunctions.evaluator(function, slot: main, resolvedBy: resolution, context.aggregates)
        case .lookup(let name, let key):
            guard let lookup = ruleSet.lookups[name] else { return { _ in .missing } }
            let keyEvaluator = try compile(key, context, defines: defines, plan: plan)
            let entries = lookup.entries
            // Keys match as `=` compares text, ignoring case: an exact match first, then the first
            // key in sorted order that differs only in case (so the answer never varies by run).
            let folded = lookup.entriesIgnoringCase
            return { [folded] p in
                let keyText: String
                switch keyEvaluator(p) {
                case .text(let text): keyText = text.trimmed
                case .number(let number): keyText = Formatting.number(number)
                default: return .missing
                }
                switch entries[keyText] ?? folded[keyText.lowercased()] {
                case .number(let number): return .number(number)
                case .text(let text): return .text(text)
                case nil: return .missing
                }
            }
        case .dateFunction(let function, let argument):
            let argumentEvaluator = try compile(argument, context, defines: defines, plan: plan)
            let births = population.datesOfBirth.ordinals
            return { p in
                guard case .date(let ordinal) = argumentEvaluator(p) else { return .missing }
                let day = Day(ordinal: ordinal)
                switch function {
                case .ageAt:
                    let birth = births[p]
                    guard birth != Int32.min else { return .missing }
                    return .number(Double(day.wholeYears(since: Day(ordinal: birth))))
                case .daysSince:
                    return .number(Double(today.days(since: day)))
                case .yearsSince:
                    return .number(Double(today.wholeYears(since: day)))
                }
            }
        case .not(let argument):
            let inner = try compile(argument, context, defines: defines, plan: plan)
            return { p in Kleene.not(inner(p)) }
        case .and(let a, let b):
            let left = try compile(a, context, defines: defines, plan: plan)
            let right = try compile(b, context, defines: defines, plan: plan)
            return { p in Kleene.and(left(p)) { right(p) } }
        case .or(let a, let b):
            let left = try compile(a, context, defines: defines, plan: plan)
            let right = try compile(b, context, defines: defines, plan: plan)
            return { p in Kleene.or(left(p)) { right(p) } }
        case .comparison(let op, let a, let b):
            let left = try compile(a, context, defines: defines, plan: plan)
            let right = try compile(b, context, defines: defines, plan: plan)
            return { p in Kleene.compare(op, left(p), right(p)) }
        case .membership(let argument, let values, let negated):
            let inner = try compile(argument, context, defines: defines, plan: plan)
            let candidates = values.map(EvalValue.init)
            return { p in
                let value = inner(p)
                if value.isMissing { return .missing }
                let found = candidates.contains { Kleene.order(value, $0) == 0 }
                return .bool(found != negated)
            }
        case .between(let a, let low, let high):
            let value = try compile(a, context, defines: defines, plan: plan)
            let lower = try compile(low, context, defines: defines, plan: plan)
            let upper = try compile(high, context, defines: defines, plan: plan)
            return { p in
                guard let x = Kleene.order(value(p), lower(p)), let y = Kleene.order(value(p), upper(p)) else {
                    return .missing
                }
                return .bool(x >= 0 && y <= 0)
            }
        case .isMissing(let argument, let negated):
            let inner = try compile(argument, context, defines: defines, plan: plan)
            return { p in .bool(inner(p).isMissing != negated) }
        case .arithmetic(let op, let a, let b):
            let left = try compile(a, context, defines: defines, plan: plan)
            let right = try compile(b, context, defines: defines, plan: plan)
            return { p in Kleene.arithmetic(op, left(p), right(p)) }
        }
    }
}

/// Evaluators for the canonical patient columns.
enum PatientColumns {
    static func evaluator(_ column: PatientColumn, _ population: Population) -> Evaluator {
        func text(_ values: TextColumn) -> Evaluator {
            { p in values[p].map { .text($0) } ?? .missing }
        }
        func date(_ column: DayColumn) -> Evaluator {
            let ordinals = column.ordinals
            return { p in ordinals[p] == Int32.min ? .missing : .date(ordinals[p]) }
        }
        switch column {
        case .nhsNumber:
            let numbers = population.nhsNumbers
            return { p in .text(String(numbers[p])) }
        case .practice:
            let index = population.practiceIndex
            let codes = population.practices
            return { p in .text(codes[Int(index[p])]) }
        case .givenName: return text(population.givenNames)
        case .familyName: return text(population.familyNames)
        case .dateOfBirth: return date(population.datesOfBirth)
        case .sex:
            let sexes = population.sexes
            return { p in sexes[p].map { .text($0.description) } ?? .missing }
        case .postcode: return text(population.postcodes)
        case .phoneMobile: return text(population.mobilePhones)
        case .phoneHome: return text(population.homePhones)
        case .preferredLanguage: return text(population.preferredLanguages)
        case .interpreterNeeded:
            let values = population.interpreterNeeded
            return { p in values[p].map { .bool($0) } ?? .missing }
        case .imdDecile:
            let deciles = population.imdDeciles
            return { p in deciles[p].map { .number(Double($0)) } ?? .missing }
        case .lsoa: return text(population.lsoas)
        case .dateOfDeath: return date(population.datesOfDeath)
        case .registeredOn: return date(population.registeredOn)
        case .deregisteredOn: return date(population.deregisteredOn)
        }
    }
}

/// Evaluators for `has`, `count`, `first`, `last`, `last_value` and `current` over the summaries.
enum EventFunctions {
    static func evaluator(_ function: EventFunction, slot: Int, resolvedBy: Int?, _ aggregates: EventAggregates)
        -> Evaluator
    {
        switch function {
        case .has:
            let lasts = aggregates.column(.last, slot: slot)
            return { p in .bool(lasts[p] != EventAggregates.none) }
        case .count:
            let counts = aggregates.column(.count, slot: slot)
            return { p in .number(Double(counts[p])) }
        case .first:
            let firsts = aggregates.column(.first, slot: slot)
            return { p in firsts[p] == EventAggregates.noFirst ? .missing : .date(firsts[p]) }
        case .last:
            let lasts = aggregates.column(.last, slot: slot)
            return { p in lasts[p] == EventAggregates.none ? .missing : .date(lasts[p]) }
        case .lastValue:
            let days = aggregates.column(.lastValueDay, slot: slot)
            let values = aggregates.lastValueColumn(slot: slot)
            return { p in days[p] == EventAggregates.none ? .missing : .number(values[p]) }
        case .current:
            let lasts = aggregates.column(.last, slot: slot)
            let resolutions = resolvedBy.map { aggregates.column(.last, slot: $0) }
            return { p in
                let latest = lasts[p]
                guard latest != EventAggregates.none else { return .bool(false) }
                // Resolved when a resolving event is on or after the latest event of the list.
                if let resolutions, resolutions[p] >= latest { return .bool(false) }
                return .bool(true)
            }
        }
    }
}
