/// The order of a forecast day's due calls (``OrderingKey``, then the person's index), worked out
/// only as far as it is read: a day's lists fill from the front of the queue, so a day reads a
/// small part of it (a bucket of thousands, of which a few dozen are listed).
///
/// The queue names each call by where it was added, and the caller keeps the calls themselves,
/// making only those it reads. The calls not yet read wait in a binary min-heap, which gives the
/// order of a sort by key and then by the person's index.
struct DueQueue {
    /// Where the calls read so far were added, in order.
    private var ordered: [Int] = []
    /// The calls not yet read, as a min-heap of (key, where added).
    private var heap: [(key: OrderingKey, added: Int)]
    /// The person of each call, by where it was added: a tie of the whole key (which the key's
    /// hash makes rare) goes to the lower index.
    private let people: [Int]

    /// A queue of the calls with `keys`, of the people `people` (one each, in the same order).
    init(keys: [OrderingKey], people: [Int]) {
        precondition(keys.count == people.count, "one person for each key")
        self.people = people
        heap = keys.enumerated().map { ($1, $0) }
        for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
    }

    /// How many calls there are, read or not.
    var count: Int { people.count }

    /// Where the call at `rank` in the order (below ``count``) was added.
    mutating func added(at rank: Int) -> Int {
        while ordered.count <= rank { ordered.append(popFirst()) }
        return ordered[rank]
    }

    /// Whether one waiting call comes before another: by key, then by the person's index.
    private func precedes(_ a: (key: OrderingKey, added: Int), _ b: (key: OrderingKey, added: Int)) -> Bool {
        a.key != b.key ? a.key < b.key : people[a.added] < people[b.added]
    }

    /// Takes the first call waiting off the heap; returns where it was added.
    private mutating func popFirst() -> Int {
        let first = heap[0].added
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
