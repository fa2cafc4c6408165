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

extension H6RightPerson {
    /// Names as the practice wrote them, so the worker can confirm identity by name: characters
    /// whose UTF-8 ends in the byte A0 (à, Š, Ġ, Р, 蠠) are not garbled, and a surname that looks like
    /// a missing marker (`Na`, `NA`) is not dropped.
    @Test func namesReachTheCallListAsThePracticeWroteThem() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let names = [
                ("Rocà", "Na"), ("ПЕТР", "ИВАНОВ"), ("Šárka", "NA"), ("Ġorġ", "Borg"), ("Zoë", "蠠"), ("Àngel", "Rocà"),
            ]
            // The first practice's patients file again, every patient renamed, as Excel saves UTF-8.
            let source = home.firstPatientsFile
            let reader = try CSVReader(path: source)
            var writer = CSVWriter(lineEnd: "\r\n", neutraliseFormulas: false, byteOrderMark: true)
            var columns: (given: Int, family: Int, practice: Int)?
            var practice = ""
            var row = 0
            while try reader.next() {
                var cells = reader.record
                if let found = columns {
                    cells[found.given] = " \(names[row % names.count].0) "
                    cells[found.family] = names[row % names.count].1
                    practice = cells[found.practice]
                    row += 1
                } else if let given = cells.firstIndex(of: "given_name") {
                    columns = (given, cells.firstIndex(of: "family_name")!, cells.firstIndex(of: "practice")!)
                }
                writer.append(cells)
            }
            let renamed = FileIO.join(root, "renamed")
            try FileIO.createDirectory(renamed)
            let path = FileIO.join(renamed, FileIO.fileName(of: source))
            try FileIO.writeAtomically(text: writer.output, to: path)
            _ = try home.ingest([path])

            let expected = Set(names.map { "\($0.0) \($0.1)" })
            let lists = try home.publish().lists
            let rows = lists.flatMap(\.rows).filter { $0.practice == practice }
            try #require(!rows.isEmpty)
            for row in rows { #expect(expected.contains(row.name), "\(row.name)") }
            let nameColumn = CallListFormat.columns.firstIndex(of: "name")!
            for list in lists where !list.rows.isEmpty {
                let csv = spreadsheetImport(CallListFormat.csv(list.rows), separators: [","])
                let html = CallListFormat.html(
                    list.rows, workerName: list.name, worker: list.worker, date: SafetyHome.monday)
                for row in list.rows where row.practice == practice {
                    #expect(csv.contains { $0.first == row.itemID && $0[nameColumn] == row.name })
                    #expect(html.contains(row.name))
                }
            }
        }
    }
}
