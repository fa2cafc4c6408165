import Basics

/// Receives the events an ``EventScanner`` finds whose code is in the scan's ``CodeTable``.
///
/// A scan on several cores gives each core its own sink and merges them afterwards, in no set
/// order, so a sink needs no locking, and merging must give the same summaries in any order.
public protocol EventSink {
    /// One event: the patient's index in the population, the code's id in the code table, the
    /// day, and the value when the row had one.
    mutating func receive(patient: Int32, code: Int32, day: Day, value: Double?)

    /// Several events, in the order found. The scanner hands events over a block at a time, so a
    /// sink in another module costs one call per block, not one per event; by default this calls
    /// ``receive(patient:code:day:value:)`` for each.
    mutating func receive(_ events: [ScannedEvent])
}

extension EventSink {
    public mutating func receive(_ events: [ScannedEvent]) {
        for event in events { receive(patient: event.patient, code: event.code, day: event.day, value: event.value) }
    }
}
