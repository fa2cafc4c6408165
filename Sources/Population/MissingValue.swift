import Basics

/// Missing-value markers.
///
/// The specification's markers are an empty cell, only spaces, `NULL` and `N/A` (any case). In
/// every column but names, `#N/A` and `NA` are missing too: no NHS number, date, number, code, sex,
/// yes/no, postcode or phone number can be either, and R and spreadsheets write them for "no
/// value". In a name column they can be a name (`Na` is a surname), so names use
/// ``isMissingName(_:)``, and the patients reader reports a spreadsheet error value there instead
/// of taking it as a name.
public enum MissingValue {
    /// Whether a cell means "no value": empty, only spaces (no-break spaces too), `NULL`, `N/A`,
    /// `#N/A` or `NA`, in any case. For every column but names.
    @inline(__always)
    public static func isMissing(_ bytes: FieldBytes) -> Bool {
        // Most cells: longer than any marker, and starting and ending with a byte that is neither a
        // space of any kind nor part of a non-ASCII character (a no-break space is trimmed only
        // once the cell's encoding is known: see `Bytes.trimmed`).
        if bytes.count > 4, isPrintableASCII(bytes[0]), isPrintableASCII(bytes[bytes.count - 1]) { return false }
        let range = Bytes.trimmed(bytes)
        if range.isEmpty { return true }
        if range.count > 4 || !startsLikeAMarker(bytes[range.lowerBound]) { return false }
        return isSpecMarker(bytes, range) || Bytes.equalsIgnoringCase(bytes, range, "#n/a")
            || Bytes.equalsIgnoringCase(bytes, range, "na")
    }

    /// Whether a cell means "no value": empty, only spaces (no-break spaces too), `NULL` or `N/A`,
    /// in any case: the specification's markers only. `NA` and `Na` are names, and `#N/A` is a
    /// spreadsheet's error value (see ``SpreadsheetError``), neither missing nor a name.
    @inline(__always)
    public static func isMissingName(_ bytes: FieldBytes) -> Bool {
        if bytes.count > 4, isPrintableASCII(bytes[0]), isPrintableASCII(bytes[bytes.count - 1]) { return false }
        let range = Bytes.trimmed(bytes)
        return range.isEmpty || (startsLikeAMarker(bytes[range.lowerBound]) && isSpecMarker(bytes, range))
    }

    /// Whether a cell means "no value"; see ``isMissing(_:)-(FieldBytes)``.
    public static func isMissing(_ text: String) -> Bool {
        Bytes.with(text) { isMissing($0) }
    }

    /// Whether a name cell means "no name"; see ``isMissingName(_:)-(FieldBytes)``.
    public static func isMissingName(_ text: String) -> Bool {
        Bytes.with(text) { isMissingName($0) }
    }

    /// `NULL` or `N/A` in any case, in trimmed bytes.
    @inline(__always)
    private static func isSpecMarker(_ bytes: FieldBytes, _ range: Range<Int>) -> Bool {
        Bytes.equalsIgnoringCase(bytes, range, "null") || Bytes.equalsIgnoringCase(bytes, range, "n/a")
    }

    /// Whether a trimmed cell starting with `byte` may be a marker: every marker starts with `n`,
    /// `N` or `#`, so the usual short cell (`F`, `3`, `yes`, `5.2`) is told apart in one test.
    @inline(__always)
    private static func startsLikeAMarker(_ byte: UInt8) -> Bool {
        byte | 0x20 == UInt8(ascii: "n") || byte == UInt8(ascii: "#")
    }

    /// A byte that is neither a space of any kind nor part of a non-ASCII character.
    @inline(__always)
    private static func isPrintableASCII(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F
    }
}
