import Basics

/// UK postcodes, normalised to upper case with one space before the inward code (`SG1 1AA`).
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
        guard compact[inward].isDigit, compact[inward + 1].isLetter, compact[inward + 2].isLetter,
            isOutward(compact, inward)
        else { return .notAPostcode }
        for index in 0..<inward { out.append(compact[index]) }
        out.append(0x20)
        for index in inward..<count { out.append(compact[index]) }
        return nil
    }

    /// Outward codes: A9, A99, AA9, AA99, A9A, AA9A.
    private static func isOutward(_ c: InlineArray<7, UInt8>, _ length: Int) -> Bool {
        guard c[0].isLetter else { return false }
        switch length {
        case 2: return c[1].isDigit
        case 3: return (c[1].isDigit && (c[2].isDigit || c[2].isLetter)) || (c[1].isLetter && c[2].isDigit)
        case 4: return c[1].isLetter && c[2].isDigit && (c[3].isDigit || c[3].isLetter)
        default: return false
        }
    }
}
