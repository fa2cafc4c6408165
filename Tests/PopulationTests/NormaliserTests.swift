import Testing
import Basics
import Foundation
@testable import Population
import TestSupport
import Vocabulary

@Suite struct NHSNumberTests {
    @Test(arguments: ["9990010013", "999 001 0013", "999-001-0013", " 999 001 0013 ", "999  001-0013"])
    func acceptsSpacedAndHyphenatedNumbers(_ text: String) throws {
        #expect(try NHSNumber.parse(text).get().value == 9_990_010_013)
    }

    @Test func rejectsAWrongCheckDigit() {
        #expect(NHSNumber.parse("999 001 0014") == .failure(.nhsCheckDigit))
    }

    @Test func rejectsNumbersWhoseCheckDigitWouldBeTen() {
        // 999001003x: the remainder gives 10, so no check digit makes it valid.
        for last in 0...9 { #expect(NHSNumber.parse("999001003\(last)") == .failure(.nhsCheckDigit)) }
    }

    @Test(arguments: ["9.99001E+09", "9.99001e+09", "9.99E+9"])
    func saysExcelManglingIsUnrecoverable(_ text: String) {
        #expect(NHSNumber.parse(text) == .failure(.nhsExcelMangled))
    }

    @Test(arguments: ["999001001", "99900100133", "999001001A", "9990010013.0", "abc"])
    func rejectsWhatIsNotTenDigits(_ text: String) {
        #expect(NHSNumber.parse(text) == .failure(.nhsNotTenDigits))
    }

    @Test(arguments: ["", "   ", "NULL", "null", "N/A", "n/a", "#N/A", "NA"])
    func treatsMissingMarkersAsMissing(_ text: String) {
        #expect(NHSNumber.parse(text) == .failure(.missing))
    }

    /// A cell of exactly ten digits takes a shortcut (its check digit found from the digits as
    /// written); the same digits spaced out take the general path. Both must agree on every
    /// number, valid or not, including those whose check digit would be 10 or 11 (0).
    @Test func tenPlainDigitsAgreeWithTheGeneralPath() {
        var random = SeededRandom(seed: 20_261_207)
        var outcomes: Set<String> = []
        for _ in 0..<20_000 {
            let digits = (0..<10).map { _ in String(random.next() % 10) }.joined()
            let plain = NHSNumber.parse(digits)
            let spaced = NHSNumber.parse(" \(digits.prefix(3)) \(digits.dropFirst(3).prefix(3)) \(digits.suffix(4))")
            #expect(plain == spaced, "\(digits)")
            outcomes.insert("\(plain)")
        }
        // Valid and invalid numbers were both drawn (thousands of distinct valid ones).
        #expect(outcomes.contains("\(Result<NHSNumber, Problem>.failure(.nhsCheckDigit))"))
        #expect(outcomes.count > 1_000)
    }

    @Test(arguments: ["999001001A", "A990010013", "99900 0013", "+999001001", "999001001:", "99900/0013", "99900100é"])
    func tenBytesThatAreNotAllDigitsAreReadAsBefore(_ text: String) {
        // The shortcut takes only ten digits; any other ten bytes are read as they always were.
        let spaced = NHSNumber.parse(" \(text) ")
        #expect(NHSNumber.parse(text) == spaced)
    }

    @Test func printsAsPeopleReadIt() {
        #expect(NHSNumber(9_990_010_013)?.description == "999 001 0013")
        #expect(NHSNumber(9_990_010_013)?.digits == "9990010013")
    }
}

@Suite struct DateTests {
    let latest = day("2024-03-01")

    @Test(arguments: [
        "2024-03-01", "2024/03/01", "20240301", "01/03/2024", "1/3/2024", "01-03-2024", "01.03.2024", "01-Mar-2024",
        "1 Mar 2024", "1 March 2024", "01-MAR-24", "1-mar-2024", "2024-03-01T09:30:00Z", "2024-03-01 09:30",
        "01/03/2024 00:00:00", "01-Mar-2024 12:15 PM", " 01/03/2024 ",
    ])
    func readsEveryFormExtractsUse(_ text: String) throws {
        #expect(try DateValue.parse(text, latest: latest).get() == day("2024-03-01"))
    }

    @Test(arguments: ["2024-03", "Mar 2024", "March 2024"])
    func takesPartialDatesAsTheFirst(_ text: String) throws {
        #expect(try DateValue.parse(text, latest: latest).get() == day("2024-03-01"))
    }

    @Test func readsDayFirstNeverUS() throws {
        #expect(try DateValue.parse("02/03/2024", latest: latest).get() == day("2024-03-02"))
        #expect(DateValue.parse("03/13/2024", latest: latest) == .failure(.noSuchDate))
    }

