/// An independent CSV reader to test the product's readers against: RFC 4180, one byte at a time,
/// written to be checked by eye, never to be fast. It shares no code with `Basics.CSVReader` or the
/// event scan's tokenizer (`RecordScanner+Tokenizer.swift`).
///
/// Strict RFC 4180 has records ended by CRLF, fields either plain (no `"`, `,`, CR or LF) or quoted
/// (`""` for a quote inside), nothing else. The product's readers deliberately accept more, as
/// practice systems write it (see `CSVReader`'s doc comment), and so does this reference, each
/// point marked `Deliberate (n)` below:
///
/// 1. A UTF-8 byte-order mark at the very start is not part of the first field.
/// 2. CRLF, LF and a lone CR each end a record (RFC: CRLF only). Inside quotes they are kept as written.
/// 3. A blank line (a line end at the start of a record) is skipped, not read as a record of one
///    empty field. A line of only spaces is a record; `""` alone on a line is a record of one empty field.
/// 4. A `"` in the middle of an unquoted field is an ordinary character (RFC: invalid).
/// 5. Spaces and tabs before an opening quote, and after a closing quote, are not part of the field
///    (RFC: invalid). Spaces and tabs around an unquoted field are part of it: callers trim.
///    (A quote after a closing quote and spaces, `"a" "b"`, reads as `""` does, as in `CSVReader`;
///    nothing intends it, so the generators never write it.)
/// 6. Anything else after a closing quote is appended to the field, up to the next `,` or line end,
///    quotes included: `"ab"cd` is `abcd` (RFC: invalid).
/// 7. The last record need not end with a line end (as RFC 4180 allows too); a quote still open at
///    the end of the input is an error.
///
/// Not modelled, so the tests stay away from them: `CSVLimits` (field, record and column counts),
/// NUL bytes (refused as binary), decoding (this reader, like the product's, gives bytes).
///
/// PopulationTests uses this file too, through the symbolic link `Tests/PopulationTests/ReferenceCSV.swift`
/// (one test target cannot import another), to test the event scan's tokenizer.
public enum ReferenceCSV {
    public struct UnterminatedQuote: Error, Equatable {}

    private enum State {
        case recordStart, fieldStart, unquoted, quoted, afterClosingQuote
    }

    /// Every record of `input`, each field as its bytes.
    public static func records(_ input: [UInt8]) throws(UnterminatedQuote) -> [[[UInt8]]] {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

        var records: [[[UInt8]]] = []
        var record: [[UInt8]] = []
        var field: [UInt8] = []
        var spaces: [UInt8] = []  // spaces and tabs at a field's start: dropped if a quote follows
        var state = State.recordStart
        var index = input.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0  // Deliberate (1)

        func endField() {
            record.append(field)
            field = []
            spaces = []
        }
        func endRecord() {
            endField()
            records.append(record)
            record = []
        }

        while index < input.count {
            let byte = input[index]
            index += 1
            let isLineEnd = byte == cr || byte == lf
            if isLineEnd && state != .quoted && byte == cr && index < input.count && input[index] == lf {
                index += 1  // Deliberate (2): CRLF is one line end, as are LF and CR alone
            }
            switch state {
            case .recordStart where isLineEnd:
                break  // Deliberate (3): a blank line
            case .recordStart, .fieldStart:
                if isSpace(byte) {
                    spaces.append(byte)
                    state = .fieldStart
                } else if byte == quote {
                    spaces = []  // Deliberate (5): spaces before an opening quote
                    state = .quoted
                } else if byte == comma {
                    field = spaces
                    endField()
                    state = .fieldStart
                } else if isLineEnd {
                    field = spaces
                    endRecord()
                    state = .recordStart
                } else {
                    field = spaces + [byte]
                    state = .unquoted
                }
            case .unquoted:
                if byte == comma {
                    endField()
                    state = .fieldStart
                } else if isLineEnd {
                    endRecord()
                    state = .recordStart
                } else {
                    field.append(byte)  // Deliberate (4): a quote here is just a character
                }
            case .quoted:
                if byte == quote {
                    state = .afterClosingQuote  // or the first of `""`
                } else {
                    field.append(byte)
                }
            case .afterClosingQuote:
                if byte == quote {
                    field.append(quote)  // `""`: one quote, still quoted
                    state = .quoted
                } else if byte == comma {
                    endField()
                    state = .fieldStart
                } else if isLineEnd {
                    endRecord()
                    state = .recordStart
                } else if isSpace(byte) {
                    break  // Deliberate (5): spaces after a closing quote
                } else {
                    field.append(byte)  // Deliberate (6): text after a closing quote
                    state = .unquoted
                }
            }
        }
        switch state {  // Deliberate (7): the end of the input ends the last record
        case .recordStart: break
        case .quoted: throw UnterminatedQuote()
        case .fieldStart:
            field = spaces
            endRecord()
        case .unquoted, .afterClosingQuote: endRecord()
        }
        return records
    }
}

extension ReferenceCSV {
    /// Bytes for a failure message, as a Swift string literal when they are UTF-8, else as an array.
    public static func literal(_ bytes: some Collection<UInt8>) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return "[" + bytes.map { "0x" + String($0, radix: 16, uppercase: true) }.joined(separator: ", ") + "]"
        }
        let escaped = text.unicodeScalars.map { scalar -> String in
            switch scalar {
            case "\"": "\\\""
            case "\\": "\\\\"
            case "\n": "\\n"
            case "\r": "\\r"
            case "\t": "\\t"
            case " "..."~": String(scalar)
            default: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            }
        }
        return "\"" + escaped.joined() + "\""
    }
}
