/// A spreadsheet's error values (`#N/A`, `#NAME?`, `#REF!`, `Err:509`, …): what Excel, LibreOffice
/// or Google Sheets leave in a cell whose formula failed. Such a cell holds nothing anyone typed or
/// any clinical system exported.
public enum SpreadsheetError {
    /// Whether `cell` (already trimmed) is a spreadsheet's error value, in any case.
    public static func isErrorValue(_ cell: String) -> Bool {
        guard mayBeErrorValue(cell.utf8) else { return false }
        let upper = cell.uppercased()
        if upper.hasPrefix("ERR:"), upper.count > 4, upper.dropFirst(4).allSatisfy(\.isNumber) { return true }
        return values.contains(upper)
    }

    /// Whether UTF-8 text starts as an error value does (`#` or `Err:` in any case): a quick test
    /// that spares reading most cells as text at all.
    @inlinable
    public static func mayBeErrorValue(_ utf8: some Collection<UInt8>) -> Bool {
        guard let first = utf8.first else { return false }
        return first == UInt8(ascii: "#")
            || (utf8.count > 4 && utf8.prefix(4).elementsEqual("err:".utf8) { $0 | 0x20 == $1 })
    }

    /// Excel's, LibreOffice's and Google Sheets' error values, upper case.
    public static let values: Set<String> = [
        "#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#FIELD!",
        "#BLOCKED!", "#UNKNOWN!", "#GETTING_DATA", "#CONNECT!", "#BUSY!", "#EXTERNAL!", "#PYTHON!", "#TIMEOUT!",
    ]
}
