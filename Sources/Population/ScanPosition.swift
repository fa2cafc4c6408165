import Basics

/// Where a chunk scan stands between calls: the line the next byte is on and, for EMIS
/// continuation rows (blank NHS number), the patient of the row above.
public struct ScanPosition: Sendable {
    /// The physical line of the next unread byte.
    public var line: Int
    var previous: Previous = .none

    enum Previous: Sendable {
        case none, rejected, unknown, patient(Int32)
    }

    public init(line: Int) {
        self.line = line
    }
}
