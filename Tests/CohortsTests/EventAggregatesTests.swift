import Basics
import Testing

@testable import Cohorts
@testable import Population
@testable import RuleLanguage

/// The per-patient event summaries: what each keeps, and that summaries of parts of the events
/// (scanned on several cores) merge into the summaries of all of them.
@Suite struct EventAggregatesTests {
    static let today = Day(iso: "2024-03-01")!

    static func codelist(_ name: String, _ codes: [String]) -> Codelist {
        Codelist(
            name: name, codes: codes, codeSet: Set(codes), sourcePath: nil, looksSNOMED: true,
            range: SourceRange(file: SourceFileID(0), start: 0, end: 0))
    }

    /// Three slots: list `a` at any time (every summary), list `b` in the last year (last,
    /// count), and list `a` in the last 90 days (last value).
    static func plan() -> (plan: AggregatePlan, slots: [(list: String, from: Int32, through: Int32)]) {
        var plan = AggregatePlan(today: today)
        let slots: [(String, Int32, Int32)] = [
            ("a", Int32.min, today.ordinal), ("b", today.ordinal - 365, today.ordinal),
            ("a", today.ordinal - 90, today.ordinal),
        ]
        let needs: [AggregatePlan.Needs] = [[.count, .first, .last, .lastValue], [.last, .count], [.lastValue]]
        for (slot, need) in zip(slots, needs) {
            _ = plan.slot(AggregatePlan.Slot(codelist: slot.0, from: slot.1, through: slot.2), needs: need)
        }
        plan.finish(codelists: ["a": codelist("a", ["1", "2"]), "b": codelist("b", ["2", "3"])])
        return (plan, slots)
    }

    static func events(_ count: Int, patients: Int, codes: Int, random: inout SeededRandom) -> [ScannedEvent] {
        (0..<count).map { _ in
            let day = Day(ordinal: today.ordinal - Int32(random.next() % 500) + 5)
            let value: Double? = random.chance(0.5) ? Double(random.next() % 4) : nil
            return ScannedEvent(
                patient: Int32(random.next() % UInt64(patients)), code: Int32(random.next() % UInt64(codes)), day: day,
                value: value)
        }
    }

    @Test func keepsCountFirstLastAndLastValueOfEachWindow() {
        let seed: UInt64 = 42
        var random = SeededRandom(seed: seed)
        let (plan, slots) = Self.plan()
        let events = Self.events(3000, patients: 40, codes: plan.codes.count, random: &random)
        var aggregates = EventAggregates(plan: plan, patientCount: 40)
        aggregates.receive(events)
        for (index, slot) in slots.enumerated() {
            let lists = ["a": ["1", "2"], "b": ["2", "3"]][slot.list]!
            for patient in 0..<40 {
                let mine = events.filter {
                    Int($0.patient) == patient && lists.contains(plan.codes.codes[Int($0.code)])
                        && $0.day.ordinal >= slot.from && $0.day.ordinal <= slot.through
                }
                let days = mine.map(\.day.ordinal)
                if index < 2 {
                    #expect(Int(aggregates.column(.count, slot: index)[patient]) == mine.count, "seed \(seed)")
                    #expect(aggregates.column(.last, slot: index)[patient] == days.max() ?? EventAggregates.none)
                }
                if index == 0 {
                    #expect(aggregates.column(.first, slot: index)[patient] == days.min() ?? EventAggregates.noFirst)
                }
                if index != 1 {
                    // The latest day's value; on one day, the largest value.
                    let latest = mine.filter { $0.value != nil }.max {
                        ($0.day.ordinal, $0.value!) < ($1.day.ordinal, $1.value!)
                    }
                    #expect(
                        aggregates.column(.lastValueDay, slot: index)[patient]
                            == latest?.day.ordinal ?? EventAggregates.none)
                    if let latest { #expect(aggregates.lastValueColumn(slot: index)[patient] == latest.value) }
                }
            }
        }
    }

    @Test func partsMergeIntoTheSummariesOfAllEvents() {
        let seed: UInt64 = 7
        var random = SeededRandom(seed: seed)
        let (plan, _) = Self.plan()
        for iteration in 0..<20 {
            let events = Self.events(2000, patients: 30, codes: plan.codes.count, random: &random)
            var whole = EventAggregates(plan: plan, patientCount: 30)
            whole.receive(events)
            var cuts = (0..<Int(random.next() % 5)).map { _ in Int(random.next() % 2001) }.sorted()
            cuts = [0] + cuts + [events.count]
            // The sink merged into starts with no tables (it takes over the first part's); a part
            // cut empty receives nothing, as a core that found no events.
            var merged = EventAggregates(plan: plan, patientCount: 30)
            for (start, end) in zip(cuts, cuts.dropFirst()) {
                var part = EventAggregates(plan: plan, patientCount: 30)
                if start < end { part.receive(Array(events[start..<end])) }
                merged.merge(part)
            }
            #expect(merged.fields == whole.fields, "seed \(seed) iteration \(iteration)")
            #expect(merged.lastValues == whole.lastValues, "seed \(seed) iteration \(iteration)")
        }
    }

    /// Summaries that no event reached, merged or not, read as no event: the tables are made
    /// when asked for, with every summary as a fresh sink's.
    @Test func sinksThatReceivedNothingMergeAsNoEvents() {
        let (plan, _) = Self.plan()
        var empty = EventAggregates(plan: plan, patientCount: 5)
        empty.receive([])
        var merged = EventAggregates(plan: plan, patientCount: 5)
        merged.merge(EventAggregates(plan: plan, patientCount: 5))
        merged.merge(EventAggregates(plan: plan, patientCount: 5))
        #expect(!merged.isFilled)
        merged.fill()
        #expect(merged.fields == empty.fields)
        #expect(merged.lastValues == empty.lastValues)
        for index in 0..<2 {
            #expect(merged.column(.count, slot: index)[4] == 0)
            #expect(merged.column(.last, slot: index)[4] == EventAggregates.none)
        }
        // A filled sink is unchanged by one that received nothing.
        var random = SeededRandom(seed: 3)
        var some = EventAggregates(plan: plan, patientCount: 5)
        some.receive(Self.events(50, patients: 5, codes: plan.codes.count, random: &random))
        let before = some
        some.merge(EventAggregates(plan: plan, patientCount: 5))
        #expect(some.fields == before.fields)
        #expect(some.lastValues == before.lastValues)
    }
}
