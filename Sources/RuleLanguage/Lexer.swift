/// The kinds of token in rule files.
///
/// Keywords are not token kinds: they are words that the parser recognises by position, so
/// `skills bereavement` and `codelist bereavement` both work and a misspelt keyword is just a
/// word the parser can suggest a correction for.
public enum TokenKind: Sendable, Hashable {
    /// Letters, digits and `_`, starting with a letter.
    case word
    /// `20`, `0.36`.
    case number
    /// `"…"`, possibly unterminated (already reported).
    case text
    /// Anything shaped like a date: `2026-12-25` (checked by the parser), also `1/3/2024`.
    case date
    /// `07:30`.
    case time
    case equals, notEquals, less, lessOrEqual, greater, greaterOrEqual
    case plus, minus, leftParen, rightParen, leftBracket, rightBracket, comma, colon, percent, slash
    /// A character the language has no use for (already reported).
    case invalid
    case newline
    case endOfFile
}

/// One token: its kind and where it is.
public struct Token: Sendable, Hashable {
    public let kind: TokenKind
    public let range: SourceRange
}

/// Splits rule text into tokens, reporting characters it cannot use and unterminated text.
///
/// It works on the file's UTF-8 bytes and can lex any slice of them, which is how the
/// `{expression}` parts of `reason` texts are read with their true positions.
struct Lexer {
    private let bytes: [UInt8]
    private let file: SourceFileID
    private var position: Int
    private let end: Int

    init(bytes: [UInt8], file: SourceFileID, start: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.file = file
        self.position = start
        self.end = end ?? bytes.count
    }

    /// Every token up to and including `endOfFile`.
    mutating func tokenize(into diagnostics: inout DiagnosticCollector) -> [Token] {
        var tokens: [Token] = []
        while true {
            let token = next(&diagnostics)
            tokens.append(token)
            if token.kind == .endOfFile { return tokens }
        }
    }

    private func range(_ start: Int, _ stop: Int) -> SourceRange {
        SourceRange(file: file, start: start, end: stop)
    }

    private func byte(at index: Int) -> UInt8? {
        index < end ? bytes[index] : nil
    }

