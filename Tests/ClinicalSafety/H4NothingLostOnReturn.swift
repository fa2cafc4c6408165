import Testing
import Basics
import Journal
import Operations
import Planning
import TestSupport

/// H4: nothing a worker wrote on a returned list is lost or stored wrongly without a word.
@Suite("H4 Nothing is lost silently on return")
struct H4NothingLostOnReturn {
    private func returned(_ home: SafetyHome, _ fill: (inout [[String]]) -> Void) throws -> (
        IngestResult, [CallListRow]
    ) {
        let list = try #require(try home.publish().lists.first { $0.rows.count >= 3 }).rows
        var rows = spreadsheetImport(CallListFormat.csv(list), separators: [","])
        fill(&rows)
        let results = try home.ingest([try home.write(spreadsheetSave(rows), as: "returned.csv")])
        return (results[0], list)
    }

    private let outcome = CallListFormat.columns.firstIndex(of: "outcome")!
    private let notes = CallListFormat.columns.firstIndex(of: "notes")!

    @Test func notesWithoutAnOutcomeAreRejected() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let (result, list) = try returned(home) { rows in
                rows[1][notes] = "Spoke to daughter, mum in hospital"
            }
            let rejects = String(decoding: try FileIO.readAll(try #require(result.rejectsFile)), as: UTF8.self)
            #expect(rejects.contains(list[0].itemID))
            #expect(rejects.contains("no outcome, but notes written"))
            #expect(try home.history.status(of: list[0].itemID) == .awaitingOutcome, "not marked as left empty")
        }
    }

    @Test func spreadsheetErrorValuesAreRejected() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let (result, list) = try returned(home) { rows in
                rows[1][outcome] = "reached"
                rows[1][notes] = "#NAME?"
                rows[2][outcome] = "Err:509"
                rows[3][outcome] = "#REF!"
            }
            let history = try home.history
            for row in list.prefix(3) { #expect(history.effectiveOutcome(of: row.itemID) == nil) }
            let rejects = String(decoding: try FileIO.readAll(try #require(result.rejectsFile)), as: UTF8.self)
            for value in ["#NAME?", "Err:509", "#REF!"] { #expect(rejects.contains("spreadsheet error '\(value)'")) }
        }
    }
}
