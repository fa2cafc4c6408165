import Basics
import Testing

@testable import Population
import TestSupport

/// Names from the whole of Unicode, written into patients files as practices' systems and
/// spreadsheets write them (UTF-8 with and without a byte-order mark, Windows-1252 with and
/// without one, every quoting style, CRLF and LF), read back as written: trimmed of ASCII spaces,
/// tabs and line breaks and of no-break spaces, and nothing else changed, byte for byte.
///
/// Seeded and bounded: the same names every run. The generator leans on the characters whose UTF-8
/// ends in the byte A0 (à, Š, Ġ, Р, 蠠 and the no-break space itself, which a byte-level trim once
/// cut in two), on quotes, commas and spaces, and on the missing markers. It leaves out control
/// characters (U+0000–U+001F, U+007F–U+009F) inside names: a NUL makes the reader refuse the whole
/// file as binary, and the others are kept as written, though no real name holds one. Unpaired
/// surrogates cannot be written as UTF-8 at all. Windows-1252 files get names from the characters
/// Windows-1252 has.
@Suite struct NamePropertyTests {
    enum Encoding: String, CaseIterable, CustomStringConvertible {
        case utf8, utf8WithByteOrderMark, windows1252, windows1252WithByteOrderMark

        var description: String { rawValue }
        var isWindows1252: Bool { self == .windows1252 || self == .windows1252WithByteOrderMark }
        var hasByteOrderMark: Bool { self == .utf8WithByteOrderMark || self == .windows1252WithByteOrderMark }
    }

    /// How a cell is written: as Python's `csv.QUOTE_MINIMAL` (and Excel) write it, always quoted
    /// (`QUOTE_ALL`), quoted with spaces and tabs around the quotes, or bare wherever the reader can
    /// take it bare (quoted otherwise).
    enum Quoting: CaseIterable {
        case minimal, all, spacedQuotes, bare
    }

    static let filesPerEncoding = 160
    static let rowsPerFile = 8

    @Test(arguments: Encoding.allCases)
    func everyNameReadsBackAsWritten(_ encoding: Encoding) throws {
        var random = SeededRandom(seed: 0xA0 &+ UInt64(Encoding.allCases.firstIndex(of: encoding)!))
        var numbers = NHSNumbers()
        var names = 0
        var ambiguous = 0
        for fileIndex in 0..<Self.filesPerEncoding {
            let quoting = Quoting.allCases[fileIndex % Quoting.allCases.count]
            let lineEnd = (fileIndex / Quoting.allCases.count) % 2 == 0 ? "\r\n" : "\n"
            var text: [Unicode.Scalar] = Array(
                "nhs_number,practice,date_of_birth,given_name,family_name".unicodeScalars)
            text += lineEnd.unicodeScalars
            var written: [(given: Cell, family: Cell)] = []
            for _ in 0..<Self.rowsPerFile {
                var pair: [Cell] = []
                while pair.count < 2 {
                    let cell = Cell.random(using: &random, windows1252: encoding.isWindows1252, quoting: quoting)
                    // Windows-1252 bytes that happen to be valid UTF-8 are read as UTF-8: the
                    // encoding is decided cell by cell (see `aWindows1252CellThatIsAlsoValidUTF8…`).
                    if encoding.isWindows1252, cell.isAlsoValidUTF8InWindows1252 {
                        ambiguous += 1
                        continue
                    }
                    pair.append(cell)
                }
                written.append((pair[0], pair[1]))
                text += Array("\(numbers.next()),E82001,1950-01-02,".unicodeScalars)
                text += pair[0].field(quoting, using: &random) + [","] + pair[1].field(quoting, using: &random)
                text += lineEnd.unicodeScalars
            }
            var bytes: [UInt8] = encoding.hasByteOrderMark ? [0xEF, 0xBB, 0xBF] : []
            bytes +=
                encoding.isWindows1252 ? Windows1252.encode(text)! : Array(String(String.UnicodeScalarView(text)).utf8)
            let extract = try readBytes([("p.csv", bytes)])
            let context = "\(encoding), \(quoting), file \(fileIndex)"
            try #require(extract.population.count == Self.rowsPerFile, "\(context)")
            var errorValues = 0
            for (row, pair) in written.enumerated() {
                for (cell, column) in [
                    (pair.given, extract.population.givenNames), (pair.family, extract.population.familyNames),
                ] {
                    names += 1
                    let read = column.withBytes(row) { $0.map(Array.init) }
                    #expect(read == cell.expected.map { Array($0.utf8) }, "\(cell.scalars) in \(context)")
                    if cell.isSpreadsheetError { errorValues += 1 }
                }
            }
            #expect(extract.rejects.entries.count == errorValues, "\(extract.rejects.entries) in \(context)")
            #expect(extract.rejects.entries.allSatisfy { $0.problem == .spreadsheetError }, "\(context)")
        }
        #expect(names == 2 * Self.filesPerEncoding * Self.rowsPerFile)
        // The cells left out as ambiguous are few, so the property covers Windows-1252 too.
        #expect(ambiguous * 10 < names, "\(ambiguous) of \(names)")
    }

