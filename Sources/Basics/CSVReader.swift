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
    }

    public let kind: Kind
    public let file: String
    public let line: Int
    public let limits: CSVLimits

    public var message: String {
        let what: String
        switch kind {
        case .fieldTooLong:
            what = "a field is longer than \(Formatting.grouped(limits.maxFieldBytes)) bytes; this does not look like a practice extract"
        case .recordTooLong:
            what = "a row is longer than \(Formatting.grouped(limits.maxRecordBytes)) bytes; this does not look like a practice extract"
        case .tooManyFields:
            what = "a row has more than \(Formatting.grouped(limits.maxFields)) columns; this does not look like a practice extract"
        case .unterminatedQuote:
            what = "a quoted field that starts here is never closed (a missing '\"')"
        case .binaryData:
            what = "the file holds binary data (a NUL byte), not CSV text"
        }
        return "\(file):\(line): \(what)"
    }

    public var exitCode: ExitCode { .dataError }
}

/// A streaming RFC 4180 CSV reader over bytes.
///
/// It reads a file in fixed-size chunks (never the whole file), copies each record's fields into
/// one reusable buffer, and hands them out as byte views; callers make `String`s only for the
/// fields they need. It accepts what real clinical-system exports contain: a UTF-8 byte-order
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

    private let limits: CSVLimits
    private let fd: Int32
    private var input: [UInt8]
    private var position = 0
    private var end = 0
    private var atEndOfInput = false
    private var consumedBefore = 0
    private var nextLine = 1
    private var started = false

    private var fieldBytes: [UInt8] = []
    private var fieldEnds: [Int] = []

    /// Opens a file for streaming.
    /// - Throws: `FileIOError` when the file cannot be opened.
    public init(path: String, limits: CSVLimits = .default, chunkSize: Int = 1 << 20) throws(FileIOError) {
        self.name = path
        self.limits = limits
        self.fd = try FileIO.call("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
        self.input = [UInt8](repeating: 0, count: max(chunkSize, 16))
    }

    /// Reads from bytes already in memory.
    public init(bytes: [UInt8], name: String, limits: CSVLimits = .default) {
        self.name = name
        self.limits = limits
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
        if !started {
            started = true
            try skipByteOrderMark()
        }
        try skipBlankLines()
        guard position < end else { return false }
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

    /// The bytes of field `index`, or an empty slice when the record has fewer fields.
    public func bytes(_ index: Int) -> ArraySlice<UInt8> {
        guard index < fieldEnds.count else { return [] }
        return fieldBytes[fieldRange(index)]
    }

    /// Field `index` as text: UTF-8 when the bytes are valid UTF-8, else read as Windows-1252
    /// (the encoding older practice systems export in), so a `£` or `é` survives either way.
    /// An empty string when the record has fewer fields.
    public func string(_ index: Int) -> String {
        guard index < fieldEnds.count else { return "" }
        return CSVReader.decode(fieldBytes[fieldRange(index)])
    }

    /// Every field of the current record as text.
    public var record: [String] {
        (0..<fieldEnds.count).map(string)
    }

    /// Whether every field of the current record is empty or only spaces.
    public var isBlank: Bool {
        fieldBytes.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }

    /// Decodes bytes as UTF-8, falling back to Windows-1252 when they are not valid UTF-8.
    public static func decode(_ bytes: some Collection<UInt8>) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
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
        return (index == 0 ? 0 : fieldEnds[index - 1])..<fieldEnds[index]
    }

    @usableFromInline
    func fieldStorage<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try fieldBytes.withUnsafeBufferPointer(body)
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
        if hasNul { throw CSVError(kind: .binaryData, file: name, line: nextLine, limits: limits) }
        return true
    }

    private func skipByteOrderMark() throws {
        if fd < 0, end > 0, input.withUnsafeBytes({ memchr($0.baseAddress!, 0, end) != nil }) {
            throw CSVError(kind: .binaryData, file: name, line: 1, limits: limits)
        }
        let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        for (index, byte) in mark.enumerated() {
            guard try fill(), input[position] == byte else {
                // Not a mark: a partial match can only be at the very start of a chunk, so rewind.
                position -= index
                return
            }
            position += 1
        }
        hadByteOrderMark = true
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

    private func readRecord() throws {
        var state = State.fieldStart
        var pendingSpaces = 0
        var fieldStart = 0
        while true {
            guard try fill() else {
                if state == .quoted { throw error(.unterminatedQuote) }
                try endField(start: fieldStart, pendingSpaces: &pendingSpaces)
                return
            }
            let byte = input[position]
            switch state {
            case .fieldStart:
                fieldStart = fieldBytes.count
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                    pendingSpaces += 1
                    position += 1
                } else if byte == UInt8(ascii: "\"") {
                    pendingSpaces = 0
                    position += 1
                    state = .quoted
                } else {
                    state = .unquoted
                }
            case .unquoted, .quoteInQuoted:
                if byte == UInt8(ascii: ",") {
                    position += 1
                    try endField(start: fieldStart, pendingSpaces: &pendingSpaces)
                    state = .fieldStart
                } else if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                    try endField(start: fieldStart, pendingSpaces: &pendingSpaces)
                    try consumeLineEnd()
                    return
                } else if state == .quoteInQuoted && byte == UInt8(ascii: "\"") {
                    // `""` inside a quoted field: one literal quote, still quoted.
                    try append(UInt8(ascii: "\""), fieldStart: fieldStart)
                    position += 1
                    state = .quoted
                } else if state == .quoteInQuoted && (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")) {
                    position += 1  // spaces after a closing quote
                } else {
                    if pendingSpaces > 0 {
                        for _ in 0..<pendingSpaces { try append(UInt8(ascii: " "), fieldStart: fieldStart) }
                        pendingSpaces = 0
                    }
                    try scanUnquoted(fieldStart: fieldStart)
                    state = .unquoted
                }
            case .quoted:
                if byte == UInt8(ascii: "\"") {
                    position += 1
                    state = .quoteInQuoted
                } else {
                    try scanQuoted(fieldStart: fieldStart)
                }
            }
        }
    }

    /// Copies a run of an unquoted field up to a comma or line end; a quote in the middle of an
    /// unquoted field is an ordinary character.
    private func scanUnquoted(fieldStart: Int) throws {
        let start = position
        input.withUnsafeBufferPointer { buffer in
            var index = position
            while index < end {
                let byte = buffer[index]
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
                index += 1
            }
            position = index
        }
        try appendRun(from: start, fieldStart: fieldStart)
    }

    /// Copies a run of a quoted field up to the next quote, counting line breaks inside it.
    private func scanQuoted(fieldStart: Int) throws {
        let start = position
        var lines = 0
        input.withUnsafeBufferPointer { buffer in
            var index = position
            while index < end {
                let byte = buffer[index]
                if byte == UInt8(ascii: "\"") { break }
                if byte == UInt8(ascii: "\n") { lines += 1 }
                index += 1
            }
            position = index
        }
        nextLine += lines
        try appendRun(from: start, fieldStart: fieldStart)
    }

    private func appendRun(from start: Int, fieldStart: Int) throws {
        let count = position - start
        try checkLimits(adding: count, fieldStart: fieldStart)
        fieldBytes.append(contentsOf: input[start..<position])
    }

    private func append(_ byte: UInt8, fieldStart: Int) throws {
        try checkLimits(adding: 1, fieldStart: fieldStart)
        fieldBytes.append(byte)
    }

    private func checkLimits(adding count: Int, fieldStart: Int) throws {
        if fieldBytes.count + count - fieldStart > limits.maxFieldBytes { throw error(.fieldTooLong) }
        if fieldBytes.count + count > limits.maxRecordBytes { throw error(.recordTooLong) }
    }

    private func endField(start: Int, pendingSpaces: inout Int) throws {
        if pendingSpaces > 0 {
            // A field of only spaces keeps them; callers trim.
            for _ in 0..<pendingSpaces { try append(UInt8(ascii: " "), fieldStart: start) }
            pendingSpaces = 0
        }
        if fieldEnds.count >= limits.maxFields { throw error(.tooManyFields) }
        fieldEnds.append(fieldBytes.count)
    }

    private func consumeLineEnd() throws {
        if input[position] == UInt8(ascii: "\r") {
            position += 1
            if try fill(), input[position] == UInt8(ascii: "\n") { position += 1 }
        } else {
            position += 1
        }
        nextLine += 1
    }

    private func error(_ kind: CSVError.Kind) -> CSVError {
        CSVError(kind: kind, file: name, line: line, limits: limits)
    }
}