    private static func isDigit(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isLetter(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    private static func isWordByte(_ byte: UInt8?) -> Bool {
        isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "_")
    }

    private mutating func digits() {
        while Lexer.isDigit(byte(at: position)) { position += 1 }
    }

    private mutating func next(_ diagnostics: inout DiagnosticCollector) -> Token {
        // Spaces, tabs, carriage returns and comments carry no meaning.
        while let current = byte(at: position) {
            if current == UInt8(ascii: " ") || current == UInt8(ascii: "\t") || current == UInt8(ascii: "\r") {
                position += 1
            } else if current == UInt8(ascii: "#") {
                while let b = byte(at: position), b != UInt8(ascii: "\n") { position += 1 }
            } else {
                break
            }
        }
        let start = position
        guard let current = byte(at: position) else {
            return Token(kind: .endOfFile, range: range(end, end))
        }
        func single(_ kind: TokenKind, length: Int = 1) -> Token {
            position += length
            return Token(kind: kind, range: range(start, position))
        }
        switch current {
        case UInt8(ascii: "\n"): return single(.newline)
        case UInt8(ascii: "\""): return text(start: start, closing: [UInt8(ascii: "\"")], &diagnostics)
        case UInt8(ascii: "="):
            if byte(at: position + 1) == UInt8(ascii: "=") {
                diagnostics.add(Messages.doubleEquals, at: range(start, start + 2))
                return single(.equals, length: 2)
            }
            return single(.equals)
        case UInt8(ascii: "!"):
            if byte(at: position + 1) == UInt8(ascii: "=") { return single(.notEquals, length: 2) }
            diagnostics.add(Messages.unexpectedCharacter("!"), at: range(start, start + 1))
            return single(.invalid)
        case UInt8(ascii: "<"):
            if byte(at: position + 1) == UInt8(ascii: "=") { return single(.lessOrEqual, length: 2) }
            if byte(at: position + 1) == UInt8(ascii: ">") {
                diagnostics.add(Messages.angleNotEquals, at: range(start, start + 2))
                return single(.notEquals, length: 2)
            }
            return single(.less)
        case UInt8(ascii: ">"):
            if byte(at: position + 1) == UInt8(ascii: "=") { return single(.greaterOrEqual, length: 2) }
            return single(.greater)
        case UInt8(ascii: "+"): return single(.plus)
        case UInt8(ascii: "-"): return single(.minus)
        case UInt8(ascii: "("): return single(.leftParen)
        case UInt8(ascii: ")"): return single(.rightParen)
        case UInt8(ascii: "["): return single(.leftBracket)
        case UInt8(ascii: "]"): return single(.rightBracket)
        case UInt8(ascii: ","): return single(.comma)
        case UInt8(ascii: ":"): return single(.colon)
        case UInt8(ascii: "%"): return single(.percent)
        case UInt8(ascii: "/"): return single(.slash)
        default: break
        }
        if Lexer.isLetter(current) {
            while Lexer.isWordByte(byte(at: position)) { position += 1 }
            return Token(kind: .word, range: range(start, position))
        }
        if Lexer.isDigit(current) {
            return number(start: start)
        }
        // Curly quotes pasted from a word processor: read as text, but say so.
        if current == 0xE2, byte(at: position + 1) == 0x80, byte(at: position + 2) == 0x9C {
            return text(start: start, closing: [0xE2, 0x80, 0x9D], &diagnostics, curly: true)
        }
        // Anything else: one whole character, reported.
        var length = 1
        if current >= 0xC0 {
            length = current >= 0xF0 ? 4 : current >= 0xE0 ? 3 : 2
        }
        let stop = min(position + length, end)
        let character = String(decoding: bytes[start..<stop], as: UTF8.self)
        diagnostics.add(Messages.unexpectedCharacter(character), at: range(start, stop))
        position = stop
        return Token(kind: .invalid, range: range(start, stop))
    }

    /// A number, a date shape (`2026-12-25`, `1/3/2024`) or a time (`07:30`).
    private mutating func number(start: Int) -> Token {
        digits()
        let first = byte(at: position)
        // A date: digits, then a separator and digits twice.
        for separator in [UInt8(ascii: "-"), UInt8(ascii: "/")] where first == separator {
            var probe = position + 1
            guard Lexer.isDigit(byte(at: probe)) else { break }
            while Lexer.isDigit(byte(at: probe)) { probe += 1 }
            guard byte(at: probe) == separator, Lexer.isDigit(byte(at: probe + 1)) else { break }
            probe += 1
            while Lexer.isDigit(byte(at: probe)) { probe += 1 }
            position = probe
            return Token(kind: .date, range: range(start, position))
        }
        if first == UInt8(ascii: ":"), Lexer.isDigit(byte(at: position + 1)) {
            position += 1
            digits()
            return Token(kind: .time, range: range(start, position))
        }
        if first == UInt8(ascii: "."), Lexer.isDigit(byte(at: position + 1)) {
            position += 1
            digits()
        }
        return Token(kind: .number, range: range(start, position))
    }

    /// A text literal; `\"` and `\\` are escapes. Unterminated text stops at the line end.
    private mutating func text(
        start: Int, closing: [UInt8], _ diagnostics: inout DiagnosticCollector, curly: Bool = false
    ) -> Token {
        position += curly ? 3 : 1
        while let current = byte(at: position) {
            if current == UInt8(ascii: "\n") { break }
            if current == UInt8(ascii: "\\"), position + 1 < end, bytes[position + 1] != UInt8(ascii: "\n") {
                position += 2
                continue
            }
            if current == closing[0], closing.indices.allSatisfy({ byte(at: position + $0) == closing[$0] }) {
                position += closing.count
                if curly { diagnostics.add(Messages.curlyQuotes, at: range(start, position)) }
                return Token(kind: .text, range: range(start, position))
            }
            // A straight quote closes curly-quoted text too, so one slip does not swallow the line.
            if curly, current == UInt8(ascii: "\"") {
                position += 1
                diagnostics.add(Messages.curlyQuotes, at: range(start, position))
                return Token(kind: .text, range: range(start, position))
            }
            position += 1
        }
        var stop = position
        while stop > start, bytes[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
        diagnostics.add(Messages.unterminatedText, at: range(start, stop))
        return Token(kind: .text, range: range(start, stop))
    }
}

extension Lexer {
    /// The value of a text token: without its quotes, escapes resolved.
    static func textValue(of token: Token, in bytes: [UInt8]) -> String {
        let (start, end) = contentBounds(of: token, in: bytes)
        var out: [UInt8] = []
        var index = start
        while index < end {
            if bytes[index] == UInt8(ascii: "\\"), index + 1 < end,
                bytes[index + 1] == UInt8(ascii: "\"") || bytes[index + 1] == UInt8(ascii: "\\")
            {
                out.append(bytes[index + 1])
                index += 2
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The byte bounds of a text token's content, between its quotes.
    static func contentBounds(of token: Token, in bytes: [UInt8]) -> (start: Int, end: Int) {
        let open = bytes[token.range.start] == UInt8(ascii: "\"") ? 1 : 3
        var start = token.range.start + open
        var end = token.range.end
        if end - start >= 1, bytes[end - 1] == UInt8(ascii: "\"") {
            end -= 1
        } else if end - start >= 3, bytes[end - 3] == 0xE2, bytes[end - 2] == 0x80, bytes[end - 1] == 0x9D {
            end -= 3
        }
        start = min(start, end)
        return (start, end)
    }
}
