#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bounds that keep a pathological file from exhausting memory: a 1 GB line or a million
/// columns is refused with a clear message, never read.
public struct CSVLimits: Sendable, Equatable {
    /// The longest field, in bytes.
    public var maxFieldBytes: Int
    /// The longest record, in bytes (a record may span several physical lines when quoted).
    public var maxRecordBytes: Int
    /// The most fields in one record.
    public var maxFields: Int

    public init(maxFieldBytes: Int = 1 << 20, maxRecordBytes: Int = 8 << 20, maxFields: Int = 4096) {
        self.maxFieldBytes = maxFieldBytes
        self.maxRecordBytes = maxRecordBytes
        self.maxFields = maxFields
    }

    public static let `default` = CSVLimits()
}

/// A file that cannot be read as CSV at all, naming the file and the line.
public struct CSVError: UserFacingError, Equatable {
    /// What kind of problem it is.
    public enum Kind: Sendable, Equatable {
        case fieldTooLong, recordTooLong, tooManyFields, unterminatedQuote, binaryData
        /// A spreadsheet workbook (`.xlsx`, `.ods`, `.xls`) rather than a CSV file saved from one.
        case workbook
    }

    public let kind: Kind
    public let file: String
    public let line: Int
    public let limits: CSVLimits

    public var message: String {
        let what: String
        switch kind {
        case .fieldTooLong:
            what =
                "a field is longer than \(Formatting.grouped(limits.maxFieldBytes)) bytes; this does not look like a practice extract"
        case .recordTooLong:
            what =
                "a row is longer than \(Formatting.grouped(limits.maxRecordBytes)) bytes; this does not look like a practice extract"
        case .tooManyFields:
            what =
                "a row has more than \(Formatting.grouped(limits.maxFields)) columns; this does not look like a practice extract"
        case .unterminatedQuote:
            what = "a quoted field that starts here is never closed (a missing '\"')"
        case .binaryData:
            what = "the file holds binary data (a NUL byte), not CSV text"
        case .workbook:
            what =
                "this is a spreadsheet workbook (.xlsx, .ods or .xls), not CSV: open it and save it as "
                + "CSV (comma separated), then give that file"
        }
        return "\(file):\(line): \(what)"
    }

    public var exitCode: ExitCode { .dataError }

    /// The same error `lines` lines further down (found in a part of a file read with lines
    /// counted from the part's start).
    public func movedDown(by lines: Int) -> CSVError {
        CSVError(kind: kind, file: file, line: line + lines, limits: limits)
    }
}

/// The fields of one record as byte views (see ``CSVReader/withRecord(_:)``).
public struct CSVRecord {
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline let ends: UnsafeBufferPointer<Int>
    /// Bytes between one field's end and the next one's start: 1 when `bytes` is the record as
    /// written (a separator between fields), 0 when they are the fields' bytes copied end to end.
    @usableFromInline let gap: Int

    @inlinable
    init(bytes: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int>, gap: Int) {
        self.bytes = bytes
        self.ends = ends
        self.gap = gap
    }

    /// The number of fields.
    @inlinable public var count: Int { ends.count }

    /// Field `index`'s bytes, empty when the record has fewer fields.
    @inlinable
    public subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        guard index < ends.count else { return UnsafeBufferPointer(rebasing: bytes[0..<0]) }
        let start = index == 0 ? 0 : ends[index - 1] + gap
        return UnsafeBufferPointer(rebasing: bytes[start..<ends[index]])
    }
}

