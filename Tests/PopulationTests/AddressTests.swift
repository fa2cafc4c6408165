import Basics
import Foundation
import Testing

@testable import Population
import TestSupport
import Vocabulary

/// Postal address lines (`address_line_1`…`address_line_5`): optional contact columns, read as
/// written under every profile's own headers.
@Suite struct AddressTests {
    let header = "nhs_number,practice,date_of_birth,postcode"

    @Test func readsTheCanonicalColumnsAndLeavesBlankLinesOut() throws {
        let text =
            header + ",address_line_1,address_line_2,address_line_3,address_line_4,address_line_5\n"
            + "\(Numbers.a),E82001,1950-01-02,SG1 1AA, Flat 2 ,1 High St,,Hertford,NULL\n"
            + "\(Numbers.b),E82001,1960-01-02,SG1 1AB,,,N/A,,\n"
        let population = try read([("p.csv", text)]).population
        #expect(population.addressLines(of: 0) == ["Flat 2", "1 High St", "Hertford"])
        #expect(population.addressLines(of: 1) == [])
        #expect(population.presentColumns.isSuperset(of: CanonicalColumn.addressLines))
        #expect(population.record(0).addressLines == ["Flat 2", "1 High St", "Hertford"])
        #expect(population.addressColumns.count == 5)
        #expect(population.addressColumns[2] == [nil, nil])
    }

