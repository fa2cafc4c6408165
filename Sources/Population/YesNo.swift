import Basics

/// Yes/no values: `yes`, `y`, `true`, `t`, `1`; `no`, `n`, `false`, `f`, `0` (any case).
public enum YesNo {
    public static func parse(_ bytes: FieldBytes) -> Result<Bool, Problem> {
        if MissingValue.isMissing(bytes) { return .failure(.missing) }
        let range = Bytes.trimmed(bytes)
        func word(_ text: StaticString) -> Bool { Bytes.equalsIgnoringCase(bytes, range, text) }
        if word("yes") || word("y") || word("true") || word("t") || word("1") { return .success(true) }
        if word("no") || word("n") || word("false") || word("f") || word("0") { return .success(false) }
        return .failure(.notYesNo)
    }

    public static func parse(_ text: String) -> Result<Bool, Problem> {
        Bytes.with(text) { parse($0) }
    }
}
