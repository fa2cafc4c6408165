import Dispatch
import Basics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads part of a source in blocks: a window of unconsumed bytes that slides forward, refilled
/// to its capacity before each scan and grown only for a record longer than it.
struct BlockReader {
    let source: ByteSource
    let limits: CSVLimits
    private var buffer: [UInt8] = []
    /// The source offset of the first unconsumed byte.
    private(set) var offset: Int
    private var filled = 0
    private(set) var atEnd = false

    /// The window a reader starts with: a window grows only for a row longer than it.
    static let windowBytes = 1 << 20

    /// A reader from `offset` whose window is `window`, taken over (left empty), or a new one
    /// when `window` is empty: give it back with ``giveBack(_:)``. Only the bytes this reader
    /// reads into it are ever scanned.
    init(source: ByteSource, from offset: Int, limits: CSVLimits, window: inout [UInt8]) {
        self.source = source
        self.limits = limits
        self.offset = offset
        swap(&buffer, &window)
        if buffer.isEmpty { buffer = [UInt8](repeating: 0, count: BlockReader.windowBytes) }
    }

    /// Hands the window back to `window`, for the next reader, unless a long row made it larger:
    /// a reader fills its whole window before each scan, so a grown one would read far past a
    /// small part's end. This reader is then empty.
    mutating func giveBack(_ window: inout [UInt8]) {
        if buffer.count == BlockReader.windowBytes { swap(&buffer, &window) }
        buffer = []
        filled = 0
    }

    var isEmpty: Bool { filled == 0 }

    /// Reads until the window is full or the source ends. A full window is made larger only when
    /// `makingRoom` says its last scan found no whole record in it (a record longer than the
    /// window); a full window not yet scanned (a part's first, once its start is found) is left as
    /// it is.
    /// - Throws: `ExtractError` for a NUL byte or a record longer than the limit; `FileIOError`.
    mutating func fill(line: Int, makingRoom: Bool = false) throws {
        guard !atEnd else { return }
        if filled == buffer.count {
            guard makingRoom else { return }
            guard buffer.count < limits.maxRecordBytes else {
                throw ExtractError(
                    file: source.name, line: line,
                    "a row is longer than \(Formatting.grouped(limits.maxRecordBytes)) bytes; "
                        + "this does not look like a practice extract")
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
                throw ExtractError(
                    file: source.name, line: line, "the file holds binary data (a NUL byte), not CSV text")
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
        var stalled = false
        while true {
            try fill(line: 0, makingRoom: stalled)
            let isFinal = atEnd
            let stopAt = limit - offset
            switch window({ records.firstRowWithNHSNumber($0, isFinal: isFinal, stopAt: stopAt) }) {
            case .found(let start):
                consume(start)
                return true
            case .needMore(let consumed):
                consume(consumed)
                if isFinal { return false }
                stalled = consumed == 0
            case .notFound:
                return false
            }
        }
    }
}
