import Basics
import Journal
import TestSupport
import Testing

/// Appends that would make the history contradict itself are refused, and leave the file alone.
@Suite("Records refused on append")
struct ValidationTests {
    private static let tuesday = Sample.monday.adding(days: 1)
    private static let unknownItemOutcome = OutcomeRecorded(
        itemId: "never-published", nhsNumber: Sample.people[0], outcome: .reached,
        source: OutcomeSource(fileHash: Sample.returnedHash, row: 2), recordedOn: tuesday)

    static let refusals: [(name: String, batch: [JournalRecord], detail: String)] = [
        (
            "an outcome for an item never published", [.outcomeRecorded(unknownItemOutcome)],
            "outcome for item 'never-published', which was never published"
        ),
        (
            "an outcome whose NHS number is not the item's",
            [
                .outcomeRecorded(
                    OutcomeRecorded(
                        itemId: Sample.item1.itemId, nhsNumber: Sample.people[1], outcome: .reached,
                        source: OutcomeSource(fileHash: Sample.returnedHash, row: 2), recordedOn: tuesday))
            ],
            "outcome for item 'k1-3fa9c2' gives a different NHS number from the item's"
        ),
        (
            "call_back without a day",
            [
                .outcomeRecorded(
                    OutcomeRecorded(
                        itemId: Sample.item1.itemId, nhsNumber: Sample.people[0], outcome: .callBack,
                        source: OutcomeSource(fileHash: Sample.returnedHash, row: 2), recordedOn: tuesday))
            ],
            "outcome call_back for item 'k1-3fa9c2' has no call-back day"
        ),
        (
            "a call-back day on another outcome",
            [
                .outcomeRecorded(
                    OutcomeRecorded(
                        itemId: Sample.item1.itemId, nhsNumber: Sample.people[0], outcome: .declined,
                        callBackOn: tuesday,
                        source: OutcomeSource(fileHash: Sample.returnedHash, row: 2), recordedOn: tuesday))
            ],
            "outcome for item 'k1-3fa9c2' has a call-back day but is not call_back"
        ),
        (
            "a day published twice",
            [.dayPublished(DayPublished(day: tuesday, itemCount: 0, ruleVersion: Sample.rulesV1))],
            "day 2026-03-03 is already published"
        ),
        (
            "an item for a published day", [.itemPublished(with(Sample.item1) { $0.itemId = "late" })],
            "item 'late' is for day 2026-03-03, which is already published"
        ),
        (
            "an item id used twice", [.itemPublished(with(Sample.item1) { $0.day = tuesday.adding(days: 1) })],
            "item 'k1-3fa9c2' was already published"
        ),
        (
            "an attempt below 1",
            [
                .itemPublished(
                    with(Sample.item1) {
                        $0.itemId = "zero"
                        $0.day = tuesday.adding(days: 1)
                        $0.attempt = 0
                    })
            ],
            "item 'zero' has attempt 0"
        ),
        (
            "a day whose item count does not match",
            [
                .itemPublished(
                    with(Sample.item1) {
                        $0.itemId = "wed-1"
                        $0.day = tuesday.adding(days: 1)
                    }),
                .dayPublished(DayPublished(day: tuesday.adding(days: 1), itemCount: 2, ruleVersion: Sample.rulesV1)),
            ],
            "day 2026-03-04 published with 2 items, but 1 were recorded for it"
        ),
        (
            "a file ingested twice",
            [
                .outcomeFileIngested(
                    OutcomeFileIngested(
                        fileName: "copy.csv", contentHash: Sample.returnedHash, acceptedCount: 0, rejectedCount: 0,
                        emptyCount: 0,
                        at: LocalDateTime(day: tuesday, minuteOfDay: 0)))
            ],
            "file 'copy.csv' (sha256 \(Sample.returnedHash.shortHex)) was already ingested"
        ),
        (
            "joining a cohort one is in",
            [.cohortJoined(CohortMembershipChange(nhsNumber: Sample.people[0], cohort: "high_risk", day: tuesday))],
            "cohort_joined for someone already in cohort 'high_risk' (day 2026-03-03)"
        ),
        (
            "leaving a cohort one is not in",
            [.cohortLeft(CohortMembershipChange(nhsNumber: Sample.people[1], cohort: "carers", day: tuesday))],
            "cohort_left for someone not in cohort 'carers' (day 2026-03-03)"
        ),
        (
            "a not-attempted mark for an unknown item",
            [.itemNotAttempted(ItemNotAttempted(itemId: "ghost", reason: .notReturned, recordedOn: tuesday))],
            "item_not_attempted for item 'ghost', which was never published"
        ),
        (
            "a bad record after good ones in the same batch",
            [
                .ruleSetAdopted(RuleSetAdopted(version: Sample.extractHash, day: tuesday)),
                .outcomeRecorded(unknownItemOutcome),
            ],
            "outcome for item 'never-published', which was never published"
        ),
    ]

