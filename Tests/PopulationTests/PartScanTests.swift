import Basics
import Foundation
import Testing

@testable import Population
import TestSupport

/// Scanning an events file in parts on several cores gives exactly what one scan from the top
/// gives: the same events (in another order: each core keeps a sink of its own), the same counts,
/// the same rejects on the same lines, and the same error for a file that is not CSV. Parts are
/// made tiny here so that part starts land everywhere: inside quoted line breaks, on continuation
/// rows, in CRLF pairs, on blank lines.
@Suite struct PartScanTests {
    /// Codes in the table: SNOMED CT ids, and codes keyed by their text (a Read code, an EMIS
    /// local code, digits with a leading zero, more digits than a SNOMED CT id has).
    static let codes = [
        "74506000", "195967001", "1461.", "EMISNQBL12", "0123", "12345678901234567890", "1300561000000107",
    ]
    static let patients =
        "nhs_number,practice,date_of_birth\n\(Numbers.a),E82001,1950-01-02\n\(Numbers.b),E82001,1960-01-02\n"
        + "\(Numbers.c),E82001,1970-01-02\n"

    /// An events file of `rows` random rows, some broken on purpose.
    static func eventsFile(rows: Int, random: inout SeededRandom) -> String {
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        var text = "NHS Number,Code,Term,Date,Value\n"
        for _ in 0..<rows {
            let nhs = pick([
                Numbers.a, Numbers.b, Numbers.c, Numbers.d, "", "", Numbers.badCheck, "999 001 0013", "9.99001E+09",
            ])
            let code = pick(codes + ["271649006", "", "1461."])
            let term = pick([
                "Term", "\"Line one\nline two\"", "\"Comma, \"\"quoted\"\"\"", "\"\n\n\"", "\"a\r\nb\"", "",
            ])
            let date = pick(["2023-01-02", "02/03/2021", "31/02/2022", "01-Mar-24", "soon", ""])
            let value = pick(["", "", "132.5", "x", "7"])
            let end = pick(["\n", "\n", "\r\n", "\r", "\n\n", "\r\n\r\n"])
            text += "\(nhs),\(code),\(term),\(date),\(value)\(end)"
        }
        return text
    }

    /// The scan's events, counts and rejects, or the error's message.
    struct Outcome: Equatable {
        var events: [ScannedEvent] = []
        var rows = 0
        var eventCount = 0
        var unknown = 0
        var matched: [Int] = []
        var rejected = 0
        var rejects: [Reject] = []
        var error: String?

        /// The same outcome with its events in one fixed order, not the order they were found.
        var inAnyOrder: Outcome {
            var sorted = self
            sorted.events.sort {
                ($0.patient, $0.code, $0.day.ordinal, $0.value ?? -1) < (
                    $1.patient, $1.code, $1.day.ordinal, $1.value ?? -1
                )
            }
            return sorted
        }

        init(_ body: (inout CollectingSink) throws -> EventScanResult) {
            var sink = CollectingSink()
            do {
                let result = try body(&sink)
                events = sink.received.map {
                    ScannedEvent(patient: $0.patient, code: $0.code, day: $0.day, value: $0.value)
                }
                rows = result.total.rows
                eventCount = result.total.events
                unknown = result.total.unknownPatients
                matched = result.total.matched
                rejected = result.total.rowsRejected
                rejects = result.total.rejects.entries
            } catch let failure as any UserFacingError {
                error = failure.message
            } catch {
                self.error = "\(error)"
            }
        }
    }

    /// A scan in parts, its events in ``Outcome/inAnyOrder``: each core keeps a sink of its own.
    static func inParts(_ extract: Extract, partBytes: Int, parts: Int, merges: UnsafeMutablePointer<Int>? = nil)
        -> Outcome
    {
        var scanner = EventScanner(extract: extract, codes: CodeTable(codes))
        scanner.minimumPartBytes = partBytes
        scanner.maximumParts = parts
        return Outcome { sink in
            try scanner.scan(
                into: &sink, makeSink: { CollectingSink() },
                merge: {
                    $0.received += $1.received
                    merges?.pointee += 1
                })
        }.inAnyOrder
    }

