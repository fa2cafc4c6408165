import Basics

/// Yes/no values: `yes`, `y`, `true`, `t`, `1`; `no`, `n`, `false`, `f`, `0` (any case).
public enum YesNo {
    public static func parse(_ bytes: FieldBytes) -> Result<Bool, Problem> {
        if MissingValue.isMissing(bytes) { return .failure(.missing) }
        let range = Bytes.trimmed(bytes)
        func word(_ text: StaticString) -> Bool { Bytes.equalsIgnoringCase(bytes, range, text) }
        // By length, so that a cell is compared with the one word it could be (a column of these
        // is read for every patient).
        switch range.count {
        case 1:
            switch bytes[range.lowerBound].lowercased {
            case UInt8(ascii: "y"), UInt8(ascii: "t"), UInt8(ascii: "1"): return .success(true)
            case UInt8(ascii: "n"), UInt8(ascii: "f"), UInt8(ascii: "0"): return .success(false)
            default: return .failure(.notYesNo)
            }
        case 2 where word("no"), 5 where word("false"): return .success(false)
        case 3 where word("yes"), 4 where word("true"): return .success(true)
        default: return .failure(.notYesNo)
        }
    }

    public static func parse(_ text: String) -> Result<Bool, Problem> {
        Bytes.with(text) { parse($0) }
    }
}
