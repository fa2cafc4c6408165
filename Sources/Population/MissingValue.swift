import Basics

/// Missing-value markers: an empty cell, only spaces, `NULL`, `N/A`, `#N/A`, `NA` (any case).
public enum MissingValue {
    /// Whether a cell means "no value".
    @inline(__always)
    public static func isMissing(_ bytes: FieldBytes) -> Bool {
        // Most cells: longer than any marker and not padded.
        if bytes.count > 4, !bytes[0].isSpace, !bytes[bytes.count - 1].isSpace { return false }
        let range = Bytes.trimmed(bytes)
        if range.isEmpty { return true }
        if range.count > 4 { return false }
        return Bytes.equalsIgnoringCase(bytes, range, "null") || Bytes.equalsIgnoringCase(bytes, range, "n/a")
            || Bytes.equalsIgnoringCase(bytes, range, "#n/a") || Bytes.equalsIgnoringCase(bytes, range, "na")
    }

    /// Whether a cell means "no value".
    public static func isMissing(_ text: String) -> Bool {
        Bytes.with(text) { isMissing($0) }
    }
}
