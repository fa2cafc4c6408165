import Dispatch
import Basics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The codes a rule set uses, each given a dense id (0, 1, 2…), looked up straight from a
/// field's bytes with no allocation.
///
/// SNOMED CT ids (digits, no leading zero, up to 19 digits) are keyed as `UInt64`; any other
/// code (EMIS local codes, Read/CTV3 such as `1461.`) is keyed by its bytes, case-sensitively.
public struct CodeTable: Sendable {
    /// The distinct codes, by id.
    public let codes: [String]
    private var numericKeys: [UInt64]
    private var numericIds: [Int32]
    private let numericMask: Int
    private var textStore: [UInt8] = []
    private var textSlots: [Int32]
    private var textRanges: [(start: Int, count: Int)] = []
    private let textMask: Int

    /// A table of `codes` (surrounding spaces ignored); a code listed twice keeps its first id.
    public init(_ codes: [String]) {
        var distinct: [String] = []
        var seen: Set<String> = []
        for code in codes.map(\.trimmed) where !code.isEmpty && seen.insert(code).inserted { distinct.append(code) }
        self.codes = distinct
        var capacity = 16
        while capacity < distinct.count * 2 { capacity <<= 1 }
        numericKeys = [UInt64](repeating: 0, count: capacity)
        numericIds = [Int32](repeating: -1, count: capacity)
        numericMask = capacity - 1
        textSlots = [Int32](repeating: -1, count: capacity)
        textMask = capacity - 1
        textRanges = Array(repeating: (0, 0), count: distinct.count)
        for (id, code) in distinct.enumerated() {
            let bytes = Array(code.utf8)
            if let number = CodeTable.numericKey(bytes) {
                var slot = PatientIndex.hash(number) & numericMask
                while numericIds[slot] >= 0 { slot = (slot + 1) & numericMask }
                numericKeys[slot] = number
                numericIds[slot] = Int32(id)
            } else {
                textRanges[id] = (textStore.count, bytes.count)
                textStore.append(contentsOf: bytes)
                var slot = bytes.withUnsafeBufferPointer { CodeTable.hash($0) } & textMask
                while textSlots[slot] >= 0 { slot = (slot + 1) & textMask }
                textSlots[slot] = Int32(id)
            }
        }
    }

    /// How many distinct codes.
    public var count: Int { codes.count }

    /// The id of a code, or `nil` when the table does not hold it.
    public func id(of code: String) -> Int32? {
        var copy = code.trimmed
        return copy.withUTF8 { id(of: $0) }
    }

    /// The id of the code in `bytes` (already trimmed), or `nil`.
    @inline(__always)
    public func id(of bytes: FieldBytes) -> Int32? {
        if let number = CodeTable.numericKey(bytes) {
            var slot = PatientIndex.hash(number) & numericMask
            while true {
                let id = numericIds[slot]
                if id < 0 { return nil }
                if numericKeys[slot] == number { return id }
                slot = (slot + 1) & numericMask
            }
        }
        var slot = CodeTable.hash(bytes) & textMask
        while true {
            let id = textSlots[slot]
            if id < 0 { return nil }
            let range = textRanges[Int(id)]
            if range.count == bytes.count {
                let equal = textStore.withUnsafeBufferPointer { store in
                    memcmp(store.baseAddress! + range.start, bytes.baseAddress!, range.count) == 0
                }
                if equal { return id }
            }
            slot = (slot + 1) & textMask
        }
    }

    @inline(__always)
    static func numericKey(_ bytes: some Collection<UInt8>) -> UInt64? {
        guard let first = bytes.first, first != 0x30, bytes.count <= 19 else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            let digit = byte &- 0x30
            guard digit < 10 else { return nil }
            value = value &* 10 &+ UInt64(digit)  // 19 digits fit in a UInt64: no overflow to check
        }
        return value
    }

    @inline(__always)
    static func hash(_ bytes: FieldBytes) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return Int(truncatingIfNeeded: hash >> 17)
    }
}

/// One event a scan found whose code is in its ``CodeTable``.
public struct ScannedEvent: Hashable, Sendable {
    /// The patient's index in the population.
    public let patient: Int32
    /// The code's id in the code table.
    public let code: Int32
    public let day: Day
    /// The value, when the row had one.
    public let value: Double?

    public init(patient: Int32, code: Int32, day: Day, value: Double?) {
        self.patient = patient
        self.code = code
        self.day = day
        self.value = value
    }
}

/// Receives the events an ``EventScanner`` finds whose code is in the scan's ``CodeTable``.
///
/// A scan over several parts on several cores gives each part its own sink and merges them
/// afterwards, so a sink needs no locking.
public protocol EventSink {
    /// One event: the patient's index in the population, the code's id in the code table, the
    /// day, and the value when the row had one.
    mutating func receive(patient: Int32, code: Int32, day: Day, value: Double?)

    /// Several events, in the order found. The scanner hands events over a block at a time, so a
    /// sink in another module costs one call per block, not one per event; by default this calls
    /// ``receive(patient:code:day:value:)`` for each.
    mutating func receive(_ events: [ScannedEvent])
}

extension EventSink {
    public mutating func receive(_ events: [ScannedEvent]) {
        for event in events { receive(patient: event.patient, code: event.code, day: event.day, value: event.value) }
    }
}

