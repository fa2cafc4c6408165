import Basics
import Vocabulary

// The payload of a journal frame (see ``JournalFormat`` for the framing):
//
//     u8 flags   bit 0: this record ends a batch (the batch is committed); other bits 0
//     u8 kind    JournalRecord.Kind.wireCode
//     fields     in the order below, each in one of these encodings:
//
//     uint      unsigned LEB128 varint (NHS numbers)
//     int       zigzag then LEB128 (counts, attempt, priority, row numbers)
//     day       int of Day.ordinal (days since 1970-01-01)
//     day?      uint: 0 for none, else zigzag(ordinal) + 1
//     time      day, then uint minute of the day (0–1439)
//     string    uint byte count, then UTF-8 bytes
//     strings   uint count, then each string
//     hash      32 bytes, SHA-256 order
//     code      u8 wire code (OutcomeCode, TimeBand, NotAttemptedReason)
//     fixed64   8 bytes little-endian
//
//     1 rule_set_adopted       hash version, day
//     2 extract_ingested       string file, hash content, strings practices, int patients, int rejected, time at,
//                              then (written since the run date was kept; absent in older records)
//                              day? run date, uint count, that many int patients per practice,
//                              then (written since the file's kind was kept) u8 kind: 1 patients, 2 events
//     3 outcome_file_ingested  string file, hash content, int accepted, int rejected, int empty, time at
//     4 cohort_joined          uint nhs, string cohort, day
//     5 cohort_left            uint nhs, string cohort, day
//     6 day_published          day, int items, hash rule version
//     7 item_published         string item, day, string worker, uint nhs, string practice, strings cohorts,
//                              int attempt, code band, int priority, fixed64 phone fingerprint
//     8 outcome_recorded       string item, uint nhs, code outcome, day? call back, string notes,
//                              hash source file, int source row, day recorded
//     9 item_not_attempted     string item, code reason, day recorded
//    10 escalation_handled     string item, string handled by, day
//    11 call_announced         uint nhs, day of the call, string worker, code band, day recorded
//
// A payload must be consumed exactly: bytes left over, an unknown kind or code, or a value out
// of range make the record unparsable, and the journal refuses to guess what it meant.

/// Appends the encodings above to a byte buffer.
struct RecordEncoder {
    var bytes: [UInt8] = []

    mutating func encode(_ record: JournalRecord, endsBatch: Bool) {
        bytes.append(endsBatch ? 1 : 0)
        bytes.append(record.kind.wireCode)
        switch record {
        case .ruleSetAdopted(let record):
            hash(record.version)
            day(record.day)
        case .extractIngested(let record):
            string(record.fileName)
            hash(record.contentHash)
            strings(record.practices)
            int(record.patientCount)
            int(record.rejectedRowCount)
            time(record.at)
            uint(record.runDate.map { zigzag(Int64($0.ordinal)) + 1 } ?? 0)
            uint(UInt64(record.practicePatientCounts.count))
            for count in record.practicePatientCounts { int(count) }
            if let kind = record.fileKind { bytes.append(kind.wireCode) }
        case .outcomeFileIngested(let record):
            string(record.fileName)
            hash(record.contentHash)
            int(record.acceptedCount)
            int(record.rejectedCount)
            int(record.emptyCount)
            time(record.at)
        case .cohortJoined(let record), .cohortLeft(let record):
            uint(record.nhsNumber)
            string(record.cohort)
            day(record.day)
        case .dayPublished(let record):
            day(record.day)
            int(record.itemCount)
            hash(record.ruleVersion)
        case .itemPublished(let record):
            string(record.itemId)
            day(record.day)
            string(record.worker)
            uint(record.nhsNumber)
            string(record.practice)
            strings(record.cohorts)
            int(record.attempt)
            bytes.append(record.timeBand.wireCode)
            int(record.priority)
            fixed64(record.phoneFingerprint)
        case .outcomeRecorded(let record):
            string(record.itemId)
            uint(record.nhsNumber)
            bytes.append(record.outcome.wireCode)
            uint(record.callBackOn.map { zigzag(Int64($0.ordinal)) + 1 } ?? 0)
            string(record.notes)
            hash(record.source.fileHash)
            int(record.source.row)
            day(record.recordedOn)
        case .itemNotAttempted(let record):
            string(record.itemId)
            bytes.append(record.reason.wireCode)
            day(record.recordedOn)
        case .escalationHandled(let record):
            string(record.itemId)
            string(record.handledBy)
            day(record.on)
        case .callAnnounced(let record):
            uint(record.nhsNumber)
            day(record.day)
            string(record.worker)
            bytes.append(record.timeBand.wireCode)
            day(record.on)
        }
    }

    mutating func uint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func int(_ value: Int) { uint(zigzag(Int64(value))) }

