import Basics
import Vocabulary

// The syntax tree: what the parser read, before names are resolved and types checked.
// Every node keeps its source range. Names keep their spelling; `key` is the lower-cased
// form that lookups use (names are case-insensitive).

/// A name as written, with its range.
public struct NameSyntax: Sendable, Hashable {
    /// As written in the file.
    public let text: String
    public let range: SourceRange

    public init(_ text: String, range: SourceRange) {
        self.text = text
        self.range = range
    }

    /// The case-folded name, used for every lookup.
    public var key: String { text.lowercased() }
}

/// A value written in a rule file together with its range.
public struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
    public let value: Value
    public let range: SourceRange

    public init(_ value: Value, range: SourceRange) {
        self.value = value
        self.range = range
    }
}

/// The operators between two expressions.
public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
    case or, and
    case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case plus = "+", minus = "-"

    /// Binding strength: higher binds tighter (`or` 1, `and` 2, comparisons 4, `+`/`-` 5).
    public var precedence: Int {
        switch self {
        case .or: return 1
        case .and: return 2
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return 4
        case .plus, .minus: return 5
        }
    }

    public var isComparison: Bool { precedence == 4 }
}

/// An expression as written.
public struct ExpressionSyntax: Sendable, Hashable {
    public indirect enum Kind: Sendable, Hashable {
        case number(Double)
        case text(String)
        case date(Day)
        case duration(Period)
        case truth(Bool)
        case list([ExpressionSyntax])
        case name(NameSyntax)
        case call(NameSyntax, [ArgumentSyntax])
        case not(ExpressionSyntax)
        case binary(BinaryOperator, ExpressionSyntax, ExpressionSyntax)
        /// `x in [...]`, `x not in [...]`.
        case membership(ExpressionSyntax, [ExpressionSyntax], negated: Bool)
        /// `x between low and high` (both ends included).
        case between(ExpressionSyntax, ExpressionSyntax, ExpressionSyntax)
        /// `x is missing` (`negated`: `x is present`).
        case isMissing(ExpressionSyntax, negated: Bool)
        /// Where a syntax error was reported; checking skips it silently.
        case error
    }

    public let kind: Kind
    /// Includes any parentheses written around the expression.
    public let range: SourceRange

    public init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// One argument of a function call: a plain expression, `resolved by NAME` or an event window.
public struct ArgumentSyntax: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case expression(ExpressionSyntax)
        case resolvedBy(NameSyntax)
        case within(ExpressionSyntax)
        case since(ExpressionSyntax)
        case before(ExpressionSyntax)
        case between(ExpressionSyntax, ExpressionSyntax)
    }

    public let kind: Kind
    public let range: SourceRange

    public init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// A `reason` or `talk about` text: literal pieces and `{expression}`s.
public struct TemplateSyntax: Sendable, Hashable {
    public enum Segment: Sendable, Hashable {
        case text(String)
        case expression(ExpressionSyntax)
    }

    public let segments: [Segment]
    public let range: SourceRange
}

/// `retry OUTCOME after DURATION, at most N attempts`.
public struct RetrySyntax: Sendable, Hashable {
    public let outcome: NameSyntax
    public let after: Located<Period>?
    public let attempts: Located<Int>?
}

/// Days of the week as written: `mon to fri`, `mon, wed, fri`.
public struct WeekdaysSyntax: Sendable, Hashable {
    public enum Item: Sendable, Hashable {
        case day(Weekday)
        case range(Weekday, Weekday)
    }

    public let items: [Located<Item>]

    /// The days named, in week order, without repeats.
    public var weekdays: [Weekday] {
        var days = Set<Weekday>()
        for item in items {
            switch item.value {
            case .day(let day): days.insert(day)
            case .range(let from, let to):
                var index = from.rawValue
                for _ in 0..<7 {
                    days.insert(Weekday(rawValue: index)!)
                    if index == to.rawValue { break }
                    index = index % 7 + 1
                }
            }
        }
        return days.sorted()
    }
}

/// `codelist NAME = …`.
public struct CodelistSyntax: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        /// A CSV file, optionally with the column to read.
        case file(Located<String>, column: Located<String>?)
        /// Codes written in the rule file.
        case inline([Located<String>])
    }

    public let name: NameSyntax
    /// `nil` when the declaration was malformed (already reported).
    public let source: Source?
}

/// `lookup NAME = "file.csv" key "COL" value "COL"`.
public struct LookupSyntax: Sendable, Hashable {
    public let name: NameSyntax
    public let path: Located<String>?
    public let key: Located<String>?
    public let value: Located<String>?
}

/// `field NAME as TYPE [from "Header"]`.
public struct FieldSyntax: Sendable, Hashable {
    public let name: NameSyntax
    public let type: Located<FieldType>?
    public let header: Located<String>?
}

/// `define NAME = EXPR`.
public struct DefineSyntax: Sendable, Hashable {
    public let name: NameSyntax
    public let expression: ExpressionSyntax
}

/// A statement inside `cohort … end`.
public struct CohortStatement: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// `nil` when the number was malformed (already reported).
        case priority(Int?)
        case include(ExpressionSyntax)
        case exclude(ExpressionSyntax)
        case reason(TemplateSyntax?)
        case talkAbout(TemplateSyntax?)
        case callWithin(Located<Period>?)
        case recallEvery(Located<Period>?)
        case needsSkill(NameSyntax?)
        case whenUnreachable(Located<String>?)
        case retry(RetrySyntax?)
        /// `write when unreachable: yes|no`.
        case writeWhenUnreachable(Bool)
    }

    public let kind: Kind
    public let range: SourceRange
}

