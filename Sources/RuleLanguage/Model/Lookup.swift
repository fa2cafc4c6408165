import Basics
import Vocabulary

/// A key → value table read from a CSV file.
public struct Lookup: Sendable, Hashable {
    public let name: String
    /// Keys as written in the file (spaces trimmed).
    public let entries: [String: LookupValue]
    /// The entries by lower-case key, as a lookup matches (text compares ignoring case): for keys
    /// that differ only in case, the first in sorted order, so the answer never varies by run.
    /// Made once here, not each time an expression using the lookup is compiled.
    public let entriesIgnoringCase: [String: LookupValue]
    /// `.number` when every value is numeric, else `.text`.
    public let valueType: ValueType
    public let keyColumn: String
    public let valueColumn: String
    /// The file, relative to the rules folder.
    public let sourcePath: String
    public let range: SourceRange

    init(
        name: String, entries: [String: LookupValue], valueType: ValueType, keyColumn: String, valueColumn: String,
        sourcePath: String, range: SourceRange
    ) {
        self.name = name
        self.entries = entries
        // The smallest key of those that fold together is the first in sorted order.
        var folded: [String: (key: String, value: LookupValue)] = [:]
        folded.reserveCapacity(entries.count)
        for (key, value) in entries {
            let lower = key.lowercased()
            if let kept = folded[lower], kept.key < key { continue }
            folded[lower] = (key, value)
        }
        entriesIgnoringCase = folded.mapValues(\.value)
        self.valueType = valueType
        self.keyColumn = keyColumn
        self.valueColumn = valueColumn
        self.sourcePath = sourcePath
        self.range = range
    }
}

/// A value from a lookup table.
public enum LookupValue: Sendable, Hashable {
    case number(Double)
    case text(String)
}
