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

/// One kind of summary of one slot for every patient: a view with a stride into the summaries.
struct SummaryColumn: Sendable {
    let values: [Int32]
    let offset: Int
    let stride: Int

    @inline(__always)
    subscript(patient: Int) -> Int32 { values[patient &* stride &+ offset] }
}

/// The last values of one slot for every patient (see ``SummaryColumn``).
struct LastValueColumn: Sendable {
    let values: [Double]
    let offset: Int
    let stride: Int

    @inline(__always)
    subscript(patient: Int) -> Double { values[patient &* stride &+ offset] }
}

/// The summaries themselves, patient by patient: each patient's summaries of every slot sit
/// side by side, so that an event (for one patient, at a random place in the file) touches one
/// cache line of them, not one per slot.
public struct EventAggregates: Sendable, EventSink {
    static let none = Int32.min
    static let noFirst = Int32.max

    /// The kinds of summary a slot keeps.
    enum Kind: Int, CaseIterable {
        case count, first, last, lastValueDay
    }

    let patientCount: Int
    let from: [Int32]
    let through: [Int32]
    /// The slots code id `c` updates are `slotList[slotStarts[c]..<slotStarts[c + 1]]`.
    let slotStarts: [Int]
    let slotList: [Int]
    /// Where each slot's summary of each kind sits in a patient's row of `fields`
    /// (`positions[slot * kinds + kind]`), or -1 when the slot does not keep it.
    let positions: [Int]
    /// Where each slot's last value sits in a patient's row of `lastValues`, or -1.
    let valuePositions: [Int]
    /// The kind of each position of a row (how it starts and merges).
    let kinds: [Kind]
    let stride: Int
    let valueStride: Int
    /// `stride` summaries per patient, patient after patient.
    var fields: [Int32]
    /// `valueStride` last values per patient.
    var lastValues: [Double]

    init(plan: AggregatePlan, patientCount: Int) {
        self.patientCount = patientCount
        from = plan.slots.map(\.from)
        through = plan.slots.map(\.through)
        slotStarts = plan.slotsByCode.reduce(into: [0]) { starts, slots in starts.append(starts.last! + slots.count) }
        slotList = plan.slotsByCode.flatMap { $0.map(Int.init) }
        var positions = [Int](repeating: -1, count: plan.slots.count * Kind.allCases.count)
        var valuePositions = [Int](repeating: -1, count: plan.slots.count)
        var kinds: [Kind] = []
        var valueStride = 0
        for (slot, needs) in plan.needs.enumerated() {
            func keep(_ kind: Kind) {
                positions[slot * Kind.allCases.count + kind.rawValue] = kinds.count
                kinds.append(kind)
            }
            if needs.contains(.count) { keep(.count) }
            if needs.contains(.first) { keep(.first) }
            if needs.contains(.last) { keep(.last) }
            if needs.contains(.lastValue) {
                keep(.lastValueDay)
                valuePositions[slot] = valueStride
                valueStride += 1
            }
        }
        self.positions = positions
        self.valuePositions = valuePositions
        self.kinds = kinds
        stride = kinds.count
        self.valueStride = valueStride
        // The tables are made when the first events arrive, or taken over from the first sink
        // merged in (``merge(_:)``): the sink that gathers the cores' sinks fills none of its own
        // unless a patients file embeds events (at 900,000 patients, one fewer table of summaries
        // for every patient to write, and to merge).
        fields = []
        lastValues = []
    }

    /// Whether the tables are made (a patient's row of each, for every patient).
    var isFilled: Bool { fields.count == patientCount * stride && lastValues.count == patientCount * valueStride }

    /// Makes the tables, every summary as for no event, unless they are made already.
    mutating func fill() {
        guard !isFilled else { return }
        let row = kinds.map { kind -> Int32 in
            switch kind {
            case .count: return 0
            case .first: return EventAggregates.noFirst
            case .last, .lastValueDay: return EventAggregates.none
            }
        }
        // The first patient's row, then what is filled so far copied after itself, doubling: a
        // handful of block copies, where a loop over rows and their values took 25 ms at
        // 900,000 patients, on each core, before the scan could start.
        let total = patientCount * row.count
        fields = [Int32](unsafeUninitializedCapacity: total) { buffer, initialized in
            guard total > 0, let base = buffer.baseAddress else {
                initialized = 0
                return
            }
            row.withUnsafeBufferPointer { base.initialize(from: $0.baseAddress!, count: row.count) }
            var filled = row.count
            while filled < total {
                let count = Swift.min(filled, total - filled)
                (base + filled).initialize(from: base, count: count)
                filled += count
            }
            initialized = total
        }
        lastValues = [Double](repeating: -.infinity, count: patientCount * valueStride)
    }

