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
            }
        }
    }
}

/// A rule set took effect from `day`. Lists say which rule set planned them (``DayPublished``).
public struct RuleSetAdopted: Hashable, Sendable {
    /// The rule set's version: a hash of its files' contents.
    public var version: ContentHash
    public var day: Day

    public init(version: ContentHash, day: Day) {
        self.version = version
        self.day = day
    }
}

/// An extract file was validated and ingested.
public struct ExtractIngested: Hashable, Sendable {
    /// The file's name as it arrived in the inbox (no folder).
    public var fileName: String
    /// The file's bytes' SHA-256: the same bytes are never ingested twice.
    public var contentHash: ContentHash
    /// The ODS codes of the practices whose population this extract replaced.
    public var practices: [String]
    /// Patients read from the file.
    public var patientCount: Int
    /// Rows refused (written to the rejects report).
    public var rejectedRowCount: Int
    /// When it was ingested (the team's local time).
    public var at: LocalDateTime
    /// The day the practice's system ran the extract (its preamble's run date), when it says.
    /// Journals written before this field existed have `nil`.
    public var runDate: Day?
    /// Patients read for each of `practices`, in the same order (patients files written since this
    /// field existed; empty for events files and older records).
    public var practicePatientCounts: [Int]

    public init(
        fileName: String, contentHash: ContentHash, practices: [String], patientCount: Int, rejectedRowCount: Int,
        at: LocalDateTime, runDate: Day? = nil, practicePatientCounts: [Int] = []
    ) {
        self.fileName = fileName
        self.contentHash = contentHash
        self.practices = practices
        self.patientCount = patientCount
        self.rejectedRowCount = rejectedRowCount
        self.at = at
        self.runDate = runDate
        self.practicePatientCounts = practicePatientCounts
    }

    /// The day the extract describes: its run date, else the day it was ingested. A practice's
    /// data is as old as this, whenever it arrived.
    public var extractDate: Day { runDate ?? at.day }

    /// Patients this extract gave a practice, when that is known (a single-practice file, or a
    /// record with per-practice counts).
    public func patients(of practice: String) -> Int? {
        guard let index = practices.firstIndex(of: practice) else { return nil }
        if practicePatientCounts.count == practices.count { return practicePatientCounts[index] }
        return practices.count == 1 && practicePatientCounts.isEmpty ? patientCount : nil
    }
}

/// A returned call list was ingested. It is written after the file's outcome records, in the same
/// batch, so the file counts as ingested exactly when its rows are recorded.
public struct OutcomeFileIngested: Hashable, Sendable {
    /// The file's name as it arrived in the inbox (no folder).
    public var fileName: String
    /// The file's bytes' SHA-256: the same bytes are never ingested twice.
    public var contentHash: ContentHash
    /// Rows recorded as outcomes.
    public var acceptedCount: Int
    /// Rows refused with a reason (written to the rejects file).
    public var rejectedCount: Int
    /// Rows whose outcome was left empty (not attempted; not a reject).
    public var emptyCount: Int
    /// When it was ingested (the team's local time).
    public var at: LocalDateTime

    public init(
        fileName: String, contentHash: ContentHash, acceptedCount: Int, rejectedCount: Int, emptyCount: Int,
        at: LocalDateTime
    ) {
        self.fileName = fileName
        self.contentHash = contentHash
        self.acceptedCount = acceptedCount
        self.rejectedCount = rejectedCount
        self.emptyCount = emptyCount
        self.at = at
    }
}

/// A person joined or left a cohort on a day. The journal keeps the first joining day, so
/// "call within 14 days" counts from joining, not from the latest extract.
public struct CohortMembershipChange: Hashable, Sendable {
    /// The NHS number as an integer (10 digits).
    public var nhsNumber: UInt64
    /// The cohort's id from the rule files.
    public var cohort: String
    public var day: Day

    public init(nhsNumber: UInt64, cohort: String, day: Day) {
        self.nhsNumber = nhsNumber
        self.cohort = cohort
        self.day = day
    }
}

/// A working day's lists were published: `itemCount` items, planned under rule set `ruleVersion`.
public struct DayPublished: Hashable, Sendable {
    public var day: Day
    /// How many ``ItemPublished`` records for `day` precede this one (checked when appended).
    public var itemCount: Int
    public var ruleVersion: ContentHash

    public init(day: Day, itemCount: Int, ruleVersion: ContentHash) {
        self.day = day
        self.itemCount = itemCount
        self.ruleVersion = ruleVersion
    }
}

