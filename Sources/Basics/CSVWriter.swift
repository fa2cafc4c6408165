/// Writes RFC 4180 CSV that opens cleanly in Excel, with spreadsheet formulas neutralised.
///
/// A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return could be run as a
/// formula by a spreadsheet (CSV injection), so such cells get a leading `'` — except plain
/// decimal numbers such as `-3` or `+1.5`, which stay as they are.
public struct CSVWriter: Sendable {
    /// How rows end: `\r\n` for files people open in Excel, `\n` for machine output.
    public var lineEnd: String
    /// Whether cells that a spreadsheet could execute are neutralised.
    public var neutraliseFormulas: Bool
    public private(set) var output: String

    /// A writer; `byteOrderMark` starts the text with U+FEFF so Excel reads it as UTF-8.
    public init(lineEnd: String = "\r\n", neutraliseFormulas: Bool = true, byteOrderMark: Bool = false) {
        self.lineEnd = lineEnd
        self.neutraliseFormulas = neutraliseFormulas
        self.output = byteOrderMark ? "\u{FEFF}" : ""
    }

    /// Appends one row.
    public mutating func append(_ row: [String]) {
        var first = true
        for cell in row {
            if !first { output += "," }
            first = false
            output += CSVWriter.escape(cell, neutraliseFormulas: neutraliseFormulas)
        }
        output += lineEnd
    }

    /// One cell as it must appear in the file: quoted when it holds a comma, quote, line break,
    /// semicolon, tab or surrounding spaces; prefixed with `'` when a spreadsheet could run it as a
    /// formula. Semicolons and tabs are quoted because LibreOffice Calc's default import splits on
    /// them as well as on commas: an unquoted `a; b` would shift the row's later cells right.
    public static func escape(_ cell: String, neutraliseFormulas: Bool = true) -> String {
        var text = cell
        if neutraliseFormulas, isDangerous(text) { text = "'" + text }
        let needsQuotes =
            text.utf8.contains { byte in
                byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n")
                    || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "\t")
            } || text.hasPrefix(" ") || text.hasSuffix(" ")
        guard needsQuotes else { return text }
        return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
    }

    /// Whether a spreadsheet could treat the cell as a formula.
    public static func isDangerous(_ cell: String) -> Bool {
        guard let first = cell.utf8.first else { return false }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "@"), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
            return true
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            return !isPlainDecimal(cell.utf8.dropFirst())
        default:
            return false
        }
    }
}

/// Digits with at most one decimal point between digits (`3`, `1.5`): the only signed cells left
/// as they are (not `inf`, `nan` or hexadecimal, which `Double` would also accept).
private func isPlainDecimal(_ bytes: some Collection<UInt8>) -> Bool {
    var sawDigit = false
    var sawPoint = false
    var digitAfterPoint = false
    for byte in bytes {
        if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            sawDigit = true
            if sawPoint { digitAfterPoint = true }
        } else if byte == UInt8(ascii: "."), sawDigit, !sawPoint {
            sawPoint = true
        } else {
            return false
        }
    }
    return sawDigit && (!sawPoint || digitAfterPoint)
}

extension String {
    /// Replaces every occurrence of `target` (compared as UTF-8 bytes, no Foundation needed).
    public func replacingAll(_ target: String, with replacement: String) -> String {
        let source = Array(utf8)
        let pattern = Array(target.utf8)
        guard !pattern.isEmpty, source.count >= pattern.count else { return self }
        var out: [UInt8] = []
        out.reserveCapacity(source.count)
        var index = 0
        while index < source.count {
            if source[index] == pattern[0], index + pattern.count <= source.count,
                source[index..<(index + pattern.count)].elementsEqual(pattern)
            {
                out.append(contentsOf: replacement.utf8)
                index += pattern.count
            } else {
                out.append(source[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The string without leading and trailing spaces, tabs and line breaks.
    public var trimmed: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }
}
