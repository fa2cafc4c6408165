import Testing
import Basics
import Journal
import TestSupport
import Vocabulary

@Suite("Writing and reading back")
struct RoundTripTests {
    @Test("every record kind survives the file unchanged, in order, with sequence numbers")
    func everyKind() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            try write(Sample.batches, to: path)
            let read = try entries(at: path)
            #expect(read.map(\.record) == Sample.records)
            #expect(read.map(\.sequence) == Array(1...Sample.records.count))
            #expect(Set(read.map(\.record.kind)) == Set(JournalRecord.Kind.allCases))
            #expect(read.first?.offset == 16)
        }
    }

    @Test("reopening gives the same history as the journal that wrote it")
    func reopenedHistoryMatches() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            let journal = try Journal(path: path)
            for batch in Sample.batches { try journal.append(contentsOf: batch) }
            let written = journal.history
            journal.close()
            let reopened = try Journal(path: path)
            #expect(reopened.recovered == nil)
            #expect(reopened.history == written)
            #expect(reopened.history.recordCount == Sample.records.count)
            #expect(try Journal.read(at: path).history == written)
        }
    }

    @Test("awkward values round-trip: empty and non-ASCII text, extreme numbers, days before 1970")
    func awkwardValues() throws {
        let item = ItemPublished(
            itemId: "", day: Day(ordinal: -40_000), worker: "wörker ☕", nhsNumber: UInt64.max, practice: "",
            cohorts: [], attempt: Int.max, timeBand: .afternoon, priority: Int.min, phoneFingerprint: UInt64.max)
        let records: [JournalRecord] = [
            .itemPublished(item),
            .dayPublished(
                DayPublished(
                    day: item.day, itemCount: 1, ruleVersion: ContentHash(hex: String(repeating: "f", count: 64))!)),
            .outcomeRecorded(
                OutcomeRecorded(
                    itemId: "", nhsNumber: UInt64.max, outcome: .callBack, callBackOn: Day(ordinal: Int32.min),
                    notes: String(repeating: "é\"\n,", count: 5000),
                    source: OutcomeSource(fileHash: Sample.extractHash, row: Int.min),
                    recordedOn: Day(ordinal: Int32.max))),
            .extractIngested(
                ExtractIngested(
                    fileName: "", contentHash: Sample.extractHash, practices: [""], patientCount: 0,
                    rejectedRowCount: Int.max,
                    at: LocalDateTime(day: Day(ordinal: 0), minuteOfDay: 1439))),
        ]
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            try write([records], to: path)
            #expect(try entries(at: path).map(\.record) == records)
        }
    }

    @Test("content hashes print as sha256sum does and parse back")
    func contentHashHex() {
        let hash = ContentHash(of: Array("abc".utf8))
        #expect(hash.hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ContentHash(hex: hash.hex.uppercased()) == hash)
        #expect(ContentHash(hex: "xyz") == nil)
        #expect(hash.shortHex == "ba7816bf8f01")
        #expect(ContentHash(digest: hash.bytes) == hash)
    }

    @Test("frames use the standard CRC-32 (zlib's), so other tools can check a journal")
    func standardChecksum() {
        let text = Array("123456789".utf8)
        #expect(CRC32.checksum(text) == 0xCBF4_3926)
        #expect(text.withUnsafeBytes { CRC32.checksum($0) } == 0xCBF4_3926)
        #expect(
            text.withUnsafeBytes {
                CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[4...]), previous: CRC32.checksum(text[..<4]))
            } == 0xCBF4_3926)
    }

    @Test("a new journal is just a 16-byte header, and an empty file is taken as a new journal")
    func newAndEmpty() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            let journal = try Journal(path: path)
            #expect(journal.byteCount == 16)
            #expect(journal.history == JournalHistory())
            journal.close()
            #expect(Array(try FileIO.readAll(path).prefix(8)) == Array("OUTRJRNL".utf8))

            let empty = FileIO.join(folder, "empty")
            try FileIO.writeAtomically([], to: empty)
            #expect(try Journal.read(at: empty).history.recordCount == 0)
            let opened = try Journal(path: empty)
            try opened.append(Sample.batches[0][0])
            opened.close()
            #expect(try entries(at: empty).map(\.record) == [Sample.batches[0][0]])
        }
    }
}