/// One call on one worker's list for one day: a row of a published call list.
public struct ItemPublished: Hashable, Sendable {
    /// The list item's id: unique, and not guessable from the NHS number.
    public var itemId: String
    /// The day of the list.
    public var day: Day
    /// The worker's id from the rule files.
    public var worker: String
    public var nhsNumber: UInt64
    /// The patient's practice (ODS code).
    public var practice: String
    /// The ids of the cohorts this call covers, in the list's order.
    public var cohorts: [String]
    /// The number of this call within its episode: 1 for a first call, 2 for the first retry.
    public var attempt: Int
    public var timeBand: TimeBand
    /// The case's priority (1 most urgent).
    public var priority: Int
    /// ``phoneFingerprint(of:)`` of the numbers the list showed, so a `wrong_number` can wait for
    /// an extract that brings a different number; 0 when the list showed none.
    public var phoneFingerprint: UInt64

    public init(
        itemId: String, day: Day, worker: String, nhsNumber: UInt64, practice: String, cohorts: [String],
        attempt: Int, timeBand: TimeBand, priority: Int, phoneFingerprint: UInt64
    ) {
        self.itemId = itemId
        self.day = day
        self.worker = worker
        self.nhsNumber = nhsNumber
        self.practice = practice
        self.cohorts = cohorts
        self.attempt = attempt
        self.timeBand = timeBand
        self.priority = priority
        self.phoneFingerprint = phoneFingerprint
    }

    /// A 64-bit fingerprint of a person's phone numbers (as normalised by the caller, in a fixed
    /// order), from their SHA-256: equal numbers give equal fingerprints; none give 0.
    public static func phoneFingerprint(of numbers: [String]) -> UInt64 {
        let present = numbers.filter { !$0.isEmpty }
        if present.isEmpty { return 0 }
        var hasher = SHA256()
        for number in present {
            hasher.update(Array(number.utf8))
            hasher.update([0])
        }
        let fingerprint = hasher.finalize().prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return fingerprint == 0 ? 1 : fingerprint
    }
}

/// Where an outcome came from: a row of a returned call list.
public struct OutcomeSource: Hashable, Sendable {
    /// The SHA-256 of the returned file.
    public var fileHash: ContentHash
    /// The row's line number in that file (the header is line 1).
    public var row: Int

    public init(fileHash: ContentHash, row: Int) {
        self.fileHash = fileHash
        self.row = row
    }
}

/// The outcome a worker recorded for a published item.
public struct OutcomeRecorded: Hashable, Sendable {
    public var itemId: String
    /// The item's NHS number, repeated so the record stands on its own in an audit (checked
    /// against the item when appended).
    public var nhsNumber: UInt64
    public var outcome: OutcomeCode
    /// The day the person asked to be rung: present exactly when `outcome` is `call_back`.
    public var callBackOn: Day?
    /// The worker's notes, as written. Patient data: exported for audit, never logged.
    public var notes: String
    public var source: OutcomeSource
    /// The day the outcome was ingested.
    public var recordedOn: Day

    public init(
        itemId: String, nhsNumber: UInt64, outcome: OutcomeCode, callBackOn: Day? = nil, notes: String = "",
        source: OutcomeSource, recordedOn: Day
    ) {
        self.itemId = itemId
        self.nhsNumber = nhsNumber
        self.outcome = outcome
        self.callBackOn = callBackOn
        self.notes = notes
        self.source = source
        self.recordedOn = recordedOn
    }

    /// Whether the two say the same thing about the call (code, call-back day, notes), whatever
    /// file or day they came from: recording the same thing again is not a supersession.
    public func saysTheSame(as other: OutcomeRecorded) -> Bool {
        itemId == other.itemId && outcome == other.outcome && callBackOn == other.callBackOn && notes == other.notes
    }
}

/// A published item that was not attempted (``NotAttemptedReason``).
public struct ItemNotAttempted: Hashable, Sendable {
    public var itemId: String
    public var reason: NotAttemptedReason
    /// The day this was recorded.
    public var recordedOn: Day

    public init(itemId: String, reason: NotAttemptedReason, recordedOn: Day) {
        self.itemId = itemId
        self.reason = reason
        self.recordedOn = recordedOn
    }
}

/// An escalation (an `urgent_concern` outcome) that the duty clinician has dealt with: recorded
/// from a returned escalations file whose `handled_by` cell is filled in.
public struct EscalationHandled: Hashable, Sendable {
    /// The item whose `urgent_concern` outcome raised the escalation.
    public var itemId: String
    /// Who dealt with it, as written (a clinician's name or role).
    public var handledBy: String
    /// The day it was recorded.
    public var on: Day

    public init(itemId: String, handledBy: String, on: Day) {
        self.itemId = itemId
        self.handledBy = handledBy
        self.on = on
    }
}
