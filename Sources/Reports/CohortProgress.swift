import Basics
import Cohorts
import Journal
import Planning
import RuleLanguage

/// One cohort's progress on the report's day.
public struct CohortProgress: Sendable {
    public let id: String
    public let title: String
    public let priority: Int
    /// The cohort's `call within` target, if it has one.
    public let callWithin: Period?
    /// What the team does when retries run out: the cohort's own `when unreachable`, else the policy's.
    public let whenUnreachable: String
    public let members: Int
    /// Members called at least once in their current spell.
    public let called: Int
    /// Members per category, indexed by ``ProgressCategory/rawValue``.
    public let counts: [Int]
    /// Members no worker of the team could ever take (nobody serves their practice or has the skill).
    public let noWorker: Int

    /// Members in one category.
    public func count(_ category: ProgressCategory) -> Int { counts[category.rawValue] }
}

/// Reach among the people of one group (a deprivation decile, a practice, everyone).
public struct ReachRow: Sendable, Equatable {
    public let label: String
    /// People in at least one cohort.
    public let people: Int
    /// Of them, called in the current spell of at least one of their cohorts.
    public let called: Int
    /// Of them, reached in the current spell of at least one of their cohorts.
    public let reached: Int
}
