import Basics

/// A column of optional texts, one per patient, kept as UTF-8 bytes in one buffer.
///
/// Reading an extract appends each cell's bytes straight from the file, with no `String` per
/// patient; a `String` is made only when a value is asked for. Patient `i`'s value is
/// `column[i]`, as with an array of optional strings, and an array literal makes a column.
public struct TextColumn: Sendable, RandomAccessCollection, ExpressibleByArrayLiteral, Equatable {
    private var storage: [UInt8] = []
    /// Each value's start in `storage` (high 32 bits) and length in bytes or ``missing`` (low 32
    /// bits): one array, so appending a value appends to two arrays, not three. Empty while every
    /// value is missing (``missingOnly``).
    private var spans: [UInt64] = []
    /// How many values the column has while every one of them is missing, and `spans` is empty:
    /// a column the file does not have, or a contact detail the rules do not read, writes
    /// nothing per patient (at ICB scale the 14 text columns' spans were 100 MB, 60 MB of the peak;
    /// room reserved for them is never touched, so never resident). 0 once a value is kept,
    /// when `spans` takes over.
    private var missingOnly = 0
    private static let missing = UInt32.max

    /// The start of a value that is not missing, or of any value once `spans` holds them.
    @inline(__always) private func start(_ index: Int) -> Int { Int(spans[index] >> 32) }
    @inline(__always) private func length(_ index: Int) -> UInt32 {
        guard missingOnly == 0 else {
            precondition(index >= 0 && index < missingOnly, "TextColumn index out of range")
            return TextColumn.missing
        }
        return UInt32(truncatingIfNeeded: spans[index])
    }
    @inline(__always) private static func span(start: Int, length: UInt32) -> UInt64 {
        UInt64(start) << 32 | UInt64(length)
    }

    public init() {}

    public init(arrayLiteral values: String?...) {
        self.init(values)
    }

