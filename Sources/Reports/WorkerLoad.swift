import Basics
import Cohorts
import Journal
import Planning
import RuleLanguage

/// What one worker did on one published day.
public struct WorkerDay: Sendable, Equatable {
    public let day: Day
    /// Items on the worker's list.
    public let published: Int
    /// Items with an outcome (attempts).
    public let withOutcome: Int
    /// Items returned empty, or not returned by the next morning: not attempted, back in the queue.
    public let notAttempted: Int
    /// Items of the report's own day still out (no outcome yet, not late).
    public let awaiting: Int
    /// Calls the worker can make that day under the current rules (0 when they do not work).
    public let capacity: Int
}

/// One worker's published days.
public struct WorkerLoad: Sendable {
    public let id: String
    public let name: String
    /// One entry per day of ``ProgressReport/workerDays``.
    public let days: [WorkerDay]

    public var published: Int { days.reduce(0) { $0 + $1.published } }
    public var capacity: Int { days.reduce(0) { $0 + $1.capacity } }
    public var notAttempted: Int { days.reduce(0) { $0 + $1.notAttempted } }
}
