import Testing
import Basics
import Operations
import Planning
import TestSupport

/// H6: the worker can confirm they are speaking to the right person.
@Suite("H6 The list lets the worker confirm identity")
struct H6RightPerson {
    @Test func callListShowsDateOfBirthAndLabelledPhones() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let list = try #require(try home.publish().lists.first { !$0.rows.isEmpty })
            let row = try #require(list.rows.first { $0.dateOfBirth != nil && !$0.phoneMobile.isEmpty })
            let columns = CallListFormat.columns
            #expect(columns[columns.firstIndex(of: "age")! + 1] == "date_of_birth")
            let csv = spreadsheetImport(CallListFormat.csv(list.rows), separators: [","])
            let cells = try #require(csv.first { $0.first == row.itemID })
            #expect(cells[columns.firstIndex(of: "date_of_birth")!] == row.dateOfBirth!.description)
            let html = CallListFormat.html(
                list.rows, workerName: list.name, worker: list.worker, date: SafetyHome.monday)
            #expect(html.contains("<dt>Date of birth</dt><dd>\(row.dateOfBirth!.humanDescription)"))
            #expect(html.contains("\(row.phoneMobile) (mobile)"))
        }
    }
}
