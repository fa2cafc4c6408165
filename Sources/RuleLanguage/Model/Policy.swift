import Basics
import Vocabulary

/// How the team calls, with the spec's defaults for anything not said.
public struct Policy: Sendable, Hashable {
    /// Minutes after midnight, Europe/London (07:30 → 450).
    public var publishAt: Int = 7 * 60 + 30
    /// Working days the planner lays out.
    public var planAheadDays: Int = 5
    /// Retry rules by outcome: `no_answer` and `voicemail` after 2 days, at most 3 attempts, unless changed.
    public var retries: [RetryRule] = OutcomeCode.retryable.map { RetryRule(outcome: $0, after: .days(2), attempts: 3) }
    public var followUpSupportAfter: Period = .days(14)
    public var rest: Period = .days(14)
    public var keepSameWorker = true
    public var whenUnreachable = "Send a letter"
    /// The answer rate the forecast assumes, 0–1.
    public var assumedAnswerRate = 0.6
    public var favourMostDeprived = true
    /// A practice whose newest extract is older than this is not called from: people who have
    /// died, moved or left the practice since would still be rung.
    public var extractsStaleAfter: Period = .days(14)
    /// `code OUTCOME as CODE "TERM"`: the SNOMED CT code written back for an outcome, at most one
    /// per outcome, in file order.
    public var codings: [OutcomeCoding] = []
    /// `text before calling: yes`: send a text message before the first call, so people know who
    /// is ringing (never to anyone the `contact` block says gets no texts).
    public var textBeforeCalling = false
    /// `write when unreachable: yes`: when retries run out, the person is also written to (a
    /// cohort may say otherwise, see ``Cohort/writes(when:)``).
    public var writeWhenUnreachable = false

    public init() {}

    /// Whether an extract of `extractDate` is stale on `day`.
    public func isStale(extractDate: Day, on day: Day) -> Bool {
        extractDate.adding(extractsStaleAfter) < day
    }

    /// The SNOMED CT coding written back for an outcome, if the policy gives one.
    public func coding(for outcome: OutcomeCode) -> OutcomeCoding? {
        codings.first { $0.outcome == outcome }
    }

    /// The retry rule for an outcome, if it is retried.
    public func retry(for outcome: OutcomeCode) -> RetryRule? {
        retries.first { $0.outcome == outcome }
    }
}
