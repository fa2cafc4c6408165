import Basics
import Journal
import RuleLanguage

/// One call on one worker's list for one day.
public struct PlannedCall: Hashable, Sendable {
    public let day: Day
    public let worker: String
    /// The index of the person in the planner's input.
    public let caseIndex: Int
    public let nhsNumber: UInt64
    public let practice: String
    public let kind: CallKind
    /// The number of this call within its episode.
    public let attempt: Int
    public let band: TimeBand
    public let priority: Int
    /// The person's cohort ids, most urgent first.
    public let cohorts: [String]
    public let dueOn: Day
    public let deadline: Day?
}

/// Why a person who has cohorts is not on today's lists.
public enum NotListedReason: Hashable, Sendable, CustomStringConvertible {
    case waiting(WaitReason)
    case inactive(InactiveReason)
    /// No worker of the team serves the person's practice.
    case noWorkerServesPractice
    /// No worker who serves the practice has every skill the person's cohorts need.
    case noWorkerHasSkill
    /// Due, but nobody who could take the call works today.
    case noWorkerToday
    /// Due, but today's lists are full: carried over to the next working day.
    case overCapacity

    public var description: String {
        switch self {
        case .waiting(let reason): return reason.rawValue
        case .inactive(let reason): return reason.description
        case .noWorkerServesPractice: return "no worker serves the practice"
        case .noWorkerHasSkill: return "no worker has the skill"
        case .noWorkerToday: return "no worker for them works today (carried over)"
        case .overCapacity: return "over capacity (carried over)"
        }
    }
}

/// The lists of one working day.
public struct DayPlan: Sendable {
    public let day: Day
    /// Every call, grouped by worker (in worker id order), morning before afternoon, most
    /// important first within a band.
    public let calls: [PlannedCall]
    /// Due people who did not fit and carry over to the next working day.
    public let carriedOver: Int

    /// One worker's list.
    public func calls(for worker: String) -> [PlannedCall] {
        calls.filter { $0.worker == worker }
    }
}

/// The planner's answer for a horizon of working days: the first day's lists (to publish), the
/// provisional lists of the following days, and a reason for everyone not on the first day's lists.
public struct Plan: Sendable {
    /// The first day planned (the day asked for, or the next working day).
    public let start: Day
    public let days: [DayPlan]
    /// Each person's status on the first day, by input index.
    public let statuses: [CaseStatus]
    /// Why each person with cohorts is not on the first day's lists, by input index.
    public let notListed: [Int: NotListedReason]
}

/// Lays out due calls over the team's working days: scheduling.md's "Who is due, in what order,
/// by whom", deterministic for the same input.
///
/// Every person's status is derived once; due and upcoming calls are ordered once by a key that
/// does not change across the horizon (promised, retries and follow-ups, priority, deadline,
/// deprivation, how overdue, then a stable hash of NHS number and the first day), and each day
/// takes them in that order into the lists of the workers who may and can take them.
public struct Planner: Sendable {
    public let roster: Roster
    public let policy: Policy

    public init(roster: Roster, policy: Policy) {
        self.roster = roster
        self.policy = policy
    }

    /// Plans `days` working days (the policy's `plan ahead` by default) from `start` onwards.
    /// Calls placed on one day are not planned again later in the horizon: their outcome is not known yet.
    public func plan(_ cases: [CaseInput], from start: Day, days: Int? = nil) -> Plan {
        let horizon = roster.workingDays(from: start, count: max(1, days ?? policy.planAheadDays))
        let first = horizon[0]
        let last = horizon[horizon.count - 1]
        var statuses: [CaseStatus] = []
        statuses.reserveCapacity(cases.count)
        var notListed: [Int: NotListedReason] = [:]
        var queue: [QueueEntry] = []
        for (index, person) in cases.enumerated() {
            let status = CaseTimeline.status(of: person, on: first, policy: policy, roster: roster)
            statuses.append(status)
            switch status {
            case .inactive(let reason):
                notListed[index] = .inactive(reason)
                continue
            case .waiting(_, let reason) where reason == .onTodaysList:
                notListed[index] = .waiting(reason)
                continue
            case .waiting(_, let reason):
                notListed[index] = .waiting(reason)
            case .due:
                break
            }
            guard let call = status.nextCall, call.dueOn <= last else { continue }
            if let reason = neverAssignable(person) {
                notListed[index] = reason
                continue
            }
            queue.append(QueueEntry(index: index, call: call, key: orderingKey(person, call, start: first)))
        }
        queue.sort { $0.key < $1.key }

        var placed = [Bool](repeating: false, count: queue.count)
        var dayPlans: [DayPlan] = []
        for (dayNumber, day) in horizon.enumerated() {
            var lists = DayLists(roster: roster, day: day)
            var carried = 0
            for position in queue.indices where !placed[position] {
                let entry = queue[position]
                guard entry.call.dueOn <= day else { continue }
                let person = cases[entry.index]
                if lists.isFull {
                    carried += 1
                    if dayNumber == 0 { notListed[entry.index] = .overCapacity }
                    continue
                }
                if let worker = lists.chooseWorker(for: person, call: entry.call, policy: policy) {
                    lists.assign(entry, person: person, to: worker, day: day)
                    placed[position] = true
                    if dayNumber == 0 { notListed[entry.index] = nil }
                } else {
                    carried += 1
                    if dayNumber == 0 {
                        notListed[entry.index] = lists.anyoneToday(for: person) ? .overCapacity : .noWorkerToday
                    }
                }
            }
            dayPlans.append(DayPlan(day: day, calls: lists.orderedCalls(), carriedOver: carried))
        }
        return Plan(start: first, days: dayPlans, statuses: statuses, notListed: notListed)
    }

