import Basics
import Foundation
import Testing

@testable import Population
import TestSupport

/// Names reach the call list as the practice wrote them: trimming never cuts a character in two,
/// a no-break space is trimmed only as the character it is in the cell's encoding, and no missing
/// marker takes a real name.
@Suite struct NameTests {
    let header = "nhs_number,practice,date_of_birth,given_name,family_name,postcode\n"

    /// A patients file of one row per `(given, family)` pair, as bytes, each name cell as given.
    private func file(_ names: [([UInt8], [UInt8])], postcode: [UInt8] = Array("SG1 1AA".utf8)) -> [UInt8] {
        let numbers = [Numbers.a, Numbers.b, Numbers.c, Numbers.d, Numbers.e]
        var bytes = Array(header.utf8)
        for (index, (given, family)) in names.enumerated() {
            bytes += Array("\(numbers[index]),E82001,1950-01-02,".utf8) + given + [0x2C] + family + [0x2C] + postcode
            bytes += [0x0A]
        }
        return bytes
    }

    // MARK: - Trimming

    /// In UTF-8 the byte A0 ends à, Š, Ġ, Р, 蠠 and the no-break space: cutting it as a space left
    /// invalid UTF-8, and the whole name was then read as Windows-1252 ("Rocà" became "RocÃ").
    @Test(arguments: ["Rocà", "ПЕТР", "Šimun Š", "Ġorġ Ġ", "蠠", "à", "Р", "ÀÀà", "Ƞ", "נ", "†", "🌠"])
    func keepsACharacterWhoseUTF8EndsInA0(_ name: String) throws {
        let padded = Array("  \(name) ".utf8)
        for bytes in [file([(padded, padded)]), [0xEF, 0xBB, 0xBF] + file([(padded, padded)])] {
            let extract = try readBytes([("p.csv", bytes)])
            #expect(extract.population.givenNames == [name])
            #expect(extract.population.familyNames == [name])
            #expect(extract.rejects.entries.isEmpty)
        }
    }

    @Test func trimsANoBreakSpaceInUTF8OnlyAsTheWholeCharacter() throws {
        let extract = try read([
            ("p.csv", header + "\(Numbers.a),E82001,1950-01-02,\u{A0} Zoë\u{A0},\u{A0}Rocà\u{A0}\u{A0} ,SG1\u{A0}1AA\n")
        ])
        #expect(extract.population.givenNames == ["Zoë"])
        #expect(extract.population.familyNames == ["Rocà"])
        #expect(extract.population.postcodes == ["SG1 1AA"])
        #expect(extract.rejects.entries.isEmpty)
    }

    /// In Windows-1252 the byte A0 is the no-break space, and it is still trimmed: from names, and
    /// from dates, postcodes and other values a file pads with it.
    @Test func trimsWindows1252NoBreakSpaces() throws {
        let nbsp: [UInt8] = [0xA0]
        var bytes = Array("nhs_number,practice,date_of_birth,given_name,family_name,postcode,sex\r\n".utf8)
        bytes += Array("\(Numbers.a),E82001,".utf8) + nbsp + Array("1950-01-02".utf8) + nbsp + [0x2C]
        bytes += nbsp + Array("Zo".utf8) + [0xEB] + nbsp + [0x2C]  // " Zoë "
        bytes += Array("Roc".utf8) + [0xE0] + nbsp + [0x20] + nbsp + [0x2C]  // "Rocà   "
        bytes += Array("SG1".utf8) + nbsp + Array("1AA".utf8) + [0x2C] + Array("F".utf8) + nbsp + Array("\r\n".utf8)
        bytes +=
            Array("\(Numbers.b),E82001,1960-01-02,".utf8) + nbsp + nbsp + [0x2C] + [0x20] + nbsp + Array(",,\r\n".utf8)
        let extract = try readBytes([("p.csv", bytes)])
        #expect(extract.population.givenNames == ["Zoë", nil])
        #expect(extract.population.familyNames == ["Rocà", nil])
        #expect(extract.population.postcodes == ["SG1 1AA", nil])
        #expect(extract.population.sexes == [.female, nil])
        #expect(extract.population.datesOfBirth[0] == day("1950-01-02"))
        #expect(extract.rejects.entries.isEmpty)
    }

