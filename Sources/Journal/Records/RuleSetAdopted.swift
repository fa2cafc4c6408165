import Basics
import Vocabulary

/// A rule set took effect from `day`. Lists say which rule set planned them (``DayPublished``).
public struct RuleSetAdopted: Hashable, Sendable {
    /// The rule set's version: a hash of its files' contents.
    public var version: ContentHash
    public var day: Day

    public init(version: ContentHash, day: Day) {
        self.version = version
        self.day = day
    }
}
