/// Why a published item counts as not attempted (scheduling.md: it goes back into the queue,
/// is not counted as an attempt, and is flagged in the report).
public enum NotAttemptedReason: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// The list came back with this row's outcome left empty.
    case returnedEmpty = "returned_empty"
    /// The list had not come back by the next morning's run.
    case notReturned = "not_returned"

    public var description: String { rawValue }

    var wireCode: UInt8 { self == .returnedEmpty ? 1 : 2 }

    init?(wireCode: UInt8) {
        switch wireCode {
        case 1: self = .returnedEmpty
        case 2: self = .notReturned
        default: return nil
        }
    }
}
