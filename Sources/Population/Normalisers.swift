import Basics

/// A field's bytes as the CSV reader hands them out (valid only while the reader holds them).
public typealias FieldBytes = UnsafeBufferPointer<UInt8>

extension UInt8 {
    @usableFromInline var isDigit: Bool { self >= 0x30 && self <= 0x39 }
    @usableFromInline var isLetter: Bool { (self | 0x20) >= 0x61 && (self | 0x20) <= 0x7A }
    @usableFromInline var isSpace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D || self == 0xA0 }
    @usableFromInline var lowercased: UInt8 { isLetter ? self | 0x20 : self }
    @usableFromInline var uppercased: UInt8 { isLetter ? self & ~0x20 : self }
}

/// Byte-level helpers shared by the normalisers.
enum Bytes {
    /// The range of `bytes` without leading and trailing spaces, tabs and line breaks.
    @inline(__always)
    static func trimmed(_ bytes: FieldBytes) -> Range<Int> {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start].isSpace { start += 1 }
        while end > start, bytes[end - 1].isSpace { end -= 1 }
        return start..<end
    }

    /// Runs `body` with the UTF-8 bytes of a string.
    static func with<R>(_ text: String, _ body: (FieldBytes) -> R) -> R {
        var copy = text
        return copy.withUTF8 { body($0) }
    }

    /// Whether trimmed bytes equal an ASCII word, ignoring case.
    static func equalsIgnoringCase(_ bytes: FieldBytes, _ range: Range<Int>, _ word: StaticString) -> Bool {
        guard range.count == word.utf8CodeUnitCount else { return false }
        let pointer = word.utf8Start
        for offset in 0..<range.count where bytes[range.lowerBound + offset].lowercased != pointer[offset].lowercased {
            return false
        }
        return true
    }
}

/// Missing-value markers: an empty cell, only spaces, `NULL`, `N/A`, `#N/A`, `NA` (any case).
public enum MissingValue {
    /// Whether a cell means "no value".
    @inline(__always)
    public static func isMissing(_ bytes: FieldBytes) -> Bool {
        // Most cells: longer than any marker and not padded.
        if bytes.count > 4, !bytes[0].isSpace, !bytes[bytes.count - 1].isSpace { return false }
        let range = Bytes.trimmed(bytes)
        if range.isEmpty { return true }
        if range.count > 4 { return false }
        return Bytes.equalsIgnoringCase(bytes, range, "null") || Bytes.equalsIgnoringCase(bytes, range, "n/a")
            || Bytes.equalsIgnoringCase(bytes, range, "#n/a") || Bytes.equalsIgnoringCase(bytes, range, "na")
    }

    /// Whether a cell means "no value".
    public static func isMissing(_ text: String) -> Bool {
        Bytes.with(text) { isMissing($0) }
    }
}

