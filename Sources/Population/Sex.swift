import Basics

/// Recorded sex: `F`, `M` or `U` (unknown, indeterminate, not stated).
public enum Sex: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case female, male, unknown

    /// `F`, `M`, `Female`, `male`, `W`, `U`, `Unknown`, `Indeterminate`, `Not known`, `X`, `Other`…
    public static func parse(_ bytes: FieldBytes) -> Result<Sex, Problem> {
        if MissingValue.isMissing(bytes) { return .failure(.missing) }
        let range = Bytes.trimmed(bytes)
        let first = bytes[range.lowerBound].lowercased
        let single = range.count == 1
        func word(_ text: StaticString) -> Bool { Bytes.equalsIgnoringCase(bytes, range, text) }
        switch first {
        case 0x66 where single || word("female") || word("f."): return .success(.female)
        case 0x77 where single || word("woman"): return .success(.female)
        case 0x6D where single || word("male") || word("man") || word("m."): return .success(.male)
        case 0x75, 0x69, 0x78, 0x6F, 0x6E:
            if single || word("unknown") || word("indeterminate") || word("not known") || word("not stated")
                || word("not specified") || word("unspecified") || word("other") || word("intersex")
            {
                return .success(.unknown)
            }
            return .failure(.notASex)
        default:
            return .failure(.notASex)
        }
    }

    /// Parses text; see ``parse(_:)-(FieldBytes)``.
    public static func parse(_ text: String) -> Result<Sex, Problem> {
        Bytes.with(text) { parse($0) }
    }

    /// `F`, `M` or `U`.
    public var description: String {
        switch self {
        case .female: return "F"
        case .male: return "M"
        case .unknown: return "U"
        }
    }
}