    /// Every character whose UTF-8 ends in A0, alone (and padded with spaces) and at both ends of a
    /// name, in a UTF-8 file: the exhaustive companion of the random property for the byte that was
    /// cut. The no-break space alone is no name, and is trimmed from the ends of one.
    @Test func everyCharacterWhoseUTF8EndsInA0ReadsBack() throws {
        var numbers = NHSNumbers()
        var rows: [(scalar: Unicode.Scalar, text: String)] = []
        for value in stride(from: UInt32(0xA0), through: 0x10_FFFF, by: 0x40) {
            guard let scalar = Unicode.Scalar(value) else { continue }  // a surrogate
            rows.append((scalar, "\(scalar)x\(scalar)"))
        }
        // In batches of rows per file, so the test stays quick.
        for batch in stride(from: 0, to: rows.count, by: 500) {
            let slice = rows[batch..<min(rows.count, batch + 500)]
            var text = "nhs_number,practice,date_of_birth,given_name,family_name\n"
            for row in slice { text += "\(numbers.next()),E82001,1950-01-02, \(row.scalar) ,\"\(row.text)\"\n" }
            let extract = try readBytes([("p.csv", Array(text.utf8))])
            try #require(extract.population.count == slice.count)
            for (offset, row) in slice.enumerated() {
                let expected = row.scalar == "\u{A0}" ? nil : String(row.scalar)
                #expect(
                    extract.population.givenNames.withBytes(offset) { $0.map(Array.init) }
                        == expected.map { Array($0.utf8) }, "U+\(String(row.scalar.value, radix: 16))")
                #expect(
                    extract.population.familyNames.withBytes(offset) { $0.map(Array.init) }
                        == Array((row.scalar == "\u{A0}" ? "x" : row.text).utf8),
                    "U+\(String(row.scalar.value, radix: 16))")
            }
        }
        #expect(rows.count > 17_000)
    }

    /// The limit of deciding a cell's encoding cell by cell: Windows-1252 bytes that are also valid
    /// UTF-8 are read as UTF-8. "PÍŠEK" is `50 CD 8A 45 4B`, and `CD 8A` is UTF-8's U+034A; "JOSÉ"
    /// padded with a no-break space is `4A 4F 53 C9 A0`, and `C9 A0` is U+0260. Only deciding the
    /// encoding for the whole file would read them right.
    @Test func aWindows1252CellThatIsAlsoValidUTF8IsReadAsUTF8() throws {
        let bytes: [UInt8] =
            Array("nhs_number,practice,date_of_birth,given_name,family_name\r\n\(Numbers.a),E82001,1950-01-02,".utf8)
            + [0x4A, 0x4F, 0x53, 0xC9, 0xA0, 0x2C, 0x50, 0xCD, 0x8A, 0x45, 0x4B] + Array("\r\n".utf8)
            + Array("\(Numbers.b),E82001,1950-01-02,Zo".utf8) + [0xEB, 0x2C, 0x8A, 0x69, 0x6D, 0x6F, 0x6E, 0x0D, 0x0A]
        let extract = try readBytes([("p.csv", bytes)])
        // Cells that are not valid UTF-8 are read as Windows-1252.
        #expect(extract.population.givenNames[1] == "Zoë")
        #expect(extract.population.familyNames[1] == "Šimon")
        withKnownIssue("a cell's encoding is decided cell by cell, not for the whole file") {
            #expect(extract.population.givenNames[0] == "JOSÉ")
            #expect(extract.population.familyNames[0] == "PÍŠEK")
        }
    }
}

/// One generated name cell: the name's characters, and the spaces written around it.
struct Cell {
    var scalars: [Unicode.Scalar]
    var leading: [Unicode.Scalar]
    var trailing: [Unicode.Scalar]
    var windows1252: Bool