/// An NHS number: 10 digits whose last is a Modulus 11 check digit, kept as an integer.
public struct NHSNumber: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 10 digits as a number (`9990010013`).
    public let value: UInt64

    /// The number when its check digit is right.
    public init?(_ value: UInt64) {
        guard value < 10_000_000_000, NHSNumber.checkDigitIsValid(value) else { return nil }
        self.value = value
    }

    /// A number already checked (the population only holds valid ones).
    init(validated value: UInt64) {
        self.value = value
    }

    /// Parses a cell: 10 digits with any spaces or dashes (`999 001 0013`, `999-001-0013`).
    /// - Returns: the number, or the problem: missing, not 10 digits, wrong check digit, or mangled by Excel.
    public static func parse(_ bytes: FieldBytes) -> Result<NHSNumber, Problem> {
        if MissingValue.isMissing(bytes) { return .failure(.missing) }
        let range = Bytes.trimmed(bytes)
        var value: UInt64 = 0
        var digits = 0
        var sawExponent = false
        var sawOther = false
        var sawPointOrPlus = false
        for index in range {
            let byte = bytes[index]
            if byte.isDigit {
                if digits < 19 { value = value &* 10 &+ UInt64(byte &- 0x30) }
                digits += 1
            } else if byte == 0x20 || byte == 0x2D {
                continue
            } else if byte == 0x45 || byte == 0x65 {
                sawExponent = true
            } else if byte == 0x2E || byte == 0x2B {
                sawPointOrPlus = true
            } else {
                sawOther = true
            }
        }
        if sawExponent && !sawOther && digits > 0 { return .failure(.nhsExcelMangled) }
        guard !sawOther, !sawPointOrPlus, digits == 10 else {
            return .failure(.nhsNotTenDigits)
        }
        guard let number = NHSNumber(value) else { return .failure(.nhsCheckDigit) }
        return .success(number)
    }

    /// Parses text; see ``parse(_:)-(FieldBytes)``.
    public static func parse(_ text: String) -> Result<NHSNumber, Problem> {
        Bytes.with(text) { parse($0) }
    }

    /// Whether the last digit is the Modulus 11 check digit of the first nine.
    public static func checkDigitIsValid(_ value: UInt64) -> Bool {
        guard let check = checkDigit(forFirstNine: value / 10) else { return false }
        return check == value % 10
    }

    /// The check digit for nine digits, or `nil` when they have none (the remainder gives 10).
    public static func checkDigit(forFirstNine value: UInt64) -> UInt64? {
        var rest = value
        var sum: UInt64 = 0
        for weight in 2...10 {
            sum += (rest % 10) * UInt64(weight)
            rest /= 10
        }
        let check = 11 - sum % 11
        if check == 11 { return 0 }
        if check == 10 { return nil }
        return check
    }

    /// The 10 digits with no spaces, as machine output writes them.
    public var digits: String { NHSNumber.digits(value) }

    /// Any stored NHS number as its 10 digits (leading zeros kept), for CSV output.
    public static func digits(_ value: UInt64) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 10 - text.count)) + text
    }

    /// `999 001 0013`, as people read it.
    public var description: String { NHSNumber.spaced(value) }

    /// Any stored NHS number as people read it: `999 001 0013`.
    public static func spaced(_ value: UInt64) -> String {
        let text = String(value)
        let digits = String(repeating: "0", count: max(0, 10 - text.count)) + text
        return "\(digits.prefix(3)) \(digits.dropFirst(3).prefix(3)) \(digits.suffix(4))"
    }

    public static func < (lhs: NHSNumber, rhs: NHSNumber) -> Bool { lhs.value < rhs.value }
}

/// Dates in every form practice extracts use, parsed from bytes without `DateFormatter`.
///
/// Accepts `2024-03-01`, `2024/03/01`, `20240301`, `01/03/2024`, `1/3/2024`, `01-03-2024`,
/// `01.03.2024` (day first: UK, never US), `01-Mar-2024`, `1 Mar 2024`, `1 March 2024`,
/// `01-MAR-24`, partial `2024-03` and `Mar 2024` (taken as the 1st), each with or without a time
/// part (`T09:30:00Z`, ` 00:00`). Impossible dates (`31/02/2024`) are refused, never rolled over.
public enum DateValue {
    /// Parses a cell.
    /// - Parameter latest: the latest day a two-digit year may give (the extract's date): `01-Mar-24`
    ///   is 2024 when that is not after `latest`, else 1924, so no birth date is in the future.
    @inline(__always)
    public static func parse(_ bytes: FieldBytes, latest: Day) -> Result<Day, Problem> {
        // The usual form, `2024-03-01`, read directly.
        if bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D, let year = digits(bytes, 0, 4),
            let month = digits(bytes, 5, 2), let day = digits(bytes, 8, 2),
            year >= firstTabledYear, year < firstTabledYear + tabledYears, month >= 1, month <= 12
        {
            let index = (year - firstTabledYear) * 12 + month - 1
            let first = monthStarts[index]
            guard day >= 1, day <= Int(monthStarts[index + 1] - first) else { return .failure(.noSuchDate) }
            return .success(Day(ordinal: first + Int32(day - 1)))
        }
        return parseAnyForm(bytes, latest: latest)
    }

