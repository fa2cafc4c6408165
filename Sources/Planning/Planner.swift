import Basics
import Journal
import RuleLanguage

/// Lays out due calls over the team's working days: scheduling.md's "Who is due, in what order,
/// by whom", deterministic for the same input.
///
/// Every person's status is derived once; due and upcoming calls are ordered by a key that
/// does not change across the horizon (promised, retries and follow-ups, priority, deadline,
/// deprivation, how overdue, then a stable hash of NHS number and the first day), and each day
/// takes them in that order into the lists of the workers who may and can take them.
public struct Planner: Sendable {
    public let roster: Roster
    public let policy: Policy
    /// Practices whose extracts are stale (``ExtractFreshness``): none of their patients is planned.
    public let stalePractices: Set<String>
    /// From how many people a plan assesses them in parts on every core (``assess(_:_:on:dueBy:)``).
    var peoplePerCore = 4_096

    public init(roster: Roster, policy: Policy, stalePractices: Set<String> = []) {
        self.roster = roster
        self.policy = policy
        self.stalePractices = stalePractices
    }

    /// Plans `days` working days (the policy's `plan ahead` by default) from `start` onwards.
    /// Calls placed on one day are not planned again later in the horizon: their outcome is not known yet.
    public func plan(_ cases: [CaseInput], from start: Day, days: Int? = nil) -> Plan {
        let horizon = roster.workingDays(from: start, count: max(1, days ?? policy.planAheadDays))
        let first = horizon[0]
        let last = horizon[horizon.count - 1]
        // Each person's status and due call depend only on them: worked out on every core, in
        // parts taken back in order.
        let assessed = Processors.inParts(cases.count, wholeBelow: peoplePerCore) { range in
            assess(cases, range, on: first, dueBy: last)
        }
        var statuses: [CaseStatus] = []
        statuses.reserveCapacity(cases.count)
        var notListed: [NotListedReason?] = []
        notListed.reserveCapacity(cases.count)
        var entries: [QueueEntry] = []
        var order: [(key: OrderingKey, position: Int)] = []
        // Groups depend only on the person's practice and skills: found once per group.
        var groups = EligibilityGroups(roster: roster)
        for part in assessed {
            statuses += part.statuses
            notListed += part.notListed
            for (index, call, key) in part.due {
                let group = groups.group(practice: cases[index].practice, skills: cases[index].neededSkills)
                if let reason = groups.neverAssignable(group) {
                    notListed[index] = reason
                    continue
                }
                order.append((key, entries.count))
                entries.append(QueueEntry(index: index, call: call, group: group))
            }
        }
        // The first day reads every due call (it says why each one left off is not listed), so
        // they are put in order at once: by key, then by the person's index (entries are added in
        // index order, so by where they were added), a stable sort's order.
        order.sort { $0.key != $1.key ? $0.key < $1.key : $0.position < $1.position }
        let queue = order.map { entries[$0.position] }

        var placed = [Bool](repeating: false, count: queue.count)
        var dayPlans: [DayPlan] = []
        for (dayNumber, day) in horizon.enumerated() {
            var lists = DayLists(roster: roster, groups: groups, day: day)
            var carried = 0
            for position in 0..<queue.count where !placed[position] {
                let entry = queue[position]
                guard entry.call.dueOn <= day else { continue }
                if lists.offer(entry, of: cases, policy: policy) {
                    placed[position] = true
                    if dayNumber == 0 { notListed[entry.index] = nil }
                    continue
                }
                carried += 1
                if dayNumber == 0 {
                    // The first day says why each one left off is not listed, so it reads on.
                    notListed[entry.index] = lists.worksToday(entry.group) ? .overCapacity : .noWorkerToday
                } else if lists.isFull {
                    // Nothing more fits today; the rest carries over.
                    carried += (position + 1..<queue.count).count { !placed[$0] && queue[$0].call.dueOn <= day }
                    break
                }
            }
            dayPlans.append(DayPlan(day: day, calls: lists.orderedCalls(), carriedOver: carried))
        }
        return Plan(start: first, days: dayPlans, statuses: statuses, notListed: notListed)
    }

    /// Everyone's status on `day`, worked out on every core for thousands of people.
    func statuses(of cases: [CaseInput], on day: Day) -> [CaseStatus] {
        Processors.inParts(cases.count, wholeBelow: peoplePerCore) { range in
            cases[range].map { CaseTimeline.status(of: $0, on: day, policy: policy, roster: roster) }
        }.flatMap { $0 }
    }

    /// The statuses of `cases[range]` on `first`, why those not due are not listed, and the calls
    /// of those due by `last` with their order (see ``plan(_:from:days:)``).
    private func assess(_ cases: [CaseInput], _ range: Range<Int>, on first: Day, dueBy last: Day) -> Assessment {
        var part = Assessment()
        part.statuses.reserveCapacity(range.count)
        part.notListed.reserveCapacity(range.count)
        for index in range {
            let person = cases[index]
            let status = CaseTimeline.status(of: person, on: first, policy: policy, roster: roster)
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

    init(order: UInt64, tieBreak: UInt64) {
        self.order = order
        self.tieBreak = tieBreak
    }

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
}
