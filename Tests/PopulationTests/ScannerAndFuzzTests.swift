import Foundation
import Testing
import Basics
@testable import Population
import TestSupport
@testable import Tooling

@Suite struct EventScannerTests {
    static let patients =
        "nhs_number,practice,date_of_birth\n\(Numbers.a),E82001,1950-01-02\n\(Numbers.b),E82001,1960-01-02\n"
    static let events =
        "\u{FEFF}Search Name,Events\r\nRun Date,01-Mar-2024\r\n\r\n"
        + "\"NHS Number\",\"Code\",\"Term\",\"Date\",\"Value\"\r\n"
        + "999 001 0013,1300561000000107,\"High risk, \"\"shielding\"\"\",01-Apr-2020,\r\n"
        + ",195967001,\"Asthma\r\nsecond line\",02-May-2021,\r\n\r\n"
        + "\(Numbers.b),271649006,Systolic,03-Jun-2022,132.5\r\n"
        + "\(Numbers.badCheck),271649006,Systolic,03-Jun-2022,140\r\n"
        + ",271649006,Systolic,04-Jun-2022,141\r\n"
        + "\(Numbers.c),271649006,Systolic,31-Feb-2022,140\r\n"
        + "\(Numbers.a),1461.,Dementia,2023-01-01,\r\n"
        + "\(Numbers.b),EMISNQBL12,BP,2023-01-02,x\r\n"
        + "\(Numbers.d),195967001,Asthma,2023-01-03"

    static let codes = ["1300561000000107", "195967001", "271649006", "1461.", "EMISNQBL12"]

    @Test func readsQuotesLineBreaksAndLineNumbersInEventsFiles() throws {
        let extract = try read([("p.csv", Self.patients), ("e.csv", Self.events)])
        let (seen, result) = try scan(extract, codes: Self.codes)
        #expect(seen.count == 5)
        #expect(seen.contains(SeenEvent(nhs: 9_990_010_013, code: "195967001", day: day("2021-05-02"), value: nil)))
        #expect(seen.contains(SeenEvent(nhs: 9_990_010_021, code: "271649006", day: day("2022-06-03"), value: 132.5)))
        #expect(result.total.rows == 9)
        #expect(result.total.events == 6)
        #expect(result.total.unknownPatients == 1)
        #expect(result.total.matched == [1, 1, 1, 1, 1])
        #expect(
            result.total.rejects.entries.map { "\($0.line) \($0.column) \($0.problem)" } == [
                "10 nhs_number nhsCheckDigit", "11 nhs_number orphanContinuation", "12 date noSuchDate",
                "14 value notANumber",
            ])
    }

    /// Cutting the bytes anywhere (as a chunked or parallel reader will) changes nothing.
    @Test(arguments: [1, 2, 3, 5, 8, 13, 64])
    func givesTheSameResultWhateverTheChunkSize(_ pieceSize: Int) throws {
        let extract = try read([("p.csv", Self.patients), ("e.csv", Self.events)])
        let (whole, wholeResult) = try scan(extract, codes: Self.codes)
        let layout = extract.eventFiles[0]
        let table = CodeTable(Self.codes)
        let scanner = EventScanner(extract: extract, codes: table)
        let columns = EventColumns(layout: layout, latest: day("2024-03-01"))
        let bytes = Array(Self.events.utf8)[layout.dataOffset...]
        var pending: [UInt8] = []
        var position = ScanPosition(line: layout.dataLine)
        var counts = EventCounts(codes: table.count)
        var sink = CollectingSink()
        var offset = bytes.startIndex
        while true {
            let take = min(pieceSize, bytes.endIndex - offset)
            pending += bytes[offset..<(offset + take)]
            offset += take
            let isFinal = offset == bytes.endIndex
            let consumed = try pending.withUnsafeBufferPointer {
                try scanner.scanChunk(
                    $0, columns: columns, isFinal: isFinal, position: &position, counts: &counts, sink: &sink)
            }
            pending.removeFirst(consumed)
            if isFinal { break }
        }
        let pieces = sink.received.map {
            SeenEvent(
                nhs: extract.population.nhsNumbers[Int($0.patient)], code: table.codes[Int($0.code)], day: $0.day,
                value: $0.value)
        }
        #expect(pieces == whole)
        #expect(counts.rows == wholeResult.total.rows)
        #expect(counts.rejects.entries == wholeResult.total.rejects.entries)
    }

    @Test func keysNumericCodesAsIntegersAndOthersByBytes() {
        let table = CodeTable(["74506000", " 74506000 ", "1461.", "EMISNQBL12", "0123", "XaBVJ"])
        #expect(table.count == 5)
        #expect(table.id(of: "74506000") == 0)
        #expect(table.id(of: "1461.") == 1)
        #expect(table.id(of: "0123") == 3)
        #expect(table.id(of: "123") == nil)
        #expect(table.id(of: "xabvj") == nil)
        #expect(table.id(of: "XaBVJ") == 4)
        #expect(table.id(of: "99999999999999999999999") == nil)
    }

    @Test func refusesAnUnterminatedQuoteAndTooManyColumnsInAnEventsFile() throws {
        let bad = "nhs_number,code,date\n\(Numbers.a),\"74506000,2024-01-01\n"
        let extract = try read([("p.csv", Self.patients), ("e.csv", bad)])
        #expect(throws: ExtractError.self) { try scan(extract, codes: []) }
        let wide = "nhs_number,code,date\n\(Numbers.a),74506000,2024-01-01" + String(repeating: ",", count: 5000) + "\n"
        let second = try read([("p.csv", Self.patients), ("e.csv", wide)])
        #expect(throws: ExtractError.self) { try scan(second, codes: []) }
    }

    @Test func scansEventsFilesFromDiskInChunksLikeFromMemory() throws {
        let options = SynthOptions(
            patients: 400, practices: 1, layout: .emis, seed: 3, asOf: day("2024-03-01"), eventsPerPatient: 40)
        try withTemporaryDirectory { directory in
            var inMemory: [(String, [UInt8])] = []
            _ = Synthesizer.generate(options) { inMemory.append(($0, $1)) }
            _ = try Synthesizer.write(options, to: directory)
            let fromDisk = try ExtractReader.read(
                try ExtractReader.inputs(forPaths: [directory]), options: ReadOptions(today: day("2024-03-01")))
            let fromMemory = try readBytes(inMemory, options: ReadOptions(today: day("2024-03-01")))
            let codes = SynthCodes.background.map(\.code) + [SynthCodes.shielding.0]
            let (diskEvents, diskResult) = try scan(fromDisk, codes: codes)
            let (memoryEvents, memoryResult) = try scan(fromMemory, codes: codes)
            #expect(diskEvents == memoryEvents)
            #expect(diskResult.total.events == memoryResult.total.events)
            #expect(diskResult.total.events > 10_000)
            #expect(diskResult.total.rejects.entries.map(\.line) == memoryResult.total.rejects.entries.map(\.line))
        }
    }
}

