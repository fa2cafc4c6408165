import Basics

/// Missing-value markers: an empty cell, only spaces, `NULL`, `N/A`, `#N/A`, `NA` (any case).
public enum MissingValue {
    /// Whether a cell means "no value".
    @inline(__always)
    public static func isMissing(_ bytes: FieldBytes) -> Bool {
        // Most cells: longer than any marker, and starting and ending with a byte that is neither a
        // space of any kind nor part of a non-ASCII character (a no-break space is trimmed only
        // once the cell's encoding is known: see `Bytes.trimmed`).
        if bytes.count > 4, isPrintableASCII(bytes[0]), isPrintableASCII(bytes[bytes.count - 1]) { return false }
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

    @inline(__always)
    private static func isPrintableASCII(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F
    }
}
