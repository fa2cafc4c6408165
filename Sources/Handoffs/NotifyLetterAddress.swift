import Basics

/// A postal address checked by GOV.UK Notify's rules for a letter to the UK, so every row of a
/// letters file is one Notify accepts (its `PostalAddress.valid`, alphagov/notifications-utils):
/// lines normalised as Notify does (whitespace collapsed, trailing commas and blank lines dropped),
/// 3–7 lines of which the last is a real UK postcode, lines 1 and 2 with a letter or digit, no
/// line starting with one of `@()=[]"\/,<>~`, and no "NFA" line or "no fixed abode/address".
///
/// Outreach adds two rules of its own: no line may start with `+` or `-`, which a spreadsheet
/// would read as a formula (and so would be changed on the way out); and no British Forces Post
/// Office line, which Notify moves about by rules of its own (such a letter is posted by hand).
public struct NotifyLetterAddress: Sendable, Hashable {
    /// Notify's letter columns `address_line_1`…`address_line_6` (unused ones empty).
    public let lines: [String]
    /// Notify's `postcode` column: the last line, formatted for Royal Mail (`LS1 4AP`).
    public let postcode: String

    /// Why Notify would refuse an address.
    public enum Problem: String, Error, Sendable, CaseIterable {
        case notEnoughLines = "fewer than 3 lines with the postcode"
        case tooManyLines = "more than 7 lines with the postcode"
        case noRealPostcode = "the last line is not a real UK postcode"
        case invalidFirstCharacter = "a line starts with one of @()=[]\"\\/,<>~"
        case formulaLike = "a line starts with + or -, which a spreadsheet would read as a formula"
        case noFixedAbode = "no fixed abode"
        case noLetterOrDigit = "the first two lines need a letter or digit"
        case forcesPost = "a British Forces Post Office (BFPO) address"
    }

    /// The address Notify would print for `recipient` (the first line), the extract's address
    /// lines, and `postcode`, or the first rule it breaks.
    public static func check(recipient: String, addressLines: [String], postcode: String?)
        -> Result<NotifyLetterAddress, Problem>
    {
        let raw = ([recipient] + addressLines + [postcode ?? ""]).joined(separator: "\n")
        let lines = normalisedLines(raw)
        if lines.contains(where: { $0.lowercased().hasPrefix("bfpo") }) { return .failure(.forcesPost) }
        guard lines.count >= 3 else { return .failure(.notEnoughLines) }
        guard lines.count <= 7 else { return .failure(.tooManyLines) }
        guard let formatted = realUKPostcode(lines[lines.count - 1]) else { return .failure(.noRealPostcode) }
        let forbidden: Set<Character> = ["@", "(", ")", "=", "[", "]", "\"", "\\", "/", ",", "<", ">", "~"]
        if lines.contains(where: { $0.first.map(forbidden.contains) ?? false }) {
            return .failure(.invalidFirstCharacter)
        }
        if lines.contains(where: { $0.first == "+" || $0.first == "-" }) { return .failure(.formulaLike) }
        let text = lines.joined(separator: "\n").lowercased()
        if lines.contains(where: { $0.lowercased() == "nfa" }) || text.contains("no fixed abode")
            || text.contains("no fixed address")
        {
            return .failure(.noFixedAbode)
        }
        let alphanumeric = { (line: String) in line.unicodeScalars.contains { isASCIILetterOrDigit($0) } }
        guard alphanumeric(lines[0]), alphanumeric(lines[1]) else { return .failure(.noLetterOrDigit) }
        var columns = Array(lines.dropLast())
        columns += Array(repeating: "", count: 6 - columns.count)
        return .success(NotifyLetterAddress(lines: columns, postcode: formatted))
    }

    /// Notify's lines: split at line breaks, whitespace normalised (no-break spaces as spaces,
    /// zero-width characters removed, runs collapsed, ends trimmed), trailing spaces and commas
    /// removed, spaces before `,` and `.` removed, blank lines dropped.
    static func normalisedLines(_ raw: String) -> [String] {
        let zeroWidth: Set<Unicode.Scalar> = ["\u{180E}", "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}"]
        return raw.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).compactMap { line in
            var scalars = String.UnicodeScalarView()
            for scalar in line.unicodeScalars where !zeroWidth.contains(scalar) {
                scalars.append(scalar == "\u{A0}" || scalar == "\u{202F}" ? " " : scalar)
            }
            var text = String(scalars).split(whereSeparator: \.isWhitespace).joined(separator: " ")
            while let last = text.last, last == " " || last == "," { text.removeLast() }
            text = text.replacingAll(" ,", with: ",").replacingAll(" .", with: ".")
            return text.isEmpty ? nil : text
        }
    }

    /// `ls14ap` → `LS1 4AP` when it is a real UK postcode by Notify's test: an outward code
    /// starting with one of the UK's postcode areas, then digit, optional digit or letter, then
    /// digit and two letters of those Royal Mail uses; else `nil`.
    static func realUKPostcode(_ text: String) -> String? {
        let compact = text.unicodeScalars.filter { !$0.properties.isWhitespace }.map { Character($0) }
        let upper = String(compact).uppercased()
        let scalars = Array(upper.unicodeScalars)
        let inwardLetters = Set("ABDEFGHJLNPQRSTUWXYZ".unicodeScalars)
        func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 48 && s.value <= 57 }
        func isLetter(_ s: Unicode.Scalar) -> Bool { s.value >= 65 && s.value <= 90 }
        for area in postcodeAreas where upper.hasPrefix(area) {
            let rest = Array(scalars.dropFirst(area.count))
            // digit, [digit or letter]?, digit, letter, letter
            for optional in [false, true] {
                let count = optional ? 5 : 4
                guard rest.count == count else { continue }
                let digits = isDigit(rest[0]) && (!optional || isDigit(rest[1]) || isLetter(rest[1]))
                let inward = rest.suffix(3)
                if digits, isDigit(inward[inward.startIndex]), inwardLetters.contains(inward[inward.startIndex + 1]),
                    inwardLetters.contains(inward[inward.startIndex + 2])
                {
                    return String(upper.dropLast(3)) + " " + String(upper.suffix(3))
                }
            }
        }
        return nil
    }

    private static func isASCIILetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value >= 48 && scalar.value <= 57) || (scalar.value >= 65 && scalar.value <= 90)
            || (scalar.value >= 97 && scalar.value <= 122)
    }

    /// The UK's postcode areas, as Notify lists them (`uk-postcode-zones.txt`).
    static let postcodeAreas: [String] = """
        AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN EX \
        FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L GIR LA LD LE LL LN LS LU M ME MK ML N NE \
        NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS \
        TW UB W WA WC WD WF WN WR WS WV YO ZE
        """.split(separator: " ").map(String.init)
}
