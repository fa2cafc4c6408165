import Dispatch
import Basics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Streams events: embedded events first, then each events file once, calling a sink for each
/// event whose code is in the code table. Files are read in bounded blocks: memory does not grow
/// with events.
///
/// ``scan(into:makeSink:merge:)`` cuts large files into parts scanned on every core. A part
/// starts at the first row with an NHS number at or after its nominal offset (so an EMIS
/// continuation row never starts a part), and the part before it runs up to exactly that row.
/// Where a part starts cannot be known for sure without reading from the top (a quoted field may
/// hold line breaks), so each part guesses, and the guess is checked against where the part before
/// really ended; when a part guessed wrong, the file is scanned again from the top in one piece.
/// Counts and rejects come out the same, in the same order, as a scan from top to bottom; events
/// reach the sinks in another order (each core keeps a sink of its own), which a merge of sinks
/// must not depend on.
public struct EventScanner: Sendable {
    public let extract: Extract
    public let codes: CodeTable
    /// Fields and records beyond these limits make the file an error, never a huge allocation.
    public let limits: CSVLimits
    /// Parts are at least this long; a smaller file is scanned in one piece.
    var minimumPartBytes = 4 << 20
    /// The most cores one file is scanned on.
    var maximumParts = Processors.active
    /// How many parts of a large file each of those cores takes, in turn, as it finishes the last:
    /// enough that a core slowed by other work leaves little of the file to the end, few enough
    /// that a wrong guess at a part's start (which scans the whole file again on one core) stays
    /// rare where quoted line breaks are.
    var partsPerCore = 8
    /// Whether canonical rows are split by their usual shape (see ``RecordScanner/splitCanonical(_:at:into:)``).
    var splitsCanonicalRowsDirectly = true

    public init(extract: Extract, codes: CodeTable, limits: CSVLimits = .default) {
        self.extract = extract
        self.codes = codes
        self.limits = limits
    }

    /// Scans every event once, in file order, on the calling thread.
    /// - Throws: `ExtractError` for a file with too many rejected rows or that is not CSV; `FileIOError`.
    public func scan<S: EventSink>(into sink: inout S) throws -> EventScanResult {
        var buffers = ScanBuffers()
        return try scanFiles(into: &sink) { source, begin, columns, line, sink in
            let outcome = scanPart(
                source, from: begin, limit: Int.max, synchronise: false, columns: columns, sink: &sink,
                buffers: &buffers)
            if let failure = outcome.failure { throw relocate(failure, by: line) }
            var counts = outcome.counts
            counts.rejects.offsetLines(by: line)
            return counts
        }
    }

    /// Scans every event once, cutting large events files into parts scanned on every core.
    ///
    /// Embedded events go to `sink`; each core fills a sink of its own from `makeSink`, and `merge`
    /// folds those into `sink`, in no set order. Counts and rejects are the same, in the same
    /// order, as ``scan(into:)``'s.
    /// - Throws: as ``scan(into:)``.
    public func scan<S: EventSink & Sendable>(
        into sink: inout S, makeSink: @Sendable () -> S, merge: (inout S, S) -> Void
    ) throws -> EventScanResult {
        if extract.eventInputs.count > 1, maximumParts > 1 {
            return try scanWholeFilesOnEveryCore(into: &sink, makeSink: makeSink, merge: merge)
        }
        return try scanFiles(into: &sink) { source, begin, columns, line, sink in
            try scanInParts(
                source, from: begin, line: line, columns: columns, into: &sink, makeSink: makeSink, merge: merge)
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
            var buffers = ScanBuffers()
            while let index = queue.take() {
                let (input, layout) = inputs[index]
                let latest =
                    layout.runDate ?? input.extractDate ?? population.extractDate ?? today
                    ?? Day(year: 2099, month: 12, day: 31)!
                var outcome: PartOutcome
                do {
                    let source = try ByteSource(input)
                    defer { source.closeFile() }
                    outcome = scanPart(
                        source, from: layout.dataOffset, limit: Int.max, synchronise: false,
                        columns: EventColumns(layout: layout, latest: latest), sink: &local, buffers: &buffers)
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
            let latest =
                layout.runDate ?? input.extractDate ?? population.extractDate ?? extract.options.today
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
                        + "\(Formatting.number(extract.options.maxRejectRate * 100))%: "
                        + "is this the right file and profile?"
                        + (counts.rejects.entries.last(where: { $0.action == .rowRejected }).map {
                            " Last: \($0.message)"
                        } ?? ""))
            }
            total.merge(counts)
            files.append((input.name, counts))
        }
        return EventScanResult(total: total, files: files, embedded: population.embeddedEvents.count)
    }

