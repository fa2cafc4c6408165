/// Escaping for HTML and XML text, so nothing from an extract or a rule file can become markup.
public enum HTML {
    /// Escapes `&`, `<`, `>`, `"` and `'` (safe in text and in quoted attributes), and drops the
    /// control characters XML 1.0 does not allow (all below space but tab and line breaks).
    ///
    /// Works on the UTF-8 bytes: every character it changes is one ASCII byte, and no byte of a
    /// longer character is ASCII. A text with none of them (most names, numbers and dates) is
    /// returned as it is: a report escapes thousands of cells.
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { replacement(for: $0) != nil }) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            if let replacement = replacement(for: byte) {
                out.append(
                    contentsOf: UnsafeBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount))
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// What ``escape(_:)`` writes for a byte: `nil` to keep it, an empty text to drop it.
    @inline(__always)
    private static func replacement(for byte: UInt8) -> StaticString? {
        switch byte {
        case UInt8(ascii: "&"): "&amp;"
        case UInt8(ascii: "<"): "&lt;"
        case UInt8(ascii: ">"): "&gt;"
        case UInt8(ascii: "\""): "&quot;"
        case UInt8(ascii: "'"): "&#39;"
        case 0x09, 0x0A, 0x0D: nil
        case ..<0x20: ""
        default: nil
        }
    }
}