    /// Every form other than an ISO date in the tabled years (see ``parse(_:latest:)-(FieldBytes,_)``).
    private static func parseAnyForm(_ bytes: FieldBytes, latest: Day) -> Result<Day, Problem> {
        if MissingValue.isMissing(bytes) { return .failure(.missing) }
        let range = Bytes.trimmed(bytes)
        var parts = Parts()
        var index = range.lowerBound
        let end = range.upperBound
        var allDigits = true
        for i in range where !bytes[i].isDigit {
            allDigits = false
            break
        }
        if allDigits {
            if range.count == 8 {
                let y = number(bytes, range.lowerBound, 4)
                let m = number(bytes, range.lowerBound + 4, 2)
                let d = number(bytes, range.lowerBound + 6, 2)
                return make(year: y, month: m, day: d)
            }
            if range.count == 5 { return .failure(.excelDateNumber) }
            return .failure(.notADate)
        }
        // Up to three components separated by '-', '/', '.', ' ' or ','; then an optional time.
        while index < end, parts.count < 3 {
            let byte = bytes[index]
            if byte.isDigit {
                var value = 0
                var length = 0
                while index < end, bytes[index].isDigit, length < 5 {
                    value = value * 10 + Int(bytes[index] - 0x30)
                    length += 1
                    index += 1
                }
                if index < end, bytes[index].isDigit { return .failure(.notADate) }
                parts.append(value: value, length: length, isMonthName: false)
            } else if byte.isLetter {
                let start = index
                while index < end, bytes[index].isLetter { index += 1 }
                guard let month = monthNumber(bytes, start..<index) else { return .failure(.notADate) }
                parts.append(value: month, length: index - start, isMonthName: true)
            } else {
                return .failure(.notADate)
            }
            guard index < end else { break }
            let separator = bytes[index]
            if separator == 0x54 && parts.count == 3 { break }  // 'T' before a time
            guard separator == 0x2D || separator == 0x2F || separator == 0x2E || separator == 0x20 || separator == 0x2C
            else { return .failure(.notADate) }
            if parts.count == 3 { break }
            index += 1
            while index < end, bytes[index] == 0x20 || bytes[index] == 0x2C { index += 1 }
        }
        if index < end {
            // Only a time of day may follow: digits, ':', '.', spaces, 'T', 'Z', AM/PM, an offset.
            guard parts.count == 3 else { return .failure(.notADate) }
            var sawDigit = false
            for i in index..<end {
                let byte = bytes[i]
                if byte.isDigit {
                    sawDigit = true
                    continue
                }
                switch byte.lowercased {
                case 0x3A, 0x2E, 0x20, 0x74, 0x7A, 0x61, 0x70, 0x6D, 0x2B, 0x2D: continue
                default: return .failure(.notADate)
                }
            }
            if !sawDigit { return .failure(.notADate) }
        }
        switch parts.count {
        case 3:
            if parts.l0 == 4 && !parts.m0 {
                guard parts.m1 || parts.l1 <= 2, parts.l2 <= 2, !parts.m2 else { return .failure(.notADate) }
                return make(year: parts.v0, month: parts.v1, day: parts.v2)
            }
            guard parts.l0 <= 2, !parts.m0, parts.m1 || parts.l1 <= 2, !parts.m2 else { return .failure(.notADate) }
            if parts.l2 == 4 { return make(year: parts.v2, month: parts.v1, day: parts.v0) }
            guard parts.l2 == 2 else { return .failure(.notADate) }
            return pivot(twoDigitYear: parts.v2, month: parts.v1, day: parts.v0, latest: latest)
        case 2:
            if parts.l0 == 4, !parts.m0, parts.m1 || parts.l1 <= 2 {
                return make(year: parts.v0, month: parts.v1, day: 1)
            }
            if parts.m0, parts.l1 == 4, !parts.m1 { return make(year: parts.v1, month: parts.v0, day: 1) }
            return .failure(.notADate)
        default:
            return .failure(.notADate)
        }
    }

    /// Parses text; see ``parse(_:latest:)-(FieldBytes,_)``.
    public static func parse(_ text: String, latest: Day) -> Result<Day, Problem> {
        Bytes.with(text) { parse($0, latest: latest) }
    }

    private struct Parts {
        var count = 0
        var v0 = 0, v1 = 0, v2 = 0
        var l0 = 0, l1 = 0, l2 = 0
        var m0 = false, m1 = false, m2 = false

        mutating func append(value: Int, length: Int, isMonthName: Bool) {
            switch count {
            case 0: (v0, l0, m0) = (value, length, isMonthName)
            case 1: (v1, l1, m1) = (value, length, isMonthName)
            default: (v2, l2, m2) = (value, length, isMonthName)
            }
            count += 1
        }
    }

    private static let firstTabledYear = 1850
    private static let tabledYears = 350

    /// The day of the 1st of every month from January 1850 on (and of the month after the last),
    /// so that an ISO date costs a table read rather than a calendar calculation.
    private static let monthStarts: [Int32] = (0...(tabledYears * 12)).map { index in
        Day(year: firstTabledYear + index / 12, month: index % 12 + 1, day: 1)!.ordinal
    }