/// `cohort ID "Title" … end`.
public struct CohortSyntax: Sendable, Hashable {
    public let id: NameSyntax
    public let title: Located<String>?
    public let statements: [CohortStatement]
    /// From `cohort` to `end`.
    public let range: SourceRange
    /// Lines of the block that the parser could not make into statements (a misspelt statement
    /// word, or a statement too broken to keep), already reported. While there are any, `check`
    /// does not say a required statement is missing: the lost line may have been it.
    public var skippedLines: [SourceRange] = []
}

/// A statement inside `team … end`.
public struct TeamStatement: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case workingDays(WeekdaysSyntax?)
        case closed([Located<Day>])
    }

    public let kind: Kind
    public let range: SourceRange
}

/// `team "Name" … end`.
public struct TeamSyntax: Sendable, Hashable {
    public let name: Located<String>?
    public let statements: [TeamStatement]
    public let range: SourceRange
}

/// A statement inside `worker … end`.
public struct WorkerStatement: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case callsPerDay(Int?)
        case works(WeekdaysSyntax?)
        case practices([NameSyntax])
        case speaks([NameSyntax])
        case skills([NameSyntax])
        case away(Located<Day>, Located<Day>)
    }

    public let kind: Kind
    public let range: SourceRange
}

/// `worker ID "Name" … end`.
public struct WorkerSyntax: Sendable, Hashable {
    public let id: NameSyntax
    public let name: Located<String>?
    public let statements: [WorkerStatement]
    /// Lines of the block that the parser could not make into statements (a misspelt statement
    /// word, or a statement too broken to keep), already reported. While there are any, `check`
    /// does not say a required statement is missing: the lost line may have been it.
    public var skippedLines: [SourceRange] = []
}

/// A statement inside `policy … end`.
public struct PolicyStatement: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Minutes after midnight.
        case publishAt(Int?)
        case planAhead(Int?)
        case retry(RetrySyntax?)
        case followUpSupport(Located<Period>?)
        case rest(Located<Period>?)
        case keepSameWorker(Bool)
        case whenUnreachable(Located<String>?)
        /// A percentage, 0–100.
        case assumeAnswer(Double?)
        case favourMostDeprived(Bool)
        case extractsStaleAfter(Located<Period>?)
        /// `code OUTCOME as CODE "TERM"`; kept only when all three were read.
        case code(NameSyntax, Located<String>, Located<String>)
        /// `text before calling: yes|no`.
        case textBeforeCalling(Bool)
        /// `write when unreachable: yes|no`.
        case writeWhenUnreachable(Bool)
    }

    public let kind: Kind
    public let range: SourceRange
}

/// `policy … end`.
public struct PolicySyntax: Sendable, Hashable {
    public let statements: [PolicyStatement]
    public let range: SourceRange
}

/// A statement inside `contact … end`.
public struct ContactStatement: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// `not by telephone if CONDITION`.
        case notByTelephone(ExpressionSyntax)
        /// `no texts if CONDITION`.
        case noTexts(ExpressionSyntax)
        /// `interpreter "LANGUAGE" if CONDITION`.
        case interpreter(Located<String>, ExpressionSyntax)
    }

    public let kind: Kind
    public let range: SourceRange
}

/// `contact … end`.
public struct ContactSyntax: Sendable, Hashable {
    public let statements: [ContactStatement]
    /// The `contact` keyword.
    public let range: SourceRange
}

/// `extract NAME … map "Header" to NAME … end`.
public struct ExtractSyntax: Sendable, Hashable {
    public struct Mapping: Sendable, Hashable {
        public let header: Located<String>
        public let target: NameSyntax
    }

    public let name: NameSyntax
    public let mappings: [Mapping]
}

/// A value set on an example person: `sex F`, `lives_alone yes`, `efi 0.4`.
public enum ExampleValueSyntax: Sendable, Hashable {
    case word(String)
    case text(String)
    case number(Double)
    case date(Day)
    case truth(Bool)
}

/// A statement inside `example … end`.
public struct ExampleStatement: Sendable, Hashable {
    public enum EventCode: Sendable, Hashable {
        case codelist(NameSyntax)
        case code(Located<String>)
    }

    public enum Kind: Sendable, Hashable {
        case asOf(Located<Day>)
        case age(Located<Int>)
        case born(Located<Day>)
        case set(NameSyntax, Located<ExampleValueSyntax>)
        case event(EventCode, Located<Day>, value: Located<Double>?)
        case expect(NameSyntax, member: Bool)
    }

    public let kind: Kind
    public let range: SourceRange
}

/// `example "TITLE" … end`.
public struct ExampleSyntax: Sendable, Hashable {
    public let title: Located<String>?
    public let statements: [ExampleStatement]
    public let range: SourceRange
    /// Lines of the block that the parser could not make into statements (a misspelt statement
    /// word, or a statement too broken to keep), already reported. While there are any, `check`
    /// does not say a required statement is missing: the lost line may have been it.
    public var skippedLines: [SourceRange] = []
}

/// One top-level declaration.
public enum DeclarationSyntax: Sendable, Hashable {
    case codelist(CodelistSyntax)
    case lookup(LookupSyntax)
    case field(FieldSyntax)
    case define(DefineSyntax)
    case cohort(CohortSyntax)
    case team(TeamSyntax)
    case worker(WorkerSyntax)
    case policy(PolicySyntax)
    case contact(ContactSyntax)
    case extract(ExtractSyntax)
    case example(ExampleSyntax)
}

/// One parsed rule file.
public struct FileSyntax: Sendable, Hashable {
    public let file: SourceFileID
    public let declarations: [DeclarationSyntax]
}
