import Basics
import Cohorts
import Journal
import Planning
import RuleLanguage

/// People not yet called, day by day, and where the forecast says the line will reach its floor.
public struct BurnDown: Sendable {
    /// The first day of ``counts``.
    public let start: Day
    /// For each calendar day from ``start`` to the report's day: people in a cohort on that day with
    /// at least one membership not yet called. Earlier days come from the journal's memberships and
    /// items; the report's day is the report's own count.
    public let counts: [Int]
    /// People who cannot be called at all: the line cannot fall below them.
    public let floor: Int
    /// The forecast's day by which everyone who can be called will have had a first call, or `nil`
    /// when that is beyond its horizon.
    public let completion: Day?
    /// The last day the forecast looked at.
    public let horizonEnd: Day

    /// The report's day (the last point of the line).
    public var end: Day { start.adding(days: counts.count - 1) }
    public var now: Int { counts.last ?? 0 }
}