    /// Why no worker of the team could ever take this person's calls, or `nil` when someone could.
    public func neverAssignable(_ person: CaseInput) -> NotListedReason? {
        let serving = roster.workers.filter { $0.serves(person.practice) }
        if serving.isEmpty { return .noWorkerServesPractice }
        let skills = person.neededSkills
        if !serving.contains(where: { $0.hasSkills(skills) }) { return .noWorkerHasSkill }
        return nil
    }

    /// The order of due calls; smaller first.
    func orderingKey(_ person: CaseInput, _ call: DueCall, start: Day) -> OrderingKey {
        let deadline = call.deadline.map { Int64($0.ordinal) } ?? Int64.max
        let decile = policy.favourMostDeprived ? Int64(person.imdDecile ?? 11) : 0
        return OrderingKey(
            kindClass: call.kind.orderingClass, priority: person.priority, deadline: deadline, decile: decile,
            dueOn: call.dueOn.ordinal, tieBreak: Planner.stableHash(person.nhsNumber, start))
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

/// The sort key of a due call (see ``Planner``).
struct OrderingKey: Comparable {
    let kindClass: Int
    let priority: Int
    let deadline: Int64
    let decile: Int64
    let dueOn: Int32
    let tieBreak: UInt64

    static func < (lhs: OrderingKey, rhs: OrderingKey) -> Bool {
        if lhs.kindClass != rhs.kindClass { return lhs.kindClass < rhs.kindClass }
        if lhs.priority != rhs.priority { return lhs.priority < rhs.priority }
        if lhs.deadline != rhs.deadline { return lhs.deadline < rhs.deadline }
        if lhs.decile != rhs.decile { return lhs.decile < rhs.decile }
        if lhs.dueOn != rhs.dueOn { return lhs.dueOn < rhs.dueOn }
        return lhs.tieBreak < rhs.tieBreak
    }
}

struct QueueEntry {
    let index: Int
    let call: DueCall
    let key: OrderingKey
}

/// The lists of one day while they are filled: who works, capacity left, and the calls so far.
private struct DayLists {
    let day: Day
    let workers: [Worker]
    var remaining: [Int]
    var assigned: [Int]
    var bandCounts: [[Int]]
    var calls: [[(call: PlannedCall, order: Int)]]
    var totalRemaining: Int
    var sequence = 0

    init(roster: Roster, day: Day) {
        self.day = day
        workers = roster.workers(on: day).filter { $0.callsPerDay > 0 }
        remaining = workers.map(\.callsPerDay)
        assigned = Array(repeating: 0, count: workers.count)
        bandCounts = Array(repeating: [0, 0], count: workers.count)
        calls = Array(repeating: [], count: workers.count)
        totalRemaining = remaining.reduce(0, +)
    }

    var isFull: Bool { totalRemaining == 0 }

    /// Whether anyone working today may take this person's calls (capacity aside).
    func anyoneToday(for person: CaseInput) -> Bool {
        let skills = person.neededSkills
        return workers.contains { $0.serves(person.practice) && $0.hasSkills(skills) }
    }

    /// The worker who must be able to take the call (works today, serves the practice, has the
    /// skills, has room) and is preferred: the one who last reached the person, then one who speaks
    /// their language, then the least loaded.
    func chooseWorker(for person: CaseInput, call: DueCall, policy: Policy) -> Int? {
        let skills = person.neededSkills
        let language = person.preferredLanguage?.lowercased()
        var best: Int?
        var bestScore = (0, 0)
        for index in workers.indices where remaining[index] > 0 {
            let worker = workers[index]
            guard worker.serves(person.practice), worker.hasSkills(skills) else { continue }
            let continuity = (policy.keepSameWorker && call.lastReachedBy == worker.id) ? 0 : 1
            let speaks = language.map { worker.speaks($0) ? 0 : 1 } ?? 0
            let score = (continuity, speaks)
            if let current = best {
                if score < bestScore { (best, bestScore) = (index, score) } else if score == bestScore {
                    // Least loaded: fewer calls so far relative to capacity (ties keep the earlier id).
                    let mine = assigned[index] * workers[current].callsPerDay
                    let theirs = assigned[current] * worker.callsPerDay
                    if mine < theirs { best = index }
                }
            } else {
                (best, bestScore) = (index, score)
            }
        }
        return best
    }

    mutating func assign(_ entry: QueueEntry, person: CaseInput, to index: Int, day: Day) {
        let band: TimeBand
        if let previous = entry.call.previousBand {
            band = previous.other
        } else {
            band = bandCounts[index][0] <= bandCounts[index][1] ? .morning : .afternoon
        }
        bandCounts[index][band == .morning ? 0 : 1] += 1
        remaining[index] -= 1
        assigned[index] += 1
        totalRemaining -= 1
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
