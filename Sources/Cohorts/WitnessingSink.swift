import Dispatch
import Basics
import Population
import RuleLanguage
import Vocabulary

/// Feeds the summaries and keeps one patient's events, for `explain`.
struct WitnessingSink: EventSink {
    var aggregates: EventAggregates
    let target: Int32
    let codes: CodeTable
    var events: [WitnessedEvent] = []

    mutating func receive(patient: Int32, code: Int32, day: Day, value: Double?) {
        receive([ScannedEvent(patient: patient, code: code, day: day, value: value)])
    }

    mutating func receive(_ block: [ScannedEvent]) {
        aggregates.receive(block)
        for event in block where event.patient == target {
            events.append(WitnessedEvent(code: codes.codes[Int(event.code)], day: event.day, value: event.value))
        }
    }

    /// Folds in another core's sink (its events in no set order, which the explanation does not depend on).
    mutating func merge(_ other: WitnessingSink) {
        aggregates.merge(other.aggregates)
        events += other.events
    }
}

/// An event of the witnessed patient whose code a rule uses.
struct WitnessedEvent: Sendable {
    let code: String
    let day: Day
    let value: Double?
}