    /// One kind of summary of `slot` for every patient (the plan made the slot keep it).
    func column(_ kind: Kind, slot: Int) -> SummaryColumn {
        precondition(isFilled, "event summaries read before they were made (fill())")
        let offset = positions[slot * Kind.allCases.count + kind.rawValue]
        precondition(offset >= 0, "event summary was not planned")
        return SummaryColumn(values: fields, offset: offset, stride: stride)
    }

    /// The last values of `slot` for every patient.
    func lastValueColumn(slot: Int) -> LastValueColumn {
        precondition(isFilled, "event summaries read before they were made (fill())")
        let offset = valuePositions[slot]
        precondition(offset >= 0, "event summary was not planned")
        return LastValueColumn(values: lastValues, offset: offset, stride: valueStride)
    }

    /// Updates the summaries for a block of events, with every table held as a buffer for the
    /// whole block (a write into an array property would check its uniqueness every time).
    public mutating func receive(_ events: [ScannedEvent]) {
        fill()
        let stride = self.stride
        let valueStride = self.valueStride
        let kindCount = Kind.allCases.count
        let (from, through, slotStarts, slotList, positions, valuePositions) =
            (self.from, self.through, self.slotStarts, self.slotList, self.positions, self.valuePositions)
        fields.withUnsafeMutableBufferPointer { fields in
            lastValues.withUnsafeMutableBufferPointer { lastValues in
                for event in events {
                    let row = Int(event.patient) &* stride
                    let d = event.day.ordinal
                    for slot in slotList[slotStarts[Int(event.code)]..<slotStarts[Int(event.code) + 1]] {
                        guard d >= from[slot], d <= through[slot] else { continue }
                        let at = slot &* kindCount
                        let count = positions[at + Kind.count.rawValue]
                        if count >= 0 { fields[row &+ count] &+= 1 }
                        let first = positions[at + Kind.first.rawValue]
                        if first >= 0, d < fields[row &+ first] { fields[row &+ first] = d }
                        let last = positions[at + Kind.last.rawValue]
                        if last >= 0, d > fields[row &+ last] { fields[row &+ last] = d }
                        let lastValueDay = positions[at + Kind.lastValueDay.rawValue]
                        if let value = event.value, lastValueDay >= 0 {
                            let latest = fields[row &+ lastValueDay]
                            let valueAt = Int(event.patient) &* valueStride &+ valuePositions[slot]
                            if d > latest || (d == latest && value > lastValues[valueAt]) {
                                fields[row &+ lastValueDay] = d
                                lastValues[valueAt] = value
                            }
                        }
                    }
                }
            }
        }
    }

    public mutating func receive(patient: Int32, code: Int32, day: Day, value: Double?) {
        receive([ScannedEvent(patient: patient, code: code, day: day, value: value)])
    }

    /// Folds in the summaries of another part of the same events (scanned on another core).
    /// Tables not made yet take `other`'s over (no copy, when `other` was the last holder of them).
    mutating func merge(_ other: EventAggregates) {
        guard other.isFilled else { return }  // no events
        guard isFilled else {
            fields = other.fields
            lastValues = other.lastValues
            return
        }
        let kinds = self.kinds
        let stride = self.stride
        let valueStride = self.valueStride
        // For each position holding a last value's day, where that value is in a row of `lastValues`.
        let valueAt = kinds.indices.map { position in
            kinds[position] == .lastValueDay ? kinds[..<position].filter { $0 == .lastValueDay }.count : -1
        }
        fields.withUnsafeMutableBufferPointer { fields in
            lastValues.withUnsafeMutableBufferPointer { lastValues in
                for patient in 0..<patientCount {
                    for (position, kind) in kinds.enumerated() {
                        let at = patient * stride + position
                        let theirs = other.fields[at]
                        switch kind {
                        case .count: fields[at] &+= theirs
                        case .first: fields[at] = min(fields[at], theirs)
                        case .last: fields[at] = max(fields[at], theirs)
                        case .lastValueDay:
                            let valueIndex = patient * valueStride + valueAt[position]
                            let mine = fields[at]
                            if theirs > mine
                                || (theirs == mine && other.lastValues[valueIndex] > lastValues[valueIndex])
                            {
                                fields[at] = theirs
                                lastValues[valueIndex] = other.lastValues[valueIndex]
                            }
                        }
                    }
                }
            }
        }
    }
}