    /// The number in `length` bytes from `start`, or `nil` unless they are all digits.
    @inline(__always)
    private static func digits(_ bytes: FieldBytes, _ start: Int, _ length: Int) -> Int? {
        var value = 0
        for index in start..<(start + length) {
            let digit = bytes[index] &- 0x30
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int(digit)
        }
        return value
    }

    private static func number(_ bytes: FieldBytes, _ start: Int, _ length: Int) -> Int {
        var value = 0
        for index in start..<(start + length) { value = value * 10 + Int(bytes[index] - 0x30) }
        return value
    }

    private static func make(year: Int, month: Int, day: Int) -> Result<Day, Problem> {
        guard year >= 1850, let result = Day(year: year, month: month, day: day) else {
            return .failure(.noSuchDate)
        }
        return .success(result)
    }

    private static func pivot(twoDigitYear: Int, month: Int, day: Int, latest: Day) -> Result<Day, Problem> {
        let century = latest.year / 100 * 100
        guard let recent = Day(year: century + twoDigitYear, month: month, day: day) else {
            // 29 February can exist in one century's year and not the other's (1900 vs 2000).
            if let earlier = Day(year: century - 100 + twoDigitYear, month: month, day: day) {
                return .success(earlier)
            }
            return .failure(.noSuchDate)
        }
        if recent <= latest { return .success(recent) }
        guard let earlier = Day(year: century - 100 + twoDigitYear, month: month, day: day) else {
            return .failure(.noSuchDate)
        }
        return .success(earlier)
    }

    /// `jan`…`dec`, `sept`, or the full English name, any case.
    private static func monthNumber(_ bytes: FieldBytes, _ range: Range<Int>) -> Int? {
        guard range.count >= 3 else { return nil }
        let a = bytes[range.lowerBound].lowercased
        let b = bytes[range.lowerBound + 1].lowercased
        let c = bytes[range.lowerBound + 2].lowercased
        let key = UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c)
        guard let month = monthKeys.firstIndex(of: key) else { return nil }
        if range.count == 3 { return month + 1 }
        if month == 8, range.count == 4, bytes[range.lowerBound + 3].lowercased == 0x74 { return 9 }  // "sept"
        let full = monthNames[month]
        guard range.count == full.count else { return nil }
        for (offset, expected) in full.enumerated() where bytes[range.lowerBound + offset].lowercased != expected {
            return nil
        }
        return month + 1
    }

    private static let monthNames: [[UInt8]] = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ].map { Array($0.utf8) }

    private static let monthKeys: [UInt32] = monthNames.map { name in
        UInt32(name[0]) << 16 | UInt32(name[1]) << 8 | UInt32(name[2])
    }
}

/// UK postcodes, normalised to upper case with one space before the inward code (`SG1 1AA`).
public enum Postcode {
    /// Parses a cell in any case, with no, one or several spaces, or padded to 7 characters.
    public static func parse(_ bytes: FieldBytes) -> Result<String, Problem> {
        var out: [UInt8] = []
        if let problem = normalise(bytes, appendingTo: &out) { return .failure(problem) }
        return .success(String(decoding: out, as: UTF8.self))
    }

    /// Parses text; see ``parse(_:)-(FieldBytes)``.
    public static func parse(_ text: String) -> Result<String, Problem> {
        Bytes.with(text) { parse($0) }
    }

    /// Appends the normalised postcode in `bytes` to `out`, or returns the problem (appending nothing).
    static func normalise(_ bytes: FieldBytes, appendingTo out: inout [UInt8]) -> Problem? {
        if MissingValue.isMissing(bytes) { return .missing }
        var compact = InlineArray<7, UInt8>(repeating: 0)
        var count = 0
        for byte in bytes {
            if byte.isSpace { continue }
            guard byte.isLetter || byte.isDigit, count < 7 else { return .notAPostcode }
            compact[count] = byte.uppercased
            count += 1
        }
        guard count >= 5 else { return .notAPostcode }
        let inward = count - 3
        guard compact[inward].isDigit, compact[inward + 1].isLetter, compact[inward + 2].isLetter,
            isOutward(compact, inward)
        else { return .notAPostcode }
        for index in 0..<inward { out.append(compact[index]) }
        out.append(0x20)
        for index in inward..<count { out.append(compact[index]) }
        return nil
    }

