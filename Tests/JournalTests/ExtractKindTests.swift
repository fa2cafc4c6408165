import Testing
import Basics
import Vocabulary

@testable import Journal

/// `extract_ingested` records say whether the file was a patients or an events file, so the
/// current files are known from the journal alone; records written before the kind was kept
/// still read, as records of unknown kind.
@Suite("An extract record's file kind")
struct ExtractKindTests {
    static func record(kind: ExtractIngested.FileKind?) -> JournalRecord {
        .extractIngested(
            ExtractIngested(
                fileName: "practice-E82001-events.csv", contentHash: ContentHash(of: Array("events".utf8)),
                practices: ["E82001"], patientCount: 0, rejectedRowCount: 6,
                at: LocalDateTime(day: Day(year: 2026, month: 11, day: 23)!, minuteOfDay: 7 * 60 + 31), fileKind: kind))
    }

    static func decode(_ bytes: [UInt8]) throws(PayloadProblem) -> JournalRecord {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 8)
        defer { copy.deallocate() }
        copy.copyBytes(from: bytes)
        return try RecordDecoder.decode(UnsafeRawBufferPointer(copy)).0
    }

    @Test("each kind round-trips, and a record without one (as older journals wrote) reads as unknown")
    func roundTrip() throws {
        for kind in [ExtractIngested.FileKind.patients, .events, nil] {
            var encoder = RecordEncoder()
            encoder.encode(Self.record(kind: kind), endsBatch: true)
            #expect(try Self.decode(encoder.bytes) == Self.record(kind: kind))
        }
        var withKind = RecordEncoder()
        withKind.encode(Self.record(kind: .events), endsBatch: true)
        var without = RecordEncoder()
        without.encode(Self.record(kind: nil), endsBatch: true)
        #expect(withKind.bytes == without.bytes + [2], "the kind is one byte after the older fields")
    }

    @Test("an unknown kind code is refused, not guessed")
    func unknownCode() {
        var encoder = RecordEncoder()
        encoder.encode(Self.record(kind: .events), endsBatch: true)
        var bytes = encoder.bytes
        bytes[bytes.count - 1] = 9
        #expect(throws: PayloadProblem.unknownCode(field: "extract file kind", value: 9)) {
            try Self.decode(bytes)
        }
    }
}
