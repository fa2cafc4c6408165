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
            guard byte.isDigit else { return nil }
            value = value * 10 + UInt64(byte - 0x30)
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

/// Receives the events an ``EventScanner`` finds whose code is in the scan's ``CodeTable``.
///
/// A scan over several chunks on several cores gives each chunk its own sink and merges them
/// afterwards, so a sink needs no locking.
public protocol EventSink {
    /// One event: the patient's index in the population, the code's id in the code table, the
    /// day, and the value when the row had one.
    mutating func receive(patient: Int32, code: Int32, day: Day, value: Double?)
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

/// Streams events: embedded events first, then each events file once, byte by byte, calling a
/// sink for each event whose code is in the code table. Memory does not grow with events.
///
/// The core, ``scanChunk(_:columns:isFinal:position:counts:sink:)``, works on a buffer of whole
/// records, so a file can later be cut into line-aligned chunks (at rows that have an NHS number)
/// and the chunks scanned on several cores with their own sinks and counts, merged afterwards.
public struct EventScanner: Sendable {
    public let extract: Extract
    public let codes: CodeTable
    /// Fields and records beyond these limits make the file an error, never a huge allocation.
    public let limits: CSVLimits

    public init(extract: Extract, codes: CodeTable, limits: CSVLimits = .default) {
        self.extract = extract
        self.codes = codes
        self.limits = limits
    }

    /// Scans every event once.
    /// - Throws: `ExtractError` for a file with too many rejected rows or that is not CSV; `FileIOError`.
    public func scan<S: EventSink>(into sink: inout S) throws -> EventScanResult {
        var total = EventCounts(codes: codes.count)
        let population = extract.population
        for event in population.embeddedEvents {
            total.events += 1
            guard let id = codes.id(of: event.code) else { continue }
            total.matched[Int(id)] += 1
            sink.receive(patient: event.patient, code: id, day: event.day, value: event.value)
        }
        var files: [(String, EventCounts)] = []
        for (input, layout) in extract.eventInputs {
            var counts = EventCounts(codes: codes.count)
            let latest = layout.runDate ?? population.extractDate ?? extract.options.today
                ?? Day(year: 2099, month: 12, day: 31)!
            try scanFile(input, columns: EventColumns(layout: layout, latest: latest), layout: layout,
                counts: &counts, sink: &sink)
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

    /// Scans one events file from its first data row, reading it in chunks.
    private func scanFile<S: EventSink>(
        _ input: ExtractInput, columns: EventColumns, layout: FileLayout, counts: inout EventCounts, sink: inout S
    ) throws {
        var position = ScanPosition(line: layout.dataLine)
        if let bytes = input.bytes {
            guard layout.dataOffset < bytes.count else { return }
            try bytes.withUnsafeBufferPointer { buffer in
                let rest = UnsafeBufferPointer(rebasing: buffer[layout.dataOffset...])
                _ = try scanChunk(rest, columns: columns, isFinal: true, position: &position, counts: &counts, sink: &sink)
            }
            return
        }
        let path = input.name
        let fd = try FileIO.call("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        try FileIO.call("lseek", path: path) { lseek(fd, off_t(layout.dataOffset), SEEK_SET) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var filled = 0
        var atEnd = false
        while !atEnd || filled > 0 {
            if !atEnd {
                if filled == buffer.count {
                    guard buffer.count < limits.maxRecordBytes else {
                        throw ExtractError(
                            file: path, line: position.line,
                            "a row is longer than \(Formatting.grouped(limits.maxRecordBytes)) bytes; this does not look like a practice extract")
                    }
                    buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count))
                }
                let count = try FileIO.call("read", path: path) {
                    buffer.withUnsafeMutableBytes { raw in read(fd, raw.baseAddress! + filled, raw.count - filled) }
                }
                if count == 0 {
                    atEnd = true
                } else {
                    let hasNul = buffer.withUnsafeBytes { memchr($0.baseAddress! + filled, 0, count) != nil }
                    if hasNul {
                        throw ExtractError(file: path, line: position.line, "the file holds binary data (a NUL byte), not CSV text")
                    }
                    filled += count
                    if filled < buffer.count { continue }  // fill the buffer before scanning
                }
            }
            let consumed = try buffer.withUnsafeBufferPointer { all in
                try scanChunk(
                    UnsafeBufferPointer(rebasing: all[0..<filled]), columns: columns, isFinal: atEnd,
                    position: &position, counts: &counts, sink: &sink)
            }
            if consumed > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    _ = memmove(raw.baseAddress!, raw.baseAddress! + consumed, filled - consumed)
                }
                filled -= consumed
            }
            if atEnd { break }
        }
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
        let end = buffer.count
        var pos = 0
        var consumed = 0
        let index = extract.population.patientIndex
        while pos < end {
            // Blank lines.
            let byte = buffer[pos]
            if byte == 0x0A || byte == 0x0D {
                if byte == 0x0D {
                    if pos + 1 < end {
                        if buffer[pos + 1] == 0x0A { pos += 1 }
                    } else if !isFinal {
                        return consumed
                    }
                }
                pos += 1
                position.line += 1
                consumed = pos
                continue
            }
            let recordLine = position.line
            var lines = 0
            var field = 0
            var nhs = 0..<0, code = 0..<0, date = 0..<0, value = 0..<0
            var complete = false
            var unterminated = false
            fieldLoop: while true {
                var start = pos
                var stop = pos
                if pos < end, buffer[pos] == 0x22 {
                    // Quoted: up to the closing quote ("" is an escaped quote).
                    pos += 1
                    start = pos
                    while true {
                        guard pos < end else {
                            unterminated = true
                            break fieldLoop
                        }
                        let b = buffer[pos]
                        if b == 0x22 {
                            if pos + 1 < end, buffer[pos + 1] == 0x22 {
                                pos += 2
                                continue
                            }
                            if pos + 1 >= end && !isFinal {
                                unterminated = true
                                break fieldLoop
                            }
                            stop = pos
                            pos += 1
                            break
                        }
                        if b == 0x0A { lines += 1 }
                        pos += 1
                    }
                    while pos < end, buffer[pos] != 0x2C, buffer[pos] != 0x0A, buffer[pos] != 0x0D { pos += 1 }
                } else {
                    while pos < end {
                        let b = buffer[pos]
                        if b == 0x2C || b == 0x0A || b == 0x0D { break }
                        pos += 1
                    }
                    stop = pos
                }
                if field == columns.nhs { nhs = start..<stop }
                if field == columns.code { code = start..<stop }
                if field == columns.date { date = start..<stop }
                if field == columns.value { value = start..<stop }
                field += 1
                if field > limits.maxFields {
                    throw ExtractError(
                        file: columns.file, line: recordLine,
                        "a row has more than \(Formatting.grouped(limits.maxFields)) columns; this does not look like a practice extract")
                }
                guard pos < end else {
                    if !isFinal { break fieldLoop }
                    complete = true
                    break fieldLoop
                }
                let b = buffer[pos]
                if b == 0x2C {
                    pos += 1
                    if pos == end, isFinal {
                        complete = true
                        break fieldLoop
                    }
                    continue
                }
                // Line end.
                if b == 0x0D {
                    if pos + 1 < end {
                        if buffer[pos + 1] == 0x0A { pos += 1 }
                    } else if !isFinal {
                        break fieldLoop
                    }
                }
                pos += 1
                lines += 1
                complete = true
                break fieldLoop
            }
            if !complete {
                if unterminated && isFinal {
                    throw ExtractError(
                        file: columns.file, line: recordLine, "a quoted field that starts here is never closed (a missing '\"')")
                }
                return consumed
            }
            position.line += lines
            consumed = pos
            process(
                buffer, nhs: nhs, code: code, date: date, value: value, fields: field, line: recordLine,
                columns: columns, index: index, position: &position, counts: &counts, sink: &sink)
        }
        return consumed
    }

