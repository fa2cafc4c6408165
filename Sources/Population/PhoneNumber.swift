import Basics

/// UK phone numbers: one whole number from a cell, normalised to `07700 900123` /
/// `020 7946 0000` / `0121 496 0000` / `01632 960000` style, or why the cell has none.
///
/// A number is never cut or padded to fit. Every digit written in it is the number's, and it must
/// have as many digits as UK numbers with its beginning have: 11 in national form, or 10 for
/// `0800` and a few ranges of `01` numbers. One digit more or less rings someone else, or no one,
/// so such a cell is unusable and its reason is reported (``Fault``).
///
/// What a cell may hold:
/// - the number in national form or with the country code, grouped anyhow by spaces, dashes,
///   dots and brackets: `07700 900123`, `07700-900-123`, `(020) 7946 0000`, `+44 7700 900123`,
///   `+44 (0)7700 900123`, `0044 7700 900123`, and the bare `447700900123` or `44 7700 900123`;
/// - words (`mob: 07700 900123`) and runs of fewer than 7 digits, which no UK number is
///   (`flat 2`, `after 17:30`, `tel 123`): skipped;
/// - an extension after `ext`, `extn`, `extension` or `x` (`020 7946 0000 ext 123`, `x123`):
///   dropped; the number without it is usable, as it reaches the switchboard that puts the call
///   through;
/// - several numbers (`07700 900123 / 020 7946 0000`, or two numbers only spaced apart): each is
///   read whole, never glued to the next; the first UK number is used when every number in the
///   cell is whole, and the cell as written is kept beside it. If any is over-long, over-short or
///   not a UK number's beginning, the whole cell is unusable, since its digits cannot be trusted;
/// - a number abroad (`+33 1 23 45 67 89`, `0033 …`): skipped; with no UK number beside it the
///   cell is unusable.
public enum PhoneNumber {
    /// Why a cell gives no number. The rejects report gives ``problem`` and ``detail``.
    public enum Fault: Error, Hashable, Sendable {
        /// An empty cell or a missing marker.
        case missing
        /// Nothing in the cell can be a phone number: words, or fewer than 7 digits together.
        case noNumber
        /// A number with more digits than UK numbers with its beginning have (`07700 9001234`).
        case tooLong(digits: Int, beginning: String)
        /// A number with fewer digits than UK numbers with its beginning have (`07700 90012`).
        case tooShort(digits: Int, beginning: String)
        /// A national number that begins as no UK number does (`0412 345 678`: 04 and 06 are
        /// not used, and `00` dials abroad).
        case notInUse(beginning: String)
        /// Digits that begin with neither 0 nor the country code 44 (`7700 900123`, perhaps
        /// from a spreadsheet that dropped the 0).
        case noLeadingZero
        /// Only numbers abroad: a `+` or `00` country code other than 44.
        case abroad
        /// Number `index` (from 1) of the `count` numbers in the cell has this fault, so no number
        /// in the cell is used.
        indirect case oneOfSeveral(index: Int, count: Int, Fault)

        /// The problem the rejects report counts: ``Problem/missing`` or ``Problem/notAPhoneNumber``.
        public var problem: Problem { self == .missing ? .missing : .notAPhoneNumber }

        /// What is wrong, for the rejects report (with no digits of the number); `nil` when the
        /// problem says it all.
        public var detail: String? {
            switch self {
            case .missing, .noNumber: return nil
            case .tooLong(let digits, let beginning):
                return "\(digits) digits, more than a UK number beginning \(beginning) has "
                    + "(\(Self.lengths(beginning, digits))): never cut to fit"
            case .tooShort(let digits, let beginning):
                return "\(digits) digits, fewer than a UK number beginning \(beginning) has "
                    + "(\(Self.lengths(beginning, digits)))"
            case .notInUse(let beginning): return "no UK number begins \(beginning)"
            case .noLeadingZero: return "begins with neither 0 nor 44 (a 0 lost in a spreadsheet?)"
            case .abroad: return "a number abroad; only UK numbers are called"
            case .oneOfSeveral(let index, let count, let fault):
                return "number \(index) of \(count) in the cell: \(fault.detail ?? fault.problem.reason)"
            }
        }

        /// How many digits UK numbers beginning `beginning` have, said for one of `digits`.
        private static func lengths(_ beginning: String, _ digits: Int) -> String {
            switch beginning {
            case "0800": return "10 or 11"
            case "01": return digits == 10 ? "11; 10 only in a few ranges, not this one" : "11, or 10 in a few ranges"
            default: return "11"
            }
        }
    }

    /// The number in a cell, or why it has none.
    public static func read(_ bytes: FieldBytes) -> Result<String, Fault> {
        var out: [UInt8] = []
        if let fault = normalise(bytes, appendingTo: &out) { return .failure(fault) }
        return .success(String(decoding: out, as: UTF8.self))
    }

