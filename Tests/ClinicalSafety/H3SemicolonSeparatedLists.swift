import Testing

import Basics
import Journal
import Operations
import Planning
import TestSupport

/// H3, H26: a list saved with `;` between cells (Excel's default in much of Europe, an option in
/// every spreadsheet) is read as the worker filled it in, exactly as a `,`-separated one, and never
/// taken for an extract.
@Suite("H3 a list saved with ';' as separator is recorded like one saved with ','")
struct H3SemicolonSeparatedLists {
    /// Rows as a spreadsheet saves them with `;` between cells: a cell is quoted only when it
    /// holds `;`, a quote or a line end, so a comma in the notes stands unquoted.
    private func saveWithSemicolons(_ rows: [[String]]) -> String {
        rows.map { row in
            row.map { cell in
                cell.contains(";") || cell.contains("\"") || cell.contains("\n")
                    ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
            }.joined(separator: ";")
        }.joined(separator: "\r\n") + "\r\n"
    }

    @Test func aSemicolonSeparatedListIsRecordedAsWritten() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let list = try #require(try home.publish().lists.map(\.rows).first { $0.count >= 3 })
            var rows = spreadsheetImport(CallListFormat.csv(list), separators: [","])
            let outcome = try #require(CallListFormat.columns.firstIndex(of: "outcome"))
            let notes = try #require(CallListFormat.columns.firstIndex(of: "notes"))
            rows[1][outcome] = "reached"
            rows[1][notes] = "Spoke, all well; rang back later"
            rows[2][outcome] = "no_answer"
            let path = try home.write(saveWithSemicolons(rows), as: "\(SafetyHome.monday)-\(list[0].worker).csv")
            let results = try home.ingest([path])
            #expect(results.count == 1)
            #expect(results[0].rejectsFile == nil, "\(results[0].line)")
            let history = try home.history
            #expect(history.effectiveOutcome(of: list[0].itemID)?.outcome == .reached)
            #expect(history.effectiveOutcome(of: list[0].itemID)?.notes == "Spoke, all well; rang back later")
            #expect(history.effectiveOutcome(of: list[1].itemID)?.outcome == .noAnswer)
            #expect(list.dropFirst(2).allSatisfy { history.effectiveOutcome(of: $0.itemID) == nil })
        }
    }
}
