import Basics

/// UK postcodes, normalised to upper case with one space before the inward code (`SG1 1AA`).
///
/// A postcode is what the official pattern (BS 7666, the UK Government Data Standards Catalogue)
/// allows, and `GIR 0AA` (Girobank, the one postcode outside it):
///
/// - outward code `A9`, `A99`, `AA9`, `AA99`, `A9A` or `AA9A`; the first letter is never Q, V
///   or X; a second letter is never I, J or Z; the letter of `A9A` is one of A–H, J, K, P, S, T,
///   U, W, and that of `AA9A` one of A, B, E, H, M, N, P, R, V, W, X, Y;
/// - inward code `9AA`, whose letters are never C, I, K, M, O or V.
///
/// Anything else is not a postcode: a typo, an overseas territory's code (`ASCN 1ZZ`), or a
/// forces address (`BFPO 105`: a British Forces Post Office number, not a postcode).
public enum Postcode {
    /// Parses a cell in any case, with no, one or several spaces, or padded to 7 characters.
    public static func parse(_ bytes: FieldBytes) -> Result<String, Problem> {
        var out: [UInt8] = []
        if let problem = normalise(bytes, appendingTo: &out) { return .failure(problem) }
        return .success(String(decoding: out, as: UTF8.self))
    }

    /// Parses text; see ``parse(_:)-(FieldBytes)``.
    public static func parse(_ text: String) -> Result<String, Problem> {
        Bytes.with(text) { parse($0) }
    }

    /// Appends the normalised postcode in `bytes` to `out`, or returns the problem (appending nothing).
    static func normalise(_ bytes: FieldBytes, appendingTo out: inout [UInt8]) -> Problem? {
        if MissingValue.isMissing(bytes) { return .missing }
        if bytes.contains(where: { $0 >= 0x80 }) {
            // Only a no-break space (`C2 A0` in UTF-8, `A0` in Windows-1252) can be in a postcode
            // beyond ASCII: decode the cell whole to tell which, then read it as spaces.
            var text = String(
                String.UnicodeScalarView(CSVReader.decode(bytes).unicodeScalars.map { $0 == "\u{A0}" ? " " : $0 }))
            guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return .notAPostcode }
            return text.withUTF8 { normalise($0, appendingTo: &out) }
        }
        var compact = InlineArray<7, UInt8>(repeating: 0)
        var count = 0
        for byte in bytes {
            if byte.isASCIISpace { continue }
            guard byte.isLetter || byte.isDigit, count < 7 else { return .notAPostcode }
            compact[count] = byte.uppercased
            count += 1
        }
        guard count >= 5 else { return .notAPostcode }
        let inward = count - 3
        guard compact[inward].isDigit, isInwardLetter(compact[inward + 1]), isInwardLetter(compact[inward + 2]),
            isOutward(compact, inward) || isGirobank(compact, count)
        else { return .notAPostcode }
        for index in 0..<inward { out.append(compact[index]) }
        out.append(0x20)
        for index in inward..<count { out.append(compact[index]) }
        return nil
    }

    /// Outward codes: A9, A99, AA9, AA99, A9A, AA9A, with the letters each position allows.
    private static func isOutward(_ c: InlineArray<7, UInt8>, _ length: Int) -> Bool {
        guard c[0].isLetter, !Self.contains("QVX", c[0]) else { return false }
        let second = c[1].isLetter && !Self.contains("IJZ", c[1])
        switch length {
        case 2: return c[1].isDigit
        case 3:
            return (c[1].isDigit && (c[2].isDigit || Self.contains("ABCDEFGHJKPSTUW", c[2])))
                || (second && c[2].isDigit)
        case 4: return second && c[2].isDigit && (c[3].isDigit || Self.contains("ABEHMNPRVWXY", c[3]))
        default: return false
        }
    }

    /// The letters of an inward code: any but C, I, K, M, O and V.
    private static func isInwardLetter(_ byte: UInt8) -> Bool {
        byte.isLetter && !Self.contains("CIKMOV", byte)
    }

    /// `GIR 0AA`, Girobank's postcode (the inward code is already checked).
    private static func isGirobank(_ c: InlineArray<7, UInt8>, _ count: Int) -> Bool {
        count == 6 && c[0] == 0x47 && c[1] == 0x49 && c[2] == 0x52 && c[3] == 0x30 && c[4] == 0x41 && c[5] == 0x41
    }

    /// Whether the upper-case letter `byte` is one of `letters`.
    @inline(__always)
    private static func contains(_ letters: StaticString, _ byte: UInt8) -> Bool {
        letters.withUTF8Buffer { $0.contains(byte) }
    }
}