/// A streaming RFC 4180 CSV reader over bytes.
///
/// It reads a file in fixed-size chunks (a file smaller than a chunk in one piece, never a large
/// file whole) and hands out each record's fields
/// as byte views: where they are in the chunk when the record has no quote and ends in it (most
/// records), else copied into one reusable buffer. Callers make `String`s only for the fields
/// they need. It accepts what real clinical-system exports contain: a UTF-8 byte-order
/// mark, CRLF, LF or CR line ends, a last line without a line end, quoted fields with commas,
/// `""` and line breaks, spaces before an opening quote, and blank lines (skipped). It keeps the
/// physical line number on which each record starts, for messages.
///
/// Not thread-safe: one reader belongs to one thread.
public final class CSVReader {
    /// The name used in messages (usually the file's path).
    public let name: String
    /// The physical line (1-based) on which the current record starts.
    public private(set) var line = 0
    /// The number of fields in the current record.
    public var fieldCount: Int { fieldEnds.count }
    /// Whether the input began with a UTF-8 byte-order mark.
    public private(set) var hadByteOrderMark = false
    /// The byte offset in the input of the first byte not yet consumed: after ``next()``, where
    /// the following record (or blank line) starts. Lets a caller hand the rest of a file, past
    /// its header, to a faster special-purpose scanner.
    public var offset: Int { consumedBefore + position }
    /// The physical line (1-based) on which the next unread byte lies.
    public var nextLineNumber: Int { nextLine }
    /// The byte offset in the input where the current record starts (after any blank lines).
    public private(set) var recordOffset = 0

    private let limits: CSVLimits
    /// The byte between fields: `,`, or `;` for a file saved by a spreadsheet set up that way.
    private let separator: UInt8
    private let fd: Int32
    private var input: [UInt8]
    private var position = 0
    private var end = 0
    private var atEndOfInput = false
    private var consumedBefore = 0
    private var nextLine = 1
    private var started = false

    /// The current record's fields copied end to end, when `recordInInput` is `nil`.
    @usableFromInline var fieldBytes: [UInt8] = []
    /// Where each field of the current record ends: in `fieldBytes`, or from the record's start
    /// in `input` (each but the last followed by a separator there).
    @usableFromInline var fieldEnds: [Int] = []
    /// The current record's bytes in `input` (its line end left out), when its fields were not
    /// copied (see `readQuoteFreeRecord`).
    @usableFromInline var recordInInput: Range<Int>?