    @inline(__always)
    private func process<S: EventSink>(
        _ buffer: FieldBytes, nhs: Range<Int>, code: Range<Int>, date: Range<Int>, value: Range<Int>, fields: Int,
        line: Int, columns: EventColumns, index: PatientIndex, position: inout ScanPosition, counts: inout EventCounts,
        sink: inout S
    ) {
        let nhsBytes = FieldBytes(rebasing: buffer[nhs])
        let codeBytes = FieldBytes(rebasing: buffer[code])
        let dateBytes = FieldBytes(rebasing: buffer[date])
        let codeMissing = MissingValue.isMissing(codeBytes)
        if MissingValue.isMissing(nhsBytes) && codeMissing && MissingValue.isMissing(dateBytes) {
            return  // a row of empty cells, like a blank line
        }
        counts.rows += 1
        func reject(_ column: String, _ bytes: FieldBytes, _ problem: Problem, _ action: Reject.Action = .rowRejected) {
            counts.rejects.append(
                Reject(
                    file: columns.file, line: line, column: column, value: CSVReader.decode(bytes).trimmed,
                    problem: problem, action: action))
            if action == .rowRejected { counts.rowsRejected += 1 }
        }
        var patient: Int32?
        switch NHSNumber.parse(nhsBytes) {
        case .success(let number):
            patient = index.index(of: number.value)
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
        if codeMissing {
            reject("code", codeBytes, .noCode)
            return
        }
        let day: Day
        switch DateValue.parse(dateBytes, latest: columns.latest) {
        case .success(let parsed): day = parsed
        case .failure(let problem):
            reject("date", dateBytes, problem)
            return
        }
        var number: Double?
        if columns.value >= 0, columns.value < fields {
            let valueBytes = FieldBytes(rebasing: buffer[value])
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
        sink.receive(patient: patient, code: id, day: day, value: number)
    }
}

/// A sink that only counts (what `inspect` needs).
public struct CountingSink: EventSink {
    public private(set) var received = 0

    public init() {}

    public mutating func receive(patient: Int32, code: Int32, day: Day, value: Double?) {
        received += 1
    }
}