    /// A UTF-8 byte-order mark does not make a Windows-1252 file UTF-8 (EMIS writes both).
    @Test func readsWindows1252AfterAUTF8ByteOrderMark() throws {
        let bytes: [UInt8] =
            [0xEF, 0xBB, 0xBF] + file([([0x8A] + Array("imon".utf8), Array("Roc".utf8) + [0xE0, 0xA0])])
        let extract = try readBytes([("p.csv", bytes)])
        #expect(extract.population.givenNames == ["Šimon"])
        #expect(extract.population.familyNames == ["Rocà"])
    }

    @Test func aCellOfOnlySpacesOfAnyKindIsMissing() throws {
        let utf8 = Array("\u{A0}".utf8)
        let windows1252: [UInt8] = [0xA0]
        let extract = try readBytes([
            ("p.csv", file([(utf8, [0x20] + utf8 + [0x09]), (utf8 + utf8, []), (windows1252, [0x20, 0xA0, 0x20])]))
        ])
        #expect(extract.population.givenNames == [nil, nil, nil])
        #expect(extract.population.familyNames == [nil, nil, nil])
        #expect(extract.rejects.entries.isEmpty)
    }

    /// Trimming decides the cell's encoding on the whole cell first, as decoding it does.
    @Test(
        arguments: [
            // (cell, trimmed): bytes that are not spaces stay, a no-break space goes as a whole.
            ([0x20, 0xC3, 0xA0, 0x20], [0xC3, 0xA0]),  // " à "
            ([0xC2, 0xA0, 0xC3, 0xA0, 0xC2, 0xA0], [0xC3, 0xA0]),  // NBSP à NBSP, UTF-8
            ([0xA0, 0xE0, 0xA0], [0xE0]),  // NBSP à NBSP, Windows-1252
            ([0xA0, 0xC3, 0xA9, 0xA0], [0xC3, 0xA9]),  // NBSP "Ã©" NBSP: not UTF-8 as a whole, so Windows-1252
            ([0xD0, 0xA0, 0x09], [0xD0, 0xA0]),  // "Р\t"
            ([0xE8, 0xA0, 0xA0], [0xE8, 0xA0, 0xA0]),  // 蠠
            ([0x41, 0xA0, 0xA0, 0x0D, 0x0A], [0x41]),  // "A" and two Windows-1252 no-break spaces
            ([0x20, 0x0D, 0x0A, 0x09], []),
        ] as [([UInt8], [UInt8])])
    func trimsBytesAsTheCellDecodes(_ cell: [UInt8], _ trimmed: [UInt8]) {
        cell.withUnsafeBufferPointer { bytes in
            #expect(Array(bytes[Bytes.trimmed(bytes)]) == trimmed)
        }
    }

    // MARK: - Missing markers

