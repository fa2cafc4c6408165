import Testing
import Basics
import Journal
@testable import Tooling
import Vocabulary

/// Every committed record in the journal at `path`, read without changing it.
func entries(at path: String) throws -> [JournalEntry] {
    var entries: [JournalEntry] = []
    try Journal.forEachEntry(at: path) { entries.append($0) }
    return entries
}

/// Writes `batches` to a new journal at `path`.
/// - Returns: the file's length after each batch: where each batch ends.
@discardableResult
func write(_ batches: [[JournalRecord]], to path: String) throws -> [Int] {
    let journal = try Journal(path: path)
    defer { journal.close() }
    var ends: [Int] = []
    for batch in batches {
        try journal.append(contentsOf: batch)
        ends.append(journal.byteCount)
    }
    try journal.sync()
    return ends
}

/// Replaces a file's contents (a test's way of simulating a crash or damage).
func overwrite(_ path: String, with bytes: [UInt8]) throws {
    try FileIO.writeAtomically(bytes, to: path)
}

/// A small, consistent history that uses every record kind, including a superseded outcome.
enum Sample {
    static let people = SyntheticJournal.testNHSNumbers(count: 3)
    static let monday = Day(year: 2026, month: 3, day: 2)!
    static let rulesV1 = ContentHash(of: Array("rules v1".utf8))
    static let extractHash = ContentHash(of: Array("practice-E82001.csv bytes".utf8))
    static let returnedHash = ContentHash(of: Array("aisha returned list".utf8))
    static let correctedHash = ContentHash(of: Array("aisha corrected list".utf8))
    static let notes = "Mrs Example said her son visits on Sundays"

    static let item1 = ItemPublished(
        itemId: "k1-3fa9c2", day: monday.adding(days: 1), worker: "aisha", nhsNumber: people[0], practice: "E82001",
        cohorts: ["high_risk", "lives_alone"], attempt: 1, timeBand: .morning, priority: 1,
        phoneFingerprint: ItemPublished.phoneFingerprint(of: ["07700900123"]))
    static let item2 = ItemPublished(
        itemId: "k2-77b0e1", day: monday.adding(days: 1), worker: "ben", nhsNumber: people[1], practice: "E82004",
        cohorts: ["carers"], attempt: 2, timeBand: .afternoon, priority: 3, phoneFingerprint: 0)

    static let firstOutcome = OutcomeRecorded(
        itemId: item1.itemId, nhsNumber: people[0], outcome: .reachedSupport, notes: notes,
        source: OutcomeSource(fileHash: returnedHash, row: 2), recordedOn: monday.adding(days: 2))
    static let correction = OutcomeRecorded(
        itemId: item1.itemId, nhsNumber: people[0], outcome: .callBack, callBackOn: monday.adding(days: 9),
        notes: "=cmd|' /C calc'!A0", source: OutcomeSource(fileHash: correctedHash, row: 2),
        recordedOn: monday.adding(days: 3))

    static let batches: [[JournalRecord]] = [
        [.ruleSetAdopted(RuleSetAdopted(version: rulesV1, day: monday))],
        [
            .cohortJoined(CohortMembershipChange(nhsNumber: people[0], cohort: "high_risk", day: monday)),
            .cohortJoined(CohortMembershipChange(nhsNumber: people[0], cohort: "lives_alone", day: monday)),
            .cohortJoined(CohortMembershipChange(nhsNumber: people[1], cohort: "carers", day: monday)),
            .extractIngested(
                ExtractIngested(
                    fileName: "practice-E82001.csv", contentHash: extractHash, practices: ["E82001", "E82004"],
                    patientCount: 10_412, rejectedRowCount: 3, at: LocalDateTime(day: monday, minuteOfDay: 6 * 60 + 5),
                    runDate: monday.adding(days: -1), practicePatientCounts: [10_000, 412])),
        ],
        [
            .itemPublished(item1), .itemPublished(item2),
            .dayPublished(DayPublished(day: monday.adding(days: 1), itemCount: 2, ruleVersion: rulesV1)),
        ],
        [
            .outcomeRecorded(firstOutcome),
            .itemNotAttempted(
                ItemNotAttempted(itemId: item2.itemId, reason: .returnedEmpty, recordedOn: monday.adding(days: 2))),
            .outcomeFileIngested(
                OutcomeFileIngested(
                    fileName: "2026-03-03-aisha.csv", contentHash: returnedHash, acceptedCount: 1, rejectedCount: 0,
                    emptyCount: 1, at: LocalDateTime(day: monday.adding(days: 2), minuteOfDay: 17 * 60 + 42))),
        ],
        [
            .outcomeRecorded(correction),
            .outcomeFileIngested(
                OutcomeFileIngested(
                    fileName: "2026-03-03-aisha (2).csv", contentHash: correctedHash, acceptedCount: 1,
                    rejectedCount: 0, emptyCount: 0, at: LocalDateTime(day: monday.adding(days: 3), minuteOfDay: 9 * 60)
                )),
            .escalationHandled(
                EscalationHandled(itemId: item1.itemId, handledBy: "Dr Example", on: monday.adding(days: 3))),
        ],
        [.cohortLeft(CohortMembershipChange(nhsNumber: people[1], cohort: "carers", day: monday.adding(days: 4)))],
        [
            .callAnnounced(
                CallAnnounced(
                    nhsNumber: people[2], day: monday.adding(days: 7), worker: "aisha", timeBand: .afternoon,
                    on: monday.adding(days: 4)))
        ],
    ]

    static var records: [JournalRecord] { batches.flatMap { $0 } }
}
