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