/// What an event scan saw, summed over the events it was given.
public struct EventCounts: Sendable {
    /// Data rows read from events files (blank lines not counted).
    public var rows = 0
    /// Usable events (a valid NHS number, a code and a date), embedded ones included.
    public var events = 0
    /// Usable events whose NHS number is not among the patients (counted, not errors).
    public var unknownPatients = 0
    /// Events whose code is in the table, by code id.
    public var matched: [Int]
    /// Rows not used (bad NHS number, bad date, no code) and values ignored (bad value).
    public var rejects = RejectLog()
    /// How many rows were rejected.
    public var rowsRejected = 0

    public init(codes: Int) {
        matched = [Int](repeating: 0, count: codes)
    }

    /// Adds another chunk's or file's counts.
    public mutating func merge(_ other: EventCounts) {
        rows += other.rows
        events += other.events
        unknownPatients += other.unknownPatients
        for index in matched.indices { matched[index] += other.matched[index] }
        rejects.append(contentsOf: other.rejects)
        rowsRejected += other.rowsRejected
    }
}

/// The result of a scan: the totals, and each events file's own counts.
public struct EventScanResult: Sendable {
    public var total: EventCounts
    /// Per events file (same order as ``Extract/eventFiles``).
    public var files: [(file: String, counts: EventCounts)]
    /// Events that came from patients files.
    public var embedded: Int
}

/// An events file's layout reduced to what the byte scanner needs.
public struct EventColumns: Sendable {
    public let file: String
    let nhs: Int
    let code: Int
    let date: Int
    let value: Int
    let last: Int
    let latest: Day

    /// The scanning layout of an events file.
    public init(layout: FileLayout, latest: Day) {
        file = layout.file
        nhs = layout.index(of: .nhsNumber) ?? 0
        code = layout.index(of: .code) ?? 0
        date = layout.index(of: .date) ?? 0
        value = layout.index(of: .value) ?? -1
        last = max(nhs, code, date, value)
        self.latest = latest
    }
}

/// Where a chunk scan stands between calls: the line the next byte is on and, for EMIS
/// continuation rows (blank NHS number), the patient of the row above.
public struct ScanPosition: Sendable {
    /// The physical line of the next unread byte.
    public var line: Int
    var previous: Previous = .none

    enum Previous: Sendable {
        case none, rejected, unknown, patient(Int32)
    }

    public init(line: Int) {
        self.line = line
    }
}

/// Streams events: embedded events first, then each events file once, calling a sink for each
/// event whose code is in the code table. Files are read in bounded blocks: memory does not grow
/// with events.
///
/// ``scan(into:makeSink:merge:)`` cuts large files into parts scanned on every core. A part
/// starts at the first row with an NHS number at or after its nominal offset (so an EMIS
/// continuation row never starts a part), and the part before it runs up to exactly that row.
/// Where a part starts cannot be known for sure without reading from the top (a quoted field may
/// hold line breaks), so each part guesses, and the guess is checked against where the part before
/// really ended; a part that guessed wrong is scanned again from there. Counts, rejects and events
/// come out the same, in the same order, as a scan from top to bottom.
public struct EventScanner: Sendable {
    public let extract: Extract
    public let codes: CodeTable
    /// Fields and records beyond these limits make the file an error, never a huge allocation.
    public let limits: CSVLimits
    /// Parts are at least this long; a smaller file is scanned in one piece.
    var minimumPartBytes = 4 << 20
    /// The most parts one file is cut into.
    var maximumParts = Processors.active
    /// Whether canonical rows are split by their usual shape (see ``RecordScanner/splitCanonical(_:at:)``).
    var splitsCanonicalRowsDirectly = true

    public init(extract: Extract, codes: CodeTable, limits: CSVLimits = .default) {
        self.extract = extract
        self.codes = codes
        self.limits = limits
    }

    /// Scans every event once, in file order, on the calling thread.
    /// - Throws: `ExtractError` for a file with too many rejected rows or that is not CSV; `FileIOError`.
    public func scan<S: EventSink>(into sink: inout S) throws -> EventScanResult {
        try scanFiles(into: &sink) { source, begin, columns, line, sink in
            let outcome = scanPart(source, from: begin, limit: Int.max, synchronise: false, columns: columns, sink: &sink)
            if let failure = outcome.failure { throw relocate(failure, by: line) }
            var counts = outcome.counts
            counts.rejects.offsetLines(by: line)
            return counts
        }
    }

    /// Scans every event once, cutting large events files into parts scanned on every core.
    ///
    /// Embedded events go to `sink`; each part of a file fills a sink of its own from `makeSink`,
    /// and `merge` folds those into `sink` in file order. Counts and rejects are the same, in the
    /// same order, as ``scan(into:)``'s.
    /// - Throws: as ``scan(into:)``.
    public func scan<S: EventSink & Sendable>(
        into sink: inout S, makeSink: @Sendable () -> S, merge: (inout S, S) -> Void
    ) throws -> EventScanResult {
        if extract.eventInputs.count > 1, maximumParts > 1 {
            return try scanWholeFilesOnEveryCore(into: &sink, makeSink: makeSink, merge: merge)
        }
        return try scanFiles(into: &sink) { source, begin, columns, line, sink in
            try scanInParts(source, from: begin, line: line, columns: columns, into: &sink, makeSink: makeSink, merge: merge)
        }
    }

