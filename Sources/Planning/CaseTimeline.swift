import Basics
import Journal
import RuleLanguage
import Vocabulary

/// What kind of call is due.
public enum CallKind: String, Sendable {
    /// A call-back the person asked for, on their day: ahead of everything else.
    case promised
    /// A retry after an unanswered call.
    case retry
    /// The follow-up after `reached_support`.
    case followUp = "follow_up"
    /// The first call of a new membership (or a new number after `wrong_number`).
    case first
    /// A recall after the cohort's `recall every`, or a new episode after an unreachable one.
    case recall

    /// Promised call-backs first, then retries and follow-ups (commitments already made), then the
    /// rest (class 3; class 2 is a call a text announced, see ``DueCall/orderingClass``).
    var orderingClass: Int {
        switch self {
        case .promised: return 0
        case .retry, .followUp: return 1
        case .first, .recall: return 3
        }
    }
}

/// A call that is (or will be) due, with what the planner needs to order and label it.
public struct DueCall: Hashable, Sendable {
    public let kind: CallKind
    /// The day it falls due (a call-back moved to a working day).
    public let dueOn: Day
    /// The `call within` target for a first call, if any.
    public let deadline: Day?
    /// The number of this call within its episode (1 for a first call).
    public let attempt: Int
    /// The band of the attempt this call retries, so the retry goes in the other one.
    public let previousBand: TimeBand?
    /// The worker who last reached the person, for continuity.
    public let lastReachedBy: String?
    /// For a call a text announced: the worker and band the text named, kept when the planner can.
    public var announcedWorker: String? = nil
    public var announcedBand: TimeBand? = nil

    /// Where the call comes in the day's order: a call a text announced after promised call-backs,
    /// retries and follow-ups (which it never displaces: the planner lists it past the list's
    /// size when it must), and before first calls and recalls.
    var orderingClass: Int { announcedWorker != nil ? 2 : kind.orderingClass }
}

/// Why a person is not due, and until when.
public enum WaitReason: String, Sendable, CaseIterable {
    /// A first call whose day has not come (joined on a later day, or a working day not reached).
    case notYetDue = "not due yet"
    case resting = "resting"
    case retryPending = "waiting for a retry"
    case callBackPending = "waiting for a call-back date"
    case followUpPending = "waiting for a follow-up"
    case recallPending = "waiting for a recall"
    case onTodaysList = "already on today's list"
    /// A text told them the day we will ring.
    case announced = "texted the day we will ring"
}

/// Why a person will not be called (until something changes).
public enum InactiveReason: Hashable, Sendable {
    /// `deceased`, `moved_away` or `opted_out` was recorded.
    case stopped(OutcomeCode)
    /// No usable phone number: a letter instead.
    case noUsablePhone
    /// Their record says not to telephone them (the rules' `contact` block): a letter instead.
    case notByTelephone
    /// The number did not reach them; waiting for an extract with a different number.
    case wrongNumber
    /// Retries ran out and no cohort recalls: the escalation applies.
    case unreachable(since: Day)
    /// They declined; no recall for those cohorts.
    case declined(on: Day)
    /// Reached, and no cohort of theirs recalls.
    case done(reachedOn: Day)

    /// Plain words for reports.
    public var description: String {
        switch self {
        case .stopped(let outcome): return "stopped (\(outcome.rawValue))"
        case .noUsablePhone: return "no usable phone"
        case .notByTelephone: return "not by telephone"
        case .wrongNumber: return "wrong number"
        case .unreachable: return "unreachable"
        case .declined: return "declined"
        case .done: return "reached, no recall"
        }
    }
}

/// A person's scheduling status on a day, derived from their cohorts and call history.
public enum CaseStatus: Hashable, Sendable {
    case due(DueCall)
    case waiting(DueCall, WaitReason)
    case inactive(InactiveReason)

    /// The next call, whether due now or later.
    public var nextCall: DueCall? {
        switch self {
        case .due(let call), .waiting(let call, _): return call
        case .inactive: return nil
        }
    }
}

