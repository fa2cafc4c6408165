import Foundation
import TestSupport
import Testing

@testable import Basics

/// What reading a file gave: its records as bytes, or the one error both readers know.
enum CSVOutcome: Equatable {
    case records([[[UInt8]]])
    case unterminatedQuote
    case otherError(String)

    var recordCount: Int {
        if case .records(let records) = self { return records.count }
        return 0
    }
}

/// A random CSV file in every shape the product's reader must take, and the records its writer meant.
struct RandomCSVFile {
    var bytes: [UInt8] = []
    /// The records as written; `nil` when the file was cut short on purpose (then only the two
    /// readers are compared).
    var intended: [[[UInt8]]]? = []
    /// For reading it from a file: small, so that fields, quotes and CRLFs straddle chunk boundaries.
    var chunkSize = 16

    private enum Style: CaseIterable {
        /// RFC 4180's minimal quoting: quoted when the field holds `,`, `"`, CR or LF.
        case minimal
        case allQuoted
        /// Quoted, with spaces and tabs before and after the quotes (deliberate point 5).
        case spacedQuoted
        /// Unquoted even with a `"` inside, whenever that reads back the same (deliberate point 4).
        case bare
        /// `"head"tail`, read as `headtail` (deliberate point 6).
        case textAfterQuote
    }

    private static let pieces: [[UInt8]] =
        ["a", "Z", "7", "x y", "Smith", " ", " ", "\t", "-", "'", "=", ",", ",", "\"", "\"", "\r", "\n", "\r\n"]
        .map { Array($0.utf8) }
        // UTF-8, including characters whose encoding ends in 0xA0 (à, NBSP, Ġ, ठ, †, 🂠).
        + ["é", "£", "€", "😀", "à", "\u{A0}", "Ġ", "ठ", "†", "\u{1F0A0}"].map { Array($0.utf8) }
        // Windows-1252 and stray bytes: the reader hands out bytes, whatever they are.
        + [[0xA0], [0xE9], [0x80], [0xEF, 0xBB]]

    private var random: SeededRandom
    private let tabsStartingUnquotedFields: Bool

    /// - Parameter tabsStartingUnquotedFields: whether an unquoted field may start with a tab (or
    ///   spaces and a tab); see `CSVReaderDifferentialTests.aTabThatStartsAnUnquotedFieldIsKept()`.
    init(seed: UInt64, tabsStartingUnquotedFields: Bool = true) {
        random = SeededRandom(seed: seed)
        self.tabsStartingUnquotedFields = tabsStartingUnquotedFields
        generate()
    }

    private mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
    private mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    private mutating func generate() {
        var rows: [[[UInt8]]] = []
        let columns = int(1...6)
        for _ in 0..<pick([0, 1, 3, 6, 10, 10]) {
            let count = random.chance(0.7) ? columns : int(1...8)
            var row = (0..<count).map { _ in value() }
            if count > 1, random.chance(0.2) { row[count - 1] = [] }  // a trailing empty field
            rows.append(row)
        }
        let fileStyle = pick(Style.allCases)
        let lineEnds: [String] = pick([["\n"], ["\r\n"], ["\r"], ["\n", "\r\n", "\r"]])
        let finalLineEnd = random.chance(0.6)
        if random.chance(0.3) { bytes += [0xEF, 0xBB, 0xBF] }
        for (index, row) in rows.enumerated() {
            if random.chance(0.1) {  // blank lines
                for _ in 0..<int(1...2) { bytes += Array(pick(["\n", "\r\n", "\r"]).utf8) }
            }
            for (column, value) in row.enumerated() {
                if column > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes += write(
                    value, style: random.chance(0.6) ? fileStyle : pick(Style.allCases), alone: row.count == 1)
            }
            if index < rows.count - 1 || finalLineEnd { bytes += Array(pick(lineEnds).utf8) }
        }
        intended = rows
        if random.chance(0.1), !bytes.isEmpty {  // cut short: maybe inside a quote, a CRLF or the mark
            bytes.removeLast(int(1...bytes.count))
            intended = nil
            // A cut after `\t` before a quote leaves a field that starts with a tab (the known issue).
            let trailing = bytes.reversed().prefix(while: Self.isSpace)
            if !tabsStartingUnquotedFields && trailing.contains(UInt8(ascii: "\t")) { bytes.removeLast(trailing.count) }
        }
        chunkSize = int(16...48)
    }