    @Test(arguments: [
        "31/02/2024", "2024-02-30", "29/02/2023", "31-Apr-2024", "00/01/2024", "2024-13-01", "31-Feb-1950",
    ])
    func rejectsImpossibleDatesInsteadOfRollingOver(_ text: String) {
        #expect(DateValue.parse(text, latest: latest) == .failure(.noSuchDate))
    }

    @Test func acceptsTheTwentyNinthOfFebruaryInLeapYears() throws {
        #expect(try DateValue.parse("29/02/2024", latest: latest).get() == day("2024-02-29"))
    }

    @Test func pivotsTwoDigitYearsSoNothingIsAfterTheExtractDate() throws {
        #expect(try DateValue.parse("01-MAR-24", latest: latest).get() == day("2024-03-01"))
        #expect(try DateValue.parse("02-MAR-24", latest: latest).get() == day("1924-03-02"))
        #expect(try DateValue.parse("15/06/30", latest: latest).get() == day("1930-06-15"))
        #expect(try DateValue.parse("15/06/05", latest: latest).get() == day("2005-06-15"))
        // 29 Feb 00 exists in 2000 but not in 1900.
        #expect(try DateValue.parse("29/02/00", latest: latest).get() == day("2000-02-29"))
    }

    @Test func saysAnExcelDayNumberIsNotADate() {
        #expect(DateValue.parse("45352", latest: latest) == .failure(.excelDateNumber))
    }

    @Test(arguments: ["yesterday", "2024", "01/03", "1st March 2024", "2024-03-01 lunchtime", "Foo 2024", "01//2024"])
    func rejectsTextThatIsNotADate(_ text: String) {
        #expect(DateValue.parse(text, latest: latest) == .failure(.notADate))
    }

    @Test func treatsMissingMarkersAsMissing() {
        #expect(DateValue.parse("NULL", latest: latest) == .failure(.missing))
        #expect(DateValue.parse("  ", latest: latest) == .failure(.missing))
    }
}

@Suite struct PostcodeTests {
    @Test(arguments: [
        ("SG1 1AA", "SG1 1AA"), ("sg1 1aa", "SG1 1AA"), ("SG11AA", "SG1 1AA"), ("SG1  1AA", "SG1 1AA"),
        (" SG1 1AA ", "SG1 1AA"), ("sw1a 1aa", "SW1A 1AA"), ("W1A0AX", "W1A 0AX"), ("EC1A 1BB", "EC1A 1BB"),
        ("M1 1AE", "M1 1AE"), ("B33 8TH", "B33 8TH"), ("CR2 6XH", "CR2 6XH"), ("DN55 1PT", "DN55 1PT"),
    ])
    func normalisesToUpperCaseWithOneSpace(_ input: String, _ expected: String) throws {
        #expect(try Postcode.parse(input).get() == expected)
    }

    @Test(arguments: ["SG1", "1SG 1AA", "SG1 AAA", "SG1-1AA", "ABCDE 1AA", "not known"])
    func rejectsWhatIsNotAPostcode(_ input: String) {
        #expect(Postcode.parse(input) == .failure(.notAPostcode))
    }

    /// Girobank's postcode is real though no pattern of outward codes allows it.
    @Test(arguments: ["GIR 0AA", "gir0aa", " Gir  0aA "])
    func acceptsGirobank(_ input: String) throws {
        #expect(try Postcode.parse(input).get() == "GIR 0AA")
    }

    @Test(arguments: ["GIR 0AB", "GIR 1AA", "GIR0A", "GI 0AA", "GIRO 0AA", "GIA 0AA"])
    func acceptsOnlyGirobanksOwnPostcodeOfItsShape(_ input: String) {
        #expect(Postcode.parse(input) == .failure(.notAPostcode))
    }

    /// Every outward shape of the official pattern, with letters at the edge of what each position allows.
    @Test(arguments: [
        ("A9", "M1 1AE"), ("A99", "M60 1NW"), ("AA9", "CR2 6XH"), ("AA99", "DN55 1PT"), ("A9A", "W1A 0AX"),
        ("A9A", "W1W 7LT"), ("A9A", "N1P 2AB"), ("A9A", "E1W 1YZ"), ("AA9A", "EC1A 1BB"), ("AA9A", "SW1Y 4QF"),
        ("AA9A", "NW1W 9BE"), ("AA9A", "EC3M 7HA"), ("AA9A", "SE1P 5LX"), ("AA9", "BX1 1LT"),
        ("inward 0", "CR0 0XZ"), ("inward letters", "SG1 9ZY"),
    ])
    func acceptsEveryShapeOfTheOfficialPattern(_ shape: String, _ postcode: String) throws {
        #expect(try Postcode.parse(postcode).get() == postcode, "\(shape)")
    }

