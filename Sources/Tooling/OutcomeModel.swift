import Basics
import Journal
import Operations
import Planning
import RuleLanguage
import Vocabulary

/// How simulated workers' calls turn out.
public struct OutcomeModel: Sendable {
    /// Share of calls answered (the rest are no answer or voicemail).
    public var answerRate: Double
    public var seed: UInt64

    public init(answerRate: Double = 0.6, seed: UInt64 = 1) {
        self.answerRate = answerRate
        self.seed = seed
    }

    /// The outcome a worker records for one list row, or `nil` when they leave it empty (not
    /// attempted), with a call-back day for `call_back`. Drawn from a generator seeded by the
    /// model's seed and the item id, so each item's fate does not depend on the order of the lists.
    func outcome(for row: CallListRow, roster: Roster) -> (OutcomeCode?, Day?, String) {
        outcome(itemID: row.itemID, on: row.date, roster: roster)
    }

    /// The outcome for the item `itemID` of a list for `date` (see ``outcome(for:roster:)``).
    func outcome(itemID: String, on date: Day, roster: Roster) -> (OutcomeCode?, Day?, String) {
        var random = SeededRandom(seed: seed ^ stableHash(itemID))
        if random.chance(0.02) { return (nil, nil, "") }
        guard random.chance(answerRate) else {
            return random.chance(0.7) ? (.noAnswer, nil, "") : (.voicemail, nil, "Left a message")
        }
        let draw = Double.random(in: 0..<1, using: &random)
        switch draw {
        case ..<0.55: return (.reached, nil, "Spoke; all well for now")
        case ..<0.75: return (.reachedSupport, nil, "Referred for support")
        case ..<0.85:
            let day = roster.workingDay(onOrAfter: date.adding(days: 2 + Int(random.next() % 6)))
            return (.callBack, day, "Asked to be rung back")
        case ..<0.93: return (.declined, nil, "Did not want a call")
        case ..<0.96: return (.wrongNumber, nil, "")
        case ..<0.98: return (.optedOut, nil, "Asked not to be called")
        case ..<0.99: return (.movedAway, nil, "")
        default: return (.deceased, nil, "Family told us")
        }
    }

    private func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0100_0000_01B3
        }
        return hash
    }
}
