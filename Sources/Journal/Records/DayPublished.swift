import Basics
import Vocabulary

/// A working day's lists were published: `itemCount` items, planned under rule set `ruleVersion`.
public struct DayPublished: Hashable, Sendable {
    public var day: Day
    /// How many ``ItemPublished`` records for `day` precede this one (checked when appended).
    public var itemCount: Int
    public var ruleVersion: ContentHash

    public init(day: Day, itemCount: Int, ruleVersion: ContentHash) {
        self.day = day
        self.itemCount = itemCount
        self.ruleVersion = ruleVersion
    }
}
