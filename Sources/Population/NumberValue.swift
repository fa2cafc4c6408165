import Basics

/// Decimal numbers (`0.36`, `-3`, `1e3`, `132.0`) parsed from bytes without making a `String`.
public enum NumberValue {
    public static func parse(_ bytes: FieldBytes) -> Result<Double, Problem> {
        if bytes.isEmpty { return .failure(.missing) }
        let range: Range<Int>
        if bytes[0].isDigit, bytes[bytes.count - 1].isDigit {
            // The usual cell (`0.36`, `132`): no marker starts with a digit, and nothing to trim.
            range = 0..<bytes.count
        } else {
            if MissingValue.isMissing(bytes) { return .failure(.missing) }
            range = Bytes.trimmed(bytes)
        }
        var index = range.lowerBound
        let end = range.upperBound
        var negative = false
        if bytes[index] == 0x2D || bytes[index] == 0x2B {
            negative = bytes[index] == 0x2D
            index += 1
        }
        // Up to 18 digits, so the mantissa cannot overflow.
        var mantissa: UInt64 = 0
        var digits = 0
        var digitsBeforePoint: Int?
        while index < end {
            let digit = bytes[index] &- 0x30
            if digit < 10 {
                guard digits < 18 else { return slowParse(bytes, range) }
                mantissa = mantissa &* 10 &+ UInt64(digit)
                digits += 1
            } else if bytes[index] == 0x2E, digitsBeforePoint == nil {
                digitsBeforePoint = digits
            } else {
                return slowParse(bytes, range)
            }
            index += 1
        }
        guard digits > 0 else { return .failure(.notANumber) }
        // Exact only while the mantissa is a `Double` itself (up to 2^53, about 16 digits): one
        // division of two exact numbers is then rounded once, as `Double(text)` rounds. A longer
        // one would be rounded twice, and could land one unit in the last place away.
        guard mantissa <= 1 << 53 else { return slowParse(bytes, range) }
        var value = Double(mantissa)
        let scale = digits - (digitsBeforePoint ?? digits)
        if scale > 0 { value /= powerOfTen(scale) }
        return .success(negative ? -value : value)
    }

    public static func parse(_ text: String) -> Result<Double, Problem> {
        Bytes.with(text) { parse($0) }
    }

    /// 10 to the power of `exponent`, 1 to 18, each exact as a `Double`. A switch, not a table: a
    /// global array is checked to have been made each time it is read, and this runs for most
    /// events rows with a value.
    @inline(__always)
    private static func powerOfTen(_ exponent: Int) -> Double {
        switch exponent {
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        default: preconditionFailure("10^\(exponent) asked for: a mantissa has 1 to 18 digits")
        }
    }

    private static func slowParse(_ bytes: FieldBytes, _ range: Range<Int>) -> Result<Double, Problem> {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { return .failure(.notANumber) }
        return .success(value)
    }
}
