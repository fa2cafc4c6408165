import Basics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The journal file's layout, version 1.
///
/// ```
/// header   16 bytes   "OUTRJRNL", u32 format version (1), u32 CRC-32 of the 12 bytes before it
/// frame    repeated   u32 payload length, u32 CRC-32 of the payload, payload
/// ```
///
/// Integers are little-endian. A payload is 2 bytes to ``maximumPayloadLength``: a flags byte, a
/// kind byte and the record's fields (encodings listed in `RecordCoding.swift`). Flag bit 0 marks
/// the last record of a batch: records are committed a batch at a time, so a crash in the middle of
/// a batch loses the whole batch and never leaves half of it.
///
/// The header is written once, to a temporary file renamed into place, so it is never torn. A
/// later format changes the version number; this build refuses a version it does not know rather
/// than misread it.
///
/// Reading decides what a bad frame means from where it is:
/// - a bad frame that reaches the end of the file (too short for its header or its length, or a
///   checksum that fails on the very last bytes, or followed only by zero bytes, which is how a
///   file system shows space a crash left allocated but unwritten), with no valid frame anywhere
///   after it, is a write that a crash interrupted: it and any unfinished batch before it are the
///   *tail*, which the writer cuts off and reports;
/// - anything else — a checksum that fails with more data after the frame, an impossible length
///   followed by valid frames, a payload that cannot be read — is damage, refused with its offset.
public enum JournalFormat {
    /// The format version this build writes and reads.
    public static let version: UInt32 = 1
    /// The largest payload a record may have. Records are small (a long note is a few kilobytes);
    /// the limit lets a reader tell a damaged length from a real one.
    public static let maximumPayloadLength = 1 << 20

    static let magic: [UInt8] = Array("OUTRJRNL".utf8)
    static let headerLength = 16
    static let frameHeaderLength = 8
    static let minimumPayloadLength = 2

    /// The 16 header bytes for `version`.
    static func header(version: UInt32 = version) -> [UInt8] {
        var bytes = magic
        appendLittleEndian(version, to: &bytes)
        appendLittleEndian(CRC32.checksum(bytes), to: &bytes)
        return bytes
    }

    /// Checks a file's first 16 bytes.
    static func checkHeader(_ bytes: [UInt8], path: String) throws(JournalError) {
        guard bytes.count == headerLength, Array(bytes[0..<8]) == magic else {
            throw JournalError(.notAJournal, path: path, detail: "not an outreach journal (no journal header)")
        }
        guard readLittleEndian(bytes, at: 12) == CRC32.checksum(bytes[0..<12]) else {
            throw JournalError(.notAJournal, path: path, detail: "the journal header is damaged (checksum mismatch)")
        }
        let found = readLittleEndian(bytes, at: 8)
        guard found == version else {
            throw JournalError(
                .unsupportedFormat, path: path,
                detail: "journal format \(found) is not one this outreach reads (it reads format \(version))"
                    + (found > version ? "; it was written by a newer outreach" : ""))
        }
    }

    /// Appends one framed record to `bytes`.
    /// - Throws: ``JournalError/Code/recordTooLarge`` when the payload exceeds the limit.
    static func appendFrame(
        _ record: JournalRecord, endsBatch: Bool, to encoder: inout RecordEncoder, path: String
    ) throws(JournalError) {
        let start = encoder.bytes.count
        encoder.bytes.append(contentsOf: [0, 0, 0, 0, 0, 0, 0, 0])
        encoder.encode(record, endsBatch: endsBatch)
        let payloadLength = encoder.bytes.count - start - frameHeaderLength
        guard payloadLength <= maximumPayloadLength else {
            encoder.bytes.removeSubrange(start...)
            throw JournalError(
                .recordTooLarge, path: path,
                detail: "a \(record.kind) record of \(payloadLength) bytes is over the limit of \(maximumPayloadLength)"
            )
        }
        let crc = encoder.bytes.withUnsafeBytes { raw in
            CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[(start + frameHeaderLength)...]))
        }
        storeLittleEndian(UInt32(payloadLength), in: &encoder.bytes, at: start)
        storeLittleEndian(crc, in: &encoder.bytes, at: start + 4)
    }

    static func appendLittleEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    static func storeLittleEndian(_ value: UInt32, in bytes: inout [UInt8], at index: Int) {
        for byte in 0..<4 { bytes[index + byte] = UInt8(truncatingIfNeeded: value >> UInt32(8 * byte)) }
    }

    static func readLittleEndian(_ bytes: some RandomAccessCollection<UInt8>, at offset: Int) -> UInt32 {
        let start = bytes.index(bytes.startIndex, offsetBy: offset)
        var value: UInt32 = 0
        for byte in 0..<4 { value |= UInt32(bytes[bytes.index(start, offsetBy: byte)]) << UInt32(8 * byte) }
        return value
    }
}

