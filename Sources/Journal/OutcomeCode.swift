import Basics
import RuleLanguage

extension OutcomeCode {
    /// The number that stands for this outcome in journal records. Never reuse or renumber one.
    var wireCode: UInt8 {
        switch self {
        case .reached: 1
        case .reachedSupport: 2
        case .declined: 3
        case .noAnswer: 4
        case .voicemail: 5
        case .callBack: 6
        case .wrongNumber: 7
        case .deceased: 8
        case .movedAway: 9
        case .optedOut: 10
        case .optedIn: 11
        case .urgentConcern: 12
        }
    }

    /// The outcome a journal record's number stands for, or `nil` for a number this version does not know.
    init?(wireCode: UInt8) {
        guard let match = OutcomeCode.allCases.first(where: { $0.wireCode == wireCode }) else { return nil }
        self = match
    }
}

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
