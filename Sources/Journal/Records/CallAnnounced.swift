import Basics
import Vocabulary

/// A text told a person that the surgery would ring them on a day, in a time band, by a worker:
/// recorded when the day's message files are written, so the call is kept like a promise (the
/// planner puts them on that day's list, with that worker and band when it can).
public struct CallAnnounced: Hashable, Sendable {
    public var nhsNumber: UInt64
    /// The day the text says we will ring.
    public var day: Day
    /// The worker the text names.
    public var worker: String
    public var timeBand: TimeBand
    /// The day the announcement was recorded.
    public var on: Day

    public init(nhsNumber: UInt64, day: Day, worker: String, timeBand: TimeBand, on: Day) {
        self.nhsNumber = nhsNumber
        self.day = day
        self.worker = worker
        self.timeBand = timeBand
        self.on = on
    }
}