    /// With several events files (one per practice, say), each core takes whole files in turn into
    /// one sink of its own, so there are as many sinks to make and merge as cores, not as files
    /// (a sink holds summaries for every patient). Whole files need no guessed part starts.
    private func scanWholeFilesOnEveryCore<S: EventSink & Sendable>(
        into sink: inout S, makeSink: @Sendable () -> S, merge: (inout S, S) -> Void
    ) throws -> EventScanResult {
        let inputs = extract.eventInputs
        let queue = WorkQueue(count: inputs.count)
        let outcomes = ChunkResults<PartOutcome>(count: inputs.count)
        let workers = min(maximumParts, inputs.count)
        let sinks = ChunkResults<S>(count: workers)
        let population = extract.population
        let today = extract.options.today
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var local = makeSink()
            while let index = queue.take() {
                let (input, layout) = inputs[index]
                let latest = layout.runDate ?? population.extractDate ?? today ?? Day(year: 2099, month: 12, day: 31)!
                var outcome: PartOutcome
                do {
                    let source = try ByteSource(input)
                    defer { source.closeFile() }
                    outcome = scanPart(
                        source, from: layout.dataOffset, limit: Int.max, synchronise: false,
                        columns: EventColumns(layout: layout, latest: latest), sink: &local)
                } catch {
                    outcome = PartOutcome(counts: EventCounts(codes: codes.count), end: 0)
                    outcome.failure = error
                }
                outcomes.set(index, outcome)
            }
            sinks.set(worker, local)
        }
        var index = 0
        return try scanFiles(into: &sink) { _, _, _, line, sink in
            defer { index += 1 }
            guard var outcome = outcomes.take(index) else { return EventCounts(codes: codes.count) }
            if let failure = outcome.failure { throw relocate(failure, by: line) }
            outcome.counts.rejects.offsetLines(by: line)
            if index == inputs.count - 1 {
                for worker in 0..<workers {
                    if let part = sinks.take(worker) { merge(&sink, part) }
                }
            }
            return outcome.counts
        }
    }

    /// Replays embedded events, then scans each events file with `scanFile`, checking its reject rate.
    private func scanFiles<S: EventSink>(
        into sink: inout S,
        scanFile: (_ source: ByteSource, _ begin: Int, _ columns: EventColumns, _ line: Int, _ sink: inout S) throws
            -> EventCounts
    ) throws -> EventScanResult {
        var total = EventCounts(codes: codes.count)
        let population = extract.population
        var embedded: [ScannedEvent] = []
        for event in population.embeddedEvents {
            total.events += 1
            guard let id = codes.id(of: event.code) else { continue }
            total.matched[Int(id)] += 1
            embedded.append(ScannedEvent(patient: event.patient, code: id, day: event.day, value: event.value))
        }
        if !embedded.isEmpty { sink.receive(embedded) }
        var files: [(String, EventCounts)] = []
        for (input, layout) in extract.eventInputs {
            let latest = layout.runDate ?? population.extractDate ?? extract.options.today
                ?? Day(year: 2099, month: 12, day: 31)!
            let source = try ByteSource(input)
            defer { source.closeFile() }
            let counts = try scanFile(
                source, layout.dataOffset, EventColumns(layout: layout, latest: latest), layout.dataLine, &sink)
            if counts.rows > 0, Double(counts.rowsRejected) / Double(counts.rows) > extract.options.maxRejectRate {
                throw ExtractError(
                    file: input.name,
                    "\(Formatting.grouped(counts.rowsRejected)) of \(Formatting.grouped(counts.rows)) rows rejected "
                        + "(\(Formatting.percent(counts.rowsRejected, counts.rows))), more than --max-reject-rate "
                        + "\(Formatting.number(extract.options.maxRejectRate * 100))%: is this the right file and profile?"
                        + (counts.rejects.entries.last(where: { $0.action == .rowRejected }).map {
                            " Last: \($0.message)"
                        } ?? ""))
            }
            total.merge(counts)
            files.append((input.name, counts))
        }
        return EventScanResult(total: total, files: files, embedded: population.embeddedEvents.count)
    }

    /// Scans one file's data (from byte `begin`, on physical line `line`) in parts on every core.
    private func scanInParts<S: EventSink & Sendable>(
        _ source: ByteSource, from begin: Int, line: Int, columns: EventColumns, into sink: inout S,
        makeSink: @Sendable () -> S, merge: (inout S, S) -> Void
    ) throws -> EventCounts {
        let length = max(0, source.size - begin)
        let count = max(1, min(maximumParts, length / max(1, minimumPartBytes)))
        // Part i guesses its start from offset `nominal[i]` and stops at the first row with an
        // NHS number at or after `nominal[i + 1]`.
        let nominal = (0...count).map { begin + length * $0 / count }
        let limits = (0..<count).map { $0 == count - 1 ? Int.max : nominal[$0 + 1] }
        let results = ChunkResults<(PartOutcome, S)>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { part in
            var partSink = makeSink()
            let outcome = scanPart(
                source, from: nominal[part], limit: limits[part], synchronise: part > 0, columns: columns,
                sink: &partSink)
            results.set(part, (outcome, partSink))
        }
        var parts = results.values().map(Optional.some)

        var counts = EventCounts(codes: codes.count)
        var expectedStart = begin
        var base = line
        for part in 0..<count {
            var (outcome, partSink) = parts[part]!
            parts[part] = nil  // each part's summaries go as soon as they are merged
            if outcome.start != expectedStart {
                // The guess was wrong (a quoted line break, a lone CR line end): scan again from
                // where the part before really ended.
                partSink = makeSink()
                outcome = scanPart(
                    source, from: expectedStart, limit: limits[part], synchronise: false, columns: columns, sink: &partSink)
            }
            if let failure = outcome.failure { throw relocate(failure, by: base) }
            outcome.counts.rejects.offsetLines(by: base)
            counts.merge(outcome.counts)
            merge(&sink, partSink)
            base += outcome.lines
            expectedStart = outcome.end
        }
        return counts
    }

    /// Scans the rows of one part of a file and what it found: from `from` (a row's start), or
    /// with `synchronise` from the first row with an NHS number at or after `from`, up to the
    /// first row with an NHS number at or after `limit`. Lines count from 0 at the part's start.
    private func scanPart<S: EventSink>(
        _ source: ByteSource, from: Int, limit: Int, synchronise: Bool, columns: EventColumns, sink: inout S
    ) -> PartOutcome {
        let records = RecordScanner(
            columns: columns, limits: limits, patients: extract.population.patientIndex, codes: codes,
            splitsCanonicalRowsDirectly: splitsCanonicalRowsDirectly)
        var outcome = PartOutcome(counts: EventCounts(codes: codes.count), end: from)
        var reader = BlockReader(source: source, from: synchronise ? from - 1 : from, limits: limits)
        var position = ScanPosition(line: 0)
        do {
            if synchronise {
                guard try reader.moveToFirstRowWithNHSNumber(records, limit: limit) else { return outcome }
            }
            outcome.start = reader.offset
            var events: [ScannedEvent] = []
            while true {
                try reader.fill(line: position.line)
                let isFinal = reader.atEnd
                let stopAt = limit == Int.max ? Int.max : limit - reader.offset
                let (consumed, stopped) = try reader.window { window in
                    try records.scanRecords(
                        window, isFinal: isFinal, stopAt: stopAt, position: &position, counts: &outcome.counts,
                        events: &events)
                }
                reader.consume(consumed)
                if !events.isEmpty {
                    sink.receive(events)
                    events.removeAll(keepingCapacity: true)
                }
                if stopped || (isFinal && reader.isEmpty) { break }
            }
            outcome.end = reader.offset
            outcome.lines = position.line
        } catch {
            outcome.failure = error
        }
        return outcome
    }

    /// An error found in a part, with its line made absolute.
    private func relocate(_ error: any Error, by base: Int) -> any Error {
        guard let error = error as? ExtractError, let line = error.line else { return error }
        return ExtractError(file: error.file, line: line + base, error.what, exitCode: error.exitCode)
    }

    /// Scans the whole records in `buffer`, calling `sink` for matched events and counting
    /// everything in `counts`.
    ///
    /// - Parameters:
    ///   - isFinal: whether `buffer` ends the input; if not, a last incomplete record is left
    ///     for the next call.
    ///   - position: the line of the buffer's first byte; advanced past what was consumed.
    /// - Returns: how many bytes were consumed (whole records).
    /// - Throws: `ExtractError` for an unterminated quote at the end, or too many fields.
    public func scanChunk<S: EventSink>(
        _ buffer: FieldBytes, columns: EventColumns, isFinal: Bool, position: inout ScanPosition,
        counts: inout EventCounts, sink: inout S
    ) throws -> Int {
        let records = RecordScanner(
            columns: columns, limits: limits, patients: extract.population.patientIndex, codes: codes,
            splitsCanonicalRowsDirectly: splitsCanonicalRowsDirectly)
        var events: [ScannedEvent] = []
        let (consumed, _) = try records.scanRecords(
            buffer, isFinal: isFinal, stopAt: Int.max, position: &position, counts: &counts, events: &events)
        if !events.isEmpty { sink.receive(events) }
        return consumed
    }
}