    private mutating func value() -> [UInt8] {
        if random.chance(0.15) { return [] }
        return (0..<int(1...6)).flatMap { _ in pick(Self.pieces) }
    }

    private static func quoted(_ value: [UInt8]) -> [UInt8] {
        [UInt8(ascii: "\"")] + value.flatMap { $0 == UInt8(ascii: "\"") ? [$0, $0] : [$0] } + [UInt8(ascii: "\"")]
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    /// Whether `value` written as it is reads back as itself (deliberate points 4 and 5).
    private func readsBackUnquoted(_ value: [UInt8], alone: Bool) -> Bool {
        if alone && value.isEmpty { return false }  // a blank line (deliberate point 3)
        if value.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }) {
            return false
        }
        let leading = value.prefix(while: Self.isSpace)
        if value.dropFirst(leading.count).first == UInt8(ascii: "\"") { return false }  // that opens a quote
        return tabsStartingUnquotedFields || !leading.contains(UInt8(ascii: "\t"))
    }

    private mutating func write(_ value: [UInt8], style: Style, alone: Bool) -> [UInt8] {
        switch style {
        case .minimal:
            let special = value.contains { [UInt8(ascii: ","), UInt8(ascii: "\""), 0x0D, 0x0A].contains($0) }
            return special || !readsBackUnquoted(value, alone: alone) ? Self.quoted(value) : value
        case .allQuoted:
            return Self.quoted(value)
        case .spacedQuoted:
            let before = (0..<int(0...2)).flatMap { _ in pick([" ", "\t"]).utf8 }
            let after = (0..<int(0...2)).flatMap { _ in pick([" ", "\t"]).utf8 }
            return before + Self.quoted(value) + after
        case .bare:
            return readsBackUnquoted(value, alone: alone) ? value : Self.quoted(value)
        case .textAfterQuote:
            let split = value.isEmpty ? 0 : int(0...(value.count - 1))
            let tail = value[split...]
            guard let first = tail.first, !Self.isSpace(first), first != UInt8(ascii: "\""),
                !tail.contains(where: { $0 == UInt8(ascii: ",") || $0 == 0x0D || $0 == 0x0A })
            else { return Self.quoted(value) }
            let spaces = (0..<int(0...2)).flatMap { _ in pick([" ", "\t"]).utf8 }
            return Self.quoted(Array(value[..<split])) + spaces + tail
        }
    }
}

/// `CSVReader` against an independent reference (`ReferenceCSV`) on seeded random files: the
/// same records with exactly the same bytes, or the same refusal of an unterminated quote, read
/// from memory and from a file in small chunks, and resumed from a record's `offset` as the
/// parallel event scan does.
@Suite struct CSVReaderDifferentialTests {
    /// How the product reads a file.
    enum Source: CustomStringConvertible {
        case memory
        case file(chunkSize: Int)

        var description: String {
            switch self {
            case .memory: "from memory"
            case .file(let chunkSize): "from a file in chunks of \(chunkSize) bytes"
            }
        }
    }

    static let files = 500

