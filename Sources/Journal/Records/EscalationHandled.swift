import Basics
import Vocabulary

/// An escalation (an `urgent_concern` outcome) that the duty clinician has dealt with: recorded
/// from a returned escalations file whose `handled_by` cell is filled in.
public struct EscalationHandled: Hashable, Sendable {
    /// The item whose `urgent_concern` outcome raised the escalation.
    public var itemId: String
    /// Who dealt with it, as written (a clinician's name or role).
    public var handledBy: String
    /// The day it was recorded.
    public var on: Day

    public init(itemId: String, handledBy: String, on: Day) {
        self.itemId = itemId
        self.handledBy = handledBy
        self.on = on
    }
}
