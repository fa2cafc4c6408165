import Basics
import Vocabulary

/// A published item that was not attempted (``NotAttemptedReason``).
public struct ItemNotAttempted: Hashable, Sendable {
    public var itemId: String
    public var reason: NotAttemptedReason
    /// The day this was recorded.
    public var recordedOn: Day

    public init(itemId: String, reason: NotAttemptedReason, recordedOn: Day) {
        self.itemId = itemId
        self.reason = reason
        self.recordedOn = recordedOn
    }
}
