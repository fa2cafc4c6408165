import Basics
import Vocabulary

/// The type of a value in the rule language.
public enum ValueType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case yesNo = "yes/no", number, date, text, duration

    /// How the type is named in messages: "a yes/no", "a number", "a date", "text", "a length of time".
    public var description: String {
        switch self {
        case .yesNo: return "a yes/no"
        case .number: return "a number"
        case .date: return "a date"
        case .text: return "text"
        case .duration: return "a length of time"
        }
    }

    init(_ fieldType: FieldType) {
        switch fieldType {
        case .yesNo: self = .yesNo
        case .number: self = .number
        case .date: self = .date
        case .text: self = .text
        }
    }
}

/// A constant value.
public enum Value: Sendable, Hashable, CustomStringConvertible {
    case yesNo(Bool)
    case number(Double)
    case date(Day)
    case text(String)
    case duration(Period)

    public var type: ValueType {
        switch self {
        case .yesNo: return .yesNo
        case .number: return .number
        case .date: return .date
        case .text: return .text
        case .duration: return .duration
        }
    }

    /// The value as a rule file writes it: `yes`, `0.36`, `2026-12-25`, `"F"`, `90 days`.
    public var description: String {
        switch self {
        case .yesNo(let value): return value ? "yes" : "no"
        case .number(let value): return Formatting.number(value)
        case .date(let day): return day.description
        case .text(let text): return PrettyPrinter.quoted(text)
        case .duration(let period): return period.description
        }
    }
}

/// The functions over a patient's coded events.
public enum EventFunction: String, Sendable, Hashable, CaseIterable {
    case has, count, first, last
    case lastValue = "last_value"
    case current

    /// What the function gives.
    public var resultType: ValueType {
        switch self {
        case .has, .current: return .yesNo
        case .count, .lastValue: return .number
        case .first, .last: return .date
        }
    }
}

/// Which events an event function looks at (besides never looking past `today`).
public enum EventWindow: Sendable, Hashable {
    /// On or after `today - period`.
    case within(Period)
    /// On or after the date.
    case since(RuleExpression)
    /// Strictly before the date.
    case before(RuleExpression)
    /// Both ends included.
    case between(RuleExpression, RuleExpression)
}

/// Functions of one date that give a number.
public enum DateFunction: String, Sendable, Hashable, CaseIterable {
    /// Whole years of age on the date.
    case ageAt = "age_at"
    /// Whole days from the date to `today`.
    case daysSince = "days_since"
    /// Whole years from the date to `today`.
    case yearsSince = "years_since"
}

/// `=`, `!=`, `<`, `<=`, `>`, `>=`.
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
}

/// `+` and `-`.
public enum ArithmeticOperator: String, Sendable, Hashable, CaseIterable {
    case plus = "+", minus = "-"
}

/// A checked, typed expression: names are resolved and every node has a type and its source range.
///
/// Types follow the spec: `and`/`or`/`not` and comparisons give yes/no; date ± length of time gives
/// a date; date − date gives a length of time in days; number ± number gives a number. The
/// `Cohorts` module compiles this tree; `explain` prints `RuleSet.sourceText(of:)` for any node.
public struct RuleExpression: Sendable, Hashable, CustomStringConvertible {
    public indirect enum Kind: Sendable, Hashable {
        case literal(Value)
        /// The as-of day of the run.
        case today
        /// Whole years at `today`.
        case age
        case column(PatientColumn)
        /// A declared `field`, by its (lower-case) name.
        case field(String)
        /// A `define`, by its (lower-case) name; its expression is `RuleSet.defines[name]`.
        case define(String)
        /// An event function over a codelist, optionally resolved by another and windowed.
        case event(EventFunction, codelist: String, resolvedBy: String?, window: EventWindow?)
        /// A lookup table applied to a key.
        case lookup(String, key: RuleExpression)
        case dateFunction(DateFunction, RuleExpression)
        case not(RuleExpression)
        case and(RuleExpression, RuleExpression)
        case or(RuleExpression, RuleExpression)
        case comparison(ComparisonOperator, RuleExpression, RuleExpression)
        /// `x in [...]` (`negated`: `not in`).
        case membership(RuleExpression, [Value], negated: Bool)
        /// `x between low and high`, both ends included.
        case between(RuleExpression, RuleExpression, RuleExpression)
        /// `x is missing` (`negated`: `is present`).
        case isMissing(RuleExpression, negated: Bool)
        case arithmetic(ArithmeticOperator, RuleExpression, RuleExpression)
    }

    public let kind: Kind
    public let type: ValueType
    public let range: SourceRange

    public init(_ kind: Kind, type: ValueType, range: SourceRange) {
        self.kind = kind
        self.type = type
        self.range = range
    }

    /// The expression in canonical rule syntax (not the exact source text: see
    /// `RuleSet.sourceText(of:)` for that).
    public var description: String { PrettyPrinter.print(self) }
}

/// A `reason` or `talk about` text: literal pieces and expressions to render (dates as `3 Mar 2026`).
public struct Template: Sendable, Hashable {
    public enum Segment: Sendable, Hashable {
        case text(String)
        case expression(RuleExpression)
    }

    public let segments: [Segment]

    public init(segments: [Segment]) {
        self.segments = segments
    }

    /// A template of plain text.
    public static func text(_ text: String) -> Template { Template(segments: [.text(text)]) }
}

extension RuleExpression {
    /// The patient columns this expression reads, directly or through the expressions inside it
    /// (not through `define`s, which ``RuleSet/patientColumnsUsed`` follows).
    public var patientColumns: Set<PatientColumn> {
        switch kind {
        case .column(let column): return [column]
        case .literal, .today, .age, .field, .define, .event: return []
        case .lookup(_, let key): return key.patientColumns
        case .dateFunction(_, let inner), .not(let inner), .membership(let inner, _, _), .isMissing(let inner, _):
            return inner.patientColumns
        case .and(let left, let right), .or(let left, let right), .comparison(_, let left, let right),
            .arithmetic(_, let left, let right):
            return left.patientColumns.union(right.patientColumns)
        case .between(let value, let low, let high):
            return value.patientColumns.union(low.patientColumns).union(high.patientColumns)
        }
    }
}

extension RuleSet {
    /// Every patient column the cohorts read: in their conditions, their `reason` and `talk about`
    /// texts, the `contact` block's conditions and the `define`s. A command that only evaluates cohorts need read no other
    /// (`age` reads the date of birth, which every reader keeps).
    public var patientColumnsUsed: Set<PatientColumn> {
        var used = Set<PatientColumn>()
        for define in defines.values { used.formUnion(define.expression.patientColumns) }
        for condition in contact.conditions { used.formUnion(condition.patientColumns) }
        for cohort in cohorts {
            for expression in cohort.includes + cohort.excludes { used.formUnion(expression.patientColumns) }
            for template in [cohort.reason] + (cohort.talkAbout.map { [$0] } ?? []) {
                for case .expression(let expression) in template.segments { used.formUnion(expression.patientColumns) }
            }
        }
        return used
    }
}