    /// Reads `bytes` with `CSVReader`; after record `resumeAfter` (0-based) it goes on with a new
    /// reader from the first reader's `offset` and `nextLineNumber`.
    static func product(_ bytes: [UInt8], _ source: Source, resumeAfter: Int? = nil, folder: String) -> CSVOutcome? {
        let path = FileIO.join(folder, "random.csv")
        do {
            func open(from offset: Int? = nil, line: Int = 1) throws -> CSVReader {
                switch (source, offset) {
                case (.memory, nil): CSVReader(bytes: bytes, name: "random.csv")
                case (.memory, let offset?): CSVReader(bytes: bytes, name: "random.csv", from: offset, line: line)
                case (.file(let chunkSize), nil): try CSVReader(path: path, chunkSize: chunkSize)
                case (.file(let chunkSize), let offset?):
                    try CSVReader(path: path, from: offset, line: line, chunkSize: chunkSize)
                }
            }
            if case .file = source { try Data(bytes).write(to: URL(fileURLWithPath: path)) }
            var reader = try open()
            var records: [[[UInt8]]] = []
            while try reader.next() {
                let fields = (0..<reader.fieldCount).map { Array(reader.bytes($0)) }
                // Every view of the record gives the same fields, whether it was read in place
                // (no quote, its line end in the same chunk) or copied.
                let viewed = reader.withRecord { record in (0..<record.count).map { Array(record[$0]) } }
                let oneByOne = (0..<reader.fieldCount).map { index in reader.withField(index) { Array($0) } }
                let texts = (0..<reader.fieldCount).map { CSVReader.decode(fields[$0]) == reader.string($0) }
                let blank = fields.allSatisfy { $0.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") } }
                guard viewed == fields, oneByOne == fields, !texts.contains(false), reader.isBlank == blank else {
                    return .otherError("the views of record \(records.count + 1) disagree")
                }
                records.append(fields)
                if records.count - 1 == resumeAfter {
                    reader = try open(from: reader.offset, line: reader.nextLineNumber)
                }
            }
            return .records(records)
        } catch let error as CSVError where error.kind == .unterminatedQuote {
            return .unterminatedQuote
        } catch {
            return .otherError("\(error)")
        }
    }

    static func reference(_ bytes: [UInt8]) -> CSVOutcome {
        do { return .records(try ReferenceCSV.records(bytes)) } catch { return .unterminatedQuote }
    }

    /// The smallest file, found by deleting runs of bytes, for which `differs` still holds.
    static func shrink(_ bytes: [UInt8], _ differs: ([UInt8]) -> Bool) -> [UInt8] {
        var smallest = bytes
        var shrunk = true
        while shrunk {
            shrunk = false
            var size = max(1, smallest.count / 2)
            while size >= 1 {
                var start = 0
                while start < smallest.count {
                    var candidate = smallest
                    candidate.removeSubrange(start..<min(start + size, smallest.count))
                    if differs(candidate) {
                        smallest = candidate
                        shrunk = true
                    } else {
                        start += size
                    }
                }
                size /= 2
            }
        }
        return smallest
    }

    static func literal(_ bytes: [UInt8]) -> String { ReferenceCSV.literal(bytes) }

    static func describe(_ outcome: CSVOutcome) -> String {
        guard case .records(let records) = outcome else { return "\(outcome)" }
        return "[" + records.map { "[" + $0.map(literal).joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
    }

    @Test func readsRandomFilesExactlyAsTheReferenceDoes() throws {
        try withTemporaryDirectory { folder in
            var records = 0
            for seed in UInt64(0)..<UInt64(Self.files) {
                let file = RandomCSVFile(seed: seed)
                let expected = Self.reference(file.bytes)
                if let intended = file.intended, expected != .records(intended) {
                    // The reference and the generator check each other first.
                    Issue.record(
                        """
                        seed \(seed): the reference reads \(Self.literal(file.bytes))
                          as \(Self.describe(expected)),
                          not as written: \(Self.describe(.records(intended)))
                        """)
                }
                records += expected.recordCount
                let resumeAfter = seed % 3 == 0 ? nil : Int(seed % 5)
                for source in [Source.memory, .file(chunkSize: file.chunkSize)] {
                    let actual = Self.product(file.bytes, source, resumeAfter: resumeAfter, folder: folder)
                    guard let actual, actual != expected else { continue }
                    let smallest = Self.shrink(file.bytes) { bytes in
                        guard let read = Self.product(bytes, source, resumeAfter: resumeAfter, folder: folder) else {
                            return false
                        }
                        return read != Self.reference(bytes)
                    }
                    Issue.record(
                        """
                        seed \(seed), read \(source)\(resumeAfter.map { ", resumed after record \($0)" } ?? ""): \
                        CSVReader and the reference differ on its \(file.bytes.count) bytes.
                        Smallest file that still differs: \(Self.literal(smallest))
                          CSVReader: \(Self.describe(Self.product(smallest, source, resumeAfter: resumeAfter, folder: folder)!))
                          reference: \(Self.describe(Self.reference(smallest)))
                        """)
                }
            }
            #expect(records > 2000, "the generator should make thousands of records, not \(records)")
        }
    }

    /// Found by this differential test, now fixed: a tab before an unquoted field's first
    /// character became a space when the record was read by `CSVReader`'s state machine (a record
    /// with a quote anywhere, or one cut by a chunk boundary), though the quote-free fast path kept it.
    @Test func aTabThatStartsAnUnquotedFieldIsKept() throws {
        try withTemporaryDirectory { folder in
            do {
                for (text, fields) in [
                    ("\t", ["\t"]),  // the smallest: a last line without a line end takes the state machine
                    ("\tx,\"y\"\n", ["\tx", "y"]),  // a quote in the record
                    ("\"y\",\t\n", ["y", "\t"]),  // a field of only a tab
                    (" \tx,\"y\"\n", [" \tx", "y"]),
                ] {
                    let expected = CSVOutcome.records([fields.map { Array($0.utf8) }])
                    #expect(Self.reference(Array(text.utf8)) == expected)
                    #expect(
                        Self.product(Array(text.utf8), .memory, folder: folder) == expected,
                        "\(Self.literal(Array(text.utf8)))")
                }
                // No quote, but the field starts in a new chunk (chunks are at least 16 bytes).
                let text = String(repeating: "a", count: 15) + ",\tx\n"
                let expected = CSVOutcome.records([[Array(String(repeating: "a", count: 15).utf8), Array("\tx".utf8)]])
                #expect(Self.reference(Array(text.utf8)) == expected)
                #expect(Self.product(Array(text.utf8), .memory, folder: folder) == expected)
                #expect(Self.product(Array(text.utf8), .file(chunkSize: 16), folder: folder) == expected)

                var differing: [UInt64] = []
                for seed in UInt64(0)..<100 {
                    let file = RandomCSVFile(seed: seed, tabsStartingUnquotedFields: true)
                    if Self.product(file.bytes, .file(chunkSize: file.chunkSize), folder: folder)
                        != Self.reference(file.bytes)
                    {
                        differing.append(seed)
                    }
                }
                #expect(differing.isEmpty, "random files with tabs starting unquoted fields, seeds \(differing)")
            }
        }
    }

    /// Found by this differential test, now fixed: a file whose whole content is the start of a
    /// byte-order mark (`EF` or `EF BB`), read from a path, trapped (index out of range) instead of
    /// being read as one record of those bytes, as it is from memory.
    @Test
    func aFileOfAPartialByteOrderMarkIsReadAsItsBytes() throws {
        try withTemporaryDirectory { folder in
            for bytes: [UInt8] in [[0xEF], [0xEF, 0xBB]] {
                #expect(Self.product(bytes, .memory, folder: folder) == .records([[bytes]]))
                let path = FileIO.join(folder, "mark.csv")
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                let reader = try CSVReader(path: path)
                #expect(try reader.next())
                #expect(Array(reader.bytes(0)) == bytes)
            }
        }
    }
}