    mutating func day(_ value: Day) { int(Int(value.ordinal)) }

    mutating func time(_ value: LocalDateTime) {
        day(value.day)
        uint(UInt64(value.minuteOfDay))
    }

    mutating func string(_ value: String) {
        uint(UInt64(value.utf8.count))
        bytes.append(contentsOf: value.utf8)
    }

    mutating func strings(_ values: [String]) {
        uint(UInt64(values.count))
        for value in values { string(value) }
    }

    mutating func hash(_ value: ContentHash) {
        for word in [value.words.0, value.words.1, value.words.2, value.words.3] {
            for shift in stride(from: 56, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
    }

    mutating func fixed64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    private func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }
}

/// Why a payload could not be read; becomes a ``JournalError`` with the record's offset.
enum PayloadProblem: Error, Equatable {
    case truncated
    case unknownFlags(UInt8)
    case unknownKind(UInt8)
    case unknownCode(field: String, value: UInt64)
    case outOfRange(field: String)
    case trailingBytes(Int)

    var explanation: String {
        switch self {
        case .truncated: "the record ends in the middle of a field"
        case .unknownFlags(let flags): "unknown flags \(flags)"
        case .unknownKind(let kind): "unknown record kind \(kind) (written by a newer version of outreach?)"
        case .unknownCode(let field, let value): "unknown \(field) code \(value)"
        case .outOfRange(let field): "\(field) out of range"
        case .trailingBytes(let count): "\(count) unexpected bytes after the last field"
        }
    }
}

/// Reads one payload from a buffer, checking every value as it goes.
struct RecordDecoder {
    private let base: UnsafeRawBufferPointer
    private var index: Int

    init(_ payload: UnsafeRawBufferPointer) {
        base = payload
        index = 0
    }

    /// Decodes a whole payload: the record and whether it ends a batch.
    static func decode(_ payload: UnsafeRawBufferPointer) throws(PayloadProblem) -> (JournalRecord, endsBatch: Bool) {
        var decoder = RecordDecoder(payload)
        let flags = try decoder.byte()
        guard flags & ~1 == 0 else { throw .unknownFlags(flags) }
        let record = try decoder.record()
        guard decoder.index == payload.count else { throw .trailingBytes(payload.count - decoder.index) }
        return (record, flags == 1)
    }

    private mutating func record() throws(PayloadProblem) -> JournalRecord {
        let kind = try byte()
        switch kind {
        case JournalRecord.Kind.ruleSetAdopted.wireCode:
            return .ruleSetAdopted(RuleSetAdopted(version: try hash(), day: try day()))
        case JournalRecord.Kind.extractIngested.wireCode:
            var record = ExtractIngested(
                fileName: try string(), contentHash: try hash(), practices: try strings(),
                patientCount: try int(), rejectedRowCount: try int(), at: try time())
            if index < base.count {
                let runDate = try uint()
                record.runDate = runDate == 0 ? nil : Day(ordinal: try int32(unzigzag(runDate - 1), field: "run date"))
                let count = try uint()
                guard count <= UInt64(base.count - index) else { throw .truncated }
                record.practicePatientCounts = try (0..<count).map { _ throws(PayloadProblem) in try int() }
            }
            if index < base.count {
                let code = try byte()
                guard let kind = ExtractIngested.FileKind.allCases.first(where: { $0.wireCode == code }) else {
                    throw .unknownCode(field: "extract file kind", value: UInt64(code))
                }
                record.fileKind = kind
            }
            return .extractIngested(record)
        case JournalRecord.Kind.outcomeFileIngested.wireCode:
            return .outcomeFileIngested(
                OutcomeFileIngested(
                    fileName: try string(), contentHash: try hash(), acceptedCount: try int(),
                    rejectedCount: try int(), emptyCount: try int(), at: try time()))
        case JournalRecord.Kind.cohortJoined.wireCode:
            return .cohortJoined(CohortMembershipChange(nhsNumber: try uint(), cohort: try string(), day: try day()))
        case JournalRecord.Kind.cohortLeft.wireCode:
            return .cohortLeft(CohortMembershipChange(nhsNumber: try uint(), cohort: try string(), day: try day()))
        case JournalRecord.Kind.dayPublished.wireCode:
            return .dayPublished(DayPublished(day: try day(), itemCount: try int(), ruleVersion: try hash()))
        case JournalRecord.Kind.itemPublished.wireCode:
            let itemId = try string()
            let day = try day()
            let worker = try string()
            let nhsNumber = try uint()
            let practice = try string()
            let cohorts = try strings()
            let attempt = try int()
            let bandCode = try byte()
            guard let band = TimeBand(wireCode: bandCode) else {
                throw .unknownCode(field: "time band", value: UInt64(bandCode))
            }
            return .itemPublished(
                ItemPublished(
                    itemId: itemId, day: day, worker: worker, nhsNumber: nhsNumber, practice: practice,
                    cohorts: cohorts, attempt: attempt, timeBand: band, priority: try int(),
                    phoneFingerprint: try fixed64()))
        case JournalRecord.Kind.outcomeRecorded.wireCode:
            let itemId = try string()
            let nhsNumber = try uint()
            let outcomeCode = try byte()
            guard let outcome = OutcomeCode(wireCode: outcomeCode) else {
                throw .unknownCode(field: "outcome", value: UInt64(outcomeCode))
            }
            let callBack = try uint()
            let callBackOn =
                callBack == 0 ? nil : Day(ordinal: try int32(unzigzag(callBack - 1), field: "call-back day"))
            return .outcomeRecorded(
                OutcomeRecorded(
                    itemId: itemId, nhsNumber: nhsNumber, outcome: outcome, callBackOn: callBackOn,
                    notes: try string(), source: OutcomeSource(fileHash: try hash(), row: try int()),
                    recordedOn: try day()))
        case JournalRecord.Kind.itemNotAttempted.wireCode:
            let itemId = try string()
            let reasonCode = try byte()
            guard let reason = NotAttemptedReason(wireCode: reasonCode) else {
                throw .unknownCode(field: "not-attempted reason", value: UInt64(reasonCode))
            }
            return .itemNotAttempted(ItemNotAttempted(itemId: itemId, reason: reason, recordedOn: try day()))
        case JournalRecord.Kind.escalationHandled.wireCode:
            return .escalationHandled(EscalationHandled(itemId: try string(), handledBy: try string(), on: try day()))
        case JournalRecord.Kind.callAnnounced.wireCode:
            let nhsNumber = try uint()
            let callDay = try day()
            let worker = try string()
            let bandCode = try byte()
            guard let band = TimeBand(wireCode: bandCode) else {
                throw .unknownCode(field: "time band", value: UInt64(bandCode))
            }
            return .callAnnounced(
                CallAnnounced(nhsNumber: nhsNumber, day: callDay, worker: worker, timeBand: band, on: try day()))
        default:
            throw .unknownKind(kind)
        }
    }

