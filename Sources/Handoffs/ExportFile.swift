/// One file of an export, for one practice: its name and its rows (the header first), or plain
/// lines for a list to paste. Written by the home (0600, formulas neutralised) or a test.
public struct ExportFile: Sendable, Hashable {
    public let practice: String
    /// The file's name, without a folder.
    public let name: String
    public let content: Content

    public enum Content: Sendable, Hashable {
        /// CSV rows, the header first.
        case csv([[String]])
        /// Plain lines (an NHS-number list to paste into a clinical system's search).
        case lines([String])
    }

    public init(practice: String, name: String, content: Content) {
        self.practice = practice
        self.name = name
        self.content = content
    }

    /// Data rows or lines, not counting a CSV's header.
    public var count: Int {
        switch content {
        case .csv(let rows): return max(0, rows.count - 1)
        case .lines(let lines): return lines.count
        }
    }
}

/// People an export left out, by why: counts to print and log (no patient data), and each
/// person's reason for `export --nhs`, which explains one person.
public struct ExportExclusions: Sendable, Hashable {
    public private(set) var counts: [String: Int] = [:]
    /// Why each person the export looked at is not in it, counted or not (patient data: never logged).
    public private(set) var reasons: [UInt64: String] = [:]

    public init() {}

    /// Counts a person left out, and keeps why.
    public mutating func add(_ reason: String, nhsNumber: UInt64? = nil) {
        counts[reason, default: 0] += 1
        if let nhsNumber { reasons[nhsNumber] = reason }
    }

    /// Keeps why a person is not in the export without counting them (they were never a candidate:
    /// an outcome with no code, someone the telephone still reaches).
    public mutating func note(_ reason: String, nhsNumber: UInt64) {
        reasons[nhsNumber] = reasons[nhsNumber] ?? reason
    }

    /// `12 no mobile number; 3 SMS declined`, most first, or `none`.
    public var summary: String {
        guard !counts.isEmpty else { return "none" }
        return counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.value) \($0.key)" }.joined(
            separator: "; ")
    }
}
