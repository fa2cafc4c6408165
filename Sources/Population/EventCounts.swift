import Basics

/// What an event scan saw, summed over the events it was given.
public struct EventCounts: Sendable {
    /// Data rows read from events files (blank lines not counted).
    public var rows = 0
    /// Usable events (a valid NHS number, a code and a date), embedded ones included.
    public var events = 0
    /// Usable events whose NHS number is not among the patients (counted, not errors).
    public var unknownPatients = 0
    /// Events whose code is in the table, by code id.
    public var matched: [Int]
    /// Rows not used (bad NHS number, bad date, no code) and values ignored (bad value).
    public var rejects = RejectLog()
    /// How many rows were rejected.
    public var rowsRejected = 0

    public init(codes: Int) {
        matched = [Int](repeating: 0, count: codes)
    }

    /// Adds another chunk's or file's counts.
    public mutating func merge(_ other: EventCounts) {
        rows += other.rows
        events += other.events
        unknownPatients += other.unknownPatients
        for index in matched.indices { matched[index] += other.matched[index] }
        rejects.append(contentsOf: other.rejects)
        rowsRejected += other.rowsRejected
    }
}