/// What scanning one part of a file found.
private struct PartOutcome: Sendable {
    var counts: EventCounts
    /// Where the part's first row starts, or `nil` when no row to start at was found.
    var start: Int?
    /// Where the row after the part's last starts (the next part's first row).
    var end: Int
    /// Physical lines from `start` to `end`.
    var lines = 0
    /// The error that stopped the scan (its line counted from the part's start), if any.
    var failure: (any Error)?

    init(counts: EventCounts, end: Int) {
        self.counts = counts
        self.end = end
    }
}

/// An extract file's bytes: a file read with `pread` (so the parts of one file can be read at
/// once from several threads) or bytes in memory.
struct ByteSource: Sendable {
    let name: String
    let size: Int
    private let fd: Int32
    private let bytes: [UInt8]?

    init(_ input: ExtractInput) throws {
        name = input.name
        if let bytes = input.bytes {
            self.bytes = bytes
            fd = -1
            size = bytes.count
            return
        }
        let path = input.name
        let opened = try FileIO.call("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
        do {
            size = Int(try FileIO.call("lseek", path: path) { lseek(opened, 0, SEEK_END) })
        } catch {
            close(opened)
            throw error
        }
        bytes = nil
        fd = opened
    }

    func closeFile() {
        if fd >= 0 { close(fd) }
    }

    /// Where the first line that starts at or after `offset` starts (just after a line feed at
    /// `offset - 1` or later), or `nil` when there is none before `limit`.
    func firstLineStart(atOrAfter offset: Int, before limit: Int) throws -> Int? {
        guard offset > 0 else { return 0 }
        var block = [UInt8](repeating: 0, count: 1 << 16)
        var at = offset - 1
        while at < limit {
            let count = try block.withUnsafeMutableBytes { try read(at: at, into: $0) }
            if count == 0 { return nil }
            if let found = block[0..<count].firstIndex(of: 0x0A) { return at + found + 1 }
            at += count
        }
        return nil
    }

    /// Copies bytes from `offset` into `buffer`; returns how many (0 at the end).
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let bytes {
            let count = min(buffer.count, max(0, bytes.count - offset))
            if count > 0 {
                bytes.withUnsafeBytes { all in
                    buffer.baseAddress!.copyMemory(from: all.baseAddress! + offset, byteCount: count)
                }
            }
            return count
        }
        return try FileIO.call("read", path: name) { pread(fd, buffer.baseAddress, buffer.count, off_t(offset)) }
    }
}

