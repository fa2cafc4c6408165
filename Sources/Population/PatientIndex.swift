import Basics
import MemoryHints
import Vocabulary

/// NHS number → patient index, as an open-addressing hash table over integers: a lookup hashes
/// a `UInt64` and compares integers, with no allocation (events are joined to patients by it).
///
/// Each slot packs the NHS number (below 10^10 < 2^34) and the patient index plus one (0 marks an
/// empty slot) into one `UInt64`, so a lookup in a table far bigger than the caches costs one
/// memory access, not two.
public struct PatientIndex: Sendable {
    private var slots: [UInt64]
    private var mask: Int
    /// How many numbers the index holds.
    public private(set) var count = 0
    private static let indexBits: UInt64 = 30
    private static let indexMask: UInt64 = (1 << indexBits) - 1

    /// An empty index.
    public init() {
        slots = [UInt64](repeating: 0, count: 16)
        mask = 15
    }

    /// Indexes `nhsNumbers` (which must be distinct): patient `i` has `nhsNumbers[i]`.
    public init(_ nhsNumbers: [UInt64]) {
        var capacity = 16
        while capacity < nhsNumbers.count * 2 { capacity <<= 1 }
        slots = LargePages.zeroed(capacity)
        mask = capacity - 1
        for (index, key) in nhsNumbers.enumerated() { insert(key, index: index) }
    }

    /// Adds an NHS number that is not in the index yet, for patient `index`.
    public mutating func insert(_ nhsNumber: UInt64, index: Int) {
        precondition(nhsNumber < 1 << (64 - PatientIndex.indexBits), "not an NHS number")
        precondition(UInt64(index) < PatientIndex.indexMask, "too many patients for one index")
        if (count + 1) * 2 > slots.count { grow() }
        var slot = PatientIndex.hash(nhsNumber) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = nhsNumber << PatientIndex.indexBits | UInt64(index + 1)
        count += 1
    }

    /// Makes room for `count` numbers in all, so that adding them does not rebuild the table.
    public mutating func reserveCapacity(_ count: Int) {
        var capacity = slots.count
        while count * 2 > capacity { capacity <<= 1 }
        if capacity > slots.count { rebuild(capacity: capacity) }
    }

    /// Doubles the table (keeping it at most half full, so searches stay short).
    private mutating func grow() {
        rebuild(capacity: slots.count * 2)
    }

    private mutating func rebuild(capacity: Int) {
        let old = slots
        slots = LargePages.zeroed(capacity)
        mask = capacity - 1
        for entry in old where entry != 0 {
            var slot = PatientIndex.hash(entry >> PatientIndex.indexBits) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }

    /// The patient index for an NHS number, or `nil` when no patient has it.
    @inline(__always)
    public func index(of nhsNumber: UInt64) -> Int32? {
        index(of: nhsNumber, firstEntry: firstEntry(for: nhsNumber))
    }

    /// The slot where the search for `nhsNumber` starts. In a table far bigger than the caches
    /// every lookup is a cache miss; loading the first slots of many numbers before finishing any
    /// search lets the memory system fetch them all at once rather than one after another.
    @inline(__always)
    public func firstEntry(for nhsNumber: UInt64) -> UInt64 {
        slots[PatientIndex.hash(nhsNumber) & mask]
    }

    /// Starts bringing in the slot ``firstEntry(for:)`` reads for `nhsNumber`, without waiting:
    /// the event scan asks as it splits each row of the usual shape, so that a batch's lookups, a
    /// cache miss each in a large table, are under way while the rest of the batch is split.
    @inline(__always)
    func prefetch(_ nhsNumber: UInt64) {
        slots.withUnsafeBufferPointer { memory_hints_prefetch($0.baseAddress! + (PatientIndex.hash(nhsNumber) & mask)) }
    }

    /// The patient index for an NHS number, given its ``firstEntry(for:)``.
    @inline(__always)
    public func index(of nhsNumber: UInt64, firstEntry: UInt64) -> Int32? {
        var slot = PatientIndex.hash(nhsNumber) & mask
        var entry = firstEntry
        while true {
            if entry == 0 { return nil }
            if entry >> PatientIndex.indexBits == nhsNumber {
                return Int32(truncatingIfNeeded: entry & PatientIndex.indexMask) - 1
            }
            slot = (slot + 1) & mask
            entry = slots[slot]
        }
    }

    /// The patient for `numbers[row]`, or `nil`, for rows looked up in order while numbers are
    /// inserted between lookups (placing a patients file's rows): the first slots of a batch of
    /// rows ahead are loaded together (see ``firstEntry(for:)``), then each is looked up with its
    /// own. Slots are only ever filled, so a filled one is still as loaded, and an empty one is
    /// read again (a number inserted since may have filled it); a table rebuilt since (grown)
    /// has its slots loaded afresh. A lookahead serves one pass over rows, during which numbers
    /// are only inserted: start a new one for each (a table replaced at the same size would
    /// leave its loaded slots wrong).
    @inline(__always)
    func index(ofRow row: Int, in numbers: [UInt64], lookahead: inout Lookahead) -> Int32? {
        if row < lookahead.start || row >= lookahead.start + lookahead.entries.count
            || lookahead.capacity != slots.count
        {
            lookahead.start = row
            lookahead.capacity = slots.count
            lookahead.entries.removeAll(keepingCapacity: true)
            for ahead in row..<min(numbers.count, row + Lookahead.batch) {
                lookahead.entries.append(firstEntry(for: numbers[ahead]))
            }
        }
        let nhsNumber = numbers[row]
        let loaded = lookahead.entries[row - lookahead.start]
        return index(of: nhsNumber, firstEntry: loaded != 0 ? loaded : firstEntry(for: nhsNumber))
    }

    /// First slots loaded ahead of the rows that look them up; see ``index(ofRow:in:lookahead:)``.
    struct Lookahead {
        static let batch = 64
        fileprivate var entries: [UInt64] = []
        fileprivate var start = 0
        fileprivate var capacity = 0
    }

    @inline(__always)
    static func hash(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 29)
    }
}