    /// "Na" is a surname (and "NA" one written in capitals): neither is a missing marker in a name.
    @Test(arguments: ["Na", "NA", "na", "nA", " Na ", "N.A.", "Nan", "NULLA", "Null-Smith"])
    func keepsNamesThatLookLikeMarkers(_ name: String) throws {
        let extract = try read([("p.csv", header + "\(Numbers.a),E82001,1950-01-02,\(name),\(name),\n")])
        let trimmed = String(name.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        #expect(extract.population.givenNames == [trimmed])
        #expect(extract.population.familyNames == [trimmed])
        #expect(extract.rejects.entries.isEmpty)
    }

    /// The specification's markers stay markers in names: empty, only spaces, `NULL`, `N/A`.
    @Test(arguments: ["", "   ", "NULL", "null", " Null ", "N/A", "n/a", "\"\"", "\" N/A \""])
    func keepsTheSpecificationsMarkersAsMissingInNames(_ cell: String) throws {
        let extract = try read([("p.csv", header + "\(Numbers.a),E82001,1950-01-02,\(cell),\(cell),\n")])
        #expect(extract.population.givenNames == [nil])
        #expect(extract.population.familyNames == [nil])
        #expect(extract.rejects.entries.isEmpty)
    }

    /// `#N/A` is what a spreadsheet leaves when a lookup fails: not a name, and not a blank either,
    /// so it is kept as missing and reported, like every other spreadsheet error value.
    @Test(arguments: ["#N/A", "#n/a", " #N/A ", "#REF!", "#NAME?", "#VALUE!", "Err:509"])
    func reportsASpreadsheetErrorValueInANameAndKeepsNoName(_ cell: String) throws {
        let extract = try read([("p.csv", header + "\(Numbers.a),E82001,1950-01-02,Ada,\(cell),\n")])
        #expect(extract.population.count == 1)
        #expect(extract.population.givenNames == ["Ada"])
        #expect(extract.population.familyNames == [nil])
        let reject = try #require(extract.rejects.entries.first)
        #expect(extract.rejects.entries.count == 1)
        #expect(reject.column == "family_name")
        #expect(reject.value == cell.split(separator: " ").joined())
        #expect(reject.problem == .spreadsheetError)
        #expect(reject.action == .valueIgnored)
        #expect(reject.message.hasPrefix("p.csv:2: family_name \"\(reject.value)\": is a spreadsheet's error value"))
    }

    /// Where no real value can be `NA` or `#N/A` (numbers, dates, codes, phones, postcodes, yes/no,
    /// sex) and in columns kept as text for rules, both stay missing, as before: only names changed.
    @Test func keepsNAAndHashNAAsMissingInEveryOtherColumn() throws {
        let columns = [
            "sex", "postcode", "phone_mobile", "interpreter_needed", "imd_decile", "lsoa", "preferred_language",
            "date_of_death", "deregistered_on", "registered_on", "lives_alone",
        ]
        let text =
            "nhs_number,practice,date_of_birth,given_name,family_name,\(columns.joined(separator: ","))\n"
            + "\(Numbers.a),E82001,1950-01-02,Ann,Na,\(Array(repeating: "NA", count: columns.count).joined(separator: ","))\n"
            + "\(Numbers.b),E82001,1950-01-02,NA,Lee,\(Array(repeating: "#N/A", count: columns.count).joined(separator: ","))\n"
            + "\(Numbers.c),E82001,#N/A,Bo,Li,\n"
        let extract = try read([("p.csv", text)])
        #expect(extract.population.count == 2)
        #expect(extract.population.givenNames == ["Ann", "NA"])
        #expect(extract.population.familyNames == ["Na", "Lee"])
        #expect(extract.population.sexes == [nil, nil])
        #expect(extract.population.postcodes == [nil, nil])
        #expect(extract.population.mobilePhones == [nil, nil])
        #expect(extract.population.interpreterNeeded == [nil, nil])
        #expect(extract.population.imdDeciles == [nil, nil])
        #expect(extract.population.lsoas == [nil, nil])
        #expect(extract.population.preferredLanguages == [nil, nil])
        #expect(extract.population.datesOfDeath[0] == nil && extract.population.datesOfDeath[1] == nil)
        #expect(extract.population.extra("lives_alone")?.values == [nil, nil])
        #expect(rowRejects(extract.rejects) == ["p.csv:4 date_of_birth missing"])
        #expect(extract.rejects.entries.count == 1)
    }

    @Test func nameMarkersAreOnlyTheSpecifications() {
        for missing in ["", " ", "\t", "NULL", "null", "N/A", "n/a", "\u{A0}"] {
            #expect(MissingValue.isMissingName(missing), "\(missing)")
            #expect(MissingValue.isMissing(missing), "\(missing)")
        }
        for name in ["NA", "Na", "na", "#N/A", "Nan", "Ann"] {
            #expect(!MissingValue.isMissingName(name), "\(name)")
        }
        #expect(MissingValue.isMissing("NA"))
        #expect(MissingValue.isMissing("#N/A"))
    }

    /// Every cell of up to four characters from the markers' letters, their neighbours and the
    /// spaces, against the markers written out: the one-test shortcut for short cells (a marker
    /// starts with `n`, `N` or `#`) decides exactly as comparing with each marker does.
    @Test func shortCellsAreMissingExactlyWhenTheyAreAMarker() {
        let alphabet = ["n", "N", "a", "A", "u", "L", "l", "/", "#", "m", "o", "0", "5", ".", " ", "\t", "\u{A0}"]
        let markers: Set<String> = ["null", "n/a", "#n/a", "na"]
        let nameMarkers: Set<String> = ["null", "n/a"]
        var cells = [""]
        var checked = 0
        for _ in 0..<4 {
            cells = cells.flatMap { cell in alphabet.map { cell + $0 } }
            for cell in cells {
                let trimmed = cell.trimmingCharacters(in: .whitespaces).lowercased()
                #expect(MissingValue.isMissing(cell) == (trimmed.isEmpty || markers.contains(trimmed)), "\(cell)")
                #expect(
                    MissingValue.isMissingName(cell) == (trimmed.isEmpty || nameMarkers.contains(trimmed)), "\(cell)")
                checked += 1
            }
        }
        #expect(checked > 80_000)
    }
}