/// Bytes at the end of a journal that do not make a complete batch: what a crash in the middle of
/// a write leaves. The writer cuts them off when it opens the journal; readers ignore them.
public struct JournalTail: Hashable, Sendable, CustomStringConvertible {
    /// Where the tail starts: the end of the last complete batch.
    public let offset: Int
    /// Its length in bytes.
    public let length: Int
    /// Complete records in it: the start of a batch whose last record was never written.
    public let completeRecords: Int
    /// Whether it ends in a record cut short or with a bad checksum (rather than between records).
    public let endsInTornRecord: Bool

    public init(offset: Int, length: Int, completeRecords: Int, endsInTornRecord: Bool) {
        self.offset = offset
        self.length = length
        self.completeRecords = completeRecords
        self.endsInTornRecord = endsInTornRecord
    }

    public var description: String {
        var parts: [String] = []
        if completeRecords > 0 {
            parts.append("the first \(Formatting.count(completeRecords, "record")) of an unfinished batch")
        }
        if endsInTornRecord { parts.append("a torn record") }
        return "\(Formatting.count(length, "byte")) at offset \(offset): " + parts.joined(separator: " and ")
    }
}

/// Reads a journal file's frames in order and hands over the records of each complete batch.
struct FrameScanner {
    let fd: Int32
    let path: String
    let fileSize: Int

    /// What a scan found after the header.
    struct ScanResult {
        /// The end of the last complete batch: everything before it is history.
        var committedLength: Int
        var recordCount: Int
        var tail: JournalTail?
    }

    private static let chunkSize = 1 << 21

    /// Scans every frame after the header, calling `body` with each committed record, its
    /// sequence number (1 for the first record) and its offset.
    func scan(
        _ body: (_ record: JournalRecord, _ sequence: Int, _ offset: Int) throws(JournalError) -> Void
    ) throws(JournalError) -> ScanResult {
        var buffer = [UInt8](repeating: 0, count: FrameScanner.chunkSize + JournalFormat.maximumPayloadLength + 64)
        var bufferOffset = JournalFormat.headerLength  // file offset of buffer[0]
        var available = 0  // bytes of buffer filled
        var cursor = 0  // index in buffer of the next frame
        var committed = ScanResult(committedLength: JournalFormat.headerLength, recordCount: 0, tail: nil)
        var batch: [(record: JournalRecord, offset: Int)] = []

        while true {
            let frameOffset = bufferOffset + cursor
            if frameOffset == fileSize { break }
            // Make sure the frame header, and then the whole frame, are in the buffer.
            if available - cursor < JournalFormat.frameHeaderLength {
                try refill(&buffer, &bufferOffset, &available, &cursor, upTo: fileSize)
            }
            guard available - cursor >= JournalFormat.frameHeaderLength else {
                return try tail(
                    after: committed, batch: batch, badFrameAt: frameOffset, problem: "incomplete frame header")
            }
            let length = Int(JournalFormat.readLittleEndian(buffer, at: cursor))
            let expected = JournalFormat.readLittleEndian(buffer, at: cursor + 4)
            guard (JournalFormat.minimumPayloadLength...JournalFormat.maximumPayloadLength).contains(length) else {
                return try tail(
                    after: committed, batch: batch, badFrameAt: frameOffset, problem: "impossible length \(length)")
            }
            let frameEnd = frameOffset + JournalFormat.frameHeaderLength + length
            guard frameEnd <= fileSize else {
                return try tail(after: committed, batch: batch, badFrameAt: frameOffset, problem: "frame cut short")
            }
            if available - cursor < JournalFormat.frameHeaderLength + length {
                try refill(&buffer, &bufferOffset, &available, &cursor, upTo: fileSize)
            }
            let payloadStart = cursor + JournalFormat.frameHeaderLength
            let decoded = buffer.withUnsafeBytes { raw -> Result<(JournalRecord, endsBatch: Bool), PayloadProblem>? in
                let payload = UnsafeRawBufferPointer(rebasing: raw[payloadStart..<(payloadStart + length)])
                guard CRC32.checksum(payload) == expected else { return nil }
                do throws(PayloadProblem) {
                    return .success(try RecordDecoder.decode(payload))
                } catch {
                    return .failure(error)
                }
            }
            var damaged = false
            if decoded == nil, frameEnd < fileSize { damaged = try !onlyZeros(from: frameEnd) }
            switch decoded {
            case nil where damaged:
                throw JournalError(
                    .corruptRecord, path: path, offset: frameOffset,
                    detail:
                        "checksum mismatch, with \(Formatting.count(fileSize - frameEnd, "byte")) of records after it")
            case nil:
                return try tail(after: committed, batch: batch, badFrameAt: frameOffset, problem: "checksum mismatch")
            case .failure(let problem):
                throw JournalError(.corruptRecord, path: path, offset: frameOffset, detail: problem.explanation)
            case .success(let (record, endsBatch)):
                batch.append((record, frameOffset))
                cursor += JournalFormat.frameHeaderLength + length
                if endsBatch {
                    for entry in batch {
                        committed.recordCount += 1
                        try body(entry.record, committed.recordCount, entry.offset)
                    }
                    batch.removeAll(keepingCapacity: true)
                    committed.committedLength = frameEnd
                }
            }
        }
        if !batch.isEmpty {
            committed.tail = JournalTail(
                offset: committed.committedLength, length: fileSize - committed.committedLength,
                completeRecords: batch.count, endsInTornRecord: false)
        }
        return committed
    }