/// Derives a person's status from their history: the rules of scheduling.md's "Outcomes" and
/// "Who is due", in one place.
public enum CaseTimeline {
    /// The person's status on `day`, counting only outcomes of calls made before `day`.
    ///
    /// A list item that came back empty, or never came back, was not attempted: it is ignored
    /// (not counted as an attempt), so the person is due again as before.
    public static func status(of person: CaseInput, on day: Day, policy: Policy, roster: Roster) -> CaseStatus {
        var state = EpisodeState()
        for attempt in person.history where attempt.day < day {
            guard let outcome = attempt.outcome else { continue }
            state.apply(outcome, of: attempt, person: person, policy: policy, roster: roster)
        }
        if let stop = state.stopped { return .inactive(.stopped(stop)) }
        if state.optedOut { return .inactive(.stopped(.optedOut)) }
        if person.notByTelephone { return .inactive(.notByTelephone) }
        if !person.hasUsablePhone { return .inactive(.noUsablePhone) }
        if case .wrongNumber(let fingerprint) = state.closure, fingerprint == person.phoneFingerprint {
            return .inactive(.wrongNumber)
        }
        var next = nextCall(of: person, state: state, policy: policy, roster: roster)
        if let call = next.call, call.kind != .promised, call.kind != .retry, let lastReached = state.lastReached {
            // The rest period: no new call within `rest` of the last call that reached them.
            let restEnd = roster.workingDay(onOrAfter: lastReached.adding(policy.rest))
            if call.dueOn < restEnd {
                next.call = DueCall(
                    kind: call.kind, dueOn: restEnd, deadline: call.deadline, attempt: call.attempt,
                    previousBand: call.previousBand, lastReachedBy: call.lastReachedBy)
                next.waitReason = .resting
            }
        }
        if person.history.contains(where: { $0.day == day }) {
            // Already published for today: on the list, not due again today.
            if let call = next.call { return .waiting(call, .onTodaysList) }
            return .waiting(
                DueCall(
                    kind: .first, dueOn: day.adding(days: 1), deadline: nil, attempt: 1, previousBand: nil,
                    lastReachedBy: state.lastReachedBy), .onTodaysList)
        }
        guard var call = next.call else { return .inactive(next.inactive!) }
        if let announced = person.announced, announced.day >= day,
            !person.history.contains(where: { $0.day >= announced.day })
        {
            // A text said we would ring on that day: kept like a promise, whatever else was due.
            call = DueCall(
                kind: call.kind, dueOn: announced.day, deadline: call.deadline, attempt: call.attempt,
                previousBand: call.previousBand, lastReachedBy: call.lastReachedBy, announcedWorker: announced.worker,
                announcedBand: announced.timeBand)
            if announced.day > day { return .waiting(call, .announced) }
        }
        if call.dueOn <= day { return .due(call) }
        return .waiting(call, next.waitReason)
    }

    /// The next call before the rest period is applied, or why there is none.
    private static func nextCall(of person: CaseInput, state: EpisodeState, policy: Policy, roster: Roster)
        -> (call: DueCall?, waitReason: WaitReason, inactive: InactiveReason?)
    {
        let lastReachedBy = policy.keepSameWorker ? state.lastReachedBy : nil

        func call(_ kind: CallKind, _ due: Day, deadline: Day? = nil, attempt: Int = 1, band: TimeBand? = nil)
            -> DueCall
        {
            DueCall(
                kind: kind, dueOn: roster.workingDay(onOrAfter: due), deadline: deadline, attempt: attempt,
                previousBand: band, lastReachedBy: lastReachedBy)
        }

        /// A first call for memberships the last call did not cover: begun after its day, or on its
        /// day without being among its cohorts (all memberships when `day` is nil).
        /// (Loops, not filters: this runs for every person of every plan and report, and a copy of
        /// each membership costs more than the rest of the status.)
        func firstCall(joinedAfter day: Day?) -> DueCall? {
            var joined: Day?
            var deadline: Day?
            for membership in person.memberships {
                if let day,
                    !(membership.joinedOn > day
                        || (membership.joinedOn == day && !state.lastCallCohorts.contains(membership.cohort.id)))
                {
                    continue
                }
                joined = min(joined ?? membership.joinedOn, membership.joinedOn)
                if let within = membership.cohort.callWithin {
                    let due = membership.joinedOn.adding(within)
                    deadline = min(deadline ?? due, due)
                }
            }
            return joined.map { call(.first, $0, deadline: deadline) }
        }

        /// The recall after `day`: the shortest `recall every` of the cohorts they are still in,
        /// leaving out any cohort they declined (no recall for those).
        func recall(after day: Day) -> DueCall? {
            var due: Day?
            for membership in person.memberships where !state.declinedCohorts.contains(membership.cohort.id) {
                if let every = membership.cohort.recallEvery {
                    let recall = day.adding(every)
                    due = min(due ?? recall, recall)
                }
            }
            return due.map { call(.recall, $0) }
        }

        switch state.closure {
        case .none:
            return (firstCall(joinedAfter: nil), .notYetDue, nil)
        case .callBack(let promisedDay, let attempt):
            return (call(.promised, promisedDay, attempt: attempt), .callBackPending, nil)
        case .retry(let due, let attempt, let band):
            return (call(.retry, due, attempt: attempt, band: band), .retryPending, nil)
        case .wrongNumber:
            // A different number has arrived: start again with a first call.
            return (call(.first, state.lastAttemptDay ?? Day(ordinal: 0)), .resting, nil)
        case .reached(let on, let support):
            var candidates: [(DueCall, WaitReason)] = []
            if support {
                candidates.append((call(.followUp, on.adding(policy.followUpSupportAfter)), .followUpPending))
            }
            if let recall = recall(after: on) { candidates.append((recall, .recallPending)) }
            if let fresh = firstCall(joinedAfter: on) { candidates.append((fresh, .resting)) }
            guard let best = candidates.min(by: { $0.0.dueOn < $1.0.dueOn }) else {
                return (nil, .resting, .done(reachedOn: on))
            }
            return (best.0, best.1, nil)
        case .declined(let on):
            // No recall for the cohorts they were in; a cohort joined later starts fresh.
            guard let fresh = firstCall(joinedAfter: on) else { return (nil, .resting, .declined(on: on)) }
            return (fresh, .resting, nil)
        case .unreachable(let lastAttempt):
            let candidates = [recall(after: lastAttempt), firstCall(joinedAfter: lastAttempt)].compactMap { $0 }
            guard let best = candidates.min(by: { $0.dueOn < $1.dueOn }) else {
                return (nil, .recallPending, .unreachable(since: lastAttempt))
            }
            return (best, .recallPending, nil)
        }
    }
}