    @Test(arguments: [
        ("emis", "NHS Number,Date of Birth,House Name/Flat Number,Number and Street,Village,Town,County"),
        ("emis", "NHS Number,Date of Birth,Address Line 1,Address Line 2,Address Line 3,Address Line 4,Address Line 5"),
        ("systmone", "NHS number,Date of birth,House name,Road,Locality,Post town,County"),
        (
            "systmone",
            "NHS number,Date of birth,Address line 1,Address line 2,Address line 3,Address line 4,Address line 5"
        ),
        ("vision", "NHS Number,DOB,Address 1,Address 2,Address 3,Address 4,Address 5"),
        (
            "canonical",
            "nhs_number,date_of_birth,Address_Line_1,address line 2,ADDRESS-LINE-3,addressLine4,address_line_5"
        ),
    ])
    func mapsEachProfilesAddressHeadersToLinesOneToFive(_ profile: String, _ headers: String) throws {
        let text = headers + "\n\(Numbers.a),02/01/1950,The Old Forge,12 Mill Lane,Little Wymondley,Hitchin,Herts\n"
        for forced in [nil, profile] {
            let options = ReadOptions(
                profile: forced, maxRejectRate: 1, today: day("2024-03-01"))
            let extract = try read([("practice-E82001.csv", text)], options: options)
            let population = extract.population
            #expect(extract.files[0].layout.profile == profile, "\(headers)")
            #expect(
                population.addressLines(of: 0) == [
                    "The Old Forge", "12 Mill Lane", "Little Wymondley", "Hitchin", "Herts",
                ],
                "\(headers)")
            #expect(extract.files[0].layout.columns.filter { $0.canonical == nil }.isEmpty, "\(headers)")
        }
    }

    @Test func aFileWithoutAddressesReadsAsBefore() throws {
        let text =
            header + ",given_name,phone_mobile\n" + "\(Numbers.a),E82001,1950-01-02,SG1 1AA,Ann,07700 900123\n"
            + "\(Numbers.a),E82001,1950-01-02,SG1 1AA,Ann,07700 900123\n"
            + "\(Numbers.badCheck),E82001,1950-01-02,x,y,z\n"
        let extract = try read([("p.csv", text)])
        let population = extract.population
        #expect(population.count == 1)
        #expect(population.addressLines(of: 0) == [])
        #expect(population.addressColumns.isEmpty)
        #expect(population.presentColumns.isDisjoint(with: CanonicalColumn.addressLines))
        #expect(population.record(0).addressLines == [])
        #expect(
            extract.rejects.entries.map { "\($0.line) \($0.column) \($0.problem) \($0.action)" } == [
                "3 nhs_number repeatedRow duplicate", "4 nhs_number nhsCheckDigit rowRejected",
            ])
    }

    @Test func readsWindows1252AndUTF8AddressTextBackExactly() throws {
        let head = Array((header + ",address_line_1,address_line_2\n").utf8)
        // "Brontë Cottage" and "Café Row, Søndergård" in Windows-1252 (EB, E9, F8, E5) and in UTF-8.
        var windows = head + Array("\(Numbers.a),E82001,1950-01-02,SG1 1AA,Bront".utf8) + [0xEB]
        windows += Array(" Cottage,\"Caf".utf8) + [0xE9] + Array(" Row, S".utf8) + [0xF8] + Array("nderg".utf8)
        windows += [0xE5] + Array("rd\"\r\n".utf8)
        let utf8 = head + Array("\(Numbers.a),E82001,1950-01-02,SG1 1AA,Brontë Cottage,\"Café Row, Søndergård\"\n".utf8)
        for bytes in [windows, utf8] {
            let population = try readBytes([("p.csv", bytes)]).population
            #expect(population.addressLines(of: 0) == ["Brontë Cottage", "Café Row, Søndergård"])
        }
        // No-break spaces at the ends are trimmed without cutting a UTF-8 character.
        let spaced = head + Array("\(Numbers.a),E82001,1950-01-02,SG1 1AA,\u{A0}Ρόδος\u{A0},à\n".utf8)
        #expect(try readBytes([("p.csv", spaced)]).population.addressLines(of: 0) == ["Ρόδος", "à"])
    }

    @Test func readsAQuotedCellWithACommaAndALineBreakWhole() throws {
        let text =
            header + ",address_line_1,address_line_2\n"
            + "\(Numbers.a),E82001,1950-01-02,SG1 1AA,\"Flat 2, Mill House\",\"1 High St\r\nHertford\"\n"
            + "\(Numbers.badCheck),E82001,1950-01-02,SG1 1AA,x,y\n"
        let extract = try read([("p.csv", text)])
        #expect(extract.population.addressLines(of: 0) == ["Flat 2, Mill House", "1 High St\r\nHertford"])
        #expect(rowRejects(extract.rejects) == ["p.csv:4 nhs_number nhsCheckDigit"])
    }

    @Test func aReportSplitOverFilesTakesTheAddressWholeFromOneFile() throws {
        let main =
            header + ",address_line_1,address_line_2\n" + "\(Numbers.a),E82001,1950-01-02,SG1 1AA,,\n"
            + "\(Numbers.b),E82001,1950-01-02,SG1 1AA,1 High St,\n"
        let more =
            "nhs_number,practice,address_line_1,address_line_2,address_line_3\n"
            + "\(Numbers.a),E82001,2 Low St,Hitchin,Herts\n" + "\(Numbers.b),E82001,,9 Other Rd,Elsewhere\n"
        let population = try read([("main.csv", main), ("more.csv", more)]).population
        #expect(population.addressLines(of: population.index(of: 9_990_010_013)!) == ["2 Low St", "Hitchin", "Herts"])
        // Patient b has an address already: the other file's lines are not mixed into it.
        #expect(population.addressLines(of: population.index(of: 9_990_010_021)!) == ["1 High St"])
    }

    @Test func aRepeatedRowWithAnotherAddressIsAConflict() throws {
        let text =
            header + ",address_line_1\n" + "\(Numbers.a),E82001,1950-01-02,SG1 1AA,1 High St\n"
            + "\(Numbers.a),E82001,1950-01-02,SG1 1AA,2 Low St\n"
        let extract = try read([("p.csv", text)])
        #expect(extract.population.addressLines(of: 0) == ["1 High St"])
        #expect(extract.rejects.entries.map(\.detail) == ["address_line_1 differs; kept p.csv:2"])
    }

    @Test func aCommandThatSkipsContactDetailsSkipsAddresses() throws {
        let text = header + ",address_line_1\n" + "\(Numbers.a),E82001,1950-01-02,SG1 1AA,1 High St\n"
        var options = ReadOptions(maxRejectRate: 1, today: day("2024-03-01"))
        options.unreadContactDetails = CanonicalColumn.contactDetails
        #expect(try read([("p.csv", text)], options: options).population.addressLines(of: 0) == [])
        #expect(CanonicalColumn.addressLines.allSatisfy(CanonicalColumn.contactDetails.contains))
    }

    /// Any address text (commas, quotes, line breaks, non-ASCII, missing markers), written as a
    /// CSV writer quotes it, reads back as written, trimmed, with missing markers left out.
    @Test func randomAddressesReadBackAsWritten() throws {
        var random = SeededRandom(seed: 13)
        let pieces = [
            "1", "High St", ",", "\"", "\n", "\r\n", " ", "\u{A0}", "é", "Ł", "Ρ", "🏠", "NULL", "N/A", "NA", "#N/A",
            "Flat", "-", "'", "=1+1",
        ]
        var text = header + "," + CanonicalColumn.addressLines.map(\.rawValue).joined(separator: ",") + "\n"
        var expected: [[String]] = []
        for row in 0..<200 {
            var lines: [String] = []
            var cells: [String] = []
            for _ in 0..<5 {
                let cell = (0..<Int(random.next() % 4)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }
                    .joined()
                cells.append(CSVWriter.escape(cell, neutraliseFormulas: false))
                let trimmed = cell.trimmingCharacters(in: .whitespacesAndNewlines)
                if !MissingValue.isMissing(cell) { lines.append(trimmed) }
            }
            let nhs = NHSNumberSample.number(row)
            text += "\(nhs),E82001,1950-01-02,SG1 1AA," + cells.joined(separator: ",") + "\n"
            expected.append(lines)
        }
        let population = try read([("p.csv", text)]).population
        #expect(population.count == 200)
        for row in 0..<200 {
            #expect(population.addressLines(of: row) == expected[row], "row \(row)")
        }
    }
}

/// Valid test NHS numbers by position.
enum NHSNumberSample {
    static func number(_ index: Int) -> UInt64 {
        var prefix = UInt64(999_100_000 + index * 7)
        while NHSNumber.checkDigit(forFirstNine: prefix) == nil { prefix += 1 }
        return prefix * 10 + NHSNumber.checkDigit(forFirstNine: prefix)!
    }
}