/// Reads part of a source in blocks: a window of unconsumed bytes that slides forward, refilled
/// to its capacity before each scan and grown only for a record longer than it.
private struct BlockReader {
    let source: ByteSource
    let limits: CSVLimits
    private var buffer = [UInt8](repeating: 0, count: 1 << 20)
    /// The source offset of the first unconsumed byte.
    private(set) var offset: Int
    private var filled = 0
    private(set) var atEnd = false

    init(source: ByteSource, from offset: Int, limits: CSVLimits) {
        self.source = source
        self.limits = limits
        self.offset = offset
    }

    var isEmpty: Bool { filled == 0 }

    /// Reads until the window is full or the source ends.
    /// - Throws: `ExtractError` for a NUL byte or a record longer than the limit; `FileIOError`.
    mutating func fill(line: Int) throws {
        guard !atEnd else { return }
        if filled == buffer.count {
            guard buffer.count < limits.maxRecordBytes else {
                throw ExtractError(
                    file: source.name, line: line,
                    "a row is longer than \(Formatting.grouped(limits.maxRecordBytes)) bytes; this does not look like a practice extract")
            }
            buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count))
        }
        while filled < buffer.count {
            let start = filled
            let count = try buffer.withUnsafeMutableBytes { raw in
                try source.read(at: offset + start, into: UnsafeMutableRawBufferPointer(rebasing: raw[start...]))
            }
            if count == 0 {
                atEnd = true
                return
            }
            let hasNul = buffer.withUnsafeBytes { memchr($0.baseAddress! + start, 0, count) != nil }
            if hasNul {
                throw ExtractError(file: source.name, line: line, "the file holds binary data (a NUL byte), not CSV text")
            }
            filled += count
        }
    }

    /// Calls `body` with the unconsumed bytes.
    func window<R>(_ body: (FieldBytes) throws -> R) rethrows -> R {
        try buffer.withUnsafeBufferPointer { try body(FieldBytes(rebasing: $0[0..<filled])) }
    }

    /// Drops `count` bytes from the front of the window.
    mutating func consume(_ count: Int) {
        guard count > 0 else { return }
        let rest = filled - count
        buffer.withUnsafeMutableBytes { raw in
            _ = memmove(raw.baseAddress!, raw.baseAddress! + count, rest)
        }
        filled = rest
        offset += count
    }

    /// Moves to the first row with an NHS number that starts on a new line at or after the
    /// offset after the current one (the reader starts one byte before a part's nominal start,
    /// to see whether that start is already a line start).
    /// - Returns: `false` when there is no such row before `limit`, or the bytes there do not
    ///   scan (the guess landed inside a quoted field): the part must then be scanned from where
    ///   the part before ends.
    mutating func moveToFirstRowWithNHSNumber(_ records: RecordScanner, limit: Int) throws -> Bool {
        // Up to and past the next line feed.
        while true {
            try fill(line: 0)
            let lineFeed = window { window -> Int? in
                guard let base = window.baseAddress, let found = memchr(base, 0x0A, window.count) else { return nil }
                return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
            }
            if let lineFeed {
                consume(lineFeed + 1)
                break
            }
            consume(filled)
            if atEnd || offset >= limit { return false }
        }
        // Past rows without an NHS number (continuation rows, blank lines).
        while true {
            try fill(line: 0)
            let isFinal = atEnd
            let stopAt = limit - offset
            switch window({ records.firstRowWithNHSNumber($0, isFinal: isFinal, stopAt: stopAt) }) {
            case .found(let start):
                consume(start)
                return true
            case .needMore(let consumed):
                consume(consumed)
                if isFinal { return false }
            case .notFound:
                return false
            }
        }
    }
}

/// A byte range of a buffer (no checks, unlike `Range`, in the innermost loop).
struct Span {
    var start = 0
    var end = 0
}

