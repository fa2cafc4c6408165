import Testing

import Basics
import Population
import TestSupport

/// Phone cells as extracts hold them, each with the number it gives or exactly why it gives none.
/// A number is read whole or not at all: one digit too many or too few is reported, never cut or
/// padded to fit, since that would ring someone else. Checked against libphonenumber's view of the
/// same cells (python `phonenumbers` 9.0.43): whichever it finds impossible or invalid by length is
/// a fault here too. Numbers are from Ofcom's ranges for drama (`07700 900xxx`, `020 7946 0xxx`,
/// `0113 496 0xxx`, `0121 496 0xxx`, `01632 960xxx`) where there is one.
@Suite struct PhoneNumberVectorTests {
    typealias Fault = PhoneNumber.Fault

    @Test(arguments: [
        "07700 900123", "07700900123", "07700-900-123", "07700 900 123", "0770 090 0123", "(07700) 900123",
        "07700.900.123", " 07700 900123 ", "07700\u{A0}900123", "07700\t900123",
        "+44 7700 900123", "+447700900123", "+44-7700-900123", "+44 (0)7700 900123", "+44(0)7700900123",
        "+44 (0) 7700 900 123", "+44 07700 900123", "(+44) 7700 900123", "+44 7700-900-123",
        "0044 7700 900123", "00447700900123", "0044 (0)7700 900123", "0044 07700 900123",
        "447700900123", "44 7700 900123", "44 (0)7700 900123", "4407700900123",
        "mob: 07700 900123", "Mobile:07700900123", "tel 123; mobile 07700 900123", "Flat 2, 07700 900123",
        "07700 900123 (after 17:30)", "07700 900123 updated 01/02/2024",
    ])
    func readsAMobileInEveryWrittenForm(_ cell: String) throws {
        #expect(try PhoneNumber.read(cell).get() == "07700 900123")
    }

    @Test(arguments: [
        ("020 7946 0000", "020 7946 0000"), ("02079460000", "020 7946 0000"), ("020-7946-0000", "020 7946 0000"),
        ("(020) 7946 0000", "020 7946 0000"), ("(020) 7946-0000", "020 7946 0000"), ("0207 946 0000", "020 7946 0000"),
        ("+44 20 7946 0000", "020 7946 0000"), ("+44 (0)20 7946 0000", "020 7946 0000"),
        ("+44 (0) 20 7946 0000", "020 7946 0000"), ("0044 20 7946 0000", "020 7946 0000"),
        ("442079460000", "020 7946 0000"), ("44 (0)20 7946 0000", "020 7946 0000"),
        ("0121 496 0000", "0121 496 0000"), ("(0121) 496-0000", "0121 496 0000"), ("+44 121 496 0000", "0121 496 0000"),
        ("0113 496 0123", "0113 496 0123"), ("01632 960000", "01632 960000"), ("(01632) 960000", "01632 960000"),
        ("+44 1632 960000", "01632 960000"), ("441632960000", "01632 960000"), ("0300 123 4567", "0300 123 4567"),
        ("0800 123 4567", "0800 123 4567"), ("05512 345678", "0551 234 5678"), ("0909 876 5432", "0909 876 5432"),
    ])
    func readsALandlineInEveryWrittenForm(_ cell: String, _ number: String) throws {
        #expect(try PhoneNumber.read(cell).get() == number)
    }

    /// UK numbers have 11 digits in national form, but for `0800 xxx xxx` and a few ranges of
    /// `01` numbers in areas that still have 5- or 4-digit local numbers.
    @Test(arguments: [
        ("0800 123 456", "08001 23456"), ("01204 61234", "01204 61234"), ("016977 2345", "01697 72345"),
        ("+44 1524 32123", "01524 32123"),
    ])
    func readsTenDigitNumbersOnlyWhereUKNumbersHaveTen(_ cell: String, _ number: String) throws {
        #expect(try PhoneNumber.read(cell).get() == number)
    }

    /// The number without its extension is usable: it reaches the switchboard that puts the call through.
    @Test(arguments: [
        "020 7946 0000 ext 123", "020 7946 0000 ext. 123", "020 7946 0000 Ext: 123", "020 7946 0000 x123",
        "020 7946 0000 X 123", "02079460000x123", "020 7946 0000 extn 4", "020 7946 0000 extension 4567",
        "+44 (0)20 7946 0000 ext 12", "Home 020 7946 0000 ext 23", "020 7946 0000 ext 0207 946",
    ])
    func dropsAnExtensionAndKeepsTheNumber(_ cell: String) throws {
        #expect(try PhoneNumber.read(cell).get() == "020 7946 0000")
    }

