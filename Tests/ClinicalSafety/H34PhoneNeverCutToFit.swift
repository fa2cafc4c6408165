import Testing

import Basics
import Operations
import Population
import TestSupport

/// H34: nobody is rung on a number cut or padded to fit. A phone cell with a digit too many
/// (`07700 9001234`) or too few (`020 7946 000`) reaches someone else or no one, so it gives no
/// number: the person is not listed on it, and the cell is in the extract's rejects with why.
@Suite("H34 No phone number is cut to fit")
struct H34PhoneNeverCutToFit {
    @Test func aNumberWithADigitTooManyOrTooFewIsReportedAndNeverCalled() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            var rows = spreadsheetImport(
                String(decoding: try FileIO.readAll(home.firstPatientsFile), as: UTF8.self), separators: [","])
            let practiceColumn = try #require(rows[0].firstIndex(of: "practice"))
            let mobileColumn = try #require(rows[0].firstIndex(of: "phone_mobile"))
            let homeColumn = try #require(rows[0].firstIndex(of: "phone_home"))
            let nhsColumn = try #require(rows[0].firstIndex(of: "nhs_number"))
            let birthColumn = try #require(rows[0].firstIndex(of: "date_of_birth"))
            let practice = rows[1][practiceColumn]
            #expect(try home.publish().lists.contains { $0.rows.contains { $0.practice == practice } })

            // Every mobile of the practice gets one digit more, every home number one digit fewer
            // (in the rows that are not rejected whole: those broken on purpose).
            var mangled = 0
            for index in 1..<rows.count where rows[index].count == rows[0].count {
                guard case .success = NHSNumber.parse(rows[index][nhsColumn]),
                    case .success = DateValue.parse(rows[index][birthColumn], latest: SafetyHome.monday)
                else { continue }
                if !rows[index][mobileColumn].isEmpty {
                    rows[index][mobileColumn] += "4"
                    mangled += 1
                }
                let cell = rows[index][homeColumn]
                if !cell.isEmpty {
                    let number = cell.hasSuffix(" ext 2") ? String(cell.dropLast(6)) : cell
                    rows[index][homeColumn] = String(number.dropLast()) + cell.dropFirst(number.count)
                    mangled += 1
                }
            }
            #expect(mangled > 100)
            let path = try home.write(spreadsheetSave(rows), as: FileIO.fileName(of: home.firstPatientsFile))
            let results = try home.ingest([path])
            guard case .ingested = results[0].outcome else {
                Issue.record("not taken: \(results[0].line)")
                return
            }
            let rejects = try FileIO.readText(try #require(results[0].rejectsFile))
            let phoneRejects = rejects.split(whereSeparator: \.isNewline).filter { $0.contains(",phone_") }
            #expect(phoneRejects.count == mangled)
            #expect(phoneRejects.allSatisfy { $0.hasSuffix(",value ignored") })
            #expect(
                phoneRejects.contains { $0.contains("more than a UK number beginning 07 has (11): never cut to fit") })
            #expect(phoneRejects.contains { $0.contains("fewer than a UK number beginning 02 has (11)") })

            // The next day: nobody of that practice has a number left to be rung on.
            let lists = try home.publish(SafetyHome.monday.adding(days: 1)).lists
            #expect(lists.contains { !$0.rows.isEmpty })
            #expect(!lists.contains { $0.rows.contains { $0.practice == practice } })
        }
    }
}