    /// A column of `values`.
    public init(_ values: some Sequence<String?>) {
        for value in values { append(value) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { spans.count + missingOnly }

    /// Patient `index`'s value, or `nil` when it has none.
    public subscript(index: Int) -> String? {
        withBytes(index) { bytes in bytes.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// Whether patient `index` has a value (without making a `String`).
    public func hasValue(_ index: Int) -> Bool {
        length(index) != TextColumn.missing
    }

    /// Calls `body` with the UTF-8 bytes of patient `index`'s value, or `nil` when it has none.
    public func withBytes<R>(_ index: Int, _ body: (FieldBytes?) throws -> R) rethrows -> R {
        let length = self.length(index)
        guard length != TextColumn.missing else { return try body(nil) }
        // Kept within the buffer: an empty value has no bytes to lose, wherever it starts.
        let start = Swift.min(self.start(index), storage.count)
        return try storage.withUnsafeBufferPointer { all in
            try body(FieldBytes(rebasing: all[start..<(start + Int(length))]))
        }
    }

    public static func == (lhs: TextColumn, rhs: TextColumn) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for index in lhs.indices {
            let same = lhs.withBytes(index) { left in
                rhs.withBytes(index) { right in
                    switch (left, right) {
                    case (nil, nil): return true
                    case (let left?, let right?): return left.elementsEqual(right)
                    default: return false
                    }
                }
            }
            if !same { return false }
        }
        return true
    }

    // MARK: - Building

    /// Appends a value given as valid UTF-8 bytes (or `nil`).
    mutating func append(_ bytes: FieldBytes?) {
        if bytes == nil, spans.isEmpty {
            missingOnly += 1
            return
        }
        keepSpans()
        let start = storage.count
        spans.append(TextColumn.span(start: start, length: store(bytes)))
    }

    /// Appends `nil`: ``append(_:)`` of `nil`, inlined for the columns a file does not have or
    /// that are left unread, which take one for each patient row.
    @inline(__always)
    mutating func appendMissing() {
        if spans.isEmpty {
            missingOnly += 1
        } else {
            append(FieldBytes?.none)
        }
    }

    /// Gives every value so far a span, as missing, before a value is kept (see ``missingOnly``),
    /// in the room reserved for them: each starts at 0, where the first value kept begins.
    private mutating func keepSpans() {
        guard missingOnly > 0 else { return }
        spans.append(
            contentsOf: repeatElement(TextColumn.span(start: 0, length: TextColumn.missing), count: missingOnly))
        missingOnly = 0
    }

    mutating func append(_ text: String?) {
        guard var text else { return append(FieldBytes?.none) }
        text.withUTF8 { append($0) }
    }

    /// Appends the values of `rows` of `other`, which must have been built by appending only
    /// (its values then lie in row order in its buffer, so they are copied in one piece).
    mutating func append(contentsOf other: TextColumn, rows: Range<Int>) {
        guard !rows.isEmpty else { return }
        if other.missingOnly > 0 {
            precondition(rows.lowerBound >= 0 && rows.upperBound <= other.missingOnly, "rows out of range")
            return pad(to: count + rows.count)
        }
        keepSpans()
        let from = other.start(rows.lowerBound)
        let to = rows.upperBound < other.count ? other.start(rows.upperBound) : other.storage.count
        precondition(storage.count + (to - from) < Int(TextColumn.missing), "text column larger than 4 GB")
        // Each span's start moves by `shift` (its length, the low half, stays): added to the
        // copied spans in place, which the compiler makes one vector loop.
        let shift = UInt64(bitPattern: Int64(storage.count - from) << 32)
        storage.append(contentsOf: other.storage[from..<to])
        let first = spans.count
        spans.append(contentsOf: other.spans[rows])
        spans.withUnsafeMutableBufferPointer { spans in
            for index in first..<spans.count { spans[index] &+= shift }
        }
    }

    /// Makes room for `count` values of `bytes` bytes in all.
    mutating func reserveCapacity(_ count: Int, bytes: Int) {
        spans.reserveCapacity(count)
        storage.reserveCapacity(bytes)
    }

    /// The bytes of all values so far.
    var byteCount: Int { storage.count }

    /// Removes every value, keeping the buffers' capacity.
    mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        spans.removeAll(keepingCapacity: true)
        missingOnly = 0
    }

    /// Appends what `write` appends to the buffer it is given, or `nil` when it returns a
    /// problem instead (what it wrote is dropped).
    mutating func append(writing write: (inout [UInt8]) -> Problem?) -> Problem? {
        let start = storage.count
        if let problem = write(&storage) {
            storage.removeSubrange(start...)
            append(FieldBytes?.none)
            return problem
        }
        precondition(storage.count < Int(TextColumn.missing), "text column larger than 4 GB")
        keepSpans()
        spans.append(TextColumn.span(start: start, length: UInt32(storage.count - start)))
        return nil
    }

    /// Appends a cell's text without surrounding spaces (decoded as `CSVReader.decode` reads a
    /// cell, then trimmed), or `nil` for a missing value.
    mutating func appendCell(_ cell: FieldBytes) {
        if MissingValue.isMissing(cell) { return append(FieldBytes?.none) }
        TextColumn.withTrimmedUTF8(cell) { append($0) }
    }

    /// Appends a name cell's text as ``appendCell(_:)`` does, but with only the specification's
    /// missing markers (`NA` and `Na` are names: see ``MissingValue/isMissingName(_:)-(FieldBytes)``).
    /// A spreadsheet's error value (`#N/A`, `#REF!`, …) is no name: it is appended as `nil` and
    /// ``Problem/spreadsheetError`` returned, for the caller to report.
    mutating func appendName(_ cell: FieldBytes) -> Problem? {
        if MissingValue.isMissingName(cell) {
            append(FieldBytes?.none)
            return nil
        }
        return TextColumn.withTrimmedUTF8(cell) { name in
            if SpreadsheetError.mayBeErrorValue(name),
                SpreadsheetError.isErrorValue(String(decoding: name, as: UTF8.self))
            {
                append(FieldBytes?.none)
                return .spreadsheetError
            }
            append(name)
            return nil
        }
    }

    /// Calls `body` with the last value's bytes (`nil` when it has none).
    func withLastBytes<R>(_ body: (FieldBytes?) throws -> R) rethrows -> R {
        try withBytes(count - 1, body)
    }

    /// Upper-cases the last value (as `String.uppercased()` does).
    mutating func uppercaseLast() {
        let index = count - 1
        guard length(index) != TextColumn.missing else { return }
        let range = start(index)..<(start(index) + Int(length(index)))
        if storage[range].allSatisfy({ $0 < 0x80 }) {
            for offset in range { storage[offset] = storage[offset].uppercased }
            return
        }
        let upper = self[index]!.uppercased()
        // In place when the value ends the buffer (as when it was just appended), else at its end.
        let start = range.upperBound == storage.count ? range.lowerBound : storage.count
        storage.removeSubrange(start...)
        storage.append(contentsOf: upper.utf8)
        spans[index] = TextColumn.span(start: start, length: UInt32(storage.count - start))
    }

    /// Calls `body` with a cell's text without surrounding spaces, as UTF-8: the cell is decoded
    /// first (the bytes themselves when the whole cell is UTF-8, else read as Windows-1252, as
    /// `CSVReader.decode` does), then ASCII spaces, tabs, line breaks and no-break spaces are
    /// trimmed from its ends. Trimming a byte `A0` before decoding would cut the end off a UTF-8
    /// `à`, `Š` or `Р`, and the rest, no longer UTF-8, would be garbled as Windows-1252.
    static func withTrimmedUTF8<R>(_ cell: FieldBytes, _ body: (FieldBytes) -> R) -> R {
        // The usual cell: ASCII, with neither a space nor a line break at either end to trim.
        if let first = cell.first, let last = cell.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80,
            Bytes.isASCII(cell)
        {
            return body(cell)
        }
        let ascii = Bytes.trimmedASCII(cell)
        let trimmed = FieldBytes(rebasing: cell[ascii])
        if Bytes.isASCII(trimmed) { return body(trimmed) }
        if Bytes.isUTF8(trimmed) {
            return body(FieldBytes(rebasing: cell[Bytes.trimmedNoBreakSpaces(cell, ascii, isUTF8: true)]))
        }
        var text = CSVReader.decodeWindows1252(cell[Bytes.trimmedNoBreakSpaces(cell, ascii, isUTF8: false)])
        return text.withUTF8(body)
    }

    /// Appends `nil` until the column has `count` values.
    mutating func pad(to count: Int) {
        guard self.count < count else { return }
        if spans.isEmpty {
            missingOnly = count
        } else {
            spans.append(
                contentsOf: repeatElement(
                    TextColumn.span(start: storage.count, length: TextColumn.missing), count: count - self.count))
        }
    }

    /// Sets patient `index`'s value (valid UTF-8 bytes). The old bytes stay unused in the buffer:
    /// values are replaced rarely (a patient in two files), so that costs little.
    mutating func set(_ index: Int, _ bytes: FieldBytes) {
        precondition(index >= 0 && index < count, "TextColumn index out of range")
        keepSpans()
        let start = storage.count
        spans[index] = TextColumn.span(start: start, length: store(bytes))
    }

    mutating func set(_ index: Int, _ text: String) {
        var text = text
        text.withUTF8 { set(index, $0) }
    }

    /// Makes patient `index`'s value `nil`.
    mutating func setMissing(_ index: Int) {
        guard hasValue(index) else { return }
        spans[index] = TextColumn.span(start: start(index), length: TextColumn.missing)
    }

    /// The column without the values of patients in `drop`.
    func removing(_ drop: Set<Int>) -> TextColumn {
        var kept = TextColumn()
        for index in indices where !drop.contains(index) {
            withBytes(index) { kept.append($0) }
        }
        return kept
    }

    private mutating func store(_ bytes: FieldBytes?) -> UInt32 {
        guard let bytes else { return TextColumn.missing }
        precondition(storage.count + bytes.count < Int(TextColumn.missing), "text column larger than 4 GB")
        storage.append(contentsOf: bytes)
        return UInt32(bytes.count)
    }
}
