import Basics
import Cohorts
import Journal
import RuleLanguage
import Vocabulary

extension RetryRule {
    /// The more persistent of two rules for the same outcome: more attempts, sooner.
    public func mostPersistent(with other: RetryRule) -> RetryRule {
        let after = other.after.approximateDays < self.after.approximateDays ? other.after : self.after
        return RetryRule(outcome: outcome, after: after, attempts: max(attempts, other.attempts))
    }
}

/// What one cohort asks of the scheduler (from its `cohort` block).
public struct CohortCallRules: Hashable, Sendable {
    public let id: String
    public let title: String
    /// 1 is most urgent.
    public let priority: Int
    /// Target: first call within this time of joining.
    public let callWithin: Period?
    /// After a call that reached them, call again after this long while still a member.
    public let recallEvery: Period?
    /// Skills a worker needs for these calls.
    public let needsSkills: Set<String>
    /// The cohort's own escalation when retries run out, if any.
    public let whenUnreachable: String?
    /// The cohort's own retry rules, overriding the policy's for these outcomes.
    public let retries: [RetryRule]
    /// Whether to write to members who cannot be reached by telephone; `nil` means as the policy says.
    public let writesWhenUnreachable: Bool?

    public init(
        id: String, title: String, priority: Int, callWithin: Period? = nil, recallEvery: Period? = nil,
        needsSkills: Set<String> = [], whenUnreachable: String? = nil, retries: [RetryRule] = [],
        writesWhenUnreachable: Bool? = nil
    ) {
        self.id = id
        self.title = title
        self.priority = priority
        self.callWithin = callWithin
        self.recallEvery = recallEvery
        self.needsSkills = needsSkills
        self.whenUnreachable = whenUnreachable
        self.retries = retries
        self.writesWhenUnreachable = writesWhenUnreachable
    }

    /// What a checked cohort asks of the scheduler.
    public init(_ cohort: Cohort) {
        self.init(
            id: cohort.id, title: cohort.title, priority: cohort.priority, callWithin: cohort.callWithin,
            recallEvery: cohort.recallEvery, needsSkills: Set(cohort.needsSkills),
            whenUnreachable: cohort.whenUnreachable,
            retries: cohort.retries, writesWhenUnreachable: cohort.writeWhenUnreachable)
    }
}

/// A person's membership of one cohort today.
public struct Membership: Hashable, Sendable {
    public let cohort: CohortCallRules
    /// The first day of the current membership spell (from the journal).
    public let joinedOn: Day
    /// Why they are on the list and what to talk about.
    public let wording: Wording

    /// Where a membership's reason and prompts come from.
    public enum Wording: Hashable, Sendable {
        /// The cohort's `reason` and `talk about` in the cohort run the case was built from,
        /// rendered for the person only when a list shows them (a few dozen people a day, of
        /// thousands in cohorts).
        case cohortTemplates
        /// Texts fixed when the case was built.
        case text(reason: String, talkAbout: String?)
    }

    public init(cohort: CohortCallRules, joinedOn: Day, reason: String, talkAbout: String? = nil) {
        self.init(cohort: cohort, joinedOn: joinedOn, wording: .text(reason: reason, talkAbout: talkAbout))
    }

    public init(cohort: CohortCallRules, joinedOn: Day, wording: Wording) {
        self.cohort = cohort
        self.joinedOn = joinedOn
        self.wording = wording
    }

    /// Why they are on the list, rendered for patient `patient` of `run`, the run the case was
    /// built from. A run without the cohort cannot happen (cases and lists come from one run); if
    /// it did, the cohort's title is still true of the person, where stopping would leave every
    /// list of the day unpublished.
    public func reason(in run: CohortRun, patient: Int32) -> String {
        switch wording {
        case .cohortTemplates: cohortIndex(in: run).map { run.reason(cohort: $0, patient: patient) } ?? cohort.title
        case .text(let reason, _): reason
        }
    }

    /// Prompts for the call, rendered for patient `patient` of `run`, or `nil` when there are none.
    public func talkAbout(in run: CohortRun, patient: Int32) -> String? {
        switch wording {
        case .cohortTemplates: cohortIndex(in: run).flatMap { run.talkAbout(cohort: $0, patient: patient) }
        case .text(_, let talkAbout): talkAbout
        }
    }

    private func cohortIndex(in run: CohortRun) -> Int? {
        run.results.firstIndex { $0.cohort.id == cohort.id }
    }
}