    /// Outward codes: A9, A99, AA9, AA99, A9A, AA9A.
    private static func isOutward(_ c: InlineArray<7, UInt8>, _ length: Int) -> Bool {
        guard c[0].isLetter else { return false }
        switch length {
        case 2: return c[1].isDigit
        case 3: return (c[1].isDigit && (c[2].isDigit || c[2].isLetter)) || (c[1].isLetter && c[2].isDigit)
        case 4: return c[1].isLetter && c[2].isDigit && (c[3].isDigit || c[3].isLetter)
        default: return false
        }
    }
}

/// UK phone numbers: the first usable number in a cell, normalised to `07700 900123` /
/// `020 7946 0000` / `0121 496 0000` / `01632 960000` style.
///
/// Real cells hold several numbers (`07700 900123 / 01632 960001`), words (`mob: …`), `+44`,
/// `0044`, `+44 (0)…` and extensions (`ext 23`); the raw cell is kept beside the result.
public enum PhoneNumber {
    /// The first usable UK number in a cell.
    public static func parse(_ bytes: FieldBytes) -> Result<String, Problem> {
        var out: [UInt8] = []
        if let problem = normalise(bytes, appendingTo: &out) { return .failure(problem) }
        return .success(String(decoding: out, as: UTF8.self))
    }

    /// Parses text; see ``parse(_:)-(FieldBytes)``.
    public static func parse(_ text: String) -> Result<String, Problem> {
        Bytes.with(text) { parse($0) }
    }

    /// The digits of one candidate number. A candidate stops growing once it has 11 national
    /// digits, so it never holds more than 14 (`0044` and 10 or 11 more).
    private struct Digits {
        var bytes = InlineArray<16, UInt8>(repeating: 0)
        var count = 0

        subscript(index: Int) -> UInt8 { bytes[index] }

        mutating func append(_ digit: UInt8) {
            bytes[count] = digit
            count += 1
        }

        func hasPrefix(_ a: UInt8, _ b: UInt8) -> Bool { count >= 2 && bytes[0] == a && bytes[1] == b }
    }

    /// Appends the first usable number in `bytes`, formatted, to `out`, or returns the problem.
    static func normalise(_ bytes: FieldBytes, appendingTo out: inout [UInt8]) -> Problem? {
        if MissingValue.isMissing(bytes) { return .missing }
        // The usual cell: a national number of 10 or 11 digits, spaced or not (`07700 900123`).
        // The search below reads such a cell as one number too; this only skips the search.
        if bytes.count <= 16 {
            var digits = Digits()
            var plain = true
            for byte in bytes {
                if byte.isDigit, digits.count < 11 {
                    digits.append(byte)
                } else if byte != 0x20 {
                    plain = false
                    break
                }
            }
            if plain, digits.count >= 10, digits[0] == 0x30,
                format(digits, international: false, appendingTo: &out)
            {
                return nil
            }
        }
        var index = 0
        let end = bytes.count
        while index < end {
            // A candidate starts at a digit or '+' and runs over digits, spaces, '-', '.', '(' and ')'.
            while index < end, !(bytes[index].isDigit || bytes[index] == 0x2B) { index += 1 }
            guard index < end else { break }
            var digits = Digits()
            var international = false
            if bytes[index] == 0x2B {
                international = true
                index += 1
            }
            var groupStart = true
            while index < end {
                let byte = bytes[index]
                if byte.isDigit {
                    digits.append(byte)
                    groupStart = false
                    index += 1
                } else if byte == 0x20 || byte == 0x2D || byte == 0x2E {
                    if !groupStart, nationalLength(digits, international: international) >= 11 { break }
                    groupStart = true
                    index += 1
                } else if byte == 0x28 {
                    // "(0)" after a country code is dropped; other brackets are just grouping.
                    if index + 2 < end, bytes[index + 1] == 0x30, bytes[index + 2] == 0x29,
                        international || hasCountryCode(digits)
                    {
                        index += 3
                    } else {
                        index += 1
                    }
                } else if byte == 0x29 {
                    index += 1
                } else {
                    break
                }
                if nationalLength(digits, international: international) >= 11 { break }
            }
            if format(digits, international: international, appendingTo: &out) { return nil }
        }
        return .notAPhoneNumber
    }

    private static func hasCountryCode(_ digits: Digits) -> Bool {
        (digits.count == 2 && digits.hasPrefix(0x34, 0x34))
            || (digits.count == 4 && digits.hasPrefix(0x30, 0x30) && digits[2] == 0x34 && digits[3] == 0x34)
    }

