import Basics
import Testing

@testable import Population
import TestSupport

/// A random events file whose rows the event scan must take: valid NHS numbers of known
/// patients (or empty, an EMIS continuation row), codes in the code table, dates and numbers
/// that parse, amid other columns holding anything CSV can (commas, `""`, CR, LF, CRLF, UTF-8).
///
/// The event scan's tokenizer deliberately reads some things differently from `CSVReader` and
/// the reference (see `RecordScanner+Tokenizer.swift`), so no field here is written in those
/// ways: no spaces before an opening quote, nothing after a closing quote, and no `""` in the
/// four columns the scan keeps (it leaves `""` as written there).
struct RandomEventsFile {
    static let patients = [Numbers.a, Numbers.b, Numbers.c, Numbers.d, Numbers.e]
    static let codes = ["74506000", "195967001", "1461.", "EMISNQBL12", "XaBVJ", "Zoé-1"]
    static let latest = day("2024-03-01")

    /// The file's start: a byte-order mark, preamble records and the header.
    var head: [UInt8] = []
    /// The records before the data rows (preamble and header), as CSV records.
    var headRecords = 0
    /// Each data row as written, with its line end and any blank lines before it.
    var rows: [[UInt8]] = []
    var columns: [String] = []

    var bytes: [UInt8] { head + rows.joined() }

    private var random: SeededRandom

    init(seed: UInt64) {
        random = SeededRandom(seed: seed)
        generate()
    }

    private mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
    private mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    private static let pieces: [String] = [
        "a", "Z", "7", "x y", "Asthma", " ", "\t", ",", ",", "\"", "\r", "\n", "\r\n", "é", "£", "😀", "à", "\u{A0}",
        "ठ", "†",
    ]

    private static func quoted(_ value: String) -> String {
        "\"" + value.map { $0 == "\"" ? "\"\"" : String($0) }.joined() + "\""
    }

    private static func needsQuotes(_ value: String) -> Bool {
        value.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
            || value.drop { $0 == " " || $0 == "\t" }.first == "\""
    }

    private mutating func generate() {
        if random.chance(0.3) { head += [0xEF, 0xBB, 0xBF] }
        let canonical = ["nhs_number", "code", "date", "value"]
        columns = canonical
        if random.chance(0.6) {  // else the canonical layout, which the scan splits by its usual shape
            columns += ["term", "note"].filter { _ in random.chance(0.5) }
            columns.shuffle(using: &random)
        }
        let lineEnds = pick([["\n"], ["\r\n"], ["\r"], ["\n", "\r\n", "\r"]])
        var text = ""
        if random.chance(0.3) {
            text += "\"Search Name\",\"Events, all\ntwo lines\"" + pick(lineEnds) + pick(lineEnds)
            headRecords += 1
        }
        text += columns.joined(separator: ",") + pick(lineEnds)
        headRecords += 1
        head += Array(text.utf8)

        let count = int(1...30)
        for index in 0..<count {
            var row = ""
            if random.chance(0.1) { row += pick(["\n", "\r\n", "\r"]) }  // a blank line
            var fields = columns.map { cell($0, row: index) }
            if random.chance(0.15) {
                // Extra cells past the header, or the value and other trailing columns left out.
                if random.chance(0.5) {
                    fields += (0..<int(1...2)).map { _ in other() }
                } else {
                    while ["value", "term", "note"].contains(columns[fields.count - 1]) { fields.removeLast() }
                }
            }
            row += fields.joined(separator: ",")
            if index < count - 1 || random.chance(0.6) { row += pick(lineEnds) }
            rows.append(Array(row.utf8))
        }
    }

    /// A key cell, unquoted when it may be, or in plain quotes.
    private mutating func key(_ value: String) -> String {
        Self.needsQuotes(value) || random.chance(0.3) ? Self.quoted(value) : value
    }

    private mutating func other() -> String {
        let value = random.chance(0.2) ? "" : (0..<int(1...6)).map { _ in pick(Self.pieces) }.joined()
        return Self.needsQuotes(value) || random.chance(0.2) ? Self.quoted(value) : value
    }