    /// Opens a file for streaming, named `name` in errors (the path when `nil`), read `chunkSize`
    /// bytes at a time, or in one piece when the file is smaller: a rule set's thirty small
    /// codelists then do not each clear a megabyte (a page fault every 4 KB) they never use.
    /// - Throws: `FileIOError` when the file cannot be opened.
    public init(path: String, name: String? = nil, limits: CSVLimits = .default, chunkSize: Int = 1 << 20)
        throws(FileIOError)
    {
        self.name = name ?? path
        self.limits = limits
        self.separator = UInt8(ascii: ",")
        let fd = try FileIO.call("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
        self.fd = fd
        var info = stat()
        // One byte more than the file, so the first read takes all of it (a file that grows
        // meanwhile is read on in chunks of this size, as any file larger than a chunk is).
        let size = fstat(fd, &info) == 0 && info.st_size > 0 ? Int(info.st_size) + 1 : chunkSize
        self.input = [UInt8](repeating: 0, count: max(min(chunkSize, size), 16))
    }

    /// Opens a file for streaming from byte `offset`, a record's start (or a line's, with blank
    /// lines before a record), which is on physical line `line`. No byte-order mark is looked for:
    /// this reads a part of a file whose start was read already.
    /// - Throws: `FileIOError` when the file cannot be opened.
    public convenience init(
        path: String, name: String? = nil, from offset: Int, line: Int, limits: CSVLimits = .default,
        chunkSize: Int = 1 << 20
    ) throws(FileIOError) {
        try self.init(path: path, name: name, limits: limits, chunkSize: chunkSize)
        let fd = self.fd
        _ = try FileIO.call("lseek", path: path) { lseek(fd, off_t(offset), SEEK_SET) }
        consumedBefore = offset
        nextLine = line
        started = true
    }

    /// Reads bytes in memory from `offset`; see ``init(path:from:line:limits:chunkSize:)``.
    public convenience init(bytes: [UInt8], name: String, from offset: Int, line: Int, limits: CSVLimits = .default) {
        self.init(bytes: bytes, name: name, limits: limits)
        position = min(offset, bytes.count)
        nextLine = line
        started = true
    }

    /// Reads from bytes already in memory, fields separated by `separator` (a comma unless the
    /// caller knows better: Excel in much of Europe saves with `;`).
    public init(bytes: [UInt8], name: String, limits: CSVLimits = .default, separator: UInt8 = UInt8(ascii: ",")) {
        self.name = name
        self.limits = limits
        self.separator = separator
        self.fd = -1
        self.input = bytes
        self.end = bytes.count
        self.atEndOfInput = true
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Advances to the next record.
    /// - Returns: `false` at the end of the input.
    /// - Throws: `CSVError` for input that cannot be CSV (binary data, an unterminated quote,
    ///   a field, row or column count beyond the limits); `FileIOError` when reading fails.
    public func next() throws -> Bool {
        fieldBytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        recordInInput = nil
        if !started {
            started = true
            try skipByteOrderMark()
        }
        try skipBlankLines()
        guard position < end else { return false }
        recordOffset = consumedBefore + position
        line = nextLine
        try readRecord()
        return true
    }

    /// Calls `body` with the bytes of field `index` of the current record (valid only inside `body`).
    @inlinable
    public func withField<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let range = fieldRange(index)
        return try fieldStorage { buffer in
            try body(UnsafeBufferPointer(rebasing: buffer[range]))
        }
    }

    /// Calls `body` with the whole current record (valid only inside `body`): one call per row
    /// instead of one per field, for readers that look at most of a row's fields.
    @inlinable
    public func withRecord<R>(_ body: (CSVRecord) throws -> R) rethrows -> R {
        let gap = recordInInput == nil ? 0 : 1
        return try fieldStorage { bytes in
            try fieldEnds.withUnsafeBufferPointer { ends in try body(CSVRecord(bytes: bytes, ends: ends, gap: gap)) }
        }
    }

    /// The bytes of field `index`, or an empty slice when the record has fewer fields. The slice
    /// keeps the indices of the buffer it is cut from: count from its `startIndex`, not 0.
    public func bytes(_ index: Int) -> ArraySlice<UInt8> {
        guard index < fieldEnds.count else { return [] }
        let range = fieldRange(index)
        guard let record = recordInInput else { return fieldBytes[range] }
        return input[(record.lowerBound + range.lowerBound)..<(record.lowerBound + range.upperBound)]
    }

    /// Field `index` as text: UTF-8 when the bytes are valid UTF-8, else read as Windows-1252
    /// (the encoding older practice systems export in), so a `£` or `é` survives either way.
    /// An empty string when the record has fewer fields.
    public func string(_ index: Int) -> String {
        guard index < fieldEnds.count else { return "" }
        return CSVReader.decode(bytes(index))
    }

    /// Every field of the current record as text.
    public var record: [String] {
        (0..<fieldEnds.count).map(string)
    }

    /// Whether every field of the current record is empty or only spaces.
    public var isBlank: Bool {
        // A record read in place has its separators between fields; a copied one has none.
        let separator = recordInInput == nil ? UInt8(ascii: " ") : self.separator
        return fieldStorage { bytes in
            bytes.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == separator }
        }
    }

