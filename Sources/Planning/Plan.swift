import Basics
import Journal
import RuleLanguage

/// One call on one worker's list for one day.
public struct PlannedCall: Hashable, Sendable {
    public let day: Day
    public let worker: String
    /// The index of the person in the planner's input.
    public let caseIndex: Int
    public let nhsNumber: UInt64
    public let practice: String
    public let kind: CallKind
    /// The number of this call within its episode.
    public let attempt: Int
    public let band: TimeBand
    public let priority: Int
    /// The person's cohort ids, most urgent first.
    public let cohorts: [String]
    public let dueOn: Day
    public let deadline: Day?
}

/// The lists of one working day.
public struct DayPlan: Sendable {
    public let day: Day
    /// Every call, grouped by worker (in worker id order), morning before afternoon, most
    /// important first within a band.
    public let calls: [PlannedCall]
    /// Due people who did not fit and carry over to the next working day.
    public let carriedOver: Int

    /// One worker's list.
    public func calls(for worker: String) -> [PlannedCall] {
        calls.filter { $0.worker == worker }
    }
}

/// The planner's answer for a horizon of working days: the first day's lists (to publish), the
/// provisional lists of the following days, and a reason for everyone not on the first day's lists.
public struct Plan: Sendable {
    /// The first day planned (the day asked for, or the next working day).
    public let start: Day
    public let days: [DayPlan]
    /// Each person's status on the first day, by input index.
    public let statuses: [CaseStatus]
    /// Why each person with cohorts is not on the first day's lists, by input index (`nil` when listed).
    public let notListed: [NotListedReason?]
}
