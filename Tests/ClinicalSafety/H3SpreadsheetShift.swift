import Testing
import Basics
import Journal
import Operations
import Planning
import TestSupport

/// H3: a spreadsheet that splits cells on `;` must not invent or move outcomes.
@Suite("H3 A spreadsheet that splits on ';' cannot invent calls")
struct H3SpreadsheetShift {
    @Test func cellsWithSemicolonsAndTabsAreQuoted() {
        #expect(CSVWriter.escape("high_risk; carers") == "\"high_risk; carers\"")
        #expect(CSVWriter.escape("a\tb") == "\"a\tb\"")
        let rows = spreadsheetImport("x,\"high_risk; carers\",y\r\n", separators: [",", ";"])
        #expect(rows == [["x", "high_risk; carers", "y"]])
    }

    /// Monday's lists with cohorts or prompts joined by `; `, and the journal before any return.
    private func lists(_ home: SafetyHome) throws -> [[CallListRow]] {
        let result = try home.publish()
        let lists = result.lists.map(\.rows).filter { !$0.isEmpty }
        let joined = lists.joined().filter { $0.cohorts.count > 1 || $0.talkAbout.count > 1 || $0.reasons.count > 1 }
        #expect(!joined.isEmpty, "the fixture must have rows whose cells hold '; '")
        return lists
    }

    /// A list as an older version wrote it: `;` left unquoted.
    private func unquotedSemicolons(_ rows: [CallListRow]) -> String {
        var text = "\u{FEFF}" + CallListFormat.columns.joined(separator: ",") + "\r\n"
        for row in rows {
            text +=
                CallListFormat.cells(row).map { cell in
                    cell.contains(",") || cell.contains("\"")
                        ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
                }.joined(separator: ",") + "\r\n"
        }
        return text
    }

    @Test func semicolonSplitRoundTripRecordsNothingForEmptyRowsAndRejectsShiftedRows() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let lists = try lists(home)
            // Today's lists: quoted, so the import keeps every cell whole; one row filled in.
            let rows = spreadsheetImport(CallListFormat.csv(lists[0]), separators: [",", ";"])
            #expect(rows.allSatisfy { $0.count == CallListFormat.columns.count })
            var filled = rows
            filled[1][CallListFormat.columns.firstIndex(of: "outcome")!] = "reached"
            let quoted = try home.ingest([try home.write(spreadsheetSave(filled), as: "quoted.csv")])
            #expect(quoted[0].rejectsFile == nil)
            var history = try home.history
            let recorded = lists[0].filter { history.effectiveOutcome(of: $0.itemID) != nil }
            #expect(recorded.map(\.itemID) == [lists[0][0].itemID], "one outcome, for the row the worker filled")

            // A list written before cells with ';' were quoted: the import shifts those rows.
            let all = Array(lists.joined().dropFirst())
            let shifted = spreadsheetImport(unquotedSemicolons(all), separators: [",", ";"])
            let shiftedRows = shifted.dropFirst().filter { $0.count > CallListFormat.columns.count }.count
            #expect(shiftedRows > 0)
            let results = try home.ingest([try home.write(spreadsheetSave(shifted), as: "old.csv")])
            history = try home.history
            #expect(all.allSatisfy { history.effectiveOutcome(of: $0.itemID) == nil }, "no call was invented")
            let rejects = String(decoding: try FileIO.readAll(try #require(results[0].rejectsFile)), as: UTF8.self)
            let rejectRows = rejects.split(separator: "\r\n").dropFirst()
            #expect(rejectRows.count == shiftedRows, "every shifted row is a reject")
            #expect(rejectRows.allSatisfy { $0.contains("shifted") || $0.contains("moved") })
        }
    }

    @Test func rowWhoseWrittenColumnsDifferFromThePublishedItemIsRejected() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let list = try lists(home)[0]
            var rows = spreadsheetImport(CallListFormat.csv(list), separators: [","])
            let outcome = CallListFormat.columns.firstIndex(of: "outcome")!
            for index in 1..<rows.count { rows[index][outcome] = "reached" }
            rows[1][CallListFormat.columns.firstIndex(of: "attempt")!] = "7"
            if rows.count > 2 { rows[2][CallListFormat.columns.firstIndex(of: "worker")!] = "someone" }
            if rows.count > 3 { rows[3][CallListFormat.columns.firstIndex(of: "date")!] = "2026-11-24" }
            // A spreadsheet's re-typed date is still the same day.
            if rows.count > 4 { rows[4][CallListFormat.columns.firstIndex(of: "date")!] = "23/11/2026" }
            let results = try home.ingest([try home.write(spreadsheetSave(rows), as: "edited.csv")])
            let history = try home.history
            #expect(history.effectiveOutcome(of: list[0].itemID) == nil)
            if list.count > 2 { #expect(history.effectiveOutcome(of: list[1].itemID) == nil) }
            if list.count > 3 { #expect(history.effectiveOutcome(of: list[2].itemID) == nil) }
            if list.count > 4 { #expect(history.effectiveOutcome(of: list[3].itemID)?.outcome == .reached) }
            let rejects = String(decoding: try FileIO.readAll(try #require(results[0].rejectsFile)), as: UTF8.self)
            #expect(rejects.contains("attempt does not match"))
        }
    }
}
