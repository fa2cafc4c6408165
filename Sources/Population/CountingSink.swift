import Basics

/// A sink that only counts (what `inspect` needs).
public struct CountingSink: EventSink, Sendable {
    public private(set) var received = 0

    public init() {}

    public mutating func receive(patient: Int32, code: Int32, day: Day, value: Double?) {
        received += 1
    }

    public mutating func receive(_ events: [ScannedEvent]) {
        received += events.count
    }

    /// Adds the count of another part of the events.
    public mutating func merge(_ other: CountingSink) {
        received += other.received
    }
}