    /// The result when the frame at `offset` is bad but reaches the end of the file: a torn tail,
    /// unless a valid frame follows it somewhere, which makes it damage.
    private func tail(
        after committed: ScanResult, batch: [(record: JournalRecord, offset: Int)], badFrameAt offset: Int,
        problem: String
    ) throws(JournalError) -> ScanResult {
        if let valid = try firstValidFrame(after: offset) {
            throw JournalError(
                .corruptRecord, path: path, offset: offset,
                detail: "\(problem), but a valid record follows at offset \(valid)")
        }
        var result = committed
        result.tail = JournalTail(
            offset: committed.committedLength, length: fileSize - committed.committedLength,
            completeRecords: batch.count, endsInTornRecord: true)
        return result
    }

    /// The offset of the first place after `offset` where a frame with a plausible length and a
    /// matching checksum starts, or `nil`. Only run on a bad frame, so it may be slow.
    private func firstValidFrame(after offset: Int) throws(JournalError) -> Int? {
        let smallestFrame = JournalFormat.frameHeaderLength + JournalFormat.minimumPayloadLength
        let step = FrameScanner.chunkSize
        var windowStart = offset + 1
        var window: [UInt8] = []
        while windowStart + smallestFrame <= fileSize {
            let windowEnd = min(
                fileSize, windowStart + step + JournalFormat.frameHeaderLength + JournalFormat.maximumPayloadLength)
            window = try read(from: windowStart, count: windowEnd - windowStart)
            let found = window.withUnsafeBytes { raw -> Int? in
                let lastStart = min(step, raw.count - smallestFrame)
                guard lastStart >= 0 else { return nil }
                for start in 0...lastStart {
                    let length = Int(JournalFormat.readLittleEndian(raw, at: start))
                    guard length >= JournalFormat.minimumPayloadLength, length <= JournalFormat.maximumPayloadLength,
                        start + JournalFormat.frameHeaderLength + length <= raw.count
                    else { continue }
                    let payloadStart = start + JournalFormat.frameHeaderLength
                    let payload = UnsafeRawBufferPointer(rebasing: raw[payloadStart..<(payloadStart + length)])
                    if CRC32.checksum(payload) == JournalFormat.readLittleEndian(raw, at: start + 4) {
                        return windowStart + start
                    }
                }
                return nil
            }
            if let found { return found }
            windowStart += step + 1
        }
        return nil
    }

    /// Whether every byte from `offset` to the end of the file is zero: what a file system shows
    /// for space a crash left allocated but unwritten. Zeros never make a valid frame.
    private func onlyZeros(from offset: Int) throws(JournalError) -> Bool {
        var start = offset
        while start < fileSize {
            let chunk = try read(from: start, count: min(FrameScanner.chunkSize, fileSize - start))
            if chunk.isEmpty { break }
            if chunk.contains(where: { $0 != 0 }) { return false }
            start += chunk.count
        }
        return true
    }

    /// Moves the unread bytes to the front of the buffer and fills the rest from the file.
    private func refill(
        _ buffer: inout [UInt8], _ bufferOffset: inout Int, _ available: inout Int, _ cursor: inout Int, upTo end: Int
    ) throws(JournalError) {
        if cursor > 0 {
            buffer.withUnsafeMutableBytes { raw in
                guard let base = raw.baseAddress else { return }
                memmove(base, base + cursor, available - cursor)
            }
            bufferOffset += cursor
            available -= cursor
            cursor = 0
        }
        while available < buffer.count, bufferOffset + available < end {
            let wanted = min(buffer.count - available, end - bufferOffset - available)
            let count = try readAt(bufferOffset + available, into: &buffer, at: available, count: wanted)
            if count == 0 { break }
            available += count
        }
    }

    /// Reads `count` bytes at `offset` (fewer only at the end of the file).
    func read(from offset: Int, count: Int) throws(JournalError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = try readAt(offset + filled, into: &bytes, at: filled, count: count - filled)
            if got == 0 { break }
            filled += got
        }
        return Array(bytes[0..<filled])
    }

    private func readAt(_ offset: Int, into buffer: inout [UInt8], at index: Int, count: Int) throws(JournalError)
        -> Int
    {
        do {
            return try FileIO.call("pread", path: path) {
                buffer.withUnsafeMutableBytes { raw in pread(fd, raw.baseAddress! + index, count, off_t(offset)) }
            }
        } catch {
            throw JournalError(error)
        }
    }
}