    /// Reads text; see ``read(_:)-(FieldBytes)``.
    public static func read(_ text: String) -> Result<String, Fault> {
        Bytes.with(text) { read($0) }
    }

    /// The number in a cell, or the problem the rejects report counts (``read(_:)-(FieldBytes)``
    /// says which).
    public static func parse(_ bytes: FieldBytes) -> Result<String, Problem> {
        read(bytes).mapError(\.problem)
    }

    /// Parses text; see ``parse(_:)-(FieldBytes)``.
    public static func parse(_ text: String) -> Result<String, Problem> {
        Bytes.with(text) { parse($0) }
    }

    /// Appends the cell's number, formatted, to `out`, or returns why it has none (appending nothing).
    static func normalise(_ bytes: FieldBytes, appendingTo out: inout [UInt8]) -> Fault? {
        if let national = plainNational(bytes) {
            format(national, appendingTo: &out)
            return nil
        }
        return walk(bytes, appendingTo: &out)
    }

    /// ``normalise(_:appendingTo:)`` for any cell: its runs of digits read one by one, and words
    /// skipped (or taken as an extension's marker).
    static func walk(_ bytes: FieldBytes, appendingTo out: inout [UInt8]) -> Fault? {
        if MissingValue.isMissing(bytes) { return .missing }
        var cell = Cell()
        var extensionNext = false
        var index = 0
        let end = bytes.count
        while index < end {
            let byte = bytes[index]
            if byte.isDigit || byte == plusSign {
                // A run: digits and what groups them, after an optional '+'. It ends at anything
                // else: a word, '/', ',', ';', ':', another '+'.
                var run = Run()
                if byte == plusSign {
                    run.plus = true
                    index += 1
                }
                var groupStart = true
                while index < end {
                    let byte = bytes[index]
                    if byte.isDigit {
                        run.append(byte, startsGroup: groupStart)
                        groupStart = false
                        index += 1
                    } else if isGrouping(byte) {
                        groupStart = true
                        index += 1
                    } else if byte == 0xC2, index + 1 < end, bytes[index + 1] == 0xA0 {  // no-break space
                        groupStart = true
                        index += 2
                    } else {
                        break
                    }
                }
                if extensionNext {
                    extensionNext = false
                } else {
                    cell.add(run)
                }
            } else if byte.isLetter {
                let start = index
                while index < end, bytes[index].isLetter { index += 1 }
                extensionNext = isExtensionMarker(bytes, start..<index)
            } else {
                index += 1
            }
        }
        return cell.finish(appendingTo: &out)
    }

    /// The usual cell, read in one pass: only digits and spaces, with exactly 11 digits that
    /// begin `0` and then a digit a UK number begins with (`01`, `02`, `03`, `05`, `07`, `08`,
    /// `09`). ``walk(_:appendingTo:)`` reads such a cell as one run, and so as one whole number in
    /// national form (11 digits are as many as every such beginning has); any other cell is left
    /// to it. `PhoneNumberWalkTests.theUsualCellReadsAsTheWalkReadsIt` compares the two.
    @inline(__always)
    private static func plainNational(_ bytes: FieldBytes) -> National? {
        var national = National()
        for byte in bytes where byte != 0x20 {
            guard byte.isDigit, national.count < 11 else { return nil }
            national.append(byte)
        }
        guard national.count == 11, national.digits[0] == zero else { return nil }
        switch national.digits[1] {
        case 0x31, 0x32, 0x33, 0x35, 0x37, 0x38, 0x39: return national
        default: return nil
        }
    }

    private static let plusSign: UInt8 = 0x2B
    private static let zero: UInt8 = 0x30
    private static let four: UInt8 = 0x34

    /// Space, tab, no-break space, '-', '.', '(' and ')': what groups the digits of one number.
    private static func isGrouping(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x2D || byte == 0x2E || byte == 0x28 || byte == 0x29 || byte == 0x09 || byte == 0xA0
    }

    /// `ext`, `extn`, `extension` or `x`, in any case: the digits after it are an extension.
    private static func isExtensionMarker(_ bytes: FieldBytes, _ word: Range<Int>) -> Bool {
        Bytes.equalsIgnoringCase(bytes, word, "x") || Bytes.equalsIgnoringCase(bytes, word, "ext")
            || Bytes.equalsIgnoringCase(bytes, word, "extn") || Bytes.equalsIgnoringCase(bytes, word, "extension")
    }

