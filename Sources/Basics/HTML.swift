/// Escaping for HTML and XML text, so nothing from an extract or a rule file can become markup.
public enum HTML {
    /// Escapes `&`, `<`, `>`, `"` and `'` (safe in text and in quoted attributes), and drops the
    /// control characters XML 1.0 does not allow (all below space but tab and line breaks).
    ///
    /// Works on the UTF-8 bytes: every character it changes is one ASCII byte, and no byte of a
    /// longer character is ASCII. A text with none of them (most names, numbers and dates) is
    /// returned as it is: a report escapes thousands of cells.
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: changes) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out += "&amp;".utf8
            case UInt8(ascii: "<"): out += "&lt;".utf8
            case UInt8(ascii: ">"): out += "&gt;".utf8
            case UInt8(ascii: "\""): out += "&quot;".utf8
            case UInt8(ascii: "'"): out += "&#39;".utf8
            case _ where changes(byte): continue
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether ``escape(_:)`` replaces or drops this byte.
    @inline(__always)
    private static func changes(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): true
        case 0x09, 0x0A, 0x0D: false
        default: byte < 0x20
        }
    }
}
