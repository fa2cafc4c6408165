/// Escaping for HTML and XML text, so nothing from an extract or a rule file can become markup.
public enum HTML {
    /// Escapes `&`, `<`, `>`, `"` and `'` (safe in text and in quoted attributes).
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab and line breaks are not allowed in XML 1.0.
                if character.value < 0x20, character != "\t", character != "\n", character != "\r" { continue }
                out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
