import Basics

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
