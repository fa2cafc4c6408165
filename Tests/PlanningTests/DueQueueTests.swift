import Basics
import Testing

@testable import Planning

/// A forecast day reads a bucket's due calls from a ``DueQueue`` in place of sorting them all: the
/// order it gives must be exactly the sort's a plan makes (by key, then by the person's index),
/// however far it is read and read again, or the forecast would list other people than a plan.
@Suite struct DueQueueTests {
    /// A call as the tests queue it: its person, due day and key.
    struct Call {
        let index: Int
        let dueOn: Day
        let key: OrderingKey
    }

    /// Calls with keys drawn from a small range, so that many tie.
    static func calls(_ random: inout SeededRandom, count: Int, start: Day) -> [Call] {
        (0..<count).map { index in
            let dueOn = start.adding(days: Int(random.next() % 4))
            let key = OrderingKey(
                kindClass: Int(random.next() % 2), priority: Int(random.next() % 3), deadline: nil,
                decile: Int(random.next() % 3), dueOn: dueOn, tieBreak: random.next() % 3)
            return Call(index: index, dueOn: dueOn, key: key)
        }
    }

    static func queue(_ calls: [Call]) -> DueQueue {
        DueQueue(keys: calls.map(\.key), people: calls.map(\.index))
    }

    @Test func readsInTheOrderOfAStableSortHoweverFarItIsRead() {
        var random = SeededRandom(seed: 2_612)
        let start = Day(iso: "2026-11-23")!
        for _ in 0..<200 {
            let calls = Self.calls(&random, count: Int(random.next() % 60), start: start)
            let sorted = calls.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }
                .map(\.element.index)
            var queue = Self.queue(calls)
            #expect(queue.count == calls.count)
            // A first read of part of it, then the whole from the start: what was read stays in order.
            let part = calls.isEmpty ? 0 : Int(random.next() % UInt64(calls.count))
            #expect((0..<part).map { calls[queue.added(at: $0)].index } == Array(sorted[..<part]))
            #expect((0..<queue.count).map { calls[queue.added(at: $0)].index } == sorted)
        }
    }

    /// A forecast day's bucket adds its people in no particular order: ties of the whole key
    /// still go to the person with the lower index, as in a plan (which adds them in index order).
    @Test func tiesGoToTheLowerIndexWhateverTheOrderOfAdding() {
        var random = SeededRandom(seed: 2_614)
        let start = Day(iso: "2026-11-23")!
        for _ in 0..<200 {
            var calls = Self.calls(&random, count: Int(random.next() % 60), start: start)
            var indices = Array(calls.indices)
            for position in indices.indices.reversed() where position > 0 {
                indices.swapAt(position, Int(random.next() % UInt64(position + 1)))
            }
            calls = zip(calls, indices).map { Call(index: $1, dueOn: $0.dueOn, key: $0.key) }
            let sorted = calls.sorted { ($0.key, $0.index) < ($1.key, $1.index) }.map(\.index)
            var queue = Self.queue(calls)
            #expect((0..<queue.count).map { calls[queue.added(at: $0)].index } == sorted)
        }
    }
}
