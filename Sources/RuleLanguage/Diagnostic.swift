/// How serious a diagnostic is: errors stop the rule set being used; warnings do not.
public enum Severity: String, Sendable, Hashable, Comparable {
    case error, warning

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .error && rhs == .warning }
}

/// One entry of the message catalogue: a stable identifier, a severity and the text.
///
/// Every message the rule language can print is made by a static member of ``Messages``, so the
/// wording lives in one place and the identifiers (used by `--format json`) stay stable.
public struct DiagnosticMessage: Sendable, Hashable {
    /// A stable kebab-case identifier, such as `unknown-name`; editors and CI may match on it.
    public let id: String
    public let severity: Severity
    /// Plain English, lower case, no full stop; names in `'…'`.
    public let text: String

    public init(_ id: String, _ severity: Severity, _ text: String) {
        self.id = id
        self.severity = severity
        self.text = text
    }
}

/// A message about a place in a rule file (or a file a rule file names).
public struct Diagnostic: Sendable, Hashable {
    public let message: DiagnosticMessage
    /// Where the problem is. For problems inside a codelist or lookup file, the place in the
    /// rule file that names it.
    public let range: SourceRange

    public init(_ message: DiagnosticMessage, at range: SourceRange) {
        self.message = message
        self.range = range
    }

    public var severity: Severity { message.severity }
}

/// Collects diagnostics from every pass, so one run reports every mistake it can find.
public struct DiagnosticCollector: Sendable {
    public private(set) var diagnostics: [Diagnostic] = []

    public init() {}

    public mutating func add(_ message: DiagnosticMessage, at range: SourceRange) {
        diagnostics.append(Diagnostic(message, at: range))
    }

    public mutating func append(contentsOf other: [Diagnostic]) {
        diagnostics.append(contentsOf: other)
    }

    public var errorCount: Int { diagnostics.count { $0.severity == .error } }
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } }
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// The diagnostics in file order, then position, errors before warnings at the same place;
    /// exact duplicates removed. The order is what people read, and it is deterministic.
    public func sorted() -> [Diagnostic] {
        var seen = Set<Diagnostic>()
        let unique = diagnostics.filter { seen.insert($0).inserted }
        return unique.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            if x.range.file != y.range.file { return x.range.file < y.range.file }
            if x.range.start != y.range.start { return x.range.start < y.range.start }
            if x.severity != y.severity { return x.severity < y.severity }
            return a.offset < b.offset
        }.map(\.element)
    }
}

/// Renders diagnostics for people: `path:line:col: error: message`, the source line, and a
/// caret under the exact span (`^~~~~`).
public enum DiagnosticRenderer {
    /// One diagnostic as three lines (two when the source line is unknown), ending in a newline.
    public static func render(_ diagnostic: Diagnostic, in sources: SourceFiles) -> String {
        let file = sources[diagnostic.range.file]
        let start = file.location(of: diagnostic.range.start)
        var text = "\(file.path):\(start): \(diagnostic.severity.rawValue): \(diagnostic.message.text)\n"
        guard !file.bytes.isEmpty else { return text }
        let lineIndex = start.line - 1
        let line = file.lineText(lineIndex)
        let lineCharacters = Array(line)
        let startColumn = min(start.column - 1, lineCharacters.count)
        let end = file.location(of: diagnostic.range.end)
        let endColumn = end.line == start.line ? min(end.column - 1, lineCharacters.count) : lineCharacters.count
        let width = max(1, endColumn - startColumn)
        let padding = String(lineCharacters[0..<startColumn].map { $0 == "\t" ? "\t" : " " })
        text += "  \(line)\n"
        text += "  \(padding)^" + String(repeating: "~", count: width - 1) + "\n"
        return text
    }
}