    /// The digits of one run, and where its groups start. Digits past the 64th are counted, not kept:
    /// no split of the run reaches them, and so many make it too long whatever they are.
    private struct Run {
        static let capacity = 64
        var digits = InlineArray<64, UInt8>(repeating: 0)
        var count = 0
        /// Bit `i` is set when digit `i` starts a group (begins the run or follows a space, dash…).
        var groupStarts: UInt64 = 0
        /// Whether the run began with '+'.
        var plus = false

        subscript(index: Int) -> UInt8 { digits[index] }

        mutating func append(_ digit: UInt8, startsGroup: Bool) {
            if count < Run.capacity {
                digits[count] = digit
                if startsGroup { groupStarts |= 1 << UInt64(count) }
            }
            count += 1
        }

        func startsGroup(_ index: Int) -> Bool {
            index < Run.capacity && groupStarts & (1 << UInt64(index)) != 0
        }
    }

    /// A UK number in national form, its leading 0 included.
    private struct National {
        var digits = InlineArray<11, UInt8>(repeating: 0)
        var count = 0

        mutating func append(_ digit: UInt8) {
            digits[count] = digit
            count += 1
        }
    }

    /// What some digits of a run are: a whole UK number, or why they are not one.
    private enum Reading {
        case number(National)
        case fault(Fault)
    }

    /// The numbers read from a cell so far.
    private struct Cell {
        var first = National()
        var found = false
        /// The first number that is not whole, and which number it was.
        var broken: Fault?
        var brokenAt = 0
        var numbers = 0
        var abroad = false

        /// Reads a run as one number, or as several when its groups split into whole numbers and it
        /// is not one; a run of fewer than 7 digits is no number at all.
        mutating func add(_ run: Run) {
            guard run.count >= 7 else { return }
            let whole = PhoneNumber.reading(run, 0, run.count)
            if case .number = whole {
                note(whole)
            } else if run.count > Run.capacity || !split(run) {
                note(whole)
            }
        }

        /// Reads `run` as several whole numbers, each starting a group, if it splits into them;
        /// returns whether it did. `end[i]` is where the number starting at digit `i` ends, when
        /// the digits from `i` on split into whole numbers (0 when they do not).
        private mutating func split(_ run: Run) -> Bool {
            let count = run.count
            var end = InlineArray<65, Int>(repeating: 0)
            var start = count - 10
            while start >= 0 {
                if run.startsGroup(start) {
                    for next in (start + 10)...min(start + 15, count)
                    where next == count || (run.startsGroup(next) && end[next] > 0) {
                        if case .number = PhoneNumber.reading(run, start, next) {
                            end[start] = next
                            break
                        }
                    }
                }
                start -= 1
            }
            guard end[0] > 0 else { return false }
            var index = 0
            while index < count {
                note(PhoneNumber.reading(run, index, end[index]))
                index = end[index]
            }
            return true
        }

        private mutating func note(_ reading: Reading) {
            numbers += 1
            switch reading {
            case .number(let national):
                if !found {
                    first = national
                    found = true
                }
            case .fault(.abroad): abroad = true
            case .fault(let fault):
                if broken == nil {
                    broken = fault
                    brokenAt = numbers
                }
            }
        }

        func finish(appendingTo out: inout [UInt8]) -> Fault? {
            if let broken { return numbers > 1 ? .oneOfSeveral(index: brokenAt, count: numbers, broken) : broken }
            if found {
                PhoneNumber.format(first, appendingTo: &out)
                return nil
            }
            return abroad ? .abroad : .noNumber
        }
    }

    /// Reads digits `start..<end` of `run` as one number: with `+44`, `0044` or a bare `44` and
    /// maybe the `0` people write after it (`+44 (0)20…`), or in national form.
    private static func reading(_ run: Run, _ start: Int, _ end: Int) -> Reading {
        let count = end - start
        var first = start  // the first digit after the country code, or of the national number
        var international = true
        if run.plus && start == 0 {
            // No country code begins with 0: `+0…` is a mistyped number, not one abroad.
            if run[start] == zero { return .fault(.notInUse(beginning: "+0")) }
            guard count >= 2, run[start] == four, run[start + 1] == four else { return .fault(.abroad) }
            first = start + 2
        } else if run[start] == zero, count >= 2, run[start + 1] == zero {
            if count >= 3, run[start + 2] == zero { return .fault(.notInUse(beginning: "000")) }
            guard count >= 4, run[start + 2] == four, run[start + 3] == four else { return .fault(.abroad) }
            first = start + 4
        } else if run[start] == zero {
            international = false
        } else if count >= 2, run[start] == four, run[start + 1] == four {
            first = start + 2
        } else {
            return .fault(.noLeadingZero)
        }
        if international, first < end, run[first] == zero { first += 1 }
        let length = end - first + (international ? 1 : 0)
        // digit(i) is digit i of the national number, its leading 0 included.
        func digit(_ i: Int) -> UInt8 { international ? (i == 0 ? zero : run[first + i - 1]) : run[first + i] }
        guard length >= 2 else { return .fault(.tooShort(digits: length, beginning: "0")) }
        let second = digit(1)
        let beginning: String
        var fewest = 11
        switch second {
        case 0x31:
            beginning = "01"
            if length == 10, hasTenDigits(digit) { fewest = 10 }
        case 0x32, 0x33, 0x35, 0x37, 0x39:
            beginning = "0" + String(UnicodeScalar(second))
        case 0x38:
            if length >= 4, digit(2) == zero, digit(3) == zero {
                beginning = "0800"
                fewest = 10
            } else {
                beginning = "08"
            }
        default:
            return .fault(.notInUse(beginning: "0" + String(UnicodeScalar(second))))
        }
        if length > 11 { return .fault(.tooLong(digits: length, beginning: beginning)) }
        if length < fewest { return .fault(.tooShort(digits: length, beginning: beginning)) }
        var national = National()
        for i in 0..<length { national.append(digit(i)) }
        return .number(national)
    }

