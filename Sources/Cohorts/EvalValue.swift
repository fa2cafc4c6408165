import Basics
import RuleLanguage

/// A value while rules are evaluated for one person: known, of one type, or missing.
///
/// Missing is the third truth value of Kleene logic: a comparison or arithmetic with a missing
/// value is missing (unknown), `unknown or yes` is yes and `unknown and no` is no.
public enum EvalValue: Hashable, Sendable {
    case missing
    case bool(Bool)
    case number(Double)
    /// A day, as its ordinal (see `Day.ordinal`).
    case date(Int32)
    case text(String)
    case duration(Period)

    /// `yes`, `no` or `nil` for unknown (for conditions).
    @inline(__always)
    public var truth: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var isMissing: Bool {
        if case .missing = self { return true }
        return false
    }

    /// The value as people read it: dates as `3 Mar 2026`, numbers as short as possible,
    /// `yes`/`no`, and `unknown` for missing.
    public var humanDescription: String {
        switch self {
        case .missing: return "unknown"
        case .bool(let value): return value ? "yes" : "no"
        case .number(let value): return Formatting.number(value)
        case .date(let ordinal): return Day(ordinal: ordinal).humanDescription
        case .text(let text): return text
        case .duration(let period): return period.description
        }
    }

    /// The value as a rule file would write it (dates ISO), for explanations.
    public var ruleDescription: String {
        switch self {
        case .date(let ordinal): return Day(ordinal: ordinal).description
        case .text(let text): return "\"\(text)\""
        default: return humanDescription
        }
    }

    init(_ value: Value) {
        switch value {
        case .yesNo(let truth): self = .bool(truth)
        case .number(let number): self = .number(number)
        case .date(let day): self = .date(day.ordinal)
        case .text(let text): self = .text(text)
        case .duration(let period): self = .duration(period)
        }
    }

    init(_ day: Day?) {
        self = day.map { .date($0.ordinal) } ?? .missing
    }
}

/// Three-valued logic and the comparisons of the rule language.
enum Kleene {
    @inline(__always)
    static func and(_ left: EvalValue, _ right: () -> EvalValue) -> EvalValue {
        let a = left.truth
        if a == false { return .bool(false) }
        let b = right().truth
        if b == false { return .bool(false) }
        if a == true, b == true { return .bool(true) }
        return .missing
    }

    @inline(__always)
    static func or(_ left: EvalValue, _ right: () -> EvalValue) -> EvalValue {
        let a = left.truth
        if a == true { return .bool(true) }
        let b = right().truth
        if b == true { return .bool(true) }
        if a == false, b == false { return .bool(false) }
        return .missing
    }

    @inline(__always)
    static func not(_ value: EvalValue) -> EvalValue {
        guard let truth = value.truth else { return .missing }
        return .bool(!truth)
    }

    /// Orders two known values of the same type: negative, zero or positive; `nil` when either
    /// is missing (or, defensively, the types differ). Text compares ignoring case and
    /// surrounding spaces, so `preferred_language = "gujarati"` matches `Gujarati`; lengths of time
    /// compare by their length in days (a month counts as 30).
    static func order(_ left: EvalValue, _ right: EvalValue) -> Int? {
        switch (left, right) {
        case (.number(let a), .number(let b)): return a < b ? -1 : (a > b ? 1 : 0)
        case (.date(let a), .date(let b)): return a < b ? -1 : (a > b ? 1 : 0)
        case (.bool(let a), .bool(let b)): return a == b ? 0 : (a ? 1 : -1)
        case (.text(let a), .text(let b)):
            let x = a.trimmed.lowercased()
            let y = b.trimmed.lowercased()
            return x < y ? -1 : (x > y ? 1 : 0)
        case (.duration(let a), .duration(let b)):
            let x = a.approximateDays
            let y = b.approximateDays
            return x < y ? -1 : (x > y ? 1 : 0)
        default:
            return nil
        }
    }

    static func compare(_ op: ComparisonOperator, _ left: EvalValue, _ right: EvalValue) -> EvalValue {
        guard let order = order(left, right) else { return .missing }
        switch op {
        case .equal: return .bool(order == 0)
        case .notEqual: return .bool(order != 0)
        case .less: return .bool(order < 0)
        case .lessOrEqual: return .bool(order <= 0)
        case .greater: return .bool(order > 0)
        case .greaterOrEqual: return .bool(order >= 0)
        }
    }

    static func arithmetic(_ op: ArithmeticOperator, _ left: EvalValue, _ right: EvalValue) -> EvalValue {
        switch (op, left, right) {
        case (.plus, .number(let a), .number(let b)): return .number(a + b)
        case (.minus, .number(let a), .number(let b)): return .number(a - b)
        case (.plus, .date(let a), .duration(let p)), (.plus, .duration(let p), .date(let a)):
            return .date(Day(ordinal: a).adding(p).ordinal)
        case (.minus, .date(let a), .duration(let p)): return .date(Day(ordinal: a).subtracting(p).ordinal)
        case (.minus, .date(let a), .date(let b)): return .duration(.days(Int(a) - Int(b)))
        case (.plus, .duration(let a), .duration(let b)) where a.unit == b.unit:
            return .duration(Period(a.count + b.count, a.unit))
        case (.minus, .duration(let a), .duration(let b)) where a.unit == b.unit:
            return .duration(Period(a.count - b.count, a.unit))
        default: return .missing
        }
    }
}
