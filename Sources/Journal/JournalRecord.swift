import Basics
import Vocabulary

/// One fact in the scheduler's durable history. The journal is a sequence of these, appended and
/// never changed: what happened is kept even when a later record supersedes it.
///
/// Records hold patient data (NHS numbers, notes). Their `description` leaves it out, so an
/// accidental log line cannot leak it; the CSV export (``JournalExport``) is where it is shown.
public enum JournalRecord: Hashable, Sendable {
    /// A (changed) rule set took effect.
    case ruleSetAdopted(RuleSetAdopted)
    /// A practice extract was read and replaced its practices' population.
    case extractIngested(ExtractIngested)
    /// A returned call list was read; its rows are ``outcomeRecorded`` and ``itemNotAttempted`` records.
    case outcomeFileIngested(OutcomeFileIngested)
    /// A person entered a cohort (first time, or again after leaving it).
    case cohortJoined(CohortMembershipChange)
    /// A person left a cohort (no longer matches its rules, or left the population).
    case cohortLeft(CohortMembershipChange)
    /// A working day's lists were published. It follows that day's ``itemPublished`` records and
    /// seals them: a published day is never planned again.
    case dayPublished(DayPublished)
    /// One call on one worker's list.
    case itemPublished(ItemPublished)
    /// The outcome of a published call. A later, different outcome for the same item supersedes it;
    /// both stay in the journal.
    case outcomeRecorded(OutcomeRecorded)
    /// A published call that was not made: it goes back into the queue and is not an attempt.
    case itemNotAttempted(ItemNotAttempted)
    /// The duty clinician dealt with an escalation (an `urgent_concern` outcome).
    case escalationHandled(EscalationHandled)
    /// A text told a person we would ring on a day: that call is kept like a promise.
    case callAnnounced(CallAnnounced)

    /// What sort of record this is, without its fields.
    public var kind: Kind {
        switch self {
        case .ruleSetAdopted: .ruleSetAdopted
        case .extractIngested: .extractIngested
        case .outcomeFileIngested: .outcomeFileIngested
        case .cohortJoined: .cohortJoined
        case .cohortLeft: .cohortLeft
        case .dayPublished: .dayPublished
        case .itemPublished: .itemPublished
        case .outcomeRecorded: .outcomeRecorded
        case .itemNotAttempted: .itemNotAttempted
        case .escalationHandled: .escalationHandled
        case .callAnnounced: .callAnnounced
        }
    }

    /// The calendar day the record belongs to: the day of the list for published items, the day
    /// it was recorded for outcomes and ingests.
    public var day: Day {
        switch self {
        case .ruleSetAdopted(let record): record.day
        case .extractIngested(let record): record.at.day
        case .outcomeFileIngested(let record): record.at.day
        case .cohortJoined(let record), .cohortLeft(let record): record.day
        case .dayPublished(let record): record.day
        case .itemPublished(let record): record.day
        case .outcomeRecorded(let record): record.recordedOn
        case .itemNotAttempted(let record): record.recordedOn
        case .escalationHandled(let record): record.on
        case .callAnnounced(let record): record.on
        }
    }

    /// The sorts of record. The raw value is the name the CSV export writes.
    public enum Kind: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
        case ruleSetAdopted = "rule_set_adopted"
        case extractIngested = "extract_ingested"
        case outcomeFileIngested = "outcome_file_ingested"
        case cohortJoined = "cohort_joined"
        case cohortLeft = "cohort_left"
        case dayPublished = "day_published"
        case itemPublished = "item_published"
        case outcomeRecorded = "outcome_recorded"
        case itemNotAttempted = "item_not_attempted"
        case escalationHandled = "escalation_handled"
        case callAnnounced = "call_announced"

        public var description: String { rawValue }

        /// The number that stands for this kind in the file. Never reuse or renumber one.
        var wireCode: UInt8 {
            switch self {
            case .ruleSetAdopted: 1
            case .extractIngested: 2
            case .outcomeFileIngested: 3
            case .cohortJoined: 4
            case .cohortLeft: 5
            case .dayPublished: 6
            case .itemPublished: 7
            case .outcomeRecorded: 8
            case .itemNotAttempted: 9
            case .escalationHandled: 10
            case .callAnnounced: 11
            }
        }
    }
}
