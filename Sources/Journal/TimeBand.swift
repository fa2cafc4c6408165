/// The part of the day a call is suggested for. A retry goes in the other band from the attempt it
/// retries: the same person unanswered at 10:00 twice is a wasted attempt.
public enum TimeBand: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case morning
    case afternoon

    public var description: String { rawValue }

    /// The other band.
    public var other: TimeBand { self == .morning ? .afternoon : .morning }

    var wireCode: UInt8 { self == .morning ? 1 : 2 }

    init?(wireCode: UInt8) {
        switch wireCode {
        case 1: self = .morning
        case 2: self = .afternoon
        default: return nil
        }
    }
}