    /// Several whole numbers in one cell are read one by one, never glued together, and the first
    /// UK number is used (the cell as written is kept beside it).
    @Test(arguments: [
        ("07700 900123 / 020 7946 0000", "07700 900123"), ("07700 900123 020 7946 0000", "07700 900123"),
        ("07700900123 02079460000", "07700 900123"), ("07700 900123 07700 900456", "07700 900123"),
        ("07700 900123, 07700 900456", "07700 900123"), ("07700 900123 or 07700 900456", "07700 900123"),
        ("07700 900123; 01632 960001", "07700 900123"), ("07700 900123 - 01632 960001", "07700 900123"),
        ("mob 07700 900123 home 020 7946 0000", "07700 900123"), ("020 7946 0000 / 07700 900123", "020 7946 0000"),
        ("07700 900123 +44 20 7946 0000", "07700 900123"), ("07700 900123 / 07700 900123", "07700 900123"),
        ("0800 123 456 0800 123 4567", "08001 23456"), ("+33 1 23 45 67 89 / 07700 900123", "07700 900123"),
        ("07700 900123/4", "07700 900123"),
    ])
    func readsSeveralNumbersWholeAndUsesTheFirst(_ cell: String, _ number: String) throws {
        #expect(try PhoneNumber.read(cell).get() == number)
    }

    @Test(arguments: [
        ("07700 9001234", Fault.tooLong(digits: 12, beginning: "07")),
        ("077009001234", .tooLong(digits: 12, beginning: "07")),
        ("07700-900-1234", .tooLong(digits: 12, beginning: "07")),
        ("+44 7700 9001234", .tooLong(digits: 12, beginning: "07")),
        ("+44 (0)7700 9001234", .tooLong(digits: 12, beginning: "07")),
        ("0044 7700 9001234", .tooLong(digits: 12, beginning: "07")),
        ("4477009001234", .tooLong(digits: 12, beginning: "07")),
        ("020 7946 00000", .tooLong(digits: 12, beginning: "02")),
        ("0121 496 00000", .tooLong(digits: 12, beginning: "01")),
        ("01632 9600000", .tooLong(digits: 12, beginning: "01")),
        ("0800 123 45678", .tooLong(digits: 12, beginning: "0800")),
        ("0300 123 45678", .tooLong(digits: 12, beginning: "03")),
        ("mob: 07700 9001234", .tooLong(digits: 12, beginning: "07")),
        // Four more digits without `ext` or `x`: an extension, or a mangled number? Not a guess to ring.
        ("07700 900123 4567", .tooLong(digits: 15, beginning: "07")),
        // Two numbers, the second a digit short: they do not split into whole numbers.
        ("07700 900123 07700 90045", .tooLong(digits: 21, beginning: "07")),
    ])
    func neverCutsANumberWithADigitTooMany(_ cell: String, _ fault: Fault) {
        #expect(PhoneNumber.read(cell) == .failure(fault))
        #expect(PhoneNumber.parse(cell) == .failure(.notAPhoneNumber))
    }

    @Test(arguments: [
        ("07700 90012", Fault.tooShort(digits: 10, beginning: "07")),
        ("0770090012", .tooShort(digits: 10, beginning: "07")),
        ("+44 7700 90012", .tooShort(digits: 10, beginning: "07")),
        ("0044 7700 90012", .tooShort(digits: 10, beginning: "07")),
        ("44770090012", .tooShort(digits: 10, beginning: "07")),
        ("020 7946 000", .tooShort(digits: 10, beginning: "02")),
        ("0121 496 000", .tooShort(digits: 10, beginning: "01")),
        ("01632 96000", .tooShort(digits: 10, beginning: "01")),
        ("01204 51234", .tooShort(digits: 10, beginning: "01")),
        ("0300 123 456", .tooShort(digits: 10, beginning: "03")),
        ("0800 123 45", .tooShort(digits: 9, beginning: "0800")),
        ("0800 1111", .tooShort(digits: 8, beginning: "0800")),
        ("07700 900", .tooShort(digits: 8, beginning: "07")),
        ("946 0000", .noLeadingZero),
    ])
    func saysANumberWithADigitTooFewIsUnusable(_ cell: String, _ fault: Fault) {
        #expect(PhoneNumber.read(cell) == .failure(fault))
    }

    /// A cell with a broken number is unusable even beside a whole one: its digits cannot be trusted.
    @Test(arguments: [
        ("07700 900123 / 020 7946 000", Fault.oneOfSeveral(index: 2, count: 2, .tooShort(digits: 10, beginning: "02"))),
        ("07700 9001234 / 020 7946 0000", .oneOfSeveral(index: 1, count: 2, .tooLong(digits: 12, beginning: "07"))),
        ("07700 900123, 0412 345 678", .oneOfSeveral(index: 2, count: 2, .notInUse(beginning: "04"))),
        ("+33 1 23 45 67 89 / 07700 90012", .oneOfSeveral(index: 2, count: 2, .tooShort(digits: 10, beginning: "07"))),
        (
            "07700 900123 / 07700 900456 / 07700 9004",
            .oneOfSeveral(index: 3, count: 3, .tooShort(digits: 9, beginning: "07"))
        ),
    ])
    func saysACellWithABrokenNumberBesideAWholeOneIsUnusable(_ cell: String, _ fault: Fault) {
        #expect(PhoneNumber.read(cell) == .failure(fault))
    }

