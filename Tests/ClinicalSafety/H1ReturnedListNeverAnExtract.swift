import Testing
import Basics
import Journal
import Operations
import Planning
import TestSupport

/// H1: a damaged returned list must never be read as a patients extract (it would empty practices).
@Suite("H1 A returned list is never read as an extract")
struct H1ReturnedListNeverAnExtract {
    /// Monday's first list, as the worker received it.
    private func publishedList(_ home: SafetyHome) throws -> String {
        let result = try home.publish()
        let list = try #require(result.lists.first { !$0.rows.isEmpty })
        return CallListFormat.csv(list.rows)
    }

    /// The list with one column taken out, as a worker who deletes it in a spreadsheet saves it.
    private func deleting(_ column: String, from csv: String) -> String {
        let rows = spreadsheetImport(csv, separators: [","])
        let index = rows[0].firstIndex(of: column)!
        return spreadsheetSave(
            rows.map { row in
                var row = row
                row.remove(at: index)
                return row
            })
    }

    @Test func listWithoutItemIDIsRefusedAndPopulationUnchanged() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let csv = try publishedList(home)
            let before = try home.peopleInCohorts()
            let extractsBefore = try home.history.extracts.count
            let path = try home.write(deleting("item_id", from: csv), as: "gina-returned.csv")
            let results = try home.ingest([path])
            #expect(results.count == 1)
            guard case .failed(let reason) = results[0].outcome else {
                Issue.record("a list without item_id was taken: \(results[0].line)")
                return
            }
            #expect(results[0].kind == .returnedList)
            #expect(reason.contains("item_id"))
            #expect(try home.peopleInCohorts() == before, "nobody left a cohort")
            #expect(try home.history.extracts.count == extractsBefore, "no extract recorded")
            #expect(try FileIO.listDirectory(home.home.failed).contains { $0.hasSuffix("gina-returned.csv.error.txt") })
        }
    }

    @Test func listWithMisdecodedByteOrderMarkIsReadAsAList() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            var csv = try publishedList(home)
            csv = "ï»¿" + csv.replacingOccurrences(of: "\u{FEFF}", with: "")
            let before = try home.peopleInCohorts()
            let results = try home.ingest([try home.write(csv, as: "bom.csv")])
            #expect(results.map(\.kind) == [.returnedList])
            guard case .ingested = results[0].outcome else {
                Issue.record("not ingested: \(results[0].line)")
                return
            }
            #expect(try home.peopleInCohorts() == before)
        }
    }

    @Test func listWithATitleRowIsReadAsAList() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let csv = try publishedList(home)
            let titled = "Gina's calls for Monday,,,\r\n" + csv.replacingOccurrences(of: "\u{FEFF}", with: "")
            let results = try home.ingest([try home.write(titled, as: "titled.csv")])
            #expect(results.map(\.kind) == [.returnedList])
            guard case .ingested = results[0].outcome else {
                Issue.record("not ingested: \(results[0].line)")
                return
            }
            #expect(try home.history.extracts.count == 4)
        }
    }

    @Test func listWithoutOutcomeColumnIsRefused() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let csv = try publishedList(home)
            let before = try home.peopleInCohorts()
            let results = try home.ingest([try home.write(deleting("outcome", from: csv), as: "no-outcome.csv")])
            guard case .failed(let reason) = results[0].outcome else {
                Issue.record("a list without outcome was taken: \(results[0].line)")
                return
            }
            #expect(reason.contains("outcome"))
            #expect(try home.peopleInCohorts() == before)
        }
    }

    @Test func fileInOutcomesInboxIsNeverAnExtract() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            // A practice's own patients file dropped into the outcomes inbox by mistake.
            let path = FileIO.join(home.home.outcomesInbox, "practice.csv")
            try FileIO.writeAtomically(try FileIO.readAll(home.firstPatientsFile) + Array("\r\n".utf8), to: path)
            let extractsBefore = try home.history.extracts.count
            let results = try Ingestor.ingest(
                try HomeSession(home: home.home), paths: [path],
                at: LocalDateTime(day: SafetyHome.monday, minuteOfDay: 600), moveInputs: true)
            #expect(results.map(\.kind) == [.returnedList])
            guard case .failed = results[0].outcome else {
                Issue.record("taken: \(results[0].line)")
                return
            }
            #expect(try home.history.extracts.count == extractsBefore)
        }
    }
}
