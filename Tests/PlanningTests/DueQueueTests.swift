import Basics
import Testing

@testable import Planning

/// The planner reads due calls from a ``DueQueue`` in place of sorting them all: the order it
/// gives must be exactly the stable sort's (ties in order of adding), however far and in whatever
/// order a plan reads it, or two runs of the same day could list different people.
@Suite struct DueQueueTests {
    /// Calls with keys drawn from a small range, so that many tie.
    static func entries(_ random: inout SeededRandom, count: Int, start: Day) -> [QueueEntry] {
        (0..<count).map { index in
            let dueOn = start.adding(days: Int(random.next() % 4))
            let call = DueCall(
                kind: .first, dueOn: dueOn, deadline: nil, attempt: 1, previousBand: nil, lastReachedBy: nil)
            let key = OrderingKey(
                kindClass: Int(random.next() % 2), priority: Int(random.next() % 3), deadline: nil,
                decile: Int(random.next() % 3), dueOn: dueOn, tieBreak: random.next() % 3)
            return QueueEntry(index: index, call: call, group: 0, key: key)
        }
    }

    @Test func readsInTheOrderOfAStableSortHoweverFarItIsRead() {
        var random = SeededRandom(seed: 2_612)
        let start = Day(iso: "2026-11-23")!
        for _ in 0..<200 {
            let entries = Self.entries(&random, count: Int(random.next() % 60), start: start)
            let sorted = entries.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }
                .map(\.element.index)
            var queue = DueQueue(entries)
            #expect(queue.count == entries.count)
            // A first read of part of it, then the whole from the start, as a plan of several days does.
            let part = entries.isEmpty ? 0 : Int(random.next() % UInt64(entries.count))
            #expect((0..<part).map { queue[$0].index } == Array(sorted[..<part]))
            #expect((0..<queue.count).map { queue[$0].index } == sorted)
        }
    }

    /// What carries over to the next day is counted without reading the rest in order.
    @Test func countsTheCallsWaitingAfterAPositionAsAFullSortWould() {
        var random = SeededRandom(seed: 2_613)
        let start = Day(iso: "2026-11-23")!
        for _ in 0..<200 {
            let entries = Self.entries(&random, count: Int(random.next() % 60) + 1, start: start)
            let sorted = entries.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }
                .map(\.element)
            var queue = DueQueue(entries)
            let position = Int(random.next() % UInt64(entries.count))
            _ = queue[position]
            let placed = entries.indices.map { $0 <= position && random.chance(0.5) }
            let day = start.adding(days: Int(random.next() % 4))
            let expected = sorted.indices.filter { $0 > position && !placed[$0] && sorted[$0].call.dueOn <= day }.count
            #expect(queue.countWaiting(after: position, placed: placed, dueBy: day) == expected)
        }
    }
}