    @Test(arguments: [
        ("+33 1 23 45 67 89", Fault.abroad), ("0033 1 23 45 67 89", .abroad), ("+1 202 555 0123", .abroad),
        ("+353 1 234 5678", .abroad), ("+61 412 345 678", .abroad), ("+33 1 23 45 67 89 / +49 30 1234567", .abroad),
        // A number abroad in its own national form.
        ("0412 345 678", .notInUse(beginning: "04")), ("06 12 34 56 78", .notInUse(beginning: "06")),
        ("1-202-555-0123", .noLeadingZero),
    ])
    func usesNoNumberAbroad(_ cell: String, _ fault: Fault) {
        #expect(PhoneNumber.read(cell) == .failure(fault))
    }

    @Test(arguments: [
        ("123", Fault.noNumber), ("ex-directory", .noNumber), ("tel 123", .noNumber), ("07700", .noNumber),
        ("ext 07700 900123", .noNumber), ("+44", .noNumber), ("0000 000 0000", .notInUse(beginning: "000")),
        ("+0 7700 900123", .notInUse(beginning: "+0")), ("7700 900123", .noLeadingZero),
        ("O7700 900123", .noLeadingZero), ("", .missing), ("NULL", .missing), ("n/a", .missing),
    ])
    func saysWhyACellHasNoNumber(_ cell: String, _ fault: Fault) {
        #expect(PhoneNumber.read(cell) == .failure(fault))
    }

    /// What the rejects report says after "holds no usable UK phone number", with no digit of the number.
    @Test func wordsEachReasonForTheRejectsReport() {
        func detail(_ cell: String) -> String? {
            guard case .failure(let fault) = PhoneNumber.read(cell) else { return "a number" }
            return fault.detail
        }
        #expect(detail("07700 9001234") == "12 digits, more than a UK number beginning 07 has (11): never cut to fit")
        #expect(detail("07700 90012") == "10 digits, fewer than a UK number beginning 07 has (11)")
        #expect(
            detail("01632 96000")
                == "10 digits, fewer than a UK number beginning 01 has (11; 10 only in a few ranges, not this one)")
        #expect(detail("01632 9600") == "9 digits, fewer than a UK number beginning 01 has (11, or 10 in a few ranges)")
        #expect(detail("0800 123 45") == "9 digits, fewer than a UK number beginning 0800 has (10 or 11)")
        #expect(detail("0412 345 678") == "no UK number begins 04")
        #expect(detail("7700 900123") == "begins with neither 0 nor 44 (a 0 lost in a spreadsheet?)")
        #expect(detail("+33 1 23 45 67 89") == "a number abroad; only UK numbers are called")
        #expect(
            detail("07700 900123 / 020 7946 000")
                == "number 2 of 2 in the cell: 10 digits, fewer than a UK number beginning 02 has (11)")
        #expect(detail("ex-directory") == nil)
        #expect(PhoneNumber.Fault.noNumber.problem.reason == "holds no usable UK phone number")
        #expect(PhoneNumber.Fault.missing.problem == .missing)
    }

    /// Every number in every written form reads as itself; with any one digit added or taken away
    /// it reads as no number at all, whatever the digit and wherever it is.
    @Test func neverReadsANumberWithADigitAddedOrLostAsAnother() throws {
        var random = SeededRandom(seed: 44)
        let beginnings = [
            "07700 900", "07400 123", "020 7946 0", "0113 496 0", "0121 496 0", "01632 960", "0300 555 0",
        ]
        for _ in 0..<400 {
            let beginning = beginnings[Int.random(in: 0..<beginnings.count, using: &random)]
            let number = beginning + String(format3(Int.random(in: 0..<1000, using: &random)))
            let national = number.filter(\.isNumber)
            #expect(try PhoneNumber.read(number).get() == number)
            let forms = [
                national, "+44 " + national.dropFirst(), "+44 (0)" + national.dropFirst(),
                "0044" + national.dropFirst(),
                "44" + national.dropFirst(), number.replacingAll(" ", with: "-"),
            ]
            for form in forms {
                #expect(try PhoneNumber.read(form).get() == number, "\(form)")
            }
            // A digit added or lost after the first two (a 0 added after +44 is the trunk 0 people write).
            let digits = Array(national)
            let at = Int.random(in: 2..<digits.count, using: &random)
            let extra = Character(String(Int.random(in: 0...9, using: &random)))
            let longer = String(digits[..<at]) + String(extra) + String(digits[at...])
            let shorter = String(digits[..<at]) + String(digits[(at + 1)...])
            for mangled in [longer, shorter, "+44 " + longer.dropFirst(), "+44 " + shorter.dropFirst()] {
                guard case .failure = PhoneNumber.read(mangled) else {
                    Issue.record("\(mangled) read as \(String(describing: try? PhoneNumber.read(mangled).get()))")
                    continue
                }
            }
        }
    }

    private func format3(_ value: Int) -> String {
        String(repeating: "0", count: value < 10 ? 2 : value < 100 ? 1 : 0) + String(value)
    }
}
