/// Identifies one rule file within a rule set: an index into ``SourceFiles``.
public struct SourceFileID: Hashable, Comparable, Sendable {
    public let index: Int

    public init(_ index: Int) {
        self.index = index
    }

    public static func < (lhs: SourceFileID, rhs: SourceFileID) -> Bool { lhs.index < rhs.index }
}

/// A span of a rule file, as UTF-8 byte offsets (`start` inclusive, `end` exclusive).
///
/// Positions are kept as offsets, not lines and columns: the line table turns them into
/// `line:column` only when a diagnostic is rendered, so the lexer and parser never count lines.
public struct SourceRange: Hashable, Sendable {
    public let file: SourceFileID
    public let start: Int
    public let end: Int

    public init(file: SourceFileID, start: Int, end: Int) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest range covering both (which must be in the same file).
    public func joined(_ other: SourceRange) -> SourceRange {
        SourceRange(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    /// An empty range at this range's end: where something missing should have been.
    public var atEnd: SourceRange { SourceRange(file: file, start: end, end: end) }

    public var isEmpty: Bool { start == end }

    /// The range of something made in code rather than read from a rule file.
    public static let generated = SourceRange(file: SourceFileID(-1), start: 0, end: 0)
}

/// A position for people: 1-based line and 1-based column counted in characters.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public let line: Int
    public let column: Int

    public var description: String { "\(line):\(column)" }
}

/// One rule file's text and its line table.
public struct SourceFile: Sendable {
    /// The path as shown in messages (`Rules/cohorts.rules`).
    public let path: String
    /// The path relative to the rules folder (`cohorts.rules`, `team/gina.rules`).
    public let relativePath: String
    /// The file's bytes (UTF-8; invalid bytes are kept and shown as replacement characters).
    public let bytes: [UInt8]
    /// The byte offset at which each line starts; `lineStarts[0] == 0`.
    public let lineStarts: [Int]

    public init(path: String, relativePath: String, bytes: [UInt8]) {
        self.path = path
        self.relativePath = relativePath
        self.bytes = bytes
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(offset + 1)
        }
        self.lineStarts = starts
    }

    public init(path: String, relativePath: String? = nil, text: String) {
        self.init(path: path, relativePath: relativePath ?? path, bytes: Array(text.utf8))
    }

    /// The 0-based index of the line holding `offset`.
    func lineIndex(of offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// The line and character column of a byte offset.
    public func location(of offset: Int) -> SourceLocation {
        let clamped = min(max(offset, 0), bytes.count)
        let line = lineIndex(of: clamped)
        let prefix = bytes[lineStarts[line]..<clamped]
        return SourceLocation(line: line + 1, column: String(decoding: prefix, as: UTF8.self).count + 1)
    }

    /// The text of line `index` (0-based) without its line end.
    public func lineText(_ index: Int) -> String {
        let start = lineStarts[index]
        var end = index + 1 < lineStarts.count ? lineStarts[index + 1] : bytes.count
        while end > start, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The exact source text of a range.
    public func text(_ range: SourceRange) -> String {
        let start = min(max(range.start, 0), bytes.count)
        let end = min(max(range.end, start), bytes.count)
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

/// The rule files of a rule set, addressed by ``SourceFileID``.
public struct SourceFiles: Sendable {
    public private(set) var files: [SourceFile] = []

    public init(_ files: [SourceFile] = []) {
        self.files = files
    }

    /// Adds a file and returns its identifier.
    public mutating func add(_ file: SourceFile) -> SourceFileID {
        files.append(file)
        return SourceFileID(files.count - 1)
    }

    public subscript(id: SourceFileID) -> SourceFile { files[id.index] }

    /// The exact source text of a range: what `explain` prints for a condition.
    public func text(_ range: SourceRange) -> String { self[range.file].text(range) }

    /// `path:line:column` of the start of a range.
    public func describe(_ range: SourceRange) -> String {
        let file = self[range.file]
        return "\(file.path):\(file.location(of: range.start))"
    }
}