    private mutating func byte() throws(PayloadProblem) -> UInt8 {
        guard index < base.count else { throw .truncated }
        defer { index += 1 }
        return base[index]
    }

    private mutating func uint() throws(PayloadProblem) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            if shift == 63, next > 1 { throw .outOfRange(field: "number") }
            value |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 { return value }
            shift += 7
            if shift > 63 { throw .outOfRange(field: "number") }
        }
    }

    private mutating func int() throws(PayloadProblem) -> Int {
        Int(unzigzag(try uint()))
    }

    private mutating func day() throws(PayloadProblem) -> Day {
        Day(ordinal: try int32(unzigzag(try uint()), field: "day"))
    }

    private mutating func time() throws(PayloadProblem) -> LocalDateTime {
        let day = try day()
        let minute = try uint()
        guard minute < 1440 else { throw .outOfRange(field: "time of day") }
        return LocalDateTime(day: day, minuteOfDay: Int(minute))
    }

    private mutating func string() throws(PayloadProblem) -> String {
        let count = try uint()
        guard count <= UInt64(base.count - index) else { throw .truncated }
        let start = index
        index += Int(count)
        return String(decoding: UnsafeRawBufferPointer(rebasing: base[start..<index]), as: UTF8.self)
    }

    private mutating func strings() throws(PayloadProblem) -> [String] {
        let count = try uint()
        // Each string takes at least one byte, so a count larger than what is left is corrupt.
        guard count <= UInt64(base.count - index) else { throw .truncated }
        var values: [String] = []
        values.reserveCapacity(Int(count))
        for _ in 0..<count { values.append(try string()) }
        return values
    }

    private mutating func hash() throws(PayloadProblem) -> ContentHash {
        ContentHash(words: (try bigEndian64(), try bigEndian64(), try bigEndian64(), try bigEndian64()))
    }

    private mutating func bigEndian64() throws(PayloadProblem) -> UInt64 {
        guard base.count - index >= 8 else { throw .truncated }
        var value: UInt64 = 0
        for offset in 0..<8 { value = value << 8 | UInt64(base[index + offset]) }
        index += 8
        return value
    }

    private mutating func fixed64() throws(PayloadProblem) -> UInt64 {
        guard base.count - index >= 8 else { throw .truncated }
        var value: UInt64 = 0
        for offset in 0..<8 { value |= UInt64(base[index + offset]) << UInt64(8 * offset) }
        index += 8
        return value
    }

    private func unzigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    private func int32(_ value: Int64, field: String) throws(PayloadProblem) -> Int32 {
        guard let narrow = Int32(exactly: value) else { throw .outOfRange(field: field) }
        return narrow
    }
}