/// One past call on a published list, with its outcome once returned.
public struct Attempt: Hashable, Sendable {
    public let itemID: String
    public let day: Day
    public let worker: String
    public let band: TimeBand
    /// The cohorts the call covered.
    public let cohorts: [String]
    /// `nil` while not returned, or returned empty (not attempted).
    public let outcome: OutcomeCode?
    /// For `call_back`: the promised day.
    public let callBackOn: Day?
    /// A fingerprint of the phone numbers the list gave, to notice a new number after `wrong_number`.
    public let phoneFingerprint: UInt64

    public init(
        itemID: String, day: Day, worker: String, band: TimeBand, cohorts: [String], outcome: OutcomeCode?,
        callBackOn: Day? = nil, phoneFingerprint: UInt64 = 0
    ) {
        self.itemID = itemID
        self.day = day
        self.worker = worker
        self.band = band
        self.cohorts = cohorts
        self.outcome = outcome
        self.callBackOn = callBackOn
        self.phoneFingerprint = phoneFingerprint
    }
}

/// Everything the planner knows about one person: who they are (only what scheduling needs),
/// their cohorts today, and their call history.
public struct CaseInput: Sendable {
    public let nhsNumber: UInt64
    public let practice: String
    /// 1 (most deprived) to 10, when known.
    public let imdDecile: Int?
    public let preferredLanguage: String?
    /// Whether the person has a phone number the list can show.
    public let hasUsablePhone: Bool
    /// Whether their record says not to telephone them (the rules' `contact` block): never listed.
    public let notByTelephone: Bool
    /// The latest call a text announced to them, kept like a promise until its day has a list.
    public let announced: CallAnnounced?
    /// A fingerprint of today's phone numbers (see ``Attempt/phoneFingerprint``).
    public let phoneFingerprint: UInt64
    /// Today's cohorts, at least one, most urgent first (by priority, then id): ``priority`` reads
    /// the first.
    public let memberships: [Membership]
    /// Past calls, oldest first.
    public let history: [Attempt]

    public init(
        nhsNumber: UInt64, practice: String, imdDecile: Int? = nil, preferredLanguage: String? = nil,
        hasUsablePhone: Bool = true, notByTelephone: Bool = false, phoneFingerprint: UInt64 = 0,
        memberships: [Membership], history: [Attempt] = [], announced: CallAnnounced? = nil
    ) {
        self.nhsNumber = nhsNumber
        self.practice = practice
        self.imdDecile = imdDecile
        self.preferredLanguage = preferredLanguage
        self.hasUsablePhone = hasUsablePhone
        self.notByTelephone = notByTelephone
        self.announced = announced
        self.phoneFingerprint = phoneFingerprint
        self.memberships = memberships.sorted {
            ($0.cohort.priority, $0.cohort.id) < ($1.cohort.priority, $1.cohort.id)
        }
        self.history = history
        precondition(!memberships.isEmpty, "a case is a person with at least one cohort")
    }

    /// The most urgent priority among the person's cohorts: the first's, as they are kept in
    /// priority order (read for every due call a plan orders, so without making an array).
    public var priority: Int { memberships.first?.cohort.priority ?? Int.max }

    /// The union of the skills the person's cohorts need.
    public var neededSkills: Set<String> {
        memberships.reduce(into: Set<String>()) { $0.formUnion($1.cohort.needsSkills) }
    }

    /// The retry rule for an unanswered outcome: the most persistent of the cohorts' rules, each
    /// cohort's being its own override or else the policy's.
    public func retryRule(for outcome: OutcomeCode, policy: Policy) -> RetryRule? {
        // Each cohort's rule is its own override or, without one, the policy's.
        let rules = memberships.compactMap { membership in
            membership.cohort.retries.first { $0.outcome == outcome } ?? policy.retry(for: outcome)
        }
        guard let first = rules.first else { return policy.retry(for: outcome) }
        return rules.dropFirst().reduce(first) { $0.mostPersistent(with: $1) }
    }

    /// Whether any of the person's cohorts writes to members it cannot reach by telephone (its own
    /// `write when unreachable`, or else the policy's).
    public func writesWhenUnreachable(policy: Policy) -> Bool {
        memberships.contains { $0.cohort.writesWhenUnreachable ?? policy.writeWhenUnreachable }
    }

    /// Every escalation text of the person's cohorts: each cohort's own, or the policy's for a
    /// cohort without one.
    public func escalations(policy: Policy) -> [String] {
        Array(Set(memberships.map { $0.cohort.whenUnreachable ?? policy.whenUnreachable })).sorted()
    }
}
