import Basics
import RuleLanguage
import Vocabulary

/// One coded event of a reference patient.
struct RefEvent: Sendable {
    let code: String
    let day: Day
    /// The value cell as written (may be empty or not a number).
    let valueText: String
}

/// A patient as plain data: what the extract says, before any reader or engine touches it.
struct RefPatient: Sendable {
    let nhs: UInt64
    let born: Day
    let death: Day?
    let deregistered: Day?
    /// Every other patients-file cell by header, as written (canonical columns and fields alike).
    let cells: [String: String]
    let events: [RefEvent]

    /// The patient as a test person, to be written as canonical CSV for the real engine.
    var person: Person {
        var all = cells
        all["date_of_death"] = death?.description ?? ""
        all["deregistered_on"] = deregistered?.description ?? ""
        return Person(
            born: born.description, all,
            events: events.map { TestEvent(code: $0.code, date: $0.day.description, value: $0.valueText) })
    }
}

/// A value in the reference interpreter.
enum RefValue: Equatable, CustomStringConvertible {
    case missing
    case bool(Bool)
    case number(Double)
    case date(Day)
    case text(String)
    /// A length of time written in a rule (`6 months`).
    case period(Period)
    /// The difference of two dates, in days.
    case days(Int)

    var truth: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    var description: String {
        switch self {
        case .missing: return "unknown"
        case .bool(let value): return value ? "yes" : "no"
        case .number(let value): return "\(value)"
        case .date(let day): return day.description
        case .text(let text): return "\"\(text)\""
        case .period(let period): return period.description
        case .days(let days): return "\(days) days"
        }
    }
}

/// A deliberately simple interpreter of the rule language, written from the spec alone: it walks
/// the checked expression tree over one plain patient at a time, filters that patient's events
/// for every event function, and applies three-valued logic by truth table. No summaries, no
/// compilation, no sharing: slow and obviously right, to check the real engine against.
struct ReferenceInterpreter {
    let ruleSet: RuleSet
    let today: Day

    /// Who is in each cohort, and how many eligible people were left out only by unknowns.
    func evaluate(_ patients: [RefPatient]) -> [String: (members: Set<UInt64>, unknownOnly: Int)] {
        var result: [String: (members: Set<UInt64>, unknownOnly: Int)] = [:]
        for cohort in ruleSet.cohorts {
            var members: Set<UInt64> = []
            var unknownOnly = 0
            for patient in patients where isAliveAndRegistered(patient) {
                let includes = cohort.includes.map { value($0, patient).truth }
                let excluded = cohort.excludes.contains { value($0, patient).truth == true }
                if includes.contains(true) {
                    if !excluded { members.insert(patient.nhs) }
                } else if includes.contains(nil), !excluded {
                    unknownOnly += 1
                }
            }
            result[cohort.id] = (members, unknownOnly)
        }
        return result
    }

    /// No death and no deregistration on or before today.
    func isAliveAndRegistered(_ patient: RefPatient) -> Bool {
        if let death = patient.death, death <= today { return false }
        if let left = patient.deregistered, left <= today { return false }
        return true
    }

    // MARK: - Expressions

