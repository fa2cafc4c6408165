import Basics
import Dispatch
import Journal
import RuleLanguage

/// Lays out due calls over the team's working days: scheduling.md's "Who is due, in what order,
/// by whom", deterministic for the same input.
///
/// Every person's status is derived once; due and upcoming calls are ordered by a key that
/// does not change across the horizon (promised, retries and follow-ups, priority, deadline,
/// deprivation, how overdue, then a stable hash of NHS number and the first day), and each day
/// takes them in that order into the lists of the workers who may and can take them (``DueQueue``
/// orders them only as far as the days read).
public struct Planner: Sendable {
    public let roster: Roster
    public let policy: Policy
    /// Practices whose extracts are stale (``ExtractFreshness``): none of their patients is planned.
    public let stalePractices: Set<String>
    /// From how many people a plan assesses them in parts on every core (``assess(_:_:on:dueBy:knowing:)``).
    var peoplePerCore = 4_096

    public init(roster: Roster, policy: Policy, stalePractices: Set<String> = []) {
        self.roster = roster
        self.policy = policy
        self.stalePractices = stalePractices
    }

    /// Plans `days` working days (the policy's `plan ahead` by default) from `start` onwards.
    /// Calls placed on one day are not planned again later in the horizon: their outcome is not known yet.
    public func plan(_ cases: [CaseInput], from start: Day, days: Int? = nil) -> Plan {
        plan(cases, from: start, days: days, after: nil)
    }

    /// ``plan(_:from:days:)``, carrying forward the statuses of `earlier`, a plan by this planner
    /// (its roster and policy) of exactly these people, in this order, from an earlier day, and
    /// the worker groups it found, where nothing about a person has changed since
    /// (see ``CaseTimeline/status(of:on:knowing:on:policy:roster:)``): the same plan, sooner. For
    /// the forecast, which plans day after day.
    /// - Parameter reasons: whether ``Plan/notListed`` must say why each person not on the first
    ///   day's lists is not (over capacity, no worker today); without, the first day stops reading
    ///   the queue once its lists are full, as later days do, and those reasons are left out.
    func plan(_ cases: [CaseInput], from start: Day, days: Int?, after earlier: Plan?, reasons: Bool = true) -> Plan {
        let horizon = roster.workingDays(from: start, count: max(1, days ?? policy.planAheadDays))
        let first = horizon[0]
        let last = horizon[horizon.count - 1]
        let known = earlier.flatMap { $0.statuses.count == cases.count ? $0 : nil }
        // Each person's status and due call depend only on them: worked out on every core, in
        // parts taken back in order.
        let parts = cases.count < peoplePerCore ? 1 : 4 * Processors.active
        let assessed = ChunkResults<Assessment>(count: parts)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = (cases.count * part / parts)..<(cases.count * (part + 1) / parts)
            assessed.set(part, assess(cases, range, on: first, dueBy: last, knowing: known))
        }
        var statuses: [CaseStatus] = []
        statuses.reserveCapacity(cases.count)
        var notListed: [NotListedReason?] = []
        notListed.reserveCapacity(cases.count)
        var entries: [QueueEntry] = []
        // Groups depend only on the person: an earlier plan of the same people has found most.
        var groups = known?.eligibility ?? EligibilityGroups(roster: roster)
        var groupOfCase = known?.groupOfCase ?? [Int](repeating: -1, count: cases.count)
        for part in assessed.values() {
            statuses += part.statuses
            notListed += part.notListed
            for (index, call, key) in part.due {
                if groupOfCase[index] < 0 {
                    groupOfCase[index] = groups.group(
                        practice: cases[index].practice, skills: cases[index].neededSkills)
                }
                let group = groupOfCase[index]
                if let reason = groups.neverAssignable(group) {
                    notListed[index] = reason
                    continue
                }
                entries.append(QueueEntry(index: index, call: call, group: group, key: key))
            }
        }
        var queue = DueQueue(entries)

