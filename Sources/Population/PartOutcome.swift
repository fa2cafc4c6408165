import Basics

/// What scanning one part of a file found.
struct PartOutcome: Sendable {
    var counts: EventCounts
    /// Where the part's first row starts, or `nil` when no row to start at was found.
    var start: Int?
    /// Where the row after the part's last starts (the next part's first row).
    var end: Int
    /// Physical lines from `start` to `end`.
    var lines = 0
    /// The error that stopped the scan (its line counted from the part's start), if any.
    var failure: (any Error)?

    init(counts: EventCounts, end: Int) {
        self.counts = counts
        self.end = end
    }
}
