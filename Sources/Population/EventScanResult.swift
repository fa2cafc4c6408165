import Basics

/// The result of a scan: the totals, and each events file's own counts.
public struct EventScanResult: Sendable {
    public var total: EventCounts
    /// Per events file (same order as ``Extract/eventFiles``).
    public var files: [(file: String, counts: EventCounts)]
    /// Events that came from patients files.
    public var embedded: Int
}
