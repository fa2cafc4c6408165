import Basics
import Journal
import RuleLanguage

/// The lists of one day while they are filled: who works, capacity left per worker and per
/// eligibility group, and the calls so far.
struct DayLists {
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
    private func announcedWorkerWithoutRoom(in group: Int, call: DueCall) -> Int? {
        // Calls so far plus room left (never below 0) is the day's capacity: 0 for one who is off.
        let working = groups.workers[group].filter { calls[$0].count + remaining[$0] > 0 }
        if let named = working.first(where: { workers[$0].id == call.announcedWorker }) {
            return remaining[named] > 0 ? nil : named
        }
        return hasRoom(for: group) ? nil : working.first
    }

    /// Puts the due call on a list when it may go on one today: a call a text announced for
    /// today goes to the worker it named, past their list's size if need be
    /// (``announcedWorkerWithoutRoom(in:call:)``); any other call goes to the preferred worker of
    /// its group with room left (``chooseWorker(in:call:language:policy:)``).
    /// - Returns: whether it was listed; when not, the group has no room left today.
    /// - Parameter cases: the plan's people, `entry.index` among them (read only for a call
    ///   listed: a day can offer tens of thousands of calls to full groups).
    mutating func offer(_ entry: QueueEntry, of cases: [CaseInput], policy: Policy) -> Bool {
        let announcedToday = entry.call.announcedWorker != nil && entry.call.dueOn == day
        if announcedToday, let worker = announcedWorkerWithoutRoom(in: entry.group, call: entry.call) {
            // A text told them who would ring today: kept even past that worker's list size.
            assign(entry, person: cases[entry.index], to: worker, pastCapacity: true)
            return true
        }
        guard hasRoom(for: entry.group) else { return false }
        let person = cases[entry.index]
        let worker = chooseWorker(
            in: entry.group, call: entry.call, language: person.preferredLanguage, policy: policy)
        assign(entry, person: person, to: worker)
        return true
    }

    /// Whether anyone who may take the group's calls works today (capacity aside).
    func worksToday(_ group: Int) -> Bool { groupWorks[group] }

    /// The worker who must be able to take the call (one of the group's: serves the practice, has
    /// the skills; works today with room left) and is preferred: the one who last reached the
    /// person, then one who speaks their language, then the least loaded. Call only when
    /// ``hasRoom(for:)`` says there is one.
    private func chooseWorker(in group: Int, call: DueCall, language: String?, policy: Policy) -> Int {
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
    private mutating func assign(_ entry: QueueEntry, person: CaseInput, to index: Int, pastCapacity: Bool = false) {
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