    func value(_ expression: RuleExpression, _ patient: RefPatient) -> RefValue {
        switch expression.kind {
        case .literal(let literal):
            switch literal {
            case .yesNo(let truth): return .bool(truth)
            case .number(let number): return .number(number)
            case .date(let day): return .date(day)
            case .text(let text): return .text(text)
            case .duration(let period): return .period(period)
            }
        case .today:
            return .date(today)
        case .age:
            return .number(Double(wholeYears(from: patient.born, to: today)))
        case .column(let column):
            return self.column(column, patient)
        case .field(let name):
            guard let field = ruleSet.fields[name], let raw = patient.cells[field.sourceHeader ?? name] else {
                return .missing
            }
            return parse(raw, as: field.type)
        case .define(let name):
            guard let define = ruleSet.defines[name] else { return .missing }
            return value(define.expression, patient)
        case .event(let function, let codelist, let resolvedBy, let window):
            return event(function, codelist, resolvedBy, window, patient)
        case .lookup(let name, let key):
            guard case .text(let keyText) = value(key, patient), let entries = ruleSet.lookups[name]?.entries,
                let entry = entries[keyText]
                    ?? entries.keys.sorted().first(where: { $0.lowercased() == keyText.lowercased() }).flatMap({
                        entries[$0]
                    })
            else { return .missing }
            switch entry {
            case .number(let number): return .number(number)
            case .text(let text): return .text(text)
            }
        case .dateFunction(let function, let argument):
            guard case .date(let day) = value(argument, patient) else { return .missing }
            switch function {
            case .ageAt: return .number(Double(wholeYears(from: patient.born, to: day)))
            case .daysSince: return .number(Double(Int(today.ordinal) - Int(day.ordinal)))
            case .yearsSince: return .number(Double(wholeYears(from: day, to: today)))
            }
        case .not(let argument):
            guard let truth = value(argument, patient).truth else { return .missing }
            return .bool(!truth)
        case .and(let a, let b):
            let (x, y) = (value(a, patient).truth, value(b, patient).truth)
            if x == false || y == false { return .bool(false) }
            if x == true, y == true { return .bool(true) }
            return .missing
        case .or(let a, let b):
            let (x, y) = (value(a, patient).truth, value(b, patient).truth)
            if x == true || y == true { return .bool(true) }
            if x == false, y == false { return .bool(false) }
            return .missing
        case .comparison(let op, let a, let b):
            guard let order = compare(value(a, patient), value(b, patient)) else { return .missing }
            switch op {
            case .equal: return .bool(order == 0)
            case .notEqual: return .bool(order != 0)
            case .less: return .bool(order < 0)
            case .lessOrEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            case .greaterOrEqual: return .bool(order >= 0)
            }
        case .membership(let argument, let items, let negated):
            let subject = value(argument, patient)
            if subject == .missing { return .missing }
            let found = items.contains { item in
                compare(
                    subject, value(RuleExpression(.literal(item), type: item.type, range: expression.range), patient))
                    == 0
            }
            return .bool(found != negated)
        case .between(let a, let low, let high):
            let x = value(a, patient)
            guard let above = compare(x, value(low, patient)), let below = compare(x, value(high, patient)) else {
                return .missing
            }
            return .bool(above >= 0 && below <= 0)
        case .isMissing(let argument, let negated):
            return .bool((value(argument, patient) == .missing) != negated)
        case .arithmetic(let op, let a, let b):
            return arithmetic(op, value(a, patient), value(b, patient))
        }
    }

    /// Whole years from `start` to `end`: one more on each anniversary (1 March for 29 February
    /// in years without one).
    func wholeYears(from start: Day, to end: Day) -> Int {
        let (y0, m0, d0) = start.components
        let (y1, m1, d1) = end.components
        let beforeAnniversary = m1 < m0 || (m1 == m0 && d1 < d0)
        return y1 - y0 - (beforeAnniversary ? 1 : 0)
    }

