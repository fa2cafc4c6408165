import Basics
import Vocabulary

/// `retry OUTCOME after DURATION, at most N attempts`.
public struct RetryRule: Sendable, Hashable {
    public let outcome: OutcomeCode
    public let after: Period
    /// The most attempts in an episode, the first call included.
    public let attempts: Int

    public init(outcome: OutcomeCode, after: Period, attempts: Int) {
        self.outcome = outcome
        self.after = after
        self.attempts = attempts
    }
}