/// The running state of a person's episodes while their history is replayed.
private struct EpisodeState {
    enum Closure {
        case none
        case reached(on: Day, support: Bool)
        case declined(on: Day)
        case retry(due: Day, attempt: Int, band: TimeBand)
        case unreachable(lastAttempt: Day)
        case callBack(on: Day, attempt: Int)
        case wrongNumber(fingerprint: UInt64)
    }

    var closure = Closure.none
    /// The cohorts the latest call with an outcome covered.
    var lastCallCohorts: Set<String> = []
    /// Cohorts whose calls the person declined: never recalled for them.
    var declinedCohorts: Set<String> = []
    var callsInEpisode = 0
    var unanswered = 0
    var lastReached: Day?
    var lastReachedBy: String?
    var lastAttemptDay: Day?
    var stopped: OutcomeCode?
    var optedOut = false

    mutating func apply(_ outcome: OutcomeCode, of attempt: Attempt, person: CaseInput, policy: Policy, roster: Roster)
    {
        lastAttemptDay = attempt.day
        lastCallCohorts = Set(attempt.cohorts)
        switch outcome {
        case .reached, .reachedSupport, .urgentConcern:
            // An urgent concern was heard in a conversation: reached, and followed up as after support
            // (the escalation to the duty clinician is separate: ``JournalHistory/openEscalations``).
            reach(attempt)
            closure = .reached(on: attempt.day, support: outcome != .reached)
            endEpisode()
        case .declined:
            reach(attempt)
            declinedCohorts.formUnion(attempt.cohorts)
            closure = .declined(on: attempt.day)
            endEpisode()
        case .noAnswer, .voicemail:
            callsInEpisode += 1
            unanswered += 1
            if let rule = person.retryRule(for: outcome, policy: policy), unanswered < rule.attempts {
                closure = .retry(due: attempt.day.adding(rule.after), attempt: callsInEpisode + 1, band: attempt.band)
            } else {
                closure = .unreachable(lastAttempt: attempt.day)
                endEpisode()
            }
        case .callBack:
            // They were reached: the retry budget starts again for the promised call.
            reach(attempt)
            callsInEpisode += 1
            unanswered = 0
            closure = .callBack(
                on: attempt.callBackOn ?? roster.workingDay(after: attempt.day), attempt: callsInEpisode + 1)
        case .wrongNumber:
            closure = .wrongNumber(fingerprint: attempt.phoneFingerprint)
            endEpisode()
        case .deceased, .movedAway:
            stopped = outcome
        case .optedOut:
            optedOut = true
        case .optedIn:
            optedOut = false
        }
    }

    private mutating func reach(_ attempt: Attempt) {
        lastReached = attempt.day
        lastReachedBy = attempt.worker
    }

    private mutating func endEpisode() {
        callsInEpisode = 0
        unanswered = 0
    }
}
