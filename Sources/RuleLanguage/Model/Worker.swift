import Basics
import Vocabulary

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
