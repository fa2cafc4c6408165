import Testing

@testable import Basics

/// Every name, address and rule text in a report or a call list goes through `HTML.escape`: what
/// it leaves must never become markup, and what it keeps must be the text as the practice wrote it.
@Suite struct HTMLEscapeTests {
    /// The escaping as first written, a Unicode scalar at a time: the reference.
    static func reference(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if scalar.value < 0x20, scalar != "\t", scalar != "\n", scalar != "\r" { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    @Test func escapesMarkupAndDropsControlCharacters() {
        #expect(HTML.escape("O'Neil & <Sons> \"Ltd\"") == "O&#39;Neil &amp; &lt;Sons&gt; &quot;Ltd&quot;")
        #expect(HTML.escape("a\u{0}b\u{1B}c\td\ne\rf") == "abc\td\ne\rf")
        #expect(Array(HTML.escape("Zoe\u{308} Łukasz 王芳 🙂").utf8) == Array("Zoe\u{308} Łukasz 王芳 🙂".utf8))
        #expect(HTML.escape("") == "")
    }

    /// Every ASCII byte on its own and between letters, and the first and last characters of each
    /// UTF-8 length, as the reference escapes them.
    @Test func escapesEveryASCIICharacterAndEachUTF8LengthAsTheReferenceDoes() {
        let scalars =
            (0..<128).map { Unicode.Scalar(UInt8($0)) } + ["\u{80}", "\u{7FF}", "\u{800}", "\u{FFFD}", "\u{10FFFF}"]
        for scalar in scalars {
            for text in [String(scalar), "a\(scalar)b", "\(scalar)\(scalar)"] {
                #expect(Array(HTML.escape(text).utf8) == Array(Self.reference(text).utf8), "\(scalar.value)")
            }
        }
    }

    /// Property: on texts mixing plain letters, markup characters, control characters and
    /// characters of two to four bytes (seeded), the escaping is the reference's.
    @Test func escapesAsTheReferenceDoes() {
        let pieces: [String] = [
            "a", "Z", "0", " ", "&", "<", ">", "\"", "'", "\t", "\n", "\r", "\u{0}", "\u{7}", "\u{1F}", "\u{7F}",
            "\u{85}", "é", "Ł", "€", "王", "🙂", "\u{A0}", "&amp;", "\r\n", "e\u{301}",
        ]
        var random = SeededRandom(seed: 2_026)
        for _ in 0..<5_000 {
            let text = (0..<Int(random.next() % 12)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }
                .joined()
            // Bytes, not `==`: strings compare equal when canonically equivalent.
            #expect(Array(HTML.escape(text).utf8) == Array(Self.reference(text).utf8), "\(Array(text.unicodeScalars))")
        }
    }
}