    static func whole(_ extract: Extract) -> Outcome {
        Outcome { sink in try EventScanner(extract: extract, codes: CodeTable(codes)).scan(into: &sink) }
    }

    @Test func partsGiveWhatOneScanGives() throws {
        let seed: UInt64 = 20_261_102
        var random = SeededRandom(seed: seed)
        for iteration in 0..<60 {
            let events = Self.eventsFile(rows: 1 + Int(random.next() % 60), random: &random)
            let extract = try read([("p.csv", Self.patients), ("e.csv", events)])
            let expected = Self.whole(extract)
            #expect(expected.error == nil, "seed \(seed) iteration \(iteration)")
            for (partBytes, parts) in [(1, 64), (7, 5), (16, 3), (40, 2)] {
                let got = Self.inParts(extract, partBytes: partBytes, parts: parts)
                #expect(
                    got == expected.inAnyOrder,
                    "seed \(seed) iteration \(iteration) parts of \(partBytes) bytes, at most \(parts)"
                )
            }
        }
    }

    /// A file with no quoted line break and no lone CR line end is really scanned in parts (each
    /// core's sink merged, not the file scanned again whole on one core), and gives what one scan gives.
    @Test func aFileWithoutQuotedLineBreaksIsScannedInParts() throws {
        var random = SeededRandom(seed: 12)
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        var events = "NHS Number,Code,Term,Date,Value\n"
        for _ in 0..<400 {
            events +=
                "\(pick([Numbers.a, Numbers.b, Numbers.c, Numbers.d])),\(pick(Self.codes)),Term,"
                + "\(pick(["2023-01-02", "02/03/2021"])),\(pick(["", "7", "132.5"]))\(pick(["\n", "\r\n"]))"
        }
        let extract = try read([("p.csv", Self.patients), ("e.csv", events)])
        var merges = 0
        let got = Self.inParts(extract, partBytes: 64, parts: 3, merges: &merges)
        #expect(merges == 3, "one sink a core, not the file again whole")
        #expect(got == Self.whole(extract).inAnyOrder)
        #expect(got.eventCount == 400)
    }

    /// A row longer than the scan's 1 MiB window (a term of 1.5 MiB) makes the window larger, whole
    /// and in parts, and every row around it is read.
    @Test func aRowLongerThanTheWindowIsRead() throws {
        let long = String(repeating: "x", count: 3 << 19)
        var events = "NHS Number,Code,Term,Date,Value\n"
        for index in 0..<3000 {
            let term = index == 1500 ? long : "Term"
            events += "\([Numbers.a, Numbers.b, Numbers.c][index % 3]),\(Self.codes[0]),\(term),2023-01-02,\n"
        }
        let extract = try read([("p.csv", Self.patients), ("e.csv", events)])
        let whole = Self.whole(extract)
        #expect(whole.error == nil)
        #expect(whole.rows == 3000)
        #expect(whole.eventCount == 3000)
        #expect(Self.inParts(extract, partBytes: 1 << 19, parts: 2) == whole.inAnyOrder)
    }

    /// A file's parts cover it exactly, in order, none empty; the last part of each core is a
    /// quarter of the others (the cores then finish close together), unless that would make
    /// parts smaller than asked.
    @Test func partsCoverTheFileAndTheLastAreSmaller() {
        let starts = EventScanner.partStarts(
            from: 100, length: 50_000_000, equalParts: 12, cores: 2, smallestPart: 512 << 10)
        #expect(starts.first == 100)
        #expect(starts.last == 100 + 50_000_000)
        #expect(starts.count == 1 + 10 + 8)
        let sizes = zip(starts.dropFirst(), starts).map { $0 - $1 }
        #expect(sizes.prefix(10).allSatisfy { abs($0 - 50_000_000 / 12) <= 1 })
        #expect(sizes.suffix(8).allSatisfy { abs($0 - 50_000_000 / 48) <= 1 })
        // Pieces would be under the smallest part: equal parts only.
        let uncut = EventScanner.partStarts(from: 0, length: 1_000, equalParts: 12, cores: 2, smallestPart: 100)
        #expect(uncut.count == 13)
        // No more equal parts than cores: nothing is left to even out.
        #expect(EventScanner.partStarts(from: 0, length: 1_000, equalParts: 2, cores: 2, smallestPart: 1).count == 3)
        var random = SeededRandom(seed: 17)
        for _ in 0..<500 {
            let length = Int(random.next() % 10_000) + 1
            let cores = Int(random.next() % 4) + 1
            let equal = min(length, Int(random.next() % 40) + 1)
            let starts = EventScanner.partStarts(
                from: 7, length: length, equalParts: equal, cores: cores, smallestPart: 1)
            #expect(starts.first == 7 && starts.last == 7 + length)
            #expect(zip(starts.dropFirst(), starts).allSatisfy { $0 > $1 }, "length \(length), \(equal) parts")
        }
    }

    /// A core's read window goes from one part to the next: a reader given a window that still
    /// holds another part's bytes scans only the bytes it read itself, and a window a long row
    /// made larger is not handed on (a small part would otherwise be read far past its end).
    @Test func aReusedWindowHoldsOnlyWhatItsReaderRead() throws {
        let limits = CSVLimits.default
        var window = [UInt8](repeating: UInt8(ascii: "9"), count: BlockReader.windowBytes)
        let text = Array("nhs_number,code,date,value\n".utf8)
        let source = try ByteSource(.bytes(text, name: "e.csv"))
        var reader = BlockReader(source: source, from: 0, limits: limits, window: &window)
        #expect(window.count == 0, "the reader took the window over")
        try reader.fill(line: 0)
        #expect(reader.window { Array($0) } == text)
        reader.giveBack(&window)
        #expect(window.count == BlockReader.windowBytes)

        // A row longer than the window grows it; that window is dropped, not handed on.
        let long = Array(repeating: UInt8(ascii: "x"), count: BlockReader.windowBytes + 10) + [0x0A]
        var grown = BlockReader(
            source: try ByteSource(.bytes(long, name: "long.csv")), from: 0, limits: limits, window: &window)
        try grown.fill(line: 0)
        try grown.fill(line: 0, makingRoom: true)
        #expect(grown.window { $0.count } == long.count)
        grown.giveBack(&window)
        #expect(window.count == 0)
    }

    /// Several events files (one per practice) go to the cores whole: the same events, counts,
    /// rejects and errors as one scan.
    @Test func severalFilesOnEveryCoreGiveWhatOneScanGives() throws {
        var random = SeededRandom(seed: 9)
        for iteration in 0..<20 {
            var files = [("p.csv", Self.patients)]
            for file in 0..<Int(2 + random.next() % 5) {
                files.append(("e\(file).csv", Self.eventsFile(rows: 1 + Int(random.next() % 40), random: &random)))
            }
            let extract = try read(files)
            let expected = Self.whole(extract)
            let got = Self.inParts(extract, partBytes: 1 << 20, parts: 1 + Int(random.next() % 3) + 1)
            #expect(got == expected.inAnyOrder, "iteration \(iteration)")
        }
    }

    @Test func partsReadFromDiskGiveWhatOneScanGives() throws {
        var random = SeededRandom(seed: 5)
        let events = Self.eventsFile(rows: 3000, random: &random)
        try withTemporaryDirectory { directory in
            try FileIO.writeAtomically(Array(Self.patients.utf8), to: FileIO.join(directory, "p.csv"))
            try FileIO.writeAtomically(Array(events.utf8), to: FileIO.join(directory, "e.csv"))
            let extract = try ExtractReader.read(
                [.file(FileIO.join(directory, "p.csv")), .file(FileIO.join(directory, "e.csv"))],
                options: ReadOptions(maxRejectRate: 1, today: day("2024-03-01")))
            let expected = Self.whole(extract)
            #expect(expected.rows > 2000)
            for (partBytes, parts) in [(1, 200), (1000, 8), (20_000, 4)] {
                #expect(Self.inParts(extract, partBytes: partBytes, parts: parts) == expected.inAnyOrder)
            }
        }
    }

    /// A file in the canonical layout (`nhs_number,code,date,value`, with `columnsBeforeDate`
    /// columns before the date: a `term`, as Outreach's own extracts have, and a `source`), mostly
    /// usual rows and many that only nearly are.
    static func canonicalFile(rows: Int, columnsBeforeDate: Int = 0, random: inout SeededRandom) -> String {
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        let between = ["term", "source"].prefix(columnsBeforeDate).map { $0 + "," }.joined()
        var text = "nhs_number,code,\(between)date,value\n"
        for _ in 0..<rows {
            let nhs = pick([
                Numbers.a, Numbers.b, Numbers.c, Numbers.d, "", "999 001 0013", Numbers.badCheck, "\"\(Numbers.a)\"",
            ])
            let code = pick(
                codes + [
                    "271649006", "", "\"74506000\"", "74\"5", " 1461.", "74506000 ", " 195967001", "00123",
                    "1300561000000107", "12345678", "9999999999999999999", "130056100000010A", "1234567,8",
                ])
            let date = pick(["2023-01-02", "2023-02-31", "1700-01-01", "2023-1-02", "02/03/2021", "2023,01-02", ""])
            let value = pick(["", "", "", "132.5", "x", "\"7\"", "1,2", "1234567890.25", "0.000000001,9"])
            let end = pick(["\n", "\n", "\n", "\r\n", "\r", "\n\n", ",extra\n"])
            let term = (0..<columnsBeforeDate).map { _ in
                pick([
                    "Asthma", "Asthma", "", "\"Asthma, severe\"", "Asthma, severe", "a\"b", "\"x\"\"y\"",
                    "Blood pressure recorded by patient", "Blood pressure, recorded", "Long term with a \"quote\"",
                ]) + ","
            }.joined()
            text += "\(nhs),\(code),\(term)\(date),\(value)\(end)"
        }
        return text
    }

    @Test func canonicalRowsSplitDirectlyGiveWhatTheGeneralSplitGives() throws {
        let seed: UInt64 = 31
        var random = SeededRandom(seed: seed)
        for iteration in 0..<120 {
            let events = Self.canonicalFile(
                rows: 1 + Int(random.next() % 80), columnsBeforeDate: iteration % 3, random: &random)
            let extract = try read([("p.csv", Self.patients), ("e.csv", events)])
            var general = EventScanner(extract: extract, codes: CodeTable(Self.codes))
            general.splitsCanonicalRowsDirectly = false
            let expected = Outcome { sink in try general.scan(into: &sink) }
            #expect(expected.rows > 0, "seed \(seed) iteration \(iteration)")
            #expect(Self.whole(extract) == expected, "seed \(seed) iteration \(iteration)")
            #expect(
                Self.inParts(extract, partBytes: 9, parts: 6) == expected.inAnyOrder,
                "seed \(seed) iteration \(iteration)")
        }
    }

    @Test func aBrokenFileFailsTheSameWayInParts() throws {
        var random = SeededRandom(seed: 9)
        let good = Self.eventsFile(rows: 40, random: &random)
        let unterminated = good + good + "\(Numbers.a),74506000,\"never closed,2024-01-01,\n"
        let wide = good + "\(Numbers.a),74506000,x,2024-01-01" + String(repeating: ",", count: 5000) + "\n" + good
        for events in [unterminated, wide] {
            let extract = try read([("p.csv", Self.patients), ("e.csv", events)])
            let expected = Self.whole(extract)
            #expect(expected.error != nil)
            for (partBytes, parts) in [(1, 64), (50, 4)] {
                #expect(Self.inParts(extract, partBytes: partBytes, parts: parts) == expected.inAnyOrder)
            }
        }
    }
}