/// The fields an event scan uses of one record, and where the next record starts.
struct SplitRecord {
    var nhs = Span()
    var code = Span()
    var date = Span()
    var value = Span()
    var fields = 0
    /// Line ends inside and at the end of the record.
    var lines = 0
    var next = 0
    /// The physical line the record starts on.
    var line = 0
    /// The NHS number when written as ten plain digits, else ``RecordScanner/noNumber``.
    var number = RecordScanner.noNumber
    /// The patient index's first slot for `number`.
    var entry: UInt64 = 0
}

/// Splits and processes records: the byte loop of an event scan, free of generics so that it is
/// compiled for exactly this job.
struct RecordScanner {
    /// The file's name, for rejects and errors.
    let file: String
    // The columns the scan uses, copied out of `EventColumns` so that the byte loop touches
    // integers only (copying the struct would retain its file name every time).
    let nhsColumn: Int
    let codeColumn: Int
    let dateColumn: Int
    let valueColumn: Int
    let latest: Day
    let maxFields: Int
    let patients: PatientIndex
    let codes: CodeTable
    /// Whether the file is laid out `nhs_number,code,date,value` (the canonical events table),
    /// so that ``splitCanonical(_:at:)`` applies.
    let isCanonical: Bool

    init(
        columns: EventColumns, limits: CSVLimits, patients: PatientIndex, codes: CodeTable,
        splitsCanonicalRowsDirectly: Bool
    ) {
        file = columns.file
        nhsColumn = columns.nhs
        codeColumn = columns.code
        dateColumn = columns.date
        valueColumn = columns.value
        latest = columns.latest
        maxFields = limits.maxFields
        self.patients = patients
        self.codes = codes
        isCanonical =
            splitsCanonicalRowsDirectly && (nhsColumn, codeColumn, dateColumn, valueColumn) == (0, 1, 2, 3)
            && maxFields >= 4
    }

    enum Split {
        case record(SplitRecord)
        /// The record may continue past the buffer's end.
        case needMore
        case unterminatedQuote
        case tooManyFields
    }

    enum Search {
        case found(Int)
        /// Not in the bytes consumed so far (whole rows without an NHS number).
        case needMore(consumed: Int)
        case notFound
    }

    /// Splits the record that starts at `start` (not a blank line) into the fields the scan uses.
    @inline(__always)
    func split(_ buffer: FieldBytes, at start: Int, isFinal: Bool) -> Split {
        let end = buffer.count
        var pos = start
        var record = SplitRecord()
        while true {
            var fieldStart = pos
            var fieldEnd = pos
            if pos < end, buffer[pos] == 0x22 {
                // Quoted: up to the closing quote ("" is an escaped quote).
                pos += 1
                fieldStart = pos
                while true {
                    guard pos < end else { return isFinal ? .unterminatedQuote : .needMore }
                    let byte = buffer[pos]
                    if byte == 0x22 {
                        if pos + 1 < end, buffer[pos + 1] == 0x22 {
                            pos += 2
                            continue
                        }
                        if pos + 1 >= end && !isFinal { return .needMore }
                        fieldEnd = pos
                        pos += 1
                        break
                    }
                    if byte == 0x0A { record.lines += 1 }
                    pos += 1
                }
                while pos < end, buffer[pos] != 0x2C, buffer[pos] != 0x0A, buffer[pos] != 0x0D { pos += 1 }
            } else {
                while pos < end {
                    let byte = buffer[pos]
                    if byte == 0x2C || byte == 0x0A || byte == 0x0D { break }
                    pos += 1
                }
                fieldEnd = pos
            }
            let field = record.fields
            if field == nhsColumn { record.nhs = Span(start: fieldStart, end: fieldEnd) }
            if field == codeColumn { record.code = Span(start: fieldStart, end: fieldEnd) }
            if field == dateColumn { record.date = Span(start: fieldStart, end: fieldEnd) }
            if field == valueColumn { record.value = Span(start: fieldStart, end: fieldEnd) }
            record.fields += 1
            if record.fields > maxFields { return .tooManyFields }
            guard pos < end else {
                if !isFinal { return .needMore }
                record.next = pos
                return .record(record)
            }
            let byte = buffer[pos]
            if byte == 0x2C {
                pos += 1
                if pos == end, isFinal {
                    record.next = pos
                    return .record(record)
                }
                continue
            }
            // A line end: LF, CRLF or a lone CR.
            if byte == 0x0D {
                if pos + 1 < end {
                    if buffer[pos + 1] == 0x0A { pos += 1 }
                } else if !isFinal {
                    return .needMore
                }
            }
            record.next = pos + 1
            record.lines += 1
            return .record(record)
        }
    }

