import Basics

/// The due calls of a plan in their order (``OrderingKey``, then the person's index), put
/// in order only as far as they are read: a day's lists fill from the front of the queue, so most
/// days read a small part of it (a plan of the whole team's due calls, or a bucket of thousands
/// of a forecast day's).
///
/// The calls not yet read wait in a binary min-heap, which gives the order of a sort by key and
/// then by the person's index (a plan adds its calls in that order, so a stable sort's order).
struct DueQueue {
    /// The calls read so far, in order.
    private var ordered: [QueueEntry] = []
    /// The calls not yet read, as a min-heap of (key, position added).
    private var heap: [(key: OrderingKey, position: Int)]
    private let entries: [QueueEntry]

    init(_ entries: [QueueEntry]) {
        self.entries = entries
        heap = entries.indices.map { (entries[$0].key, $0) }
        for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
    }

    /// How many calls there are, read or not.
    var count: Int { entries.count }

    /// The call at `position` in the order (below ``count``).
    subscript(position: Int) -> QueueEntry {
        mutating get {
            while ordered.count <= position { ordered.append(entries[popFirst()]) }
            return ordered[position]
        }
    }

    /// How many calls after `position` are not `placed` (by position) and are due by `day`,
    /// without putting them in order.
    func countWaiting(after position: Int, placed: [Bool], dueBy day: Day) -> Int {
        var waiting = 0
        for later in (position + 1)..<ordered.count where !placed[later] && ordered[later].call.dueOn <= day {
            waiting += 1
        }
        for item in heap where entries[item.position].call.dueOn <= day { waiting += 1 }
        return waiting
    }

    /// Whether one waiting call comes before another: by key, then (a tie, which the key's hash
    /// makes rare) by the person's index.
    private func precedes(_ a: (key: OrderingKey, position: Int), _ b: (key: OrderingKey, position: Int)) -> Bool {
        a.key != b.key ? a.key < b.key : entries[a.position].index < entries[b.position].index
    }

    /// Takes the first call waiting off the heap; returns where it was added.
    private mutating func popFirst() -> Int {
        let first = heap[0].position
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
        return first
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            var child = left
            if left + 1 < heap.count, precedes(heap[left + 1], heap[left]) { child = left + 1 }
            guard precedes(heap[child], heap[parent]) else { return }
            heap.swapAt(parent, child)
            parent = child
        }
    }
}