    /// Characters whose UTF-8 ends in the byte A0, the no-break space among them.
    static let endingInA0: [Unicode.Scalar] = [
        "\u{A0}", "\u{E0}", "\u{160}", "\u{120}", "\u{420}", "\u{8820}", "\u{220}", "\u{5E0}", "\u{2020}",
        "\u{1F320}", "\u{10FFA0}",
    ]
    /// Windows-1252's characters beyond ASCII that the generator leans on: à, Š, the no-break space,
    /// Â (`C2`, which leads a UTF-8 no-break space), £, é and ë.
    static let windows1252Favourites: [Unicode.Scalar] = ["\u{E0}", "\u{160}", "\u{A0}", "\u{C2}", "£", "é", "ë"]
    /// Cells that look like missing markers or spreadsheet errors.
    static let markers = ["NA", "Na", "na", "NULL", "Null", "N/A", "n/a", "#N/A", "#REF!", "", "Nan", "N A"]

    static func random(using random: inout SeededRandom, windows1252: Bool, quoting: NamePropertyTests.Quoting)
        -> Cell
    {
        var scalars: [Unicode.Scalar] = []
        if random.chance(0.05) {
            scalars = Array(markers.randomElement(using: &random)!.unicodeScalars)
        } else {
            for _ in 0..<Int.random(in: 1...10, using: &random) {
                scalars.append(
                    windows1252 ? Self.windows1252Scalar(using: &random) : Self.unicodeScalar(using: &random))
            }
        }
        // Spaces around the name, inside the cell: line breaks only where they can be quoted.
        var spaces: [Unicode.Scalar] = [" ", "\t", "\u{A0}"]
        if quoting != .bare { spaces += ["\r", "\n"] }
        func padding() -> [Unicode.Scalar] {
            guard random.chance(0.4) else { return [] }
            return (0..<Int.random(in: 1...3, using: &random)).map { _ in spaces.randomElement(using: &random)! }
        }
        return Cell(scalars: scalars, leading: padding(), trailing: padding(), windows1252: windows1252)
    }

