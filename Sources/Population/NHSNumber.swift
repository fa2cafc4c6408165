import Basics

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
        if let plain = plainTenDigits(bytes) { return plain }
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

    /// ``parse(_:)-(FieldBytes)`` of a cell of exactly ten digits, the usual cell, with its check
    /// digit found from the digits as written (not by dividing the number down); `nil` for any
    /// other cell.
    @inline(__always)
    private static func plainTenDigits(_ bytes: FieldBytes) -> Result<NHSNumber, Problem>? {
        guard bytes.count == 10 else { return nil }
        var value: UInt64 = 0
        var sum: UInt64 = 0
        for index in 0..<9 {
            let digit = bytes[index] &- 0x30
            guard digit < 10 else { return nil }
            value = value &* 10 &+ UInt64(digit)
            sum &+= UInt64(digit) &* UInt64(10 - index)
        }
        let last = bytes[9] &- 0x30
        guard last < 10 else { return nil }
        let check = 11 - sum % 11
        guard check != 10, check % 11 == UInt64(last) else { return .failure(.nhsCheckDigit) }
        return .success(NHSNumber(validated: value &* 10 &+ UInt64(last)))
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