    /// A day moved by a length of time, months and years clamped to the end of the month.
    func moved(_ day: Day, by period: Period, sign: Int) -> Day {
        let count = period.count * sign
        switch period.unit {
        case .days: return Day(ordinal: day.ordinal + Int32(count))
        case .weeks: return Day(ordinal: day.ordinal + Int32(7 * count))
        case .months, .years:
            let months = period.unit == .months ? count : 12 * count
            let (y, m, d) = day.components
            let index = y * 12 + (m - 1) + months
            let year = index >= 0 ? index / 12 : (index - 11) / 12
            let month = index - year * 12 + 1
            let lastDay = [31, Day.isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
            return Day(year: year, month: month, day: min(d, lastDay))!
        }
    }

    private func arithmetic(_ op: ArithmeticOperator, _ a: RefValue, _ b: RefValue) -> RefValue {
        let sign = op == .plus ? 1 : -1
        switch (a, b) {
        case (.number(let x), .number(let y)): return .number(op == .plus ? x + y : x - y)
        case (.date(let day), .period(let period)): return .date(moved(day, by: period, sign: sign))
        case (.period(let period), .date(let day)) where op == .plus: return .date(moved(day, by: period, sign: 1))
        case (.date(let x), .date(let y)) where op == .minus: return .days(Int(x.ordinal) - Int(y.ordinal))
        case (.missing, _), (_, .missing): return .missing
        default: preconditionFailure("the generator made arithmetic the reference does not know: \(a) \(op) \(b)")
        }
    }

    /// Orders two known values of one type; `nil` when either is missing. Text ignores case and
    /// surrounding spaces; a difference of dates compares with `N days` or `N weeks`.
    private func compare(_ a: RefValue, _ b: RefValue) -> Int? {
        func order<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        switch (a, b) {
        case (.missing, _), (_, .missing): return nil
        case (.number(let x), .number(let y)): return order(x, y)
        case (.date(let x), .date(let y)): return order(x, y)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
        case (.text(let x), .text(let y)): return order(x.trimmed.lowercased(), y.trimmed.lowercased())
        case (.days(let x), .period(let p)) where p.unit == .days || p.unit == .weeks:
            return order(x, p.unit == .days ? p.count : 7 * p.count)
        default: preconditionFailure("the generator made a comparison the reference does not know: \(a) vs \(b)")
        }
    }

    private func column(_ column: PatientColumn, _ patient: RefPatient) -> RefValue {
        switch column {
        case .dateOfBirth: return .date(patient.born)
        case .dateOfDeath: return patient.death.map { .date($0) } ?? .missing
        case .deregisteredOn: return patient.deregistered.map { .date($0) } ?? .missing
        case .practice: return .text(patient.cells["practice"] ?? "E82001")
        case .imdDecile:
            guard case .number(let decile) = parse(patient.cells["imd_decile"] ?? "", as: .number),
                decile == decile.rounded(), (1...10).contains(decile)
            else { return .missing }
            return .number(decile)
        case .lsoa:
            guard case .text(let text) = parse(patient.cells["lsoa"] ?? "", as: .text) else { return .missing }
            return .text(text.uppercased())
        default:
            return parse(patient.cells[column.name] ?? "", as: column.type)
        }
    }

    /// A cell read as a type: empty, `NULL` and `N/A` are missing, and so is anything that does not parse.
    func parse(_ raw: String, as type: ValueType) -> RefValue {
        let text = raw.trimmed
        if text.isEmpty || ["null", "n/a"].contains(text.lowercased()) { return .missing }
        switch type {
        case .yesNo:
            if ["yes", "y", "true", "t", "1"].contains(text.lowercased()) { return .bool(true) }
            if ["no", "n", "false", "f", "0"].contains(text.lowercased()) { return .bool(false) }
            return .missing
        case .number:
            return Double(text).map { .number($0) } ?? .missing
        case .date:
            return Day(iso: text).map { .date($0) } ?? .missing
        case .text:
            return .text(text)
        case .duration:
            preconditionFailure("no column is a length of time")
        }
    }

    // MARK: - Events

    private func event(
        _ function: EventFunction, _ codelist: String, _ resolvedBy: String?, _ window: EventWindow?,
        _ patient: RefPatient
    ) -> RefValue {
        let codes = ruleSet.codelists[codelist]?.codeSet ?? []
        let matching = patient.events.filter { codes.contains($0.code) && isInWindow($0.day, window, patient) }
        switch function {
        case .has:
            return .bool(!matching.isEmpty)
        case .count:
            return .number(Double(matching.count))
        case .first:
            return matching.map(\.day).min().map { .date($0) } ?? .missing
        case .last:
            return matching.map(\.day).max().map { .date($0) } ?? .missing
        case .lastValue:
            let valued = matching.compactMap { event in Double(event.valueText.trimmed).map { (event.day, $0) } }
            guard let latest = valued.map(\.0).max() else { return .missing }
            return .number(valued.filter { $0.0 == latest }.map(\.1).max()!)
        case .current:
            guard let latest = matching.map(\.day).max() else { return .bool(false) }
            let resolving = ruleSet.codelists[resolvedBy ?? ""]?.codeSet ?? []
            let resolved = patient.events.contains {
                resolving.contains($0.code) && $0.day <= today && $0.day >= latest
            }
            return .bool(!resolved)
        }
    }

    /// Whether an event day is seen: never after today, and inside the window.
    private func isInWindow(_ day: Day, _ window: EventWindow?, _ patient: RefPatient) -> Bool {
        guard day <= today else { return false }
        func date(_ expression: RuleExpression) -> Day {
            guard case .date(let bound) = value(expression, patient) else {
                preconditionFailure("a window date is missing")
            }
            return bound
        }
        switch window {
        case nil: return true
        case .within(let period): return day >= moved(today, by: period, sign: -1)
        case .since(let start): return day >= date(start)
        case .before(let end): return day < date(end)
        case .between(let start, let end): return day >= date(start) && day <= date(end)
        }
    }
}