    /// Any character but a control or a surrogate, weighted towards the awkward ones.
    static func unicodeScalar(using random: inout SeededRandom) -> Unicode.Scalar {
        while true {
            let value: UInt32
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<20: return endingInA0.randomElement(using: &random)!
            case 20..<30:
                // Any character whose UTF-8 ends in A0.
                value = UInt32.random(in: 2...0x43FE, using: &random) << 6 | 0x20
            case 30..<45: value = UInt32.random(in: 0x20...0x7E, using: &random)
            case 45..<55: value = UInt32.random(in: 0xA0...0x7FF, using: &random)
            case 55..<80: value = UInt32.random(in: 0x800...0xFFFF, using: &random)
            default: value = UInt32.random(in: 0x1_0000...0x10_FFFF, using: &random)
            }
            if let scalar = Unicode.Scalar(value), !Self.isControl(scalar) { return scalar }
        }
    }

    /// Any character Windows-1252 has, but a control, weighted towards the awkward ones.
    static func windows1252Scalar(using random: inout SeededRandom) -> Unicode.Scalar {
        if random.chance(0.25) { return windows1252Favourites.randomElement(using: &random)! }
        while true {
            let byte = UInt8.random(in: 0x20...0xFF, using: &random)
            if let scalar = Windows1252.decode(byte), !Self.isControl(scalar) { return scalar }
        }
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// The cell's content: the spaces and the name.
    var content: [Unicode.Scalar] { leading + scalars + trailing }

    /// What the reader must give: the name without ASCII spaces, tabs, line breaks and no-break
    /// spaces at its ends; `nil` when that leaves nothing, a marker the specification lists (`NULL`,
    /// `N/A`, any case) or a spreadsheet's error value.
    var expected: String? {
        let text = trimmed
        if text.isEmpty || ["null", "n/a"].contains(Self.asciiLowercased(text)) || isSpreadsheetError { return nil }
        return text
    }

    var isSpreadsheetError: Bool {
        SpreadsheetError.values.contains(Self.asciiUppercased(trimmed))
    }

    private var trimmed: String {
        let isSpace: (Unicode.Scalar) -> Bool = { [" ", "\t", "\r", "\n", "\u{A0}"].contains($0) }
        let all = content
        guard let first = all.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = all.lastIndex(where: { !isSpace($0) })!
        return String(String.UnicodeScalarView(all[first...last]))
    }

    private static func asciiLowercased(_ text: String) -> String {
        String(decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    private static func asciiUppercased(_ text: String) -> String {
        String(decoding: text.utf8.map { (0x61...0x7A).contains($0) ? $0 & ~0x20 : $0 }, as: UTF8.self)
    }

    /// Whether the cell's Windows-1252 bytes are also valid UTF-8 beyond ASCII.
    var isAlsoValidUTF8InWindows1252: Bool {
        let bytes = Windows1252.encode(content)!
        return bytes.contains { $0 >= 0x80 } && String(validating: bytes, as: UTF8.self) != nil
    }

    /// The cell as written in a file quoted `quoting`.
    func field(_ quoting: NamePropertyTests.Quoting, using random: inout SeededRandom) -> [Unicode.Scalar] {
        let content = self.content
        let quote: Unicode.Scalar = "\""
        let quoted = [quote] + content.flatMap { $0 == quote ? [quote, quote] : [$0] } + [quote]
        let special: Set<Unicode.Scalar> = [",", "\"", "\r", "\n"]
        switch quoting {
        case .all:
            return quoted
        case .minimal:
            return content.contains(where: special.contains) ? quoted : content
        case .spacedQuotes:
            func spaces() -> [Unicode.Scalar] {
                (0..<Int.random(in: 0...2, using: &random)).map { _ -> Unicode.Scalar in
                    random.chance(0.5) ? " " : "\t"
                }
            }
            return spaces() + quoted + spaces()
        case .bare:
            // Bare unless it holds a comma or line break, or starts (after spaces) with a quote.
            let start = content.first { $0 != " " && $0 != "\t" }
            return content.contains { $0 == "," || $0 == "\r" || $0 == "\n" } || start == "\"" ? quoted : content
        }
    }
}

/// Windows-1252, written out here rather than taken from the reader it checks.
enum Windows1252 {
    private static let high: [UInt8: Unicode.Scalar] = [
        0x80: "\u{20AC}", 0x82: "\u{201A}", 0x83: "\u{0192}", 0x84: "\u{201E}", 0x85: "\u{2026}", 0x86: "\u{2020}",
        0x87: "\u{2021}", 0x88: "\u{02C6}", 0x89: "\u{2030}", 0x8A: "\u{0160}", 0x8B: "\u{2039}", 0x8C: "\u{0152}",
        0x8E: "\u{017D}", 0x91: "\u{2018}", 0x92: "\u{2019}", 0x93: "\u{201C}", 0x94: "\u{201D}", 0x95: "\u{2022}",
        0x96: "\u{2013}", 0x97: "\u{2014}", 0x98: "\u{02DC}", 0x99: "\u{2122}", 0x9A: "\u{0161}", 0x9B: "\u{203A}",
        0x9C: "\u{0153}", 0x9E: "\u{017E}", 0x9F: "\u{0178}",
    ]
    private static let encoding = Dictionary(uniqueKeysWithValues: high.map { ($0.value, $0.key) })

    /// The character a byte stands for; `nil` for the five bytes Windows-1252 leaves unassigned.
    static func decode(_ byte: UInt8) -> Unicode.Scalar? {
        if (0x80...0x9F).contains(byte) { return high[byte] }
        return Unicode.Scalar(byte)
    }

    /// The bytes of `scalars`, or `nil` when one is not in Windows-1252.
    static func encode(_ scalars: [Unicode.Scalar]) -> [UInt8]? {
        var bytes: [UInt8] = []
        for scalar in scalars {
            if scalar.value < 0x80 || (0xA0...0xFF).contains(scalar.value) {
                bytes.append(UInt8(scalar.value))
            } else if let byte = encoding[scalar] {
                bytes.append(byte)
            } else {
                return nil
            }
        }
        return bytes
    }
}

/// Valid test NHS numbers from the 999 range, in order.
struct NHSNumbers {
    private var next9 = 999_000_000

    mutating func next() -> String {
        while true {
            let first9 = next9
            next9 += 1
            let digits = String(first9).compactMap(\.wholeNumberValue)
            let sum = zip(digits, (2...10).reversed()).map { $0 * $1 }.reduce(0, +)
            let check = (11 - sum % 11) % 11
            if check != 10 { return "\(first9)\(check)" }
        }
    }
}