    /// Where the national number starts in `digits` (it then begins with a `0` that is not
    /// written), and whether that `0` is implied; `nil` when an international number is not +44.
    /// `+44…` and `0044…` drop the country code, as does a bare `44…` of 12 digits.
    private static func national(_ digits: Digits, international: Bool) -> (skip: Int, impliedZero: Bool)? {
        if international {
            guard digits.hasPrefix(0x34, 0x34) else { return nil }
            return (2, true)
        }
        if digits.count >= 4, digits.hasPrefix(0x30, 0x30), digits[2] == 0x34, digits[3] == 0x34 { return (4, true) }
        if digits.count == 12, digits.hasPrefix(0x34, 0x34) { return (2, true) }
        return (0, false)
    }

    /// How many digits the number has in national form (with its leading 0).
    private static func nationalLength(_ digits: Digits, international: Bool) -> Int {
        guard let national = national(digits, international: international) else { return digits.count }
        return digits.count - national.skip + (national.impliedZero ? 1 : 0)
    }

    /// Appends the national number grouped for reading and returns `true`, or returns `false`
    /// when the digits are not a UK number.
    private static func format(_ digits: Digits, international: Bool, appendingTo out: inout [UInt8]) -> Bool {
        guard let national = national(digits, international: international) else { return false }
        // d(i) is digit i of the national number, leading 0 included.
        let length = digits.count - national.skip + (national.impliedZero ? 1 : 0)
        func d(_ i: Int) -> UInt8 {
            national.impliedZero ? (i == 0 ? 0x30 : digits[national.skip + i - 1]) : digits[national.skip + i]
        }
        guard length > 0, d(0) == 0x30, length == 10 || length == 11, d(1) != 0x30 else { return false }
        let groups: (Int, Int, Int)
        if length == 10 {
            groups = (5, 5, 0)
        } else {
            switch d(1) {
            case 0x32: groups = (3, 4, 4)  // 02x: London, Cardiff, Belfast…
            case 0x31: groups = d(2) == 0x31 || d(3) == 0x31 ? (4, 3, 4) : (5, 6, 0)  // 011x, 01x1: big cities
            case 0x37: groups = (5, 6, 0)  // mobiles
            default: groups = (4, 3, 4)  // 03, 08, 09
            }
        }
        func group(_ range: Range<Int>) {
            if range.lowerBound > 0 { out.append(0x20) }
            for i in range { out.append(d(i)) }
        }
        group(0..<groups.0)
        group(groups.0..<(groups.0 + groups.1))
        if groups.2 > 0 { group((groups.0 + groups.1)..<length) }
        return true
    }
}

/// Recorded sex: `F`, `M` or `U` (unknown, indeterminate, not stated).
public enum Sex: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case female, male, unknown

    /// `F`, `M`, `Female`, `male`, `W`, `U`, `Unknown`, `Indeterminate`, `Not known`, `X`, `Other`…
    public static func parse(_ bytes: FieldBytes) -> Result<Sex, Problem> {
        if MissingValue.isMissing(bytes) { return .failure(.missing) }
        let range = Bytes.trimmed(bytes)
        let first = bytes[range.lowerBound].lowercased
        let single = range.count == 1
        func word(_ text: StaticString) -> Bool { Bytes.equalsIgnoringCase(bytes, range, text) }
        switch first {
        case 0x66 where single || word("female") || word("f."): return .success(.female)
        case 0x77 where single || word("woman"): return .success(.female)
        case 0x6D where single || word("male") || word("man") || word("m."): return .success(.male)
        case 0x75, 0x69, 0x78, 0x6F, 0x6E:
            if single || word("unknown") || word("indeterminate") || word("not known") || word("not stated")
                || word("not specified") || word("unspecified") || word("other") || word("intersex")
            {
                return .success(.unknown)
            }
            return .failure(.notASex)
        default:
            return .failure(.notASex)
        }
    }

    /// Parses text; see ``parse(_:)-(FieldBytes)``.
    public static func parse(_ text: String) -> Result<Sex, Problem> {
        Bytes.with(text) { parse($0) }
    }

    /// `F`, `M` or `U`.
    public var description: String {
        switch self {
        case .female: return "F"
        case .male: return "M"
        case .unknown: return "U"
        }
    }
}

