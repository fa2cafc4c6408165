import Basics
import Vocabulary

/// A returned call list was ingested. It is written after the file's outcome records, in the same
/// batch, so the file counts as ingested exactly when its rows are recorded.
public struct OutcomeFileIngested: Hashable, Sendable {
    /// The file's name as it arrived in the inbox (no folder).
    public var fileName: String
    /// The file's bytes' SHA-256: the same bytes are never ingested twice.
    public var contentHash: ContentHash
    /// Rows recorded as outcomes.
    public var acceptedCount: Int
    /// Rows refused with a reason (written to the rejects file).
    public var rejectedCount: Int
    /// Rows whose outcome was left empty (not attempted; not a reject).
    public var emptyCount: Int
    /// When it was ingested (the team's local time).
    public var at: LocalDateTime

    public init(
        fileName: String, contentHash: ContentHash, acceptedCount: Int, rejectedCount: Int, emptyCount: Int,
        at: LocalDateTime
    ) {
        self.fileName = fileName
        self.contentHash = contentHash
        self.acceptedCount = acceptedCount
        self.rejectedCount = rejectedCount
        self.emptyCount = emptyCount
        self.at = at
    }
}