    /// Decodes bytes as UTF-8, falling back to Windows-1252 when they are not valid UTF-8.
    ///
    /// The choice is made for the bytes as a whole: a caller that trims or cuts a cell must decide
    /// on the whole cell first (a no-break space is `C2 A0` in UTF-8 but `A0` in Windows-1252, and
    /// `A0` also ends UTF-8's `à`, `Š`, `Р`…), then use ``decodeWindows1252(_:)`` for the part of
    /// a cell that was not UTF-8.
    public static func decode(_ bytes: some Collection<UInt8>) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return decodeWindows1252(bytes)
    }

    /// Decodes bytes as Windows-1252 whatever they are (its five unassigned bytes as the C1
    /// controls of the same value, as Latin-1 has them).
    public static func decodeWindows1252(_ bytes: some Collection<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if (0x80...0x9F).contains(byte), let mapped = windows1252High[Int(byte - 0x80)] {
                scalars.append(mapped)
            } else {
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return String(scalars)
    }

    /// Windows-1252's printable characters at 0x80–0x9F (the rest of the code page is Latin-1).
    private static let windows1252High: [Unicode.Scalar?] = [
        "\u{20AC}", nil, "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
        "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", nil, "\u{017D}", nil,
        nil, "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
        "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", nil, "\u{017E}", "\u{0178}",
    ]

    @usableFromInline
    func fieldRange(_ index: Int) -> Range<Int> {
        guard index < fieldEnds.count else { return 0..<0 }
        let gap = recordInInput == nil ? 0 : 1
        return (index == 0 ? 0 : fieldEnds[index - 1] + gap)..<fieldEnds[index]
    }

    /// Calls `body` with the bytes `fieldEnds` counts in: the record in `input`, or `fieldBytes`.
    @usableFromInline
    func fieldStorage<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        guard let record = recordInInput else { return try fieldBytes.withUnsafeBufferPointer(body) }
        return try input.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[record])) }
    }

    // MARK: - Input

    /// Makes sure at least one unread byte is buffered, unless the input is exhausted.
    /// - Returns: `false` at the end of the input.
    private func fill() throws -> Bool {
        if position < end { return true }
        if atEndOfInput { return false }
        consumedBefore += end
        position = 0
        end = 0
        let count = try FileIO.readSome(fd: fd, into: &input, path: name)
        if count == 0 {
            atEndOfInput = true
            return false
        }
        end = count
        let hasNul = input.withUnsafeBytes { memchr($0.baseAddress!, 0, count) != nil }
        if hasNul {
            let kind: CSVError.Kind = consumedBefore == 0 && Self.isWorkbook(input[0..<count]) ? .workbook : .binaryData
            throw CSVError(kind: kind, file: name, line: nextLine, limits: limits)
        }
        return true
    }

    /// Whether `bytes` start like a spreadsheet workbook: a ZIP archive (`.xlsx`, `.ods`) or an
    /// OLE compound file (`.xls`), which a worker may return instead of CSV.
    static func isWorkbook(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
            || bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
    }

    private func skipByteOrderMark() throws {
        if fd < 0, end > 0, input.withUnsafeBytes({ memchr($0.baseAddress!, 0, end) != nil }) {
            throw CSVError(
                kind: Self.isWorkbook(input[0..<end]) ? .workbook : .binaryData, file: name, line: 1, limits: limits)
        }
        let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        for (index, byte) in mark.enumerated() {
            guard try fill(), input[position] == byte else {
                // Not a mark: rewind over the bytes that matched, when they are still buffered
                // (a file of only `EF` or `EF BB` has none left to read: they are its content).
                if position >= index {
                    position -= index
                } else {
                    try rereadFromStart()
                }
                return
            }
            position += 1
        }
        hadByteOrderMark = true
    }

    /// Starts a file again at its first byte: the bytes of a partial byte-order mark are content,
    /// and a short read or the end of the file may have left them behind the buffer.
    private func rereadFromStart() throws {
        let fd = self.fd
        guard fd >= 0 else { return }
        _ = try FileIO.call("lseek", path: name) { lseek(fd, 0, SEEK_SET) }
        consumedBefore = 0
        position = 0
        end = 0
        atEndOfInput = false
    }

    private func skipBlankLines() throws {
        while try fill() {
            switch input[position] {
            case UInt8(ascii: "\n"):
                nextLine += 1
                position += 1
            case UInt8(ascii: "\r"):
                position += 1
                if try fill(), input[position] == UInt8(ascii: "\n") { position += 1 }
                nextLine += 1
            default:
                return
            }
        }
    }

    // MARK: - The state machine

    private enum State {
        case fieldStart, unquoted, quoted, quoteInQuoted
    }

    /// A record being read: its field bytes and field ends, and where the state machine is.
    /// Kept in local variables while a buffer is scanned (not in the reader's properties, whose
    /// every access is checked for exclusivity at run time).
    private struct Progress {
        var bytes: [UInt8]
        var ends: [Int]
        var state = State.fieldStart
        /// Spaces and tabs at the start of a field, kept as written unless a quote follows them.
        var pendingBlanks: [UInt8] = []
        var fieldStart = 0
        /// Line breaks inside quoted fields so far.
        var lines = 0
    }

    /// How scanning the buffered bytes ended.
    private enum Step {
        /// The buffer ran out inside the record.
        case needMore
        /// The record ended at a line end; `afterCR` when that was a CR that ended the buffer
        /// (an LF may follow in the next chunk).
        case lineEnd(afterCR: Bool)
    }

    private func readRecord() throws {
        var progress = Progress(bytes: [], ends: [])
        swap(&progress.bytes, &fieldBytes)
        swap(&progress.ends, &fieldEnds)
        defer {
            swap(&progress.bytes, &fieldBytes)
            swap(&progress.ends, &fieldEnds)
        }
        if readQuoteFreeRecord(&progress) {
            nextLine += 1
            return
        }
        while true {
            nextLine += progress.lines
            progress.lines = 0
            guard try fill() else {
                if progress.state == .quoted { throw error(.unterminatedQuote) }
                try endField(&progress)
                return
            }
            let start = position
            let end = self.end
            var consumed = 0
            let step = try input.withUnsafeBufferPointer { buffer in
                try scan(buffer, from: start, to: end, &progress, consumed: &consumed)
            }
            position = start + consumed
            switch step {
            case .needMore:
                continue
            case .lineEnd(let afterCR):
                nextLine += progress.lines
                if afterCR, try fill(), input[position] == UInt8(ascii: "\n") { position += 1 }
                nextLine += 1
                return
            }
        }
    }

    /// Reads the record at `position` when it has no quote and its line end is buffered (most
    /// records): its fields are then exactly its bytes between separators, found in one pass and
    /// left where they are (``recordInInput``), with their ends in `progress.ends`.
    /// - Returns: whether it did; `false`, having read nothing, when the record needs the state
    ///   machine: a quote, no line end yet, a CR that ends the buffer (reading on for a possible LF
    ///   would overwrite the record), or a limit passed (the state machine then reports it).
    private func readQuoteFreeRecord(_ progress: inout Progress) -> Bool {
        let start = position
        let end = self.end
        let limits = self.limits
        let separator = self.separator
        let lineEnd = input.withUnsafeBufferPointer { buffer -> Int? in
            var pos = start
            var fieldStart = start
            while true {
                pos = CSVReader.nextSpecialByte(buffer, from: pos, to: end, separator: separator)
                guard pos < end else { break }
                let byte = buffer[pos]
                if byte == separator {
                    if pos - fieldStart > limits.maxFieldBytes { return nil }
                    progress.ends.append(pos - start)
                    fieldStart = pos + 1
                    pos += 1
                    continue
                }
                if byte == UInt8(ascii: "\"") { return nil }
                break  // a line end
            }
            let fields = progress.ends.count
            guard pos < end, pos - fieldStart <= limits.maxFieldBytes, fields < limits.maxFields,
                pos - start - fields <= limits.maxRecordBytes,
                buffer[pos] == UInt8(ascii: "\n") || pos + 1 < end
            else { return nil }
            progress.ends.append(pos - start)
            return pos
        }
        guard let lineEnd else {
            progress.ends.removeAll(keepingCapacity: true)
            return false
        }
        recordInInput = start..<lineEnd
        position = lineEnd + 1
        if input[lineEnd] == UInt8(ascii: "\r"), input[position] == UInt8(ascii: "\n") { position += 1 }
        return true
    }

    /// The position of the first separator, LF, CR or quote in `buffer[from..<to]`, or `to`:
    /// eight bytes at a time (a byte equal to one of them is a zero byte of the word XORed with it
    /// repeated, and the lowest zero byte is found exactly), then byte by byte for the last few.
    /// The event scan's split uses it too, to pass over a row's term.
    @inlinable @inline(__always)
    public static func nextSpecialByte(_ buffer: UnsafeBufferPointer<UInt8>, from: Int, to end: Int, separator: UInt8)
        -> Int
    {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let (separators, lineFeeds, returns, quotes) = (
            ones &* UInt64(separator), ones &* 0x0A, ones &* 0x0D, ones &* 0x22
        )
        @inline(__always) func zeroBytes(_ word: UInt64) -> UInt64 { (word &- ones) & ~word & highs }
        var pos = from
        if let base = buffer.baseAddress {
            while pos + 8 <= end {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self))
                let found =
                    zeroBytes(word ^ separators) | zeroBytes(word ^ lineFeeds) | zeroBytes(word ^ returns)
                    | zeroBytes(word ^ quotes)
                if found != 0 { return pos + found.trailingZeroBitCount / 8 }
                pos += 8
            }
        }
        while pos < end {
            let byte = buffer[pos]
            if byte == separator || byte == 0x0A || byte == 0x0D || byte == 0x22 { return pos }
            pos += 1
        }
        return end
    }

    /// Runs the state machine over `buffer[start..<end]`; `consumed` counts the bytes used.
    @inline(__always)
    private func scan(
        _ buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, _ progress: inout Progress,
        consumed: inout Int
    ) throws -> Step {
        var pos = start
        let separator = self.separator
        defer { consumed = pos - start }
        while pos < end {
            let byte = buffer[pos]
            switch progress.state {
            case .fieldStart:
                progress.fieldStart = progress.bytes.count
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                    progress.pendingBlanks.append(byte)
                    pos += 1
                } else if byte == UInt8(ascii: "\"") {
                    progress.pendingBlanks.removeAll(keepingCapacity: true)
                    pos += 1
                    progress.state = .quoted
                } else {
                    progress.state = .unquoted
                }
            case .unquoted, .quoteInQuoted:
                if byte == separator {
                    pos += 1
                    try endField(&progress)
                    progress.state = .fieldStart
                } else if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                    try endField(&progress)
                    pos += 1
                    if byte == UInt8(ascii: "\n") { return .lineEnd(afterCR: false) }
                    if pos == end { return .lineEnd(afterCR: true) }
                    if buffer[pos] == UInt8(ascii: "\n") { pos += 1 }
                    return .lineEnd(afterCR: false)
                } else if progress.state == .quoteInQuoted && byte == UInt8(ascii: "\"") {
                    // `""` inside a quoted field: one literal quote, still quoted.
                    try append(UInt8(ascii: "\""), &progress)
                    pos += 1
                    progress.state = .quoted
                } else if progress.state == .quoteInQuoted
                    && (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t"))
                {
                    pos += 1  // spaces after a closing quote
                } else {
                    try appendPendingSpaces(&progress)
                    // A run of an unquoted field up to a comma or line end; a quote in the middle
                    // of an unquoted field is an ordinary character.
                    let run = pos
                    while pos < end {
                        let next = buffer[pos]
                        if next == separator || next == UInt8(ascii: "\n") || next == UInt8(ascii: "\r") {
                            break
                        }
                        pos += 1
                    }
                    try append(UnsafeBufferPointer(rebasing: buffer[run..<pos]), &progress)
                    progress.state = .unquoted
                }
            case .quoted:
                if byte == UInt8(ascii: "\"") {
                    pos += 1
                    progress.state = .quoteInQuoted
                } else {
                    // A run of a quoted field up to the next quote, counting line breaks in it.
                    let run = pos
                    while pos < end {
                        let next = buffer[pos]
                        if next == UInt8(ascii: "\"") { break }
                        if next == UInt8(ascii: "\n") { progress.lines += 1 }
                        pos += 1
                    }
                    try append(UnsafeBufferPointer(rebasing: buffer[run..<pos]), &progress)
                }
            }
        }
        return .needMore
    }

    private func append(_ run: UnsafeBufferPointer<UInt8>, _ progress: inout Progress) throws {
        try checkLimits(adding: run.count, progress)
        progress.bytes.append(contentsOf: run)
    }

    private func append(_ byte: UInt8, _ progress: inout Progress) throws {
        try checkLimits(adding: 1, progress)
        progress.bytes.append(byte)
    }

    private func appendPendingSpaces(_ progress: inout Progress) throws {
        guard !progress.pendingBlanks.isEmpty else { return }
        try checkLimits(adding: progress.pendingBlanks.count, progress)
        progress.bytes.append(contentsOf: progress.pendingBlanks)
        progress.pendingBlanks.removeAll(keepingCapacity: true)
    }

    private func checkLimits(adding count: Int, _ progress: Progress) throws {
        if progress.bytes.count + count - progress.fieldStart > limits.maxFieldBytes { throw error(.fieldTooLong) }
        if progress.bytes.count + count > limits.maxRecordBytes { throw error(.recordTooLong) }
    }

    private func endField(_ progress: inout Progress) throws {
        // A field of only spaces keeps them; callers trim.
        try appendPendingSpaces(&progress)
        if progress.ends.count >= limits.maxFields { throw error(.tooManyFields) }
        progress.ends.append(progress.bytes.count)
    }

    private func error(_ kind: CSVError.Kind) -> CSVError {
        CSVError(kind: kind, file: name, line: line, limits: limits)
    }
}
