import Basics
import Vocabulary

/// One call on one worker's list for one day: a row of a published call list.
public struct ItemPublished: Hashable, Sendable {
    /// The list item's id: unique, and not guessable from the NHS number.
    public var itemId: String
    /// The day of the list.
    public var day: Day
    /// The worker's id from the rule files.
    public var worker: String
    public var nhsNumber: UInt64
    /// The patient's practice (ODS code).
    public var practice: String
    /// The ids of the cohorts this call covers, in the list's order.
    public var cohorts: [String]
    /// The number of this call within its episode: 1 for a first call, 2 for the first retry.
    public var attempt: Int
    public var timeBand: TimeBand
    /// The case's priority (1 most urgent).
    public var priority: Int
    /// ``phoneFingerprint(of:)`` of the numbers the list showed, so a `wrong_number` can wait for
    /// an extract that brings a different number; 0 when the list showed none.
    public var phoneFingerprint: UInt64

    public init(
        itemId: String, day: Day, worker: String, nhsNumber: UInt64, practice: String, cohorts: [String],
        attempt: Int, timeBand: TimeBand, priority: Int, phoneFingerprint: UInt64
    ) {
        self.itemId = itemId
        self.day = day
        self.worker = worker
        self.nhsNumber = nhsNumber
        self.practice = practice
        self.cohorts = cohorts
        self.attempt = attempt
        self.timeBand = timeBand
        self.priority = priority
        self.phoneFingerprint = phoneFingerprint
    }

    /// What follows each number in the bytes ``phoneFingerprint(of:)`` hashes.
    private static let numberEnd: [UInt8] = [0]

    /// A 64-bit fingerprint of a person's phone numbers (as normalised by the caller, in a fixed
    /// order), from their SHA-256: equal numbers give equal fingerprints; none give 0.
    public static func phoneFingerprint(of numbers: [String]) -> UInt64 {
        guard numbers.contains(where: { !$0.isEmpty }) else { return 0 }
        var hasher = SHA256()
        for number in numbers where !number.isEmpty {
            hasher.update(number.utf8)
            hasher.update(numberEnd)
        }
        let fingerprint = hasher.finalize().prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return fingerprint == 0 ? 1 : fingerprint
    }
}