/// Random and mutated bytes never crash the reader: every run ends in a result or a clear error.
@Suite struct FuzzTests {
    static let alphabet: [UInt8] =
        Array(",,,\"\"\n\r  0123456789999-/ EabcNHS_number:".utf8) + [0xE9, 0xFF, 0xEF, 0xBB, 0xBF]

    static func readAndScan(_ files: [(String, [UInt8])]) -> String? {
        do {
            let extract = try readBytes(files, options: ReadOptions(maxRejectRate: 1, today: day("2024-03-01")))
            _ = try scan(extract, codes: ["74506000", "1461."])
            return nil
        } catch let error as any UserFacingError {
            return error.message
        } catch {
            return "unexpected error \(error)"
        }
    }

    @Test func survivesRandomBytes() {
        let seed: UInt64 = 20_241_125
        var random = SeededRandom(seed: seed)
        for iteration in 0..<400 {
            let length = Int(random.next() % 400)
            var bytes = (0..<length).map { _ in Self.alphabet[Int(random.next() % UInt64(Self.alphabet.count))] }
            if random.chance(0.5) { bytes = Array("nhs_number,code,date,date_of_birth\n".utf8) + bytes }
            if random.chance(0.05) { bytes.append(0) }
            let message = Self.readAndScan([("practice-E82001.csv", bytes)])
            if let message {
                #expect(message.contains("practice-E82001.csv"), "seed \(seed) iteration \(iteration): \(message)")
            }
        }
    }

    @Test func survivesMutatedExtracts() {
        let seed: UInt64 = 77
        var random = SeededRandom(seed: seed)
        let options = SynthOptions(
            patients: 40, practices: 1, layout: .emis, seed: 1, asOf: day("2024-03-01"), eventsPerPatient: 5)
        var files: [(String, [UInt8])] = []
        _ = Synthesizer.generate(options) { files.append(($0, $1)) }
        for iteration in 0..<300 {
            var mutated = files
            for _ in 0..<(1 + Int(random.next() % 8)) {
                let file = Int(random.next() % 2)
                var bytes = mutated[file].1
                guard !bytes.isEmpty else { continue }
                let at = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 4 {
                case 0: bytes[at] = Self.alphabet[Int(random.next() % UInt64(Self.alphabet.count))]
                case 1: bytes.insert(Self.alphabet[Int(random.next() % UInt64(Self.alphabet.count))], at: at)
                case 2: bytes.remove(at: at)
                default: bytes.removeSubrange(at..<min(bytes.count, at + Int(random.next() % 200)))
                }
                mutated[file].1 = bytes
            }
            let message = Self.readAndScan(mutated)
            if let message {
                #expect(message.contains("practice-E82001"), "seed \(seed) iteration \(iteration): \(message)")
                #expect(!message.hasPrefix("unexpected"), "seed \(seed) iteration \(iteration): \(message)")
            }
        }
    }
}
