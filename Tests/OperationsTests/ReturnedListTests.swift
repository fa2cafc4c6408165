import Testing
import Basics
import Journal
@testable import Operations
@testable import Planning
import RuleLanguage
import TestSupport
import Vocabulary

/// Recording outcomes (scheduling.md): every rejection reason, good rows kept beside bad ones,
/// idempotence and supersession.
@Suite struct ReturnedListTests {
    /// A home with one published day, and the rows of its first list.
    private func published(in root: String) throws -> (HomeSession, [CallListRow]) {
        let day = Day(iso: "2026-11-02")!
        let (session, _) = try homeWithPopulation("returned", patients: 600, asOf: day, in: root)
        let result = try Publisher.publish(session, day: day)
        let rows = result.lists.flatMap(\.rows)
        #expect(rows.count >= 6)
        return (session, rows)
    }

    private func csv(_ rows: [[String]]) -> [UInt8] {
        var writer = CSVWriter(lineEnd: "\r\n", neutraliseFormulas: false, byteOrderMark: true)
        writer.append(["item_id", "nhs_number", "outcome", "call_back_on", "notes"])
        for row in rows { writer.append(row) }
        return Array(writer.output.utf8)
    }

    private let at = LocalDateTime(day: Day(iso: "2026-11-02")!, minuteOfDay: 17 * 60)