    /// The record at `start` when it has the usual shape of a canonical events row, split
    /// without the general search: ten digits and a comma, a code up to the next comma, an ISO
    /// date and a comma, then a value up to an LF or CRLF, with no quote anywhere. Gives exactly
    /// the fields ``split(_:at:isFinal:)`` would (and the NHS number already read), or `nil`
    /// for any other record.
    @inline(__always)
    func splitCanonical(_ buffer: FieldBytes, at start: Int) -> SplitRecord? {
        let end = buffer.count
        guard start + 24 <= end, buffer[start + 10] == 0x2C else { return nil }
        var number: UInt64 = 0
        for index in start..<(start + 10) {
            let digit = buffer[index] &- 0x30
            guard digit < 10 else { return nil }
            number = number &* 10 &+ UInt64(digit)
        }
        var pos = start + 11
        let codeStart = pos
        while pos < end {
            let byte = buffer[pos]
            if byte == 0x2C { break }
            if byte == 0x0A || byte == 0x0D || byte == 0x22 { return nil }
            pos += 1
        }
        let codeEnd = pos
        let dateStart = pos + 1
        guard dateStart + 11 <= end, buffer[dateStart + 4] == 0x2D, buffer[dateStart + 7] == 0x2D,
            buffer[dateStart + 10] == 0x2C
        else { return nil }
        for index in dateStart..<(dateStart + 10) where index != dateStart + 4 && index != dateStart + 7 {
            guard buffer[index] &- 0x30 < 10 else { return nil }
        }
        pos = dateStart + 11
        let valueStart = pos
        while pos < end {
            let byte = buffer[pos]
            if byte == 0x0A || byte == 0x0D { break }
            if byte == 0x2C || byte == 0x22 { return nil }
            pos += 1
        }
        guard pos < end else { return nil }
        var next = pos + 1
        if buffer[pos] == 0x0D {
            guard next < end, buffer[next] == 0x0A else { return nil }
            next += 1
        }
        var record = SplitRecord()
        record.nhs = Span(start: start, end: start + 10)
        record.code = Span(start: codeStart, end: codeEnd)
        record.date = Span(start: dateStart, end: dateStart + 10)
        record.value = Span(start: valueStart, end: pos)
        record.fields = 4
        record.lines = 1
        record.next = next
        record.number = number
        return record
    }

    /// Where the blank line at `pos` ends, or `nil` when `pos` is not a blank line; `needMore`
    /// when a CR ends the buffer (a CRLF may be cut in two).
    @inline(__always)
    func blankLineEnd(_ buffer: FieldBytes, at pos: Int, isFinal: Bool, needMore: inout Bool) -> Int? {
        let byte = buffer[pos]
        guard byte == 0x0A || byte == 0x0D else { return nil }
        if byte == 0x0D {
            if pos + 1 < buffer.count {
                if buffer[pos + 1] == 0x0A { return pos + 2 }
            } else if !isFinal {
                needMore = true
                return nil
            }
        }
        return pos + 1
    }

    /// Records are split, then looked up, then processed this many at a time.
    static let batchSize = 64
    static let noNumber = UInt64.max

    /// Scans the whole records in `buffer`, appending matched events to `events`.
    ///
    /// Records go in batches: split a batch, load the patient index's first slot for each NHS
    /// number (these loads overlap, where one lookup after another would wait for each), then
    /// process the batch in order.
    /// - Parameter stopAt: the scan stops before the first row with an NHS number that starts at
    ///   or after this offset (where the next part begins).
    /// - Returns: the bytes consumed, and whether the scan stopped at such a row.
    func scanRecords(
        _ buffer: FieldBytes, isFinal: Bool, stopAt: Int, position: inout ScanPosition, counts: inout EventCounts,
        events: inout [ScannedEvent]
    ) throws -> (consumed: Int, stopped: Bool) {
        try withUnsafeTemporaryAllocation(of: SplitRecord.self, capacity: RecordScanner.batchSize) { batch in
            var pos = 0
            var line = position.line
            while true {
                var count = 0
                var finish: (consumed: Int, stopped: Bool)?
                splitting: while count < RecordScanner.batchSize {
                    guard pos < buffer.count else {
                        finish = (pos, false)
                        break
                    }
                    var needMore = false
                    if let next = blankLineEnd(buffer, at: pos, isFinal: isFinal, needMore: &needMore) {
                        pos = next
                        line += 1
                        continue
                    }
                    if needMore {
                        finish = (pos, false)
                        break
                    }
                    if isCanonical, var record = splitCanonical(buffer, at: pos) {
                        if pos >= stopAt {
                            finish = (pos, true)
                            break splitting
                        }
                        record.line = line
                        line += 1
                        pos = record.next
                        batch.initializeElement(at: count, to: record)
                        count += 1
                        continue
                    }
                    switch split(buffer, at: pos, isFinal: isFinal) {
                    case .needMore:
                        finish = (pos, false)
                        break splitting
                    case .unterminatedQuote:
                        throw ExtractError(
                            file: file, line: line, "a quoted field that starts here is never closed (a missing '\"')")
                    case .tooManyFields:
                        throw ExtractError(
                            file: file, line: line,
                            "a row has more than \(Formatting.grouped(maxFields)) columns; this does not look like a practice extract")
                    case .record(var record):
                        let nhs = FieldBytes(rebasing: buffer[record.nhs.start..<record.nhs.end])
                        if pos >= stopAt, !MissingValue.isMissing(nhs) {
                            finish = (pos, true)
                            break splitting
                        }
                        record.line = line
                        record.number = RecordScanner.plainNHSNumber(nhs) ?? RecordScanner.noNumber
                        line += record.lines
                        pos = record.next
                        batch.initializeElement(at: count, to: record)
                        count += 1
                    }
                }
                for index in 0..<count where batch[index].number != RecordScanner.noNumber {
                    batch[index].entry = patients.firstEntry(for: batch[index].number)
                }
                for index in 0..<count {
                    process(buffer, batch[index], position: &position, counts: &counts, events: &events)
                }
                position.line = line
                if let finish { return finish }
            }
        }
    }