    @Test("refused, with a message naming no person, and nothing written", arguments: refusals.indices)
    func refused(_ index: Int) throws {
        let (name, batch, detail) = Self.refusals[index]
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            try write(Sample.batches, to: path)
            let before = try FileIO.readAll(path)
            let journal = try Journal(path: path)
            let history = journal.history
            let error = try #require(throws: JournalError.self, "\(name)") { try journal.append(contentsOf: batch) }
            #expect(error.code == .invalidRecord, "\(name)")
            #expect(error.detail == detail, "\(name)")
            #expect(error.message == "\(path): error: record refused: \(detail)")
            #expect(journal.history == history, "\(name)")
            journal.close()
            #expect(try FileIO.readAll(path) == before, "\(name)")
            for person in Sample.people { #expect(!error.message.contains(String(person)), "\(name)") }
        }
    }

    @Test("records in a batch may rely on the ones before them")
    func batchesSeeTheirOwnRecords() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            let wednesday = Sample.monday.adding(days: 2)
            let item = with(Sample.item2) {
                $0.itemId = "wed-1"
                $0.day = wednesday
            }
            let journal = try Journal(path: path)
            try journal.append(contentsOf: [
                .itemPublished(item),
                .dayPublished(DayPublished(day: wednesday, itemCount: 1, ruleVersion: Sample.rulesV1)),
                .outcomeRecorded(
                    OutcomeRecorded(
                        itemId: "wed-1", nhsNumber: item.nhsNumber, outcome: .noAnswer,
                        source: OutcomeSource(fileHash: Sample.returnedHash, row: 2), recordedOn: wednesday)),
                .cohortJoined(CohortMembershipChange(nhsNumber: item.nhsNumber, cohort: "carers", day: wednesday)),
                .cohortLeft(CohortMembershipChange(nhsNumber: item.nhsNumber, cohort: "carers", day: wednesday)),
            ])
            #expect(journal.history.recordCount == 5)
            #expect(journal.history.effectiveOutcome(of: "wed-1")?.outcome == .noAnswer)
        }
    }

    @Test("a record too large for the format is refused before anything is written")
    func tooLarge() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            try write(Array(Sample.batches.prefix(3)), to: path)
            let journal = try Journal(path: path)
            let size = journal.byteCount
            let huge = with(Sample.firstOutcome) {
                $0.notes = String(repeating: "x", count: JournalFormat.maximumPayloadLength)
            }
            let error = try #require(throws: JournalError.self) { try journal.append(.outcomeRecorded(huge)) }
            #expect(error.code == .recordTooLarge)
            #expect(journal.byteCount == size)
            try journal.append(.outcomeRecorded(Sample.firstOutcome))
            #expect(journal.history.effectiveOutcome(of: Sample.item1.itemId) == Sample.firstOutcome)
        }
    }

    @Test("a closed journal refuses appends and syncs")
    func closed() throws {
        try withTemporaryDirectory { folder in
            let journal = try Journal(path: FileIO.join(folder, "journal"))
            journal.close()
            journal.close()
            #expect(
                try #require(throws: JournalError.self) { try journal.append(Sample.batches[0][0]) }.code == .unusable)
            #expect(try #require(throws: JournalError.self) { try journal.sync() }.code == .unusable)
        }
    }
}

/// A copy of `value` changed by `change`.
func with<T>(_ value: T, _ change: (inout T) -> Void) -> T {
    var copy = value
    change(&copy)
    return copy
}