    /// Whether a 10-digit `01` number (given digit by digit) is in a range of 10-digit numbers.
    private static func hasTenDigits(_ digit: (Int) -> UInt8) -> Bool {
        var key = 0
        for i in 1...6 { key = key * 10 + Int(digit(i) - zero) }
        return tenDigitRanges.contains(key)
    }

    /// The ranges of 10-digit `01` numbers, in the few areas that still have 5-digit local numbers
    /// (`01204 61234`) or 4-digit ones (`016977 2345`); every other `01` number has 11 digits.
    /// Each entry is a number's first six digits and the seventh digits its ranges allow (all when
    /// none are given), as libphonenumber 9.0.43 lists Ofcom's allocations. The set holds digits
    /// 2 to 7 of each range (`120461`).
    private static let tenDigitRanges: Set<Int> = {
        let table = [
            "012046 1234", "012087 23456789", "012545 12345679", "012762", "012763 12345678", "012766 123456",
            "012972 01234", "012973 2345", "012982 2345678", "012987 01234789", "012988 345", "013638 2345",
            "013647 23", "013847 0456789", "013864 015789", "014044 1234567", "014202 23", "014208", "014603 0",
            "014605 23457", "014606 12345678", "014607 2345678", "014614 0", "014805 2", "014887 123",
            "015243 2345679", "015246", "015276", "015626 06789", "015668 6", "016064", "016067 45679",
            "016295 567", "016353", "016354", "016472 4", "016476 1", "016595 08", "016596 67", "016597 4",
            "016955 01234", "016977 23", "017266 13456789", "017267 01234567", "017442", "017502 0123", "017503 2",
            "017504 2", "017505 2", "017506 2", "017507 6", "017508 2", "017688", "018275", "018276",
            "018375 2345", "018378 239", "018843 23458", "019006 12345678", "019008 5", "019052", "019358 3",
            "019466 12345678", "019492 01", "019498 1", "019632 3", "019633 1234", "019956 1",
        ]
        var ranges = Set<Int>()
        for entry in table {
            let parts = entry.split(separator: " ")
            let prefix = Int(parts[0].dropFirst())!
            for seventh in parts.count > 1 ? Array(parts[1]) : Array("0123456789") {
                ranges.insert(prefix * 10 + Int(String(seventh))!)
            }
        }
        return ranges
    }()

    /// Appends the national number grouped for reading: `020 7946 0000`, `0121 496 0000`,
    /// `01632 960000`, `07700 900123`, `0300 123 4567`; a 10-digit one as `01204 61234`.
    private static func format(_ national: National, appendingTo out: inout [UInt8]) {
        let length = national.count
        let d = national.digits
        let groups: (Int, Int, Int)
        if length == 10 {
            groups = (5, 5, 0)
        } else {
            switch d[1] {
            case 0x32: groups = (3, 4, 4)  // 02x: London, Cardiff, Belfast…
            case 0x31: groups = d[2] == 0x31 || d[3] == 0x31 ? (4, 3, 4) : (5, 6, 0)  // 011x, 01x1: big cities
            case 0x37: groups = (5, 6, 0)  // mobiles
            default: groups = (4, 3, 4)  // 03, 05, 08, 09
            }
        }
        // Written on the stack, then appended in one piece.
        let secondBreak = groups.2 > 0 ? groups.0 + groups.1 : length
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 13) { text in
            var at = 0
            for i in 0..<length {
                if i == groups.0 || i == secondBreak {
                    text[at] = 0x20
                    at += 1
                }
                text[at] = d[i]
                at += 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: text[..<at]))
        }
    }
}
