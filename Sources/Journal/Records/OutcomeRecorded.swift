import Basics
import Vocabulary

/// The outcome a worker recorded for a published item.
public struct OutcomeRecorded: Hashable, Sendable {
    public var itemId: String
    /// The item's NHS number, repeated so the record stands on its own in an audit (checked
    /// against the item when appended).
    public var nhsNumber: UInt64
    public var outcome: OutcomeCode
    /// The day the person asked to be rung: present exactly when `outcome` is `call_back`.
    public var callBackOn: Day?
    /// The worker's notes, as written. Patient data: exported for audit, never logged.
    public var notes: String
    public var source: OutcomeSource
    /// The day the outcome was ingested.
    public var recordedOn: Day

    public init(
        itemId: String, nhsNumber: UInt64, outcome: OutcomeCode, callBackOn: Day? = nil, notes: String = "",
        source: OutcomeSource, recordedOn: Day
    ) {
        self.itemId = itemId
        self.nhsNumber = nhsNumber
        self.outcome = outcome
        self.callBackOn = callBackOn
        self.notes = notes
        self.source = source
        self.recordedOn = recordedOn
    }

    /// Whether the two say the same thing about the call (code, call-back day, notes), whatever
    /// file or day they came from: recording the same thing again is not a supersession.
    public func saysTheSame(as other: OutcomeRecorded) -> Bool {
        itemId == other.itemId && outcome == other.outcome && callBackOn == other.callBackOn && notes == other.notes
    }
}

/// Where an outcome came from: a row of a returned call list.
public struct OutcomeSource: Hashable, Sendable {
    /// The SHA-256 of the returned file.
    public var fileHash: ContentHash
    /// The row's line number in that file (the header is line 1).
    public var row: Int

    public init(fileHash: ContentHash, row: Int) {
        self.fileHash = fileHash
        self.row = row
    }
}
