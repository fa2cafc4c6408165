import Basics
import Planning

/// An urgent concern not yet dealt with, as the report's first section lists it. The worker's
/// notes stay in the duty clinician's escalation file (`outbox/escalations/`), not the report.
public struct OpenEscalation: Sendable, Equatable {
    public let itemId: String
    /// The day the `urgent_concern` was recorded.
    public let raisedOn: Day
    public let worker: String
    public let practice: String
    public let nhsNumber: UInt64
    /// From the current extract; empty when the person is no longer in it.
    public let name: String
}
