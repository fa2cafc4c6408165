import Basics
import Vocabulary

/// A list of codes from a CSV file or written inline.
public struct Codelist: Sendable, Hashable {
    public let name: String
    /// The codes in file order, each once.
    public let codes: [String]
    /// The same codes as a set, for matching.
    public let codeSet: Set<String>
    /// The file, relative to the rules folder; `nil` for an inline list.
    public let sourcePath: String?
    /// Whether every code is a valid SNOMED CT concept id.
    public let looksSNOMED: Bool
    /// The declaration's name in the rule file.
    public let range: SourceRange
}

/// A value from a lookup table.
public enum LookupValue: Sendable, Hashable {
    case number(Double)
    case text(String)
}

/// A key → value table read from a CSV file.
public struct Lookup: Sendable, Hashable {
    public let name: String
    /// Keys as written in the file (spaces trimmed).
    public let entries: [String: LookupValue]
    /// The entries by lower-case key, as a lookup matches (text compares ignoring case): for keys
    /// that differ only in case, the first in sorted order, so the answer never varies by run.
    /// Made once here, not each time an expression using the lookup is compiled.
    public let entriesIgnoringCase: [String: LookupValue]
    /// `.number` when every value is numeric, else `.text`.
    public let valueType: ValueType
    public let keyColumn: String
    public let valueColumn: String
    /// The file, relative to the rules folder.
    public let sourcePath: String
    public let range: SourceRange

    init(
        name: String, entries: [String: LookupValue], valueType: ValueType, keyColumn: String, valueColumn: String,
        sourcePath: String, range: SourceRange
    ) {
        self.name = name
        self.entries = entries
        var folded: [String: LookupValue] = [:]
        folded.reserveCapacity(entries.count)
        for key in entries.keys.sorted() where folded[key.lowercased()] == nil {
            folded[key.lowercased()] = entries[key]
        }
        entriesIgnoringCase = folded
        self.valueType = valueType
        self.keyColumn = keyColumn
        self.valueColumn = valueColumn
        self.sourcePath = sourcePath
        self.range = range
    }
}

/// An extra patient column declared with `field`.
public struct Field: Sendable, Hashable {
    public let name: String
    public let type: ValueType
    /// The column header to read (`from "…"`), or `nil` for the column whose normalised header is `name`.
    public let sourceHeader: String?
    public let range: SourceRange
}

/// A named value or condition.
public struct Define: Sendable, Hashable {
    public let name: String
    public let expression: RuleExpression
    public let range: SourceRange
}

/// `retry OUTCOME after DURATION, at most N attempts`.
public struct RetryRule: Sendable, Hashable {
    public let outcome: OutcomeCode
    public let after: Period
    /// The most attempts in an episode, the first call included.
    public let attempts: Int

    public init(outcome: OutcomeCode, after: Period, attempts: Int) {
        self.outcome = outcome
        self.after = after
        self.attempts = attempts
    }
}

/// A checked cohort.
public struct Cohort: Sendable, Hashable {
    /// The lower-case id, used in call lists and journals.
    public let id: String
    public let title: String
    /// 1 is most urgent.
    public let priority: Int
    /// A person is a member when any include is definitely yes …
    public let includes: [RuleExpression]
    /// … and no exclude is definitely yes.
    public let excludes: [RuleExpression]
    /// Why the person is on the list (the title when the rules give no `reason`).
    public let reason: Template
    public let talkAbout: Template?
    public let callWithin: Period?
    public let recallEvery: Period?
    /// Skills a worker must have to take these calls (lower case).
    public let needsSkills: [String]
    /// The cohort's own escalation text, or `nil` for the policy's.
    public let whenUnreachable: String?
    /// The cohort's own retry rules, overriding the policy's for those outcomes.
    public let retries: [RetryRule]
    /// The cohort's id in its declaration.
    public let range: SourceRange
}

/// The team-wide calendar.
public struct Team: Sendable, Hashable {
    public let name: String?
    public let workingDays: [Weekday]
    /// Closures and bank holidays, sorted.
    public let closed: [Day]

    public init(name: String?, workingDays: [Weekday], closed: [Day]) {
        self.name = name
        self.workingDays = workingDays
        self.closed = closed
    }

    /// Monday to Friday, no closures: the team when the rules say nothing.
    public static let standard = Team(name: nil, workingDays: [.monday, .tuesday, .wednesday, .thursday, .friday], closed: [])
}