    @Test func eachReasonIsRejectedAndGoodRowsAreKept() throws {
        try withTemporaryDirectory { root in
            let (session, rows) = try published(in: root)
            let nhs = { (index: Int) in String(rows[index].nhsNumber) }
            let bytes = csv([
                [rows[0].itemID, nhs(0), "reached", "", "All well"],
                ["", nhs(1), "reached", "", ""],
                ["20991231-nobody-001", nhs(1), "reached", "", ""],
                [rows[1].itemID, nhs(2), "reached", "", ""],
                [rows[2].itemID, nhs(2), "reachd", "", ""],
                [rows[3].itemID, nhs(3), "call_back", "", ""],
                [rows[4].itemID, nhs(4), "call_back", "next week", ""],
                [rows[5].itemID, nhs(5), "call_back", "2026-11-01", ""],
                [rows[0].itemID, nhs(0), "declined", "", ""],
                [rows[1].itemID, nhs(1), "No answer", "", ""],
                [rows[6].itemID, "9.99001E+09", "reached", "", ""],
            ])
            let list = try ReturnedListReader.read(
                bytes: bytes, fileName: "back.csv", history: session.journal.history, at: at)
            let reasons = list.rejects.map(\.reason)
            #expect(
                reasons == [
                    "no item_id: rows can only record outcomes for published list items",
                    "item_id '20991231-nobody-001' was never published",
                    "nhs_number does not match item \(rows[1].itemID)",
                    "unknown outcome 'reachd'; did you mean 'reached'?",
                    "call_back needs a call_back_on date",
                    "call_back_on 'next week' is not a date (write it as YYYY-MM-DD)",
                    "call_back_on 2026-11-01 is not after the call on 2026-11-02",
                    "item \(rows[0].itemID) appears twice in this file (first on line 2) with different entries",
                    "nhs_number was rounded by Excel (like 9.99001E+09), losing digits: export the column as text",
                ])
            #expect(list.rejects.map(\.line) == [3, 4, 5, 6, 7, 8, 9, 10, 12])
            #expect(
                list.rejects.map(\.column) == [
                    "item_id", "item_id", "nhs_number", "outcome", "call_back_on", "call_back_on", "call_back_on",
                    "item_id",
                    "nhs_number",
                ])
            // The good rows, before and after the bad ones, are kept.
            #expect(list.accepted == 2)
            let outcomes = list.records.compactMap { record -> OutcomeCode? in
                if case .outcomeRecorded(let outcome) = record { return outcome.outcome } else { return nil }
            }
            #expect(outcomes == [.reached, .noAnswer])
            #expect(list.rejectsCSV.contains("line,column,item_id,reason"))
        }
    }

    @Test func ingestingTheSameFileTwiceChangesNothing() throws {
        try withTemporaryDirectory { root in
            let (session, rows) = try published(in: root)
            let folder = FileIO.join(root, "returned-lists")
            try FileIO.createDirectory(folder)
            let path = FileIO.join(folder, "gina.csv")
            try FileIO.writeAtomically(csv([[rows[0].itemID, String(rows[0].nhsNumber), "reached", "", ""]]), to: path)
            _ = try Ingestor.ingest(session, paths: [path], at: at, moveInputs: false)
            let before = session.journal.history.recordCount
            let again = try Ingestor.ingest(session, paths: [path], at: at, moveInputs: false)
            #expect(again.first?.outcome == .alreadyIngested)
            #expect(session.journal.history.recordCount == before)

            // The same rows in a different file (a re-saved copy): nothing new is recorded either.
            let copy = FileIO.join(folder, "gina-copy.csv")
            try FileIO.writeAtomically(csv([[rows[0].itemID, String(rows[0].nhsNumber), "Reached", "", ""]]), to: copy)
            _ = try Ingestor.ingest(session, paths: [copy], at: at, moveInputs: false)
            #expect(session.journal.history.count(of: .outcomeRecorded) == 1)
        }
    }

    @Test func aLaterDifferentOutcomeSupersedesAndBothStay() throws {
        try withTemporaryDirectory { root in
            let (session, rows) = try published(in: root)
            let folder = FileIO.join(root, "returned-lists")
            try FileIO.createDirectory(folder)
            let first = FileIO.join(folder, "first.csv")
            let second = FileIO.join(folder, "second.csv")
            try FileIO.writeAtomically(
                csv([[rows[0].itemID, String(rows[0].nhsNumber), "no_answer", "", ""]]), to: first)
            try FileIO.writeAtomically(
                csv([[rows[0].itemID, String(rows[0].nhsNumber), "reached", "", "Rang back"]]), to: second)
            _ = try Ingestor.ingest(session, paths: [first], at: at, moveInputs: false)
            _ = try Ingestor.ingest(session, paths: [second], at: at, moveInputs: false)
            let history = session.journal.history
            #expect(history.effectiveOutcome(of: rows[0].itemID)?.outcome == .reached)
            #expect(history.outcomeHistory(of: rows[0].itemID).map(\.outcome) == [.noAnswer, .reached])
        }
    }

    @Test func anEmptyOutcomeIsNotARejectButNotAttempted() throws {
        try withTemporaryDirectory { root in
            let (session, rows) = try published(in: root)
            let list = try ReturnedListReader.read(
                bytes: csv([[rows[0].itemID, String(rows[0].nhsNumber), "", "", ""]]), fileName: "empty.csv",
                history: session.journal.history, at: at)
            #expect(list.rejects.isEmpty)
            #expect(list.empty == 1)
            #expect(list.records.contains { if case .itemNotAttempted = $0 { return true } else { return false } })
        }
    }

    @Test func aFileWithoutTheColumnsIsRefusedAsAWhole() throws {
        try withTemporaryDirectory { root in
            let (session, _) = try published(in: root)
            #expect(throws: OutreachError.self) {
                try ReturnedListReader.read(
                    bytes: Array("item_id,result\r\nx,reached\r\n".utf8), fileName: "odd.csv",
                    history: session.journal.history,
                    at: at)
            }
        }
    }

    @Test func anExactlyRepeatedRowIsCountedAsTheRowItRepeatsAndRecordedOnce() throws {
        try withTemporaryDirectory { root in
            let (session, rows) = try published(in: root)
            let nhs = { (index: Int) in String(rows[index].nhsNumber) }
            let bytes = csv([
                [rows[0].itemID, nhs(0), "reached", "", "All well"],
                [rows[0].itemID, nhs(0), "reached", "", "All well"],
                [rows[1].itemID, nhs(1), "", "", ""],
                [rows[1].itemID, nhs(1), "", "", ""],
                [rows[2].itemID, nhs(2), "reachd", "", ""],
                [rows[2].itemID, nhs(2), "reachd", "", ""],
                [rows[3].itemID, nhs(3), "no_answer", "", ""],
                [rows[3].itemID, nhs(3), "declined", "", ""],
            ])
            let list = try ReturnedListReader.read(
                bytes: bytes, fileName: "twice.csv", history: session.journal.history, at: at)
            #expect(list.accepted == 2)
            #expect(list.unchanged == 1)
            #expect(list.empty == 2)
            // The bad row and its repeat are both rejected, so the worker sees both.
            #expect(list.rejects.map(\.line) == [6, 7, 9])
            #expect(
                list.rejects.map(\.reason) == [
                    "unknown outcome 'reachd'; did you mean 'reached'?",
                    "unknown outcome 'reachd'; did you mean 'reached'? (as on line 6)",
                    "item \(rows[3].itemID) appears twice in this file (first on line 8) with different entries",
                ])
            #expect(list.accepted + list.unchanged + list.empty + list.rejects.count == 8)
            let recorded = list.records.filter { if case .outcomeRecorded = $0 { true } else { false } }
            #expect(recorded.count == 2)
            let notAttempted = list.records.filter { if case .itemNotAttempted = $0 { true } else { false } }
            #expect(notAttempted.count == 1)
        }
    }

    @Test func anEscalationMarkedHandledTwiceCountsAsUnchanged() throws {
        try withTemporaryDirectory { root in
            let (session, rows) = try published(in: root)
            let folder = FileIO.join(root, "returned-lists")
            try FileIO.createDirectory(folder)
            let path = FileIO.join(folder, "gina.csv")
            try FileIO.writeAtomically(
                csv([[rows[0].itemID, String(rows[0].nhsNumber), "urgent_concern", "", "Disclosed abuse"]]), to: path)
            _ = try Ingestor.ingest(session, paths: [path], at: at, moveInputs: false)
            var writer = CSVWriter(lineEnd: "\r\n", neutraliseFormulas: false, byteOrderMark: true)
            writer.append(["item_id", "handled_by"])
            for row in [
                [rows[0].itemID, "Dr Patel"], [rows[0].itemID, "Dr Patel"], [rows[1].itemID, ""],
                [rows[2].itemID, "Dr Patel"],
            ] { writer.append(row) }
            let list = try ReturnedListReader.read(
                bytes: Array(writer.output.utf8), fileName: "escalations-back.csv", history: session.journal.history,
                at: at)
            #expect([list.accepted, list.unchanged, list.empty, list.rejects.count] == [1, 1, 1, 1])
        }
    }

    /// For random returned lists (seeded) of good rows, exact repeats, different repeats, empty
    /// outcomes, bad cells and blank lines, every data row is in exactly one count, each outcome is
    /// recorded at most once, and the file's journal record says what the summary says.
    @Test func everyRowOfARandomReturnedListIsCountedOnce() throws {
        try withTemporaryDirectory { root in
            let (session, rows) = try published(in: root)
            // Some outcomes already in the journal, so that rows giving them again are unchanged.
            let folder = FileIO.join(root, "returned-lists")
            try FileIO.createDirectory(folder)
            let earlier = FileIO.join(folder, "earlier.csv")
            try FileIO.writeAtomically(
                csv([
                    [rows[0].itemID, String(rows[0].nhsNumber), "reached", "", ""],
                    [rows[1].itemID, String(rows[1].nhsNumber), "no_answer", "", ""],
                ]), to: earlier)
            _ = try Ingestor.ingest(session, paths: [earlier], at: at, moveInputs: false)
            let history = session.journal.history
            let items = Array(rows.prefix(8))
            for seed in UInt64(1)...150 {
                var random = SeededRandom(seed: seed)
                func pick<T>(_ choices: [T]) -> T { choices[Int(random.next() % UInt64(choices.count))] }
                var written: [[String]] = []
                var dataRows = 0
                for _ in 0..<Int(1 + random.next() % 30) {
                    if !written.isEmpty, random.chance(0.25) {
                        // An exact repeat of an earlier row (blank ones included).
                        let again = pick(written)
                        written.append(again)
                        if again.contains(where: { !$0.isEmpty }) { dataRows += 1 }
                        continue
                    }
                    if random.chance(0.05) {
                        written.append(["", "", "", "", ""])
                        continue
                    }
                    let item = pick(items)
                    let outcome = pick([
                        "reached", "Reached", "no_answer", "declined", "voicemail", "call_back", "urgent_concern", "",
                        "", "reachd", "#N/A",
                    ])
                    var row = [
                        pick([item.itemID, item.itemID, item.itemID, item.itemID, "", "20991231-nobody-001"]),
                        pick([String(item.nhsNumber), String(item.nhsNumber), String(item.nhsNumber), "9.99001E+09"]),
                        outcome,
                        pick(["", "", "2026-11-09", "2026-11-01", "soon"]),
                        pick(["", "", "Rang twice", "#VALUE!"]),
                    ]
                    if random.chance(0.05) { row.append("shifted") }
                    written.append(row)
                    dataRows += 1
                }
                let list = try ReturnedListReader.read(
                    bytes: csv(written), fileName: "random-\(seed).csv", history: history, at: at)
                let context = Comment(rawValue: "seed \(seed): \(written)")
                #expect(list.accepted + list.unchanged + list.empty + list.rejects.count == dataRows, context)
                var recordedItems: [String] = []
                var fileRecord: OutcomeFileIngested?
                for record in list.records {
                    if case .outcomeRecorded(let outcome) = record { recordedItems.append(outcome.itemId) }
                    if case .outcomeFileIngested(let file) = record { fileRecord = file }
                }
                #expect(recordedItems.count == list.accepted, context)
                #expect(Set(recordedItems).count == recordedItems.count, context)
                #expect(fileRecord?.acceptedCount == list.accepted, context)
                #expect(fileRecord?.rejectedCount == list.rejects.count, context)
                #expect(fileRecord?.emptyCount == list.empty, context)
                #expect(Set(list.rejects.map(\.line)).count == list.rejects.count, context)
            }
        }
    }

    @Test func callListsNeutraliseFormulasAndOpenInExcel() {
        let row = CallListRow(
            itemID: "20261102-gina-001", date: Day(iso: "2026-11-02")!, worker: "gina", band: .morning,
            practice: "E82001",
            nhsNumber: 9_990_000_018, name: "=HYPERLINK(\"http://x\")", age: 80, dateOfBirth: Day(iso: "1946-05-01"),
            phoneMobile: "07700 900123",
            phoneHome: "", preferredLanguage: "English", interpreterNeeded: false, cohorts: ["high_risk"], priority: 1,
            reasons: ["@SUM(1)"], talkAbout: [], attempt: 1, kind: .first, lastOutcome: nil, lastCalledOn: nil,
            lastWorker: nil)
        let csv = CallListFormat.csv([row])
        #expect(
            csv.hasPrefix(
                "\u{FEFF}item_id,date,worker,time_band,practice,nhs_number,name,age,date_of_birth,phone_mobile,"))
        #expect(csv.contains("\r\n"))
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""))
        #expect(csv.contains(",'@SUM(1),"))
        let html = CallListFormat.html([row], workerName: "Gina <b>", worker: "gina", date: row.date)
        #expect(!html.contains("<b>"))
        #expect(html.contains("Gina &lt;b&gt;"))
        #expect(html.contains("=HYPERLINK(&quot;http://x&quot;)"))
    }
}