    /// The start of the first row in `buffer` whose NHS number cell is not empty, skipping blank
    /// lines and other rows, looking no further than rows starting before `stopAt`.
    func firstRowWithNHSNumber(_ buffer: FieldBytes, isFinal: Bool, stopAt: Int) -> Search {
        var pos = 0
        while pos < buffer.count {
            if pos >= stopAt { return .notFound }
            var needMore = false
            if let next = blankLineEnd(buffer, at: pos, isFinal: isFinal, needMore: &needMore) {
                pos = next
                continue
            }
            if needMore { return .needMore(consumed: pos) }
            switch split(buffer, at: pos, isFinal: isFinal) {
            case .needMore: return .needMore(consumed: pos)
            case .unterminatedQuote, .tooManyFields: return .notFound
            case .record(let record):
                if !MissingValue.isMissing(FieldBytes(rebasing: buffer[record.nhs.start..<record.nhs.end])) {
                    return .found(pos)
                }
                pos = record.next
            }
        }
        return isFinal ? .notFound : .needMore(consumed: pos)
    }

    /// Counts, checks and (when its patient is known and its code in the table) keeps one record.
    @inline(__always)
    private func process(
        _ buffer: FieldBytes, _ record: SplitRecord, position: inout ScanPosition, counts: inout EventCounts,
        events: inout [ScannedEvent]
    ) {
        let line = record.line
        @inline(__always) func bytes(_ span: Span) -> FieldBytes { FieldBytes(rebasing: buffer[span.start..<span.end]) }
        let nhsBytes = bytes(record.nhs)
        let codeBytes = bytes(record.code)
        let dateBytes = bytes(record.date)
        let codeMissing = MissingValue.isMissing(codeBytes)
        func reject(_ column: String, _ bytes: FieldBytes, _ problem: Problem, _ action: Reject.Action = .rowRejected) {
            counts.rejects.append(
                Reject(
                    file: file, line: line, column: column, value: CSVReader.decode(bytes).trimmed,
                    problem: problem, action: action))
            if action == .rowRejected { counts.rowsRejected += 1 }
        }
        var patient: Int32?
        if record.number != RecordScanner.noNumber,
            let found = patients.index(of: record.number, firstEntry: record.entry)
        {
            // The usual row: ten plain digits of a registered patient. Only valid numbers are in
            // the population, so the check digit needs no test.
            counts.rows += 1
            patient = found
            position.previous = .patient(found)
        } else {
            if MissingValue.isMissing(nhsBytes) && codeMissing && MissingValue.isMissing(dateBytes) {
                return  // a row of empty cells, like a blank line
            }
            counts.rows += 1
            switch NHSNumber.parse(nhsBytes) {
            case .success(let number):
                patient = patients.index(of: number.value)
                position.previous = patient.map { .patient($0) } ?? .unknown
            case .failure(.missing):
                // An EMIS continuation row: the patient of the row above.
                switch position.previous {
                case .patient(let previous): patient = previous
                case .unknown: patient = nil
                case .none, .rejected:
                    reject("nhs_number", nhsBytes, codeMissing ? .missing : .orphanContinuation)
                    return
                }
            case .failure(let problem):
                position.previous = .rejected
                reject("nhs_number", nhsBytes, problem)
                return
            }
        }
        if codeMissing {
            reject("code", codeBytes, .noCode)
            return
        }
        let day: Day
        switch DateValue.parse(dateBytes, latest: latest) {
        case .success(let parsed): day = parsed
        case .failure(let problem):
            reject("date", dateBytes, problem)
            return
        }
        var number: Double?
        if valueColumn >= 0, valueColumn < record.fields {
            let valueBytes = bytes(record.value)
            switch NumberValue.parse(valueBytes) {
            case .success(let parsed): number = parsed
            case .failure(.missing): break
            case .failure(let problem): reject("value", valueBytes, problem, .valueIgnored)
            }
        }
        counts.events += 1
        guard let patient else {
            counts.unknownPatients += 1
            return
        }
        let trimmed = Bytes.trimmed(codeBytes)
        guard let id = codes.id(of: FieldBytes(rebasing: codeBytes[trimmed])) else { return }
        counts.matched[Int(id)] += 1
        events.append(ScannedEvent(patient: patient, code: id, day: day, value: number))
    }

    /// The number in a cell of exactly ten digits (no spaces, dashes or padding), else `nil`.
    @inline(__always)
    static func plainNHSNumber(_ bytes: FieldBytes) -> UInt64? {
        guard bytes.count == 10 else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            let digit = byte &- 0x30
            guard digit < 10 else { return nil }
            value = value &* 10 &+ UInt64(digit)
        }
        return value
    }
}

/// A sink that only counts (what `inspect` needs).
public struct CountingSink: EventSink, Sendable {
    public private(set) var received = 0

    public init() {}

    public mutating func receive(patient: Int32, code: Int32, day: Day, value: Double?) {
        received += 1
    }

    public mutating func receive(_ events: [ScannedEvent]) {
        received += events.count
    }

    /// Adds the count of another part of the events.
    public mutating func merge(_ other: CountingSink) {
        received += other.received
    }
}
