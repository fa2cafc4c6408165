import Vocabulary

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
