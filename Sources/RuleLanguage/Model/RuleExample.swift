import Basics
import Vocabulary

/// A worked example person and what must happen to them.
public struct RuleExample: Sendable, Hashable {
    /// How the example person's birth is given.
    public enum Birth: Sendable, Hashable {
        case age(Int)
        case born(Day)
    }

    /// A patient column or field set on the example person.
    public struct Setting: Sendable, Hashable {
        public enum Target: Sendable, Hashable {
            case column(PatientColumn)
            case field(String)
        }

        public let target: Target
        public let value: Value
        public let range: SourceRange
    }

    /// An event given to the example person.
    public struct Event: Sendable, Hashable {
        public enum Code: Sendable, Hashable {
            /// The first code of this codelist.
            case codelist(String)
            case code(String)
        }

        public let code: Code
        public let day: Day
        public let value: Double?
        public let range: SourceRange
    }

    /// `expect in ID` (`member`) or `expect not in ID`.
    public struct Expectation: Sendable, Hashable {
        public let cohort: String
        public let member: Bool
        public let range: SourceRange
    }

    public let title: String
    /// The day the example is run on, or `nil` for the run's `today`.
    public let asOf: Day?
    public let birth: Birth?
    public let settings: [Setting]
    public let events: [Event]
    public let expectations: [Expectation]
    public let range: SourceRange
}