        var placed = [Bool](repeating: false, count: queue.count)
        var dayPlans: [DayPlan] = []
        for (dayNumber, day) in horizon.enumerated() {
            var lists = DayLists(roster: roster, groups: groups, day: day)
            var carried = 0
            // Calls a text announced for the first day that are still to be read: they are listed
            // even on full lists, so the first day reads on until it has met them all.
            var announcedToRead =
                dayNumber == 0 && !reasons
                ? entries.lazy.filter { $0.call.announcedWorker != nil && $0.call.dueOn == day }.count : 0
            for position in 0..<queue.count where !placed[position] {
                let entry = queue[position]
                guard entry.call.dueOn <= day else { continue }
                let announcedToday = entry.call.announcedWorker != nil && entry.call.dueOn == day
                if announcedToday { announcedToRead -= 1 }
                if announcedToday, let worker = lists.announcedWorkerWithoutRoom(in: entry.group, call: entry.call) {
                    // A text told them who would ring today: kept even past that worker's list size.
                    lists.assign(entry, person: cases[entry.index], to: worker, day: day, pastCapacity: true)
                    placed[position] = true
                    if dayNumber == 0 { notListed[entry.index] = nil }
                    continue
                }
                guard lists.hasRoom(for: entry.group) else {
                    carried += 1
                    if dayNumber == 0, reasons {
                        notListed[entry.index] = lists.worksToday(entry.group) ? .overCapacity : .noWorkerToday
                    } else if lists.isFull, dayNumber > 0 || announcedToRead == 0 {
                        // Nothing more fits today; the rest carries over (reasons are kept for the first day only).
                        carried += queue.countWaiting(after: position, placed: placed, dueBy: day)
                        break
                    }
                    continue
                }
                let worker = lists.chooseWorker(
                    in: entry.group, call: entry.call, language: cases[entry.index].preferredLanguage, policy: policy)
                lists.assign(entry, person: cases[entry.index], to: worker, day: day)
                placed[position] = true
                if dayNumber == 0 { notListed[entry.index] = nil }
            }
            dayPlans.append(DayPlan(day: day, calls: lists.orderedCalls(), carriedOver: carried))
        }
        return Plan(
            start: first, days: dayPlans, statuses: statuses, notListed: notListed, eligibility: groups,
            groupOfCase: groupOfCase)
    }

    /// The statuses of `cases[range]` on `first`, why those not due are not listed, and the calls
    /// of those due by `last` with their order (see ``plan(_:from:days:after:reasons:)``).
    private func assess(
        _ cases: [CaseInput], _ range: Range<Int>, on first: Day, dueBy last: Day, knowing known: Plan?
    ) -> Assessment {
        var part = Assessment()
        part.statuses.reserveCapacity(range.count)
        part.notListed.reserveCapacity(range.count)
        for index in range {
            let person = cases[index]
            let status =
                if let known {
                    CaseTimeline.status(
                        of: person, on: first, knowing: known.statuses[index], on: known.start, policy: policy,
                        roster: roster)
                } else {
                    CaseTimeline.status(of: person, on: first, policy: policy, roster: roster)
                }
            part.statuses.append(status)
            part.notListed.append(nil)
            if !stalePractices.isEmpty, stalePractices.contains(person.practice) {
                part.notListed[part.notListed.count - 1] = .extractStale
                continue
            }
            switch status {
            case .inactive(let reason):
                part.notListed[part.notListed.count - 1] = .inactive(reason)
                continue
            case .waiting(_, let reason) where reason == .onTodaysList:
                part.notListed[part.notListed.count - 1] = .waiting(reason)
                continue
            case .waiting(_, let reason):
                part.notListed[part.notListed.count - 1] = .waiting(reason)
            case .due:
                break
            }
            guard let call = status.nextCall, call.dueOn <= last else { continue }
            part.due.append((index, call, orderingKey(person, call, start: first)))
        }
        return part
    }

    /// Why no worker of the team could ever take this person's calls, or `nil` when someone could.
    public func neverAssignable(_ person: CaseInput) -> NotListedReason? {
        var groups = EligibilityGroups(roster: roster)
        let group = groups.group(practice: person.practice, skills: person.neededSkills)
        return groups.neverAssignable(group)
    }

    /// The order of due calls; smaller first.
    func orderingKey(_ person: CaseInput, _ call: DueCall, start: Day) -> OrderingKey {
        OrderingKey(
            kindClass: call.orderingClass, priority: person.priority, deadline: call.deadline,
            decile: policy.favourMostDeprived ? person.imdDecile ?? 11 : 0, dueOn: call.dueOn,
            tieBreak: Planner.stableHash(person.nhsNumber, start))
    }

    /// A hash of an NHS number and a day that is the same on every machine and run: ties are
    /// broken fairly (not alphabetically) and reproducibly.
    public static func stableHash(_ nhsNumber: UInt64, _ day: Day) -> UInt64 {
        var z = nhsNumber &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(bitPattern: Int64(day.ordinal))
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The sort key of a due call (see ``Planner``), packed into two integers so that sorting a
/// million calls compares words, not fields: the class (promised, retries, the rest), priority,
/// deadline, deprivation decile and due day in `order`, most significant first, and the tie-break
/// hash in `tieBreak`.
struct OrderingKey: Comparable {
    let order: UInt64
    let tieBreak: UInt64

    init(kindClass: Int, priority: Int, deadline: Day?, decile: Int, dueOn: Day, tieBreak: UInt64) {
        // Days are stored relative to 1900-01-01 in 20 bits (about 2,870 years); no deadline sorts last.
        func day(_ value: Day?) -> UInt64 {
            guard let value else { return 0xF_FFFF }
            return UInt64(min(max(Int(value.ordinal) + 25_567, 0), 0xF_FFFE))
        }
        order =
            UInt64(min(max(kindClass, 0), 3)) << 62 | UInt64(min(max(priority, 0), 1023)) << 52
            | day(deadline) << 32 | UInt64(min(max(decile, 0), 15)) << 28 | day(dueOn) << 8
        self.tieBreak = tieBreak
    }

    static func < (lhs: OrderingKey, rhs: OrderingKey) -> Bool {
        lhs.order != rhs.order ? lhs.order < rhs.order : lhs.tieBreak < rhs.tieBreak
    }
}

/// Part of a plan's people, assessed on their own (``Planner``): their statuses, why those not
/// due are not listed, and the calls of those due with their order.
private struct Assessment: Sendable {
    var statuses: [CaseStatus] = []
    var notListed: [NotListedReason?] = []
    var due: [(index: Int, call: DueCall, key: OrderingKey)] = []
}

struct QueueEntry {
    let index: Int
    let call: DueCall
    /// The person's eligibility group (practice and needed skills): who may take the call.
    let group: Int
    let key: OrderingKey
}

/// People grouped by what decides who may call them, their practice and the skills their cohorts
/// need, with the workers who may take each group's calls: worked out once per group, not per person.
struct EligibilityGroups {
    private(set) var workers: [[Int]] = []
    private(set) var servesAnyone: [Bool] = []
    private var index: [String: [Set<String>: Int]] = [:]
    private let roster: Roster

    init(roster: Roster) {
        self.roster = roster
    }

    var count: Int { workers.count }

    mutating func group(practice: String, skills: Set<String>) -> Int {
        if let found = index[practice]?[skills] { return found }
        let serving = roster.workers.indices.filter { roster.workers[$0].serves(practice) }
        workers.append(serving.filter { roster.workers[$0].hasSkills(skills) })
        servesAnyone.append(!serving.isEmpty)
        index[practice, default: [:]][skills] = workers.count - 1
        return workers.count - 1
    }

    /// Why nobody could ever take the group's calls, or `nil`.
    func neverAssignable(_ group: Int) -> NotListedReason? {
        if !servesAnyone[group] { return .noWorkerServesPractice }
        if workers[group].isEmpty { return .noWorkerHasSkill }
        return nil
    }
}

/// The lists of one day while they are filled: who works, capacity left per worker and per
/// eligibility group, and the calls so far.
private struct DayLists {
    let day: Day
    let workers: [Worker]
    let groups: EligibilityGroups
    var remaining: [Int]
    var assigned: [Int]
    var bandCounts: [(morning: Int, afternoon: Int)]
    var calls: [[(call: PlannedCall, order: Int)]]
    var totalRemaining: Int
    /// Capacity left among each group's workers today.
    var groupRemaining: [Int]
    /// Whether any of each group's workers works today.
    let groupWorks: [Bool]
    /// The groups each worker belongs to.
    let groupsOfWorker: [[Int]]
    var sequence = 0

    init(roster: Roster, groups: EligibilityGroups, day: Day) {
        self.day = day
        self.groups = groups
        workers = roster.workers
        remaining = workers.map { roster.isWorking($0, on: day) ? max(0, $0.callsPerDay) : 0 }
        assigned = Array(repeating: 0, count: workers.count)
        bandCounts = Array(repeating: (0, 0), count: workers.count)
        calls = Array(repeating: [], count: workers.count)
        totalRemaining = remaining.reduce(0, +)
        let left = remaining
        groupRemaining = groups.workers.map { members in members.reduce(0) { $0 + left[$1] } }
        groupWorks = groups.workers.map { members in members.contains { left[$0] > 0 } }
        var membership = [[Int]](repeating: [], count: workers.count)
        for (group, members) in groups.workers.enumerated() {
            for worker in members { membership[worker].append(group) }
        }
        groupsOfWorker = membership
    }

    var isFull: Bool { totalRemaining == 0 }

    func hasRoom(for group: Int) -> Bool { groupRemaining[group] > 0 }

    /// For a call a text announced, the worker to take it past their list's size, or `nil` when it
    /// fits as usual: the worker the text named when they work today (in the group) but have no
    /// room left, or, when the group has no room at all, whichever of its workers works today.
    func announcedWorkerWithoutRoom(in group: Int, call: DueCall) -> Int? {
        // Calls so far plus room left (never below 0) is the day's capacity: 0 for one who is off.
        let working = groups.workers[group].filter { calls[$0].count + remaining[$0] > 0 }
        if let named = working.first(where: { workers[$0].id == call.announcedWorker }) {
            return remaining[named] > 0 ? nil : named
        }
        return hasRoom(for: group) ? nil : working.first
    }

    /// Whether anyone who may take the group's calls works today (capacity aside).
    func worksToday(_ group: Int) -> Bool { groupWorks[group] }

    /// The worker who must be able to take the call (one of the group's: serves the practice, has
    /// the skills; works today with room left) and is preferred: the one who last reached the
    /// person, then one who speaks their language, then the least loaded. Call only when
    /// ``hasRoom(for:)`` says there is one.
    func chooseWorker(in group: Int, call: DueCall, language: String?, policy: Policy) -> Int {
        let language = language?.lowercased()
        var best = -1
        var bestScore = (0, 0)
        for index in groups.workers[group] where remaining[index] > 0 {
            let worker = workers[index]
            // The worker a text named first, then the one who last reached them.
            let continuity =
                call.announcedWorker == worker.id
                ? -1 : (policy.keepSameWorker && call.lastReachedBy == worker.id) ? 0 : 1
            let speaks = language.map { worker.speaks($0) ? 0 : 1 } ?? 0
            let score = (continuity, speaks)
            if best < 0 || score < bestScore {
                (best, bestScore) = (index, score)
            } else if score == bestScore {
                // Least loaded: fewer calls so far relative to capacity (ties keep the earlier id).
                if assigned[index] * workers[best].callsPerDay < assigned[best] * worker.callsPerDay { best = index }
            }
        }
        return best
    }

    /// Puts the call on the worker's list; one `pastCapacity` uses none of the room left, so it
    /// never takes a place another call of the day could have had.
    mutating func assign(_ entry: QueueEntry, person: CaseInput, to index: Int, day: Day, pastCapacity: Bool = false) {
        let band: TimeBand
        if let announced = entry.call.announcedBand {
            band = announced
        } else if let previous = entry.call.previousBand {
            band = previous.other
        } else {
            band = bandCounts[index].morning <= bandCounts[index].afternoon ? .morning : .afternoon
        }
        if band == .morning { bandCounts[index].morning += 1 } else { bandCounts[index].afternoon += 1 }
        assigned[index] += 1
        if !pastCapacity {
            remaining[index] -= 1
            totalRemaining -= 1
            for group in groupsOfWorker[index] { groupRemaining[group] -= 1 }
        }
        let call = PlannedCall(
            day: day, worker: workers[index].id, caseIndex: entry.index, nhsNumber: person.nhsNumber,
            practice: person.practice, kind: entry.call.kind, attempt: entry.call.attempt, band: band,
            priority: person.priority, cohorts: person.memberships.map(\.cohort.id), dueOn: entry.call.dueOn,
            deadline: entry.call.deadline)
        calls[index].append((call, sequence))
        sequence += 1
    }

    func orderedCalls() -> [PlannedCall] {
        calls.flatMap { list in
            list.sorted { ($0.call.band == .morning ? 0 : 1, $0.order) < ($1.call.band == .morning ? 0 : 1, $1.order) }
                .map(\.call)
        }
    }
}
