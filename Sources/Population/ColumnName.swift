import Basics

/// Column names for rules: lower case, runs of anything but letters and digits made one `_`,
/// none at either end (`Lives alone?` → `lives_alone`, `Date of issue` → `date_of_issue`).
public enum ColumnName {
    public static func normalise(_ header: String) -> String {
        var out: [UInt8] = []
        var pendingUnderscore = false
        for byte in header.utf8 {
            if byte.isLetter || byte.isDigit {
                if pendingUnderscore, !out.isEmpty { out.append(0x5F) }
                pendingUnderscore = false
                out.append(byte.lowercased)
            } else {
                pendingUnderscore = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The key profiles match headers by: letters and digits only, lower case
    /// (`NHS number`, `NHSNumber`, `nhs_number` → `nhsnumber`).
    public static func matchKey(_ header: String) -> String {
        String(decoding: header.utf8.filter { $0.isLetter || $0.isDigit }.map(\.lowercased), as: UTF8.self)
    }
}