    /// Scans one file's data (from byte `begin`, on physical line `line`) in parts taken in turn by
    /// every core, each into one sink of its own: many more parts than cores, so a core that runs
    /// slower (a busy machine, a shared virtual CPU) takes fewer of them and no core is left
    /// scanning a large last part alone, yet only as many sinks as cores to make and merge.
    private func scanInParts<S: EventSink & Sendable>(
        _ source: ByteSource, from begin: Int, line: Int, columns: EventColumns, into sink: inout S,
        makeSink: @Sendable () -> S, merge: (inout S, S) -> Void
    ) throws -> EventCounts {
        let length = max(0, source.size - begin)
        let largest = max(1, length / max(1, minimumPartBytes))
        let workers = max(1, min(maximumParts, largest))
        let equal = workers == 1 ? 1 : max(1, min(workers * partsPerCore, largest))
        // Part i guesses its start from offset `nominal[i]` and stops at the first row with an
        // NHS number at or after `nominal[i + 1]`.
        let nominal = EventScanner.partStarts(
            from: begin, length: length, equalParts: equal, cores: workers, smallestPart: max(1, minimumPartBytes / 8))
        let count = nominal.count - 1
        let limits = (0..<count).map { $0 == count - 1 ? Int.max : nominal[$0 + 1] }
        let queue = WorkQueue(count: count)
        let outcomes = ChunkResults<PartOutcome>(count: count)
        let sinks = ChunkResults<S>(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var local = makeSink()
            var buffers = ScanBuffers()
            while let part = queue.take() {
                outcomes.set(
                    part,
                    scanPart(
                        source, from: nominal[part], limit: limits[part], synchronise: part > 0, columns: columns,
                        sink: &local, buffers: &buffers))
            }
            sinks.set(worker, local)
        }
        var counts = EventCounts(codes: codes.count)
        var expectedStart = begin
        var base = line
        for part in 0..<count {
            var outcome = outcomes.take(part)!
            guard outcome.start == expectedStart else {
                // A guess was wrong (a quoted line break, a lone CR line end), and its rows are in a
                // core's sink with others': those go, and the file is scanned again from the top,
                // in one piece.
                for worker in 0..<workers { _ = sinks.take(worker) }
                return try scanWhole(
                    source, from: begin, line: line, columns: columns, into: &sink, makeSink: makeSink, merge: merge)
            }
            if let failure = outcome.failure { throw relocate(failure, by: base) }
            outcome.counts.rejects.offsetLines(by: base)
            counts.merge(outcome.counts)
            base += outcome.lines
            expectedStart = outcome.end
        }
        for worker in 0..<workers {
            if let part = sinks.take(worker) { merge(&sink, part) }
        }
        return counts
    }

    /// Where each part of `length` bytes from `begin` starts, and (last) where the bytes end: the
    /// bytes cut into `equalParts` equal parts, then the last `cores` of those each cut in four,
    /// so that the cores finish close together (with equal parts, the core that took the last one
    /// scanned it alone while the others waited: on 50,000 patients' events, a tenth of the scan).
    /// The last parts are cut only when there are more equal parts than cores and each piece
    /// would still be `smallestPart` bytes or more. The offsets rise strictly when `length` is at
    /// least `equalParts` (as ``scanInParts`` makes it).
    static func partStarts(from begin: Int, length: Int, equalParts: Int, cores: Int, smallestPart: Int) -> [Int] {
        let tail = equalParts > cores && length / (4 * equalParts) >= smallestPart ? cores : 0
        let weights = Array(repeating: 4, count: equalParts - tail) + Array(repeating: 1, count: 4 * tail)
        var sum = 0
        return [begin]
            + weights.map { weight in
                sum += weight
                return begin + length * sum / (4 * equalParts)
            }
    }

    /// Scans one file's data (from byte `begin`, on physical line `line`) in one piece, into a sink
    /// of its own merged into `sink`.
    private func scanWhole<S: EventSink>(
        _ source: ByteSource, from begin: Int, line: Int, columns: EventColumns, into sink: inout S,
        makeSink: () -> S, merge: (inout S, S) -> Void
    ) throws -> EventCounts {
        var whole = makeSink()
        var buffers = ScanBuffers()
        var outcome = scanPart(
            source, from: begin, limit: Int.max, synchronise: false, columns: columns, sink: &whole, buffers: &buffers)
        if let failure = outcome.failure { throw relocate(failure, by: line) }
        outcome.counts.rejects.offsetLines(by: line)
        merge(&sink, whole)
        return outcome.counts
    }

    /// Scans the rows of one part of a file and what it found: from `from` (a row's start), or
    /// with `synchronise` from the first row with an NHS number at or after `from`, up to the
    /// first row with an NHS number at or after `limit`. Lines count from 0 at the part's start.
    /// `buffers` are the core's, used and given back.
    private func scanPart<S: EventSink>(
        _ source: ByteSource, from: Int, limit: Int, synchronise: Bool, columns: EventColumns, sink: inout S,
        buffers: inout ScanBuffers
    ) -> PartOutcome {
        let records = RecordScanner(
            columns: columns, limits: limits, patients: extract.population.patientIndex, codes: codes,
            splitsCanonicalRowsDirectly: splitsCanonicalRowsDirectly)
        var outcome = PartOutcome(counts: EventCounts(codes: codes.count), end: from)
        var reader = BlockReader(
            source: source, from: synchronise ? from - 1 : from, limits: limits, window: &buffers.window)
        var events: [ScannedEvent] = []
        swap(&events, &buffers.events)
        defer {
            reader.giveBack(&buffers.window)
            events.removeAll(keepingCapacity: true)
            swap(&events, &buffers.events)
        }
        var position = ScanPosition(line: 0)
        do {
            if synchronise {
                guard try reader.moveToFirstRowWithNHSNumber(records, limit: limit) else { return outcome }
            }
            outcome.start = reader.offset
            var stalled = false
            while true {
                try reader.fill(line: position.line, makingRoom: stalled)
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
                stalled = consumed == 0
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
