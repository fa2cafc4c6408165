import Basics
import Population
import RuleLanguage

/// The per-patient summaries of coded events that the rules need, worked out before any event is
/// read: for each codelist and window the rules use, which of count, first date, last date and
/// last value. The single pass over events updates only these, so memory grows with patients and
/// the number of summaries, never with events.
public struct AggregatePlan: Sendable {
    /// One summary: a codelist seen through a window of days (both ends included).
    struct Slot: Hashable, Sendable {
        let codelist: String
        let from: Int32
        let through: Int32
    }

    /// What a slot must keep.
    struct Needs: OptionSet, Hashable, Sendable {
        let rawValue: UInt8
        static let count = Needs(rawValue: 1)
        static let first = Needs(rawValue: 2)
        static let last = Needs(rawValue: 4)
        static let lastValue = Needs(rawValue: 8)
    }

    let today: Day
    private(set) var slots: [Slot] = []
    private(set) var needs: [Needs] = []
    private var slotIndex: [Slot: Int] = [:]
    /// The codes the rules use; a code's id indexes ``slotsByCode``.
    private(set) var codes = CodeTable([])
    /// For each code id, the slots its events update.
    private(set) var slotsByCode: [[Int32]] = []

    init(today: Day) {
        self.today = today
    }

    /// The index of a planned slot.
    func index(of slot: Slot) -> Int? { slotIndex[slot] }

    /// The slot for a codelist and window (created on first use), recording what it must keep.
    mutating func slot(_ slot: Slot, needs need: Needs) -> Int {
        if let index = slotIndex[slot] {
            needs[index].formUnion(need)
            return index
        }
        slots.append(slot)
        needs.append(need)
        slotIndex[slot] = slots.count - 1
        return slots.count - 1
    }

    /// Fixes the code table once every slot is known.
    mutating func finish(codelists: [String: Codelist]) {
        var allCodes: [String] = []
        var seen = Set<String>()
        let usedLists = Set(slots.map(\.codelist))
        for name in usedLists.sorted() {
            for code in codelists[name]?.codes ?? [] where seen.insert(code).inserted { allCodes.append(code) }
        }
        codes = CodeTable(allCodes)
        var byCode = [[Int32]](repeating: [], count: codes.count)
        for (index, slot) in slots.enumerated() {
            for code in codelists[slot.codelist]?.codes ?? [] {
                if let id = codes.id(of: code), !byCode[Int(id)].contains(Int32(index)) {
                    byCode[Int(id)].append(Int32(index))
                }
            }
        }
        slotsByCode = byCode
    }
}

/// The summaries themselves, one column per slot and kind, one row per patient.
public struct EventAggregates: Sendable, EventSink {
    static let none = Int32.min
    static let noFirst = Int32.max

    let patientCount: Int
    let from: [Int32]
    let through: [Int32]
    /// The slots code id `c` updates are `slotList[slotStarts[c]..<slotStarts[c + 1]]`.
    let slotStarts: [Int]
    let slotList: [Int]
    /// `counts[slot]` is empty when the slot does not need counts; likewise for the others.
    var counts: [[Int32]]
    var firsts: [[Int32]]
    var lasts: [[Int32]]
    var lastValueDays: [[Int32]]
    var lastValues: [[Double]]

    init(plan: AggregatePlan, patientCount: Int) {
        self.patientCount = patientCount
        from = plan.slots.map(\.from)
        through = plan.slots.map(\.through)
        slotStarts = plan.slotsByCode.reduce(into: [0]) { starts, slots in starts.append(starts.last! + slots.count) }
        slotList = plan.slotsByCode.flatMap { $0.map(Int.init) }
        counts = plan.needs.map { $0.contains(.count) ? [Int32](repeating: 0, count: patientCount) : [] }
        firsts = plan.needs.map {
            $0.contains(.first) ? [Int32](repeating: EventAggregates.noFirst, count: patientCount) : []
        }
        lasts = plan.needs.map {
            $0.contains(.last) ? [Int32](repeating: EventAggregates.none, count: patientCount) : []
        }
        lastValueDays = plan.needs.map {
            $0.contains(.lastValue) ? [Int32](repeating: EventAggregates.none, count: patientCount) : []
        }
        lastValues = plan.needs.map {
            $0.contains(.lastValue) ? [Double](repeating: -.infinity, count: patientCount) : []
        }
    }

    public mutating func receive(_ events: [ScannedEvent]) {
        for event in events { receive(patient: event.patient, code: event.code, day: event.day, value: event.value) }
    }

    @inline(__always)
    public mutating func receive(patient: Int32, code: Int32, day: Day, value: Double?) {
        let p = Int(patient)
        let d = day.ordinal
        for slot in slotList[slotStarts[Int(code)]..<slotStarts[Int(code) + 1]] {
            guard d >= from[slot], d <= through[slot] else { continue }
            if !counts[slot].isEmpty { counts[slot][p] &+= 1 }
            if !firsts[slot].isEmpty, d < firsts[slot][p] { firsts[slot][p] = d }
            if !lasts[slot].isEmpty, d > lasts[slot][p] { lasts[slot][p] = d }
            if let value, !lastValueDays[slot].isEmpty {
                let latest = lastValueDays[slot][p]
                if d > latest || (d == latest && value > lastValues[slot][p]) {
                    lastValueDays[slot][p] = d
                    lastValues[slot][p] = value
                }
            }
        }
    }

    /// Folds in the summaries of another part of the same events (scanned on another core).
    mutating func merge(_ other: EventAggregates) {
        for slot in counts.indices {
            for p in 0..<(counts[slot].isEmpty ? 0 : patientCount) { counts[slot][p] &+= other.counts[slot][p] }
            for p in 0..<(firsts[slot].isEmpty ? 0 : patientCount) {
                firsts[slot][p] = min(firsts[slot][p], other.firsts[slot][p])
            }
            for p in 0..<(lasts[slot].isEmpty ? 0 : patientCount) {
                lasts[slot][p] = max(lasts[slot][p], other.lasts[slot][p])
            }
            for p in 0..<(lastValueDays[slot].isEmpty ? 0 : patientCount) {
                let theirs = other.lastValueDays[slot][p]
                let mine = lastValueDays[slot][p]
                if theirs > mine || (theirs == mine && other.lastValues[slot][p] > lastValues[slot][p]) {
                    lastValueDays[slot][p] = theirs
                    lastValues[slot][p] = other.lastValues[slot][p]
                }
            }
        }
    }
}