/// Yes/no values: `yes`, `y`, `true`, `t`, `1`; `no`, `n`, `false`, `f`, `0` (any case).
public enum YesNo {
    public static func parse(_ bytes: FieldBytes) -> Result<Bool, Problem> {
        if MissingValue.isMissing(bytes) { return .failure(.missing) }
        let range = Bytes.trimmed(bytes)
        func word(_ text: StaticString) -> Bool { Bytes.equalsIgnoringCase(bytes, range, text) }
        if word("yes") || word("y") || word("true") || word("t") || word("1") { return .success(true) }
        if word("no") || word("n") || word("false") || word("f") || word("0") { return .success(false) }
        return .failure(.notYesNo)
    }

    public static func parse(_ text: String) -> Result<Bool, Problem> {
        Bytes.with(text) { parse($0) }
    }
}

/// Decimal numbers (`0.36`, `-3`, `1e3`, `132.0`) parsed from bytes without making a `String`.
public enum NumberValue {
    public static func parse(_ bytes: FieldBytes) -> Result<Double, Problem> {
        if bytes.isEmpty || MissingValue.isMissing(bytes) { return .failure(.missing) }
        let range = Bytes.trimmed(bytes)
        var index = range.lowerBound
        let end = range.upperBound
        var negative = false
        if bytes[index] == 0x2D || bytes[index] == 0x2B {
            negative = bytes[index] == 0x2D
            index += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        var sawPoint = false
        while index < end {
            let byte = bytes[index]
            if byte.isDigit {
                guard digits < 18 else { return slowParse(bytes, range) }
                mantissa = mantissa * 10 + UInt64(byte - 0x30)
                digits += 1
                if sawPoint { scale += 1 }
            } else if byte == 0x2E, !sawPoint {
                sawPoint = true
            } else {
                return slowParse(bytes, range)
            }
            index += 1
        }
        guard digits > 0 else { return .failure(.notANumber) }
        var value = Double(mantissa)
        if scale > 0 { value /= powersOfTen[scale] }
        return .success(negative ? -value : value)
    }

    public static func parse(_ text: String) -> Result<Double, Problem> {
        Bytes.with(text) { parse($0) }
    }

    private static let powersOfTen: [Double] = (0...18).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    private static func slowParse(_ bytes: FieldBytes, _ range: Range<Int>) -> Result<Double, Problem> {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { return .failure(.notANumber) }
        return .success(value)
    }
}

/// Practice ODS codes: a letter and five letters or digits (`E82001`, `Y02345`), upper case.
public enum PracticeCode {
    public static func parse(_ text: String) -> String? {
        let upper = text.trimmed.uppercased()
        let bytes = Array(upper.utf8)
        guard bytes.count == 6, bytes[0].isLetter, bytes.allSatisfy({ $0.isLetter || $0.isDigit }),
            bytes.dropFirst().contains(where: { $0.isDigit })
        else { return nil }
        return upper
    }

    /// The practice code in a file name: a part (between non-alphanumerics) that is a letter and
    /// five digits, as in `practice-E82001.csv` or `E82001_patients.csv`.
    public static func inFileName(_ path: String) -> String? {
        let name = FileIO.fileName(of: path)
        var part: [UInt8] = []
        for byte in Array(name.utf8) + [0x2E] {
            if byte.isLetter || byte.isDigit {
                part.append(byte)
                continue
            }
            if part.count == 6, part[0].isLetter, part.dropFirst().allSatisfy(\.isDigit) {
                return String(decoding: part.map(\.uppercased), as: UTF8.self)
            }
            part.removeAll()
        }
        return nil
    }
}

/// Column names for rules: lower case, runs of anything but letters and digits made one `_`,
/// none at either end (`Lives alone?` → `lives_alone`, `Date of issue` → `date_of_issue`).
public enum ColumnName {
    public static func normalise(_ header: String) -> String {
        var out: [UInt8] = []
        var pendingUnderscore = false
        for byte in header.utf8 {
            if byte.isLetter || byte.isDigit {
                if pendingUnderscore, !out.isEmpty { out.append(0x5F) }
                pendingUnderscore = false
                out.append(byte.lowercased)
            } else {
                pendingUnderscore = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The key profiles match headers by: letters and digits only, lower case
    /// (`NHS number`, `NHSNumber`, `nhs_number` → `nhsnumber`).
    public static func matchKey(_ header: String) -> String {
        String(decoding: header.utf8.filter { $0.isLetter || $0.isDigit }.map(\.lowercased), as: UTF8.self)
    }
}
