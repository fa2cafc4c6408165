import Basics
import Vocabulary

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
    public static let standard = Team(
        name: nil, workingDays: [.monday, .tuesday, .wednesday, .thursday, .friday], closed: [])
}