    /// The official pattern's letter rules: what no postcode has is a typo, not an address.
    @Test(arguments: [
        ("first letter Q", "Q1 1AA"), ("first letter V", "V1A 1AA"), ("first letter X", "XM4 5HQ"),
        ("second letter I", "AI1 1AA"), ("second letter J", "AJ12 1AA"), ("second letter Z", "AZ1A 1AA"),
        ("A9A letter I", "W1I 1AA"), ("A9A letter L", "W1L 1AA"), ("A9A letter Z", "E1Z 1AA"),
        ("AA9A letter C", "EC1C 1AA"), ("AA9A letter D", "SW1D 1AA"), ("AA9A letter Z", "EC1Z 1AA"),
        ("inward C", "SG1 1CA"), ("inward I", "SG1 1AI"), ("inward K", "SG1 1KA"), ("inward M", "SG1 1AM"),
        ("inward O (a zero typed as O?)", "SG1 1OA"), ("inward V", "SG1 1AV"), ("inward digit first", "SG1 A1A"),
        ("outward too long", "SW1AA 1AA"), ("outward digits only", "11 1AA"), ("AA9A9", "SW1A1 1AA"),
        ("overseas territory", "ASCN 1ZZ"), ("overseas territory", "STHL 1ZZ"),
    ])
    func rejectsWhatTheOfficialPatternDoesNotAllow(_ rule: String, _ input: String) {
        #expect(Postcode.parse(input) == .failure(.notAPostcode), "\(rule)")
    }

    /// A British Forces Post Office number is a forces address, not a postcode: the cell is reported
    /// as "is not a UK postcode" and the value ignored, like any other that is not a postcode.
    @Test(arguments: ["BFPO 105", "BFPO105", "bfpo 1234", "BFPO 57"])
    func saysABFPONumberIsNotAPostcode(_ input: String) {
        #expect(Postcode.parse(input) == .failure(.notAPostcode))
    }
}

@Suite struct PhoneTests {
    @Test(arguments: [
        ("07700 900123", "07700 900123"), ("07700900123", "07700 900123"), ("+44 7700 900123", "07700 900123"),
        ("+447700900123", "07700 900123"), ("0044 7700 900123", "07700 900123"), ("+44 (0)7700 900123", "07700 900123"),
        ("+44 (0) 20 7946 0000", "020 7946 0000"), ("mob: 07700 900123", "07700 900123"),
        ("07700 900123 / 01632 960001", "07700 900123"), ("07700 900123 07700 900456", "07700 900123"),
        ("Home 020 7946 0000 ext 23", "020 7946 0000"), ("(020) 7946-0000", "020 7946 0000"),
        ("0121 496 0000", "0121 496 0000"), ("01632 960000", "01632 960000"), ("0300 123 4567", "0300 123 4567"),
        ("tel 123; mobile 07700 900123", "07700 900123"),
    ])
    func takesTheFirstUsableNumberInUKStyle(_ input: String, _ expected: String) throws {
        #expect(try PhoneNumber.parse(input).get() == expected)
    }

    /// `01632 96000` was taken as a number: it is `01632 960000` or another with a digit lost, so
    /// someone else's or no one's (PhoneNumberVectorTests has the rest).
    @Test(arguments: ["123", "+33 1 23 45 67 89", "ex-directory", "0000 000 0000", "01632 96000", "07700 9001234"])
    func rejectsCellsWithNoUsableNumber(_ input: String) {
        #expect(PhoneNumber.parse(input) == .failure(.notAPhoneNumber))
    }
}

@Suite struct SmallValueTests {
    @Test(arguments: [
        ("F", Sex.female), ("f", .female), ("Female", .female), ("FEMALE", .female), ("M", .male), ("male", .male),
        ("U", .unknown), ("Unknown", .unknown), ("Indeterminate", .unknown), ("Not known", .unknown), ("X", .unknown),
    ])
    func readsSexFromLettersAndWords(_ input: String, _ expected: Sex) throws {
        #expect(try Sex.parse(input).get() == expected)
    }

    @Test func rejectsOtherSexValues() {
        #expect(Sex.parse("Fem-ale") == .failure(.notASex))
        #expect(Sex.parse("Q") == .failure(.notASex))
    }

