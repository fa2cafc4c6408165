import Basics
import Cohorts
import Journal
import Planning
import RuleLanguage

/// People counted once each, however many cohorts they are in.
public struct PeopleCounts: Sendable, Equatable {
    public let inCohorts: Int
    /// Called in the current spell of at least one of their cohorts.
    public let called: Int
    /// Reached in the current spell of at least one of their cohorts.
    public let reached: Int
    /// With at least one overdue membership.
    public let overdue: Int
    /// With at least one membership not yet called (the burn-down's count).
    public let notYetCalled: Int
}

/// Published items that were not attempted, over every published day up to the report's day.
public struct NotAttemptedCounts: Sendable, Equatable {
    /// Returned with the outcome left empty.
    public let returnedEmpty: Int
    /// Not returned by the next morning's run.
    public let notReturned: Int
    /// Items of earlier days still without an outcome that the next morning's run has not marked yet.
    public let overdueReturns: Int
    /// Items published on the report's day without an outcome yet.
    public let outToday: Int
    /// Items published up to the report's day.
    public let published: Int
    /// Of them, with an outcome.
    public let withOutcome: Int

    /// Flagged not attempted: returned empty, not returned, or late.
    public var flagged: Int { returnedEmpty + notReturned + overdueReturns }
}

/// One person on a list of the report: the cannot-call and the unreachable lists.
///
/// - Important: patient-identifiable. Only the HTML report (0600, for the PCN lead) shows these.
public struct ListedPerson: Sendable, Equatable {
    public let name: String
    public let nhsNumber: UInt64
    public let practice: String
    /// Cohort ids, most urgent first.
    public let cohorts: [String]
    public let reason: String
    /// What the team does: a letter, an escalation, or nothing.
    public let action: String
    /// For the unreachable: unanswered attempts in the exhausted episode, and the last one's day.
    public let attempts: Int
    public let lastAttempt: Day?
}
