/// Number and text formatting that does not depend on the machine's locale, so output is the
/// same everywhere.
public enum Formatting {
    /// `30000` → `30,000`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    /// A number with a fixed count of decimals: `fixed(0.1234, 2)` → `0.12`.
    public static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let negative = value < 0 && scaled != 0
        var text: String
        var fraction: Int
        if scaled < 0x1p63 {
            let whole = Int(scaled / scale)
            fraction = Int(scaled - Double(whole) * scale)
            text = String(whole)
        } else if abs(value) < 0x1p53 {
            // Too many digits in all for an Int (a huge number typed into a rule): whole and fraction apart.
            var whole = Int(abs(value).rounded(.down))
            fraction = Int(((abs(value) - Double(whole)) * scale).rounded())
            if Double(fraction) == scale {
                whole += 1
                fraction = 0
            }
            text = String(whole)
        } else {
            text = integerDigits(abs(value))
            fraction = 0
        }
        if decimals > 0 {
            let fractionText = String(fraction)
            text += "." + String(repeating: "0", count: decimals - fractionText.count) + fractionText
        }
        return negative ? "-" + text : text
    }

    /// The exact decimal digits of a whole number too large for an Int (every Double from 2^53 up
    /// is whole): its significand doubled once per power of two, in decimal digits.
    private static func integerDigits(_ value: Double) -> String {
        var digits: [UInt8] = Array(String(UInt64(value.significandBitPattern | (1 << 52))).utf8.reversed())
            .map { $0 - UInt8(ascii: "0") }
        for _ in 0..<(Int(value.exponent) - 52) {
            var carry: UInt8 = 0
            for index in digits.indices {
                let doubled = digits[index] * 2 + carry
                digits[index] = doubled % 10
                carry = doubled / 10
            }
            if carry > 0 { digits.append(carry) }
        }
        return String(decoding: digits.reversed().map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
    }

    /// A share as a percentage with one decimal: `percent(1, 3)` → `33.3%`; `–` when the whole is 0.
    public static func percent(_ part: Int, _ whole: Int) -> String {
        guard whole > 0 else { return "–" }
        return fixed(100 * Double(part) / Double(whole), 1) + "%"
    }

    /// A number as short as it can be written: `20` not `20.0`, `0.36` not `0.36000000000000004`.
    public static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        var text = fixed(value, 6)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// "1 cohort", "3 cohorts", with grouping: `count(1406, "code")` → `1,406 codes`.
    public static func count(_ value: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(grouped(value)) \(value == 1 ? singular : plural ?? singular + "s")"
    }
}

/// A table of text laid out in aligned columns for a terminal.
public struct TextTable: Sendable {
    /// How a column's cells line up.
    public enum Alignment: Sendable { case left, right }

    /// The column headings, or `nil` for a table without a heading row.
    public var header: [String]?
    public var alignments: [Alignment]
    public private(set) var rows: [[String]] = []

    /// A table with these column headings; columns are left-aligned unless `alignments` says otherwise.
    public init(header: [String], alignments: [Alignment]? = nil) {
        self.header = header
        self.alignments = alignments ?? Array(repeating: .left, count: header.count)
    }

    /// A table without a heading row.
    public init(columns: Int, alignments: [Alignment]? = nil) {
        self.header = nil
        self.alignments = alignments ?? Array(repeating: .left, count: columns)
    }

    public mutating func append(_ row: [String]) {
        rows.append(row)
    }

    /// The table as lines, columns two spaces apart, with no trailing spaces.
    public func render(indent: String = "") -> String {
        let all = (header.map { [$0] } ?? []) + rows
        var widths = [Int](repeating: 0, count: alignments.count)
        for row in all {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        var lines: [String] = []
        for row in all {
            var cells: [String] = []
            for index in 0..<widths.count {
                let cell = index < row.count ? row[index] : ""
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                cells.append(alignments[index] == .right ? padding + cell : cell + padding)
            }
            var line = indent + cells.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