    @Test func readsYesAndNo() throws {
        for yes in ["yes", "Y", "TRUE", "1", "t"] { #expect(try YesNo.parse(yes).get() == true) }
        for no in ["No", "n", "false", "0", "F"] { #expect(try YesNo.parse(no).get() == false) }
        #expect(YesNo.parse("maybe") == .failure(.notYesNo))
        #expect(YesNo.parse("N/A") == .failure(.missing))
    }

    /// Cells of letters, digits and spaces against the words themselves, any case, trimmed.
    @Test func readsYesAndNoAsTheWordsSay() {
        var random = SeededRandom(seed: 13)
        let pieces = ["y", "Y", "e", "s", "S", "n", "N", "o", "O", "t", "T", "r", "u", "f", "F", "a", "l", "1", "0", " "]
        let yes: Set = ["yes", "y", "true", "t", "1"]
        let no: Set = ["no", "n", "false", "f", "0"]
        var words = 0
        for _ in 0..<40_000 {
            let cell = (0..<Int(random.next() % 7)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }
                .joined()
            let word = cell.trimmingCharacters(in: .whitespaces).lowercased()
            let expected: Result<Bool, Problem> =
                MissingValue.isMissing(cell)
                ? .failure(.missing)
                : yes.contains(word) ? .success(true) : no.contains(word) ? .success(false) : .failure(.notYesNo)
            #expect(YesNo.parse(cell) == expected, "\(cell)")
            if yes.contains(word) || no.contains(word) { words += 1 }
        }
        #expect(words > 2_000)
    }

    @Test func readsNumbersFromBytes() throws {
        #expect(try NumberValue.parse("0.36").get() == 0.36)
        #expect(try NumberValue.parse("-3").get() == -3)
        #expect(try NumberValue.parse(" 132.5 ").get() == 132.5)
        #expect(try NumberValue.parse("1e3").get() == 1000)
        #expect(NumberValue.parse("1.2.3") == .failure(.notANumber))
        #expect(NumberValue.parse("high") == .failure(.notANumber))
    }

    /// Cells of digits, points, signs, an exponent and spaces against `Double` on the trimmed
    /// text, finite numbers only (a cell that starts and ends with a digit takes a shortcut past the missing-value and
    /// trimming tests, which must not change what it reads as).
    @Test func readsNumbersAsDoubleDoes() {
        var random = SeededRandom(seed: 12)
        let pieces = ["0", "1", "7", "9", "42", ".", ".", "-", "+", "e", " ", "\u{A0}", "n", "a"]
        var agreed = 0
        for _ in 0..<20_000 {
            let cell = (0..<(1 + Int(random.next() % 6))).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }
                .joined()
            let trimmed = cell.trimmingCharacters(in: .whitespaces)
            let expected: Result<Double, Problem> =
                MissingValue.isMissing(cell)
                ? .failure(.missing)
                : Double(trimmed).flatMap { $0.isFinite ? .success($0) : nil } ?? .failure(.notANumber)
            #expect(NumberValue.parse(cell) == expected, "\(cell)")
            if case .success = expected { agreed += 1 }
        }
        #expect(agreed > 2_000)
    }

    /// Long numbers (16 to 18 digits, which the shortcut reads, and 19, which it leaves to
    /// `Double`; a point anywhere, first and last too; a sign or none) read as `Double` reads them,
    /// to the last bit: past 2^53 the digits are more than a `Double` holds, so the shortcut that
    /// divides them by a power of ten would round twice (a fifth of such cells, one unit in the
    /// last place).
    @Test func readsLongNumbersToTheLastBitAsDoubleDoes() throws {
        var random = SeededRandom(seed: 53)
        let signs = ["", "", "-", "+"]
        for _ in 0..<20_000 {
            let count = 16 + Int(random.next() % 4)
            var digits = String((0..<count).map { _ in Character(String(random.next() % 10)) })
            let point = Int(random.next() % UInt64(count + 2))
            if point <= count { digits.insert(".", at: digits.index(digits.startIndex, offsetBy: point)) }
            let cell = signs[Int(random.next() % 4)] + digits
            #expect(NumberValue.parse(cell) == .success(try #require(Double(cell))), "\(cell)")
        }
    }

    @Test func normalisesColumnNamesForRules() {
        #expect(ColumnName.normalise("Lives alone?") == "lives_alone")
        #expect(ColumnName.normalise("Date of issue") == "date_of_issue")
        #expect(ColumnName.normalise("  Electronic Frailty Index (eFI) ") == "electronic_frailty_index_efi")
        #expect(ColumnName.matchKey("NHS Number") == ColumnName.matchKey("nhs_number"))
        #expect(ColumnName.matchKey("NHSNumber") == "nhsnumber")
    }

    @Test func numbersCanonicalColumnsInTheirListedOrder() {
        #expect(CanonicalColumn.allCases.enumerated().allSatisfy { $0.offset == $0.element.ordinal })
    }

    @Test func findsThePracticeCodeInAFileName() {
        #expect(PracticeCode.inFileName("/tmp/practice-E82001.csv") == "E82001")
        #expect(PracticeCode.inFileName("e82001_patients.csv") == "E82001")
        #expect(PracticeCode.inFileName("export 2024.csv") == nil)
        #expect(PracticeCode.parse(" e82001 ") == "E82001")
        #expect(PracticeCode.parse("Hertford") == nil)
    }
}