/// One member of the team.
public struct Worker: Sendable, Hashable {
    /// The lower-case id, used in file names.
    public let id: String
    public let name: String
    public let callsPerDay: Int
    /// The worker's own days, or `nil` for the team's.
    public let works: [Weekday]?
    /// Practice ODS codes (upper case) whose patients this worker may call, or `nil` for all.
    public let practices: [String]?
    /// Languages, lower case; `["english"]` when not given.
    public let speaks: [String]
    /// Skills, lower case.
    public let skills: [String]
    public let away: [ClosedRange<Day>]
    public let range: SourceRange

    /// A worker made in code (tests, benchmarks, `plan --add-worker`) rather than read from a rule file.
    public init(
        id: String, name: String, callsPerDay: Int, works: [Weekday]? = nil, practices: [String]? = nil,
        speaks: [String] = ["english"], skills: [String] = [], away: [ClosedRange<Day>] = [],
        range: SourceRange = .generated
    ) {
        self.id = id.lowercased()
        self.name = name
        self.callsPerDay = callsPerDay
        self.works = works
        self.practices = practices?.map { $0.uppercased() }
        self.speaks = speaks.map { $0.lowercased() }
        self.skills = skills.map { $0.lowercased() }
        self.away = away
        self.range = range
    }
}

/// How the team calls, with the spec's defaults for anything not said.
public struct Policy: Sendable, Hashable {
    /// Minutes after midnight, Europe/London (07:30 → 450).
    public var publishAt: Int = 7 * 60 + 30
    /// Working days the planner lays out.
    public var planAheadDays: Int = 5
    /// Retry rules by outcome: `no_answer` and `voicemail` after 2 days, at most 3 attempts, unless changed.
    public var retries: [RetryRule] = OutcomeCode.retryable.map { RetryRule(outcome: $0, after: .days(2), attempts: 3) }
    public var followUpSupportAfter: Period = .days(14)
    public var rest: Period = .days(14)
    public var keepSameWorker = true
    public var whenUnreachable = "Send a letter"
    /// The answer rate the forecast assumes, 0–1.
    public var assumedAnswerRate = 0.6
    public var favourMostDeprived = true
    /// A practice whose newest extract is older than this is not called from: people who have
    /// died, moved or left the practice since would still be rung.
    public var extractsStaleAfter: Period = .days(14)

    public init() {}

    /// Whether an extract of `extractDate` is stale on `day`.
    public func isStale(extractDate: Day, on day: Day) -> Bool {
        extractDate.adding(extractsStaleAfter) < day
    }

    /// The retry rule for an outcome, if it is retried.
    public func retry(for outcome: OutcomeCode) -> RetryRule? {
        retries.first { $0.outcome == outcome }
    }
}

/// A custom extract column profile.
public struct ExtractProfile: Sendable, Hashable {
    public struct Mapping: Sendable, Hashable {
        public let sourceHeader: String
        /// A canonical column or a declared field (lower case).
        public let target: String
    }

    public let name: String
    public let mappings: [Mapping]
    public let range: SourceRange
}

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

/// A checked rule set: everything the later stages need, with no errors in it.
public struct RuleSet: Sendable {
    /// The rules folder as given.
    public let directory: String
    /// Every rule file, for source text and locations.
    public let sources: SourceFiles
    public let codelists: [String: Codelist]
    public let lookups: [String: Lookup]
    public let fields: [String: Field]
    public let defines: [String: Define]
    /// Define names with every define after the defines it uses: compile in this order.
    public let defineOrder: [String]
    /// Sorted by priority, then id.
    public let cohorts: [Cohort]
    public let team: Team
    /// Sorted by id.
    public let workers: [Worker]
    public let policy: Policy
    public let extractProfiles: [ExtractProfile]
    /// In file order.
    public let examples: [RuleExample]
    /// SHA-256 (hex) of every rule file and every file they read, with their relative paths.
    public internal(set) var contentHash: String

    /// A short version string for the journal: the first 12 hex digits of ``contentHash``.
    public var version: String { String(contentHash.prefix(12)) }

    /// The exact source text of any node: what `explain` prints for a condition.
    public func sourceText(of range: SourceRange) -> String { sources.text(range) }

    /// `path:line:col` of a node.
    public func location(of range: SourceRange) -> String { sources.describe(range) }

    public func cohort(_ id: String) -> Cohort? { cohorts.first { $0.id == id.lowercased() } }
}