    private mutating func cell(_ column: String, row: Int) -> String {
        switch column {
        case "nhs_number":
            if row > 0 && random.chance(0.15) { return pick(["", "\"\""]) }  // the patient of the row above
            let number = pick(Self.patients)
            let digits = Array(number)
            return key(
                pick([
                    number, number, " \(number) ",
                    "\(String(digits[0..<3])) \(String(digits[3..<6])) \(String(digits[6...]))",
                    "\(String(digits[0..<3]))-\(String(digits[3..<6]))-\(String(digits[6...]))",
                ]))
        case "code":
            let code = pick(Self.codes)
            return key(random.chance(0.2) ? " \(code) " : code)
        case "date":
            return key(
                pick(["2023-01-02", "2024-02-29", "02/03/2021", "1 Mar, 2024", "2019-12-31T09:30:00Z", "20240301"]))
        case "value":
            return key(pick(["", "", "\(row).5", "-\(row)", " \(row) ", "1e3"]))
        default:
            return other()
        }
    }
}

/// The event scan's own tokenizer (`RecordScanner+Tokenizer.swift`) against the independent
/// reference (`ReferenceCSV`), through the public `EventScanner`: for every row of seeded random
/// events files, the NHS number, code, date and value the scan reads are those of the reference's
/// fields, whether the file is scanned whole, fed in small pieces (`scanChunk`), or cut in parts.
@Suite struct EventTokenizerDifferentialTests {
    static let files = 300

    /// The events the reference's fields give, in file order, and how many rows are rejected
    /// (continuation rows with no patient above, only when a shrunk file starts with one).
    static func expected(_ file: [UInt8], headRecords: Int, columns: [String]) -> Scanned? {
        guard let records = try? ReferenceCSV.records(file) else { return nil }
        var events: [SeenEvent] = []
        var rejected = 0
        var patient: UInt64?
        let index = { (name: String) in columns.firstIndex(of: name)! }
        for record in records.dropFirst(headRecords) {
            func cell(_ name: String) -> [UInt8] { index(name) < record.count ? record[index(name)] : [] }
            switch cell("nhs_number").withUnsafeBufferPointer({ NHSNumber.parse($0) }) {
            case .success(let number): patient = number.value
            case .failure(.missing): break
            case .failure: return nil
            }
            guard let nhs = patient else {
                rejected += 1
                continue
            }
            let code = String(decoding: cell("code"), as: UTF8.self).trimmed
            guard RandomEventsFile.codes.contains(code),
                case .success(let day) = cell("date").withUnsafeBufferPointer({
                    DateValue.parse($0, latest: RandomEventsFile.latest)
                })
            else { return nil }
            var value: Double?
            switch cell("value").withUnsafeBufferPointer({ NumberValue.parse($0) }) {
            case .success(let number): value = number
            case .failure(.missing): value = nil
            case .failure: return nil
            }
            events.append(SeenEvent(nhs: nhs, code: code, day: day, value: value))
        }
        return Scanned(events: events, rows: records.count - headRecords, rejected: rejected)
    }

    /// What the scan read: its events, rows and rejected rows.
    struct Scanned: Equatable {
        var events: [SeenEvent] = []
        var rows = 0
        var rejected = 0
        var error: String?
    }

    enum Way: CustomStringConvertible {
        case whole
        case pieces(Int)
        case parts(bytes: Int, most: Int)

        var description: String {
            switch self {
            case .whole: "scanned whole"
            case .pieces(let size): "fed to scanChunk in pieces of \(size) bytes"
            case .parts(let bytes, let most): "cut in parts of at least \(bytes) bytes, at most \(most)"
            }
        }
    }

    /// A scan in parts fills one sink per core, so its events are compared in one fixed order, not the file's.
    static func comparable(_ scanned: Scanned, _ way: Way) -> Scanned {
        guard case .parts = way else { return scanned }
        var sorted = scanned
        sorted.events.sort {
            ($0.nhs, $0.code, $0.day.ordinal, $0.value ?? -.infinity) < (
                $1.nhs, $1.code, $1.day.ordinal, $1.value ?? -.infinity
            )
        }
        return sorted
    }

