import Basics
import Testing
import TestSupport

@testable import Population

/// The event scan's shortcut for canonical rows: eight digits tested and read at once, and a
/// usual row split with its NHS number, code and date already read. The scan's results are
/// checked against the general split elsewhere (`PartScanTests`); these check that the shortcut
/// is really taken for the rows it is for, since a shortcut that never applies gives the same
/// results, only slower.
struct CanonicalSplitTests {
    /// `PackedDigits` against reading the same eight bytes one at a time, on seeded words made of
    /// digits and the bytes next to them (`/`, `:`, and those with a digit's low or high half).
    @Test func packedDigitsAgreeWithReadingByteByByte() {
        var random = SeededRandom(seed: 8)
        let bytes: [UInt8] =
            Array("0123456789/:-, ".utf8) + [0x00, 0x20, 0x2F, 0x3A, 0x3F, 0x40, 0x70, 0xB5, 0xF9, 0xFF]
        var digitWords = 0
        for _ in 0..<20_000 {
            let word = (0..<8).map { _ in
                random.next() % 3 == 0
                    ? bytes[Int(random.next() % UInt64(bytes.count))] : UInt8(0x30 + random.next() % 10)
            }
            let packed = word.withUnsafeBufferPointer { PackedDigits.load($0.baseAddress!) }
            let allDigits = word.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            #expect(PackedDigits.areDigits(packed) == allDigits, "\(word)")
            if allDigits {
                digitWords += 1
                #expect(PackedDigits.value(packed) == UInt64(String(decoding: word, as: UTF8.self))!, "\(word)")
            }
        }
        #expect(digitWords > 500)
    }

    static let header = "nhs_number,code,date,value\n"

    /// Splits `row`, the first data row under `header`, with the shortcut.
    static func split(_ row: String, header: String = header) throws -> SplitRecord? {
        let extract = try read([("p.csv", "nhs_number,practice,date_of_birth\n"), ("e.csv", header + row)])
        let layout = extract.eventFiles[0]
        let scanner = RecordScanner(
            columns: EventColumns(layout: layout, latest: day("2024-03-01")), limits: CSVLimits(),
            patients: PatientIndex(), codes: CodeTable([]), splitsCanonicalRowsDirectly: true)
        let bytes = Array((header + row).utf8)
        var record = SplitRecord()
        let split = bytes.withUnsafeBufferPointer {
            scanner.splitCanonical($0, at: layout.dataOffset, into: &record)
        }
        return split ? record : nil
    }

    /// Outreach's own extracts (and the specification's column order) have a term before the date.
    @Test func aRowWithATermIsSplitTheSameWay() throws {
        let header = "nhs_number,code,term,date,value\n"
        let record = try #require(try Self.split("9434765919,233678006,Childhood asthma,2022-04-24,\n", header: header))
        #expect(record.number == 9_434_765_919)
        #expect(record.codeKey == 233_678_006)
        #expect(record.day == day("2022-04-24").ordinal)
        #expect(record.fields == 5)
        for row in [
            "9434765919,233678006,\"Asthma, severe\",2022-04-24,\n",
            "9434765919,233678006,Asthma, severe,2022-04-24,\n",
        ] {
            #expect(try Self.split(row, header: header) == nil, "\(row)")
        }
    }

    /// Codes of every length a SNOMED CT id has are read as the number they are.
    @Test func codesOfEveryLengthAreRead() throws {
        for length in 1...19 {
            let code = String("9876543210123456789".prefix(length))
            let record = try #require(try Self.split("9434765919,\(code),2023-07-09,\n"), "\(code)")
            #expect(record.codeKey == UInt64(code)!, "\(code)")
        }
    }

    /// Seeded codes of up to 22 bytes, digits with now and then a byte that is not one (a letter,
    /// a dot, a space, a byte above 0x7F), before a date, with or without a term: the code is read
    /// as its number exactly when it is 1 to 19 digits without a leading zero, as `CodeTable` keys it.
    @Test func seededCodesAreReadAsTheirNumberOrLeftForTheGeneralReading() throws {
        var random = SeededRandom(seed: 1206)
        let others = ["A", "a", "Z", "z", ".", "/", " ", "-", ":", "é"]
        var numbers = 0
        for iteration in 0..<400 {
            let length = Int(random.next() % 23)
            let code = (0..<length).map { _ in
                random.chance(0.08) ? others[Int(random.next() % UInt64(others.count))] : String(random.next() % 10)
            }.joined()
            let bytes = Array(code.utf8)
            let withTerm = iteration % 2 == 1
            let row = "9434765919,\(code),\(withTerm ? "A term," : "")2023-07-09,\n"
            let header = withTerm ? "nhs_number,code,term,date,value\n" : Self.header
            let isNumber =
                (1...19).contains(bytes.count) && bytes.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && bytes.first != 0x30
            guard let record = try Self.split(row, header: header) else {
                #expect(bytes.isEmpty || !isNumber, "\(code)")
                continue
            }
            if isNumber { numbers += 1 }
            #expect(record.codeKey == (isNumber ? UInt64(code)! : 0), "\(code)")
            #expect(record.code.end - record.code.start == bytes.count, "\(code)")
            #expect(record.day == day("2023-07-09").ordinal, "\(code)")
        }
        #expect(numbers > 50)
    }

    @Test func aUsualRowIsSplitWithItsNumberCodeAndDateRead() throws {
        let record = try #require(try Self.split("9434765919,1300561000000107,2023-07-09,\n"))
        #expect(record.number == 9_434_765_919)
        #expect(record.codeKey == 1_300_561_000_000_107)
        #expect(record.day == day("2023-07-09").ordinal)
        #expect(record.fields == 4)
        let withValue = try #require(try Self.split("9434765919,74506000,1999-12-31,132.5\r\n"))
        #expect(withValue.codeKey == 74_506_000)
        #expect(withValue.day == day("1999-12-31").ordinal)
        #expect(withValue.value.end - withValue.value.start == 5)
    }

    /// Codes that are not a SNOMED CT id as `CodeTable` keys one, and dates that are not a day in
    /// its table, are split but left for the general reading (which reports a bad date).
    @Test func whatIsNotReadIsLeftForTheGeneralReading() throws {
        for code in ["0123", "1461.", "12345678901234567890", "EMISNQ123", "123456789012A", "12345678x"] {
            let record = try #require(try Self.split("9434765919,\(code),2023-07-09,\n"), "\(code)")
            #expect(record.codeKey == 0, "\(code)")
        }
        for date in ["2023-02-31", "1700-01-01", "2023-13-01", "2023-00-10"] {
            let record = try #require(try Self.split("9434765919,74506000,\(date),\n"), "\(date)")
            #expect(record.day == RecordScanner.noDay, "\(date)")
        }
    }

    @Test func rowsOfAnotherShapeAreNotSplitByTheShortcut() throws {
        for row in [
            "943476591,74506000,2023-07-09,\n", "94347659x9,74506000,2023-07-09,\n",
            "9434765919,74506000,2023-07-0x,\n", "9434765919,74506000,2023/07/09,\n",
            "9434765919,\"74506000\",2023-07-09,\n", "9434765919,74506000,2023-07-09,1,2\n",
        ] {
            #expect(try Self.split(row) == nil, "\(row)")
        }
    }
}
