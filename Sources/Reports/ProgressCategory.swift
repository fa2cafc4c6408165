import Basics
import Journal
import Planning
import RuleLanguage
import Vocabulary

/// Where one member stands in one cohort on the report's day. Every membership is in exactly one
/// category, so a cohort's categories add up to its members.
///
/// The words, as the report uses them (and as its "How to read this report" section explains):
/// - the **spell** is the current stay in the cohort, from the day the journal says the person
///   last joined it (so a call for an earlier stay, or for another cohort before this one was
///   joined, does not count for it);
/// - **called**: at least one attempt with an outcome in the spell. A list item left empty or not
///   returned was not attempted and does not count;
/// - **reached**: the latest conversation in the spell was `reached`, `reached_support` or
///   `call_back` (the person was spoken to);
/// - **declined**: the latest conversation in the spell was `declined`;
/// - **unreachable**: not spoken to in the spell, and the retries of its latest episode are used up;
/// - **cannot call**: not spoken to in the spell, and cannot be called now: no usable phone number,
///   a wrong number awaiting a new one, or stopped (deceased, moved away, opted out);
/// - **overdue**: none of the above, and the cohort's `call within` deadline, counted from the
///   start of the spell, has passed;
/// - **in progress**: called, not yet spoken to, retries left, and not overdue;
/// - **pending**: not yet called and not overdue.
///
/// The order is the order of precedence and of the stacked bars: outcomes that close an episode
/// first, then those waiting for a letter, then the open work.
public enum ProgressCategory: Int, CaseIterable, Comparable, Sendable, CustomStringConvertible {
    case reached
    case declined
    case unreachable
    case cannotCall
    case inProgress
    case pending
    case overdue

    /// The words the report uses.
    public var description: String {
        switch self {
        case .reached: return "reached"
        case .declined: return "declined"
        case .unreachable: return "unreachable"
        case .cannotCall: return "cannot call"
        case .inProgress: return "in progress"
        case .pending: return "pending"
        case .overdue: return "overdue"
        }
    }

    public static func < (lhs: ProgressCategory, rhs: ProgressCategory) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Why someone cannot be called now, and what the team does instead.
public enum CannotCallReason: Hashable, Sendable, CustomStringConvertible {
    case noUsablePhone
    /// Their record says not to telephone them (a contact preference): reached another way.
    case notByTelephone
    case wrongNumber
    case stopped(OutcomeCode)

    /// Whether the team still tries to reach them another way (no phone, wrong number) rather than
    /// leaving them alone (deceased, moved away, opted out).
    public var needsAction: Bool {
        if case .stopped = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .noUsablePhone: return "no usable phone"
        case .notByTelephone: return "not by telephone (their contact preference)"
        case .wrongNumber: return "wrong number; no newer one yet"
        case .stopped(.deceased): return "recorded as deceased"
        case .stopped(.movedAway): return "recorded as moved away"
        case .stopped(.optedOut): return "opted out"
        case .stopped(let outcome): return "stopped (\(outcome.rawValue))"
        }
    }

    /// What the team does about it: for those who cannot be called by phone, what their cohorts
    /// say to do when someone is unreachable (`escalations`: a letter, or a welfare check for the
    /// highest-risk), since a missing number leaves them just as unreached; nothing for the stopped.
    public func action(escalations: [String]) -> String {
        switch self {
        case .noUsablePhone: return escalations.joined(separator: "; ")
        case .notByTelephone: return (["Contact them the way their record asks"] + escalations).joined(separator: "; ")
        case .wrongNumber: return (escalations + ["ask the practice for a current number"]).joined(separator: "; ")
        case .stopped(.deceased): return "Do not contact; check the practice record"
        case .stopped(.movedAway): return "Do not contact; check the registration"
        case .stopped: return "Do not contact"
        }
    }

    /// The reason a person's scheduling status gives, or `nil` when they can be called.
    init?(_ status: CaseStatus) {
        guard case .inactive(let reason) = status else { return nil }
        switch reason {
        case .noUsablePhone: self = .noUsablePhone
        case .notByTelephone: self = .notByTelephone
        case .wrongNumber: self = .wrongNumber
        case .stopped(let outcome): self = .stopped(outcome)
        case .unreachable, .declined, .done: return nil
        }
    }
}

/// One membership's standing on the report's day: its category and what the report lists about it.
struct MembershipStanding: Equatable {
    var category: ProgressCategory
    /// At least one attempt with an outcome in the spell.
    var called: Bool
    /// For unreachable members: the unanswered attempts of the exhausted episode and the last one's day.
    var unansweredAttempts = 0
    var lastAttempt: Day?

    /// Classifies one membership of `person` as of the end of `asOf` (see ``ProgressCategory``).
    ///
    /// - Parameters:
    ///   - attempts: the person's attempts up to `asOf` that have an outcome, oldest first.
    ///   - cannotCall: why the person cannot be called now, if they cannot.
    static func classify(
        _ membership: Membership, of person: CaseInput, attempts: [Attempt], cannotCall: CannotCallReason?,
        policy: Policy, asOf: Day
    ) -> MembershipStanding {
        var spoke: OutcomeCode?
        var unanswered = 0
        var exhausted = false
        var called = false
        var lastAttempt: Day?
        var exhaustedCount = 0
        for attempt in attempts where attempt.day >= membership.joinedOn {
            guard let outcome = attempt.outcome else { continue }
            called = true
            switch outcome {
            case .reached, .reachedSupport, .callBack, .declined, .urgentConcern:
                spoke = outcome
                unanswered = 0
                exhausted = false
            case .noAnswer, .voicemail:
                if exhausted {
                    // A new episode (a recall or a new cohort) has begun: retries are available again.
                    exhausted = false
                    unanswered = 0
                }
                unanswered += 1
                lastAttempt = attempt.day
                if let rule = person.retryRule(for: outcome, policy: policy), unanswered < rule.attempts { continue }
                exhausted = true
                exhaustedCount = unanswered
            case .wrongNumber:
                unanswered = 0
                exhausted = false
            case .deceased, .movedAway, .optedOut, .optedIn:
                break
            }
        }
        if let spoke {
            return MembershipStanding(category: spoke == .declined ? .declined : .reached, called: true)
        }
        if cannotCall != nil { return MembershipStanding(category: .cannotCall, called: called) }
        if exhausted {
            return MembershipStanding(
                category: .unreachable, called: true, unansweredAttempts: exhaustedCount, lastAttempt: lastAttempt)
        }
        if let within = membership.cohort.callWithin, asOf > membership.joinedOn.adding(within) {
            return MembershipStanding(category: .overdue, called: called)
        }
        return MembershipStanding(category: called ? .inProgress : .pending, called: called)
    }
}