    static func scanned(_ file: [UInt8], _ way: Way, codes: [String] = RandomEventsFile.codes) -> Scanned {
        var result = Scanned()
        do {
            let patients =
                "nhs_number,practice,date_of_birth\n"
                + RandomEventsFile.patients.map { "\($0),E82001,1950-01-02\n" }.joined()
            let extract = try readBytes(
                [("p.csv", Array(patients.utf8)), ("e.csv", file)],
                options: ReadOptions(maxRejectRate: 1, today: RandomEventsFile.latest))
            let table = CodeTable(codes)
            var scanner = EventScanner(extract: extract, codes: table)
            var sink = CollectingSink()
            switch way {
            case .whole:
                let total = try scanner.scan(into: &sink).total
                (result.rows, result.rejected) = (total.rows, total.rowsRejected)
            case .pieces(let size):
                let layout = extract.eventFiles[0]
                let columns = EventColumns(layout: layout, latest: layout.runDate ?? RandomEventsFile.latest)
                var position = ScanPosition(line: layout.dataLine)
                var counts = EventCounts(codes: table.count)
                var pending: [UInt8] = []
                var offset = layout.dataOffset
                while true {
                    let take = min(size, file.count - offset)
                    pending += file[offset..<(offset + take)]
                    offset += take
                    let isFinal = offset == file.count
                    let consumed = try pending.withUnsafeBufferPointer {
                        try scanner.scanChunk(
                            $0, columns: columns, isFinal: isFinal, position: &position, counts: &counts, sink: &sink)
                    }
                    pending.removeFirst(consumed)
                    if isFinal { break }
                }
                (result.rows, result.rejected) = (counts.rows, counts.rowsRejected)
            case .parts(let bytes, let most):
                scanner.minimumPartBytes = bytes
                scanner.maximumParts = most
                let total = try scanner.scan(
                    into: &sink, makeSink: { CollectingSink() }, merge: { $0.received += $1.received }
                ).total
                (result.rows, result.rejected) = (total.rows, total.rowsRejected)
            }
            result.events = sink.received.map {
                SeenEvent(
                    nhs: extract.population.nhsNumbers[Int($0.patient)], code: table.codes[Int($0.code)],
                    day: $0.day, value: $0.value)
            }
        } catch {
            result.error = "\(error)"
        }
        return result
    }

    @Test func scanReadsTheFieldsTheReferenceReads() throws {
        var rows = 0
        for seed in UInt64(0)..<UInt64(Self.files) {
            var file = RandomEventsFile(seed: seed)
            guard let expected = Self.expected(file.bytes, headRecords: file.headRecords, columns: file.columns) else {
                Issue.record(
                    "seed \(seed): the generator wrote a row the reference cannot take: \(ReferenceCSV.literal(file.bytes))"
                )
                continue
            }
            #expect(expected.rejected == 0 && expected.rows == file.rows.count, "seed \(seed)")
            rows += expected.rows
            let ways: [Way] = [.whole, .pieces(Int(seed % 37) + 1), .parts(bytes: Int(seed % 50) + 1, most: 3)]
            for way in ways {
                func differs(_ bytes: [UInt8]) -> Bool {
                    guard let expected = Self.expected(bytes, headRecords: file.headRecords, columns: file.columns)
                    else { return false }
                    return Self.comparable(Self.scanned(bytes, way), way) != Self.comparable(expected, way)
                }
                guard differs(file.bytes) else { continue }
                // The fewest data rows that still differ.
                var index = 0
                while index < file.rows.count {
                    var fewer = file
                    fewer.rows.remove(at: index)
                    if differs(fewer.bytes) { file = fewer } else { index += 1 }
                }
                Issue.record(
                    """
                    seed \(seed), \(way): the scan and the reference differ. Smallest file that still differs:
                    \(ReferenceCSV.literal(file.bytes))
                      scan:      \(Self.scanned(file.bytes, way))
                      reference: \(Self.expected(file.bytes, headRecords: file.headRecords, columns: file.columns)!)
                    """)
            }
        }
        #expect(rows > 3000, "the generator should make thousands of rows, not \(rows)")
    }

    /// Found by this differential test, now fixed: the scan trimmed a code's bytes as if 0xA0 were
    /// a space (Windows-1252's no-break space), so a UTF-8 code that ends in a character whose last
    /// byte is 0xA0 (`à` is C3 A0) lost that byte and was not found in the code table.
    @Test func aCodeEndingInACharacterWhoseUTF8EndsInA0IsMatched() throws {
        let file = Array("nhs_number,code,date\n\(Numbers.a),Xà,2023-01-02\n".utf8)
        let expected = Scanned(
            events: [SeenEvent(nhs: 9_990_010_013, code: "Xà", day: day("2023-01-02"), value: nil)], rows: 1,
            rejected: 0)
        #expect(
            try ReferenceCSV.records(file)[1] == [Array(Numbers.a.utf8), Array("Xà".utf8), Array("2023-01-02".utf8)])
        #expect(Self.scanned(file, .whole, codes: ["Xà"]) == expected)
    }
}
