import Basics
import Journal
import RuleLanguage

/// Plans working days one after another, as the forecast does: each day's lists are the ones
/// ``Planner/plan(_:from:days:)`` makes for that day alone from the people as they are by then
/// (with the calls of the days before added by ``record(_:for:)``), without assessing everyone
/// every day. Between two planned days a person's status can change only while one of their calls
/// or a text's announced day is on or after the earlier day (everyone called that day among them),
/// or when a call they wait for falls due; everyone else is as they were.
///
/// The due calls wait in buckets of equal ``OrderingKey/order``, in that order; a day puts in
/// order (by the day's tie-break) only the buckets it reads, and a day's lists fill from the
/// front. At ICB scale the forecast plans sixty days of 150,000 people for a team that makes a
/// few dozen calls a day: assessing and ordering everyone each day was most of a report's time.
struct DayByDayPlanner {
    let planner: Planner
    /// The people, with every call ``record(_:for:)`` was given.
    private(set) var cases: [CaseInput]
    /// Their NHS numbers, for the day's tie-breaks (read without copying a whole case).
    private let nhsNumbers: [UInt64]

    /// The call each person is due for or waits for (`nil` when neither).
    private var nextCall: [DueCall?]
    /// Whether each person's ``nextCall`` is due and may be listed.
    private var isDue: [Bool]
    /// Each person's eligibility group, once they have been due (-1 before).
    private var groupOfCase: [Int]
    private var groups: EligibilityGroups
    /// Bumped whenever a person is assessed again: a bucket or waiting entry of an older version
    /// is stale.
    private var version: [UInt32]
    /// The due people by their calls' ``OrderingKey/order``, each with the version it was put in at.
    private var buckets: [UInt64: [DueMember]] = [:]
    /// The keys of ``buckets``, ascending.
    private var orders: [UInt64] = []
    /// The waiting people (and those on a list already that day) by the day their call falls due.
    private var waiting: [Day: [Member]] = [:]
    /// People who may change between two planned days other than by falling due: called, or with
    /// a history or an announced day not yet behind the last planned day.
    private var unsettled: Set<Int> = []
    /// The last day planned.
    private var previousDay: Day?

    /// A person waiting, as they were when put there.
    private struct Member {
        let index: Int
        let version: UInt32
    }

    /// A person in a bucket, as they were when put there, with their eligibility group: a day
    /// passes over those whose group is full without reading their call.
    private struct DueMember {
        let index: Int
        let version: UInt32
        let group: Int32
    }

    init(planner: Planner, cases: [CaseInput]) {
        self.planner = planner
        self.cases = cases
        nhsNumbers = cases.map(\.nhsNumber)
        nextCall = Array(repeating: nil, count: cases.count)
        isDue = Array(repeating: false, count: cases.count)
        groupOfCase = Array(repeating: -1, count: cases.count)
        groups = EligibilityGroups(roster: planner.roster)
        version = Array(repeating: 0, count: cases.count)
    }

    /// Plans `day` (a working day after the last one planned) and returns its calls, as
    /// ``Planner/plan(_:from:days:)`` lists them.
    mutating func plan(_ day: Day) -> [PlannedCall] {
        settle(on: day)
        var lists = DayLists(roster: planner.roster, groups: groups, day: day)
        // Calls a text announced for today are listed even on full lists: the day reads on until
        // it has met them all. Only unsettled people can have one (their announced day is ahead).
        let announcedToday = unsettled.filter { index in
            guard isDue[index], let call = nextCall[index] else { return false }
            return call.announcedWorker != nil && call.dueOn == day
        }
        var announcedToRead = announcedToday.count
        reading: for order in orders {
            let members = buckets[order, default: []].filter { version[$0.index] == $0.version }
            buckets[order] = members
            // Ties of the whole key go to the lower index, as in a plan's queue. Only the calls
            // read are made: a bucket can hold thousands, of whom a day lists a few dozen.
            let keys = members.map {
                OrderingKey(order: order, tieBreak: Planner.stableHash(nhsNumbers[$0.index], day))
            }
            var queue = DueQueue(keys: keys, people: members.map(\.index))
            for rank in 0..<queue.count {
                let member = members[queue.added(at: rank)]
                let index = member.index
                // A call of a full group is not listed unless a text announced it for today. A
                // day whose lists never all fill (a worker whose practices have nobody due) reads
                // its whole queue, mostly such calls: reading each one's call was most of its time.
                let groupIsFull = !lists.hasRoom(for: Int(member.group))
                if !groupIsFull || (announcedToRead > 0 && announcedToday.contains(index)) {
                    let entry = QueueEntry(index: index, call: nextCall[index]!, group: Int(member.group))
                    if entry.call.announcedWorker != nil, entry.call.dueOn == day { announcedToRead -= 1 }
                    if lists.offer(entry, of: cases, policy: planner.policy) { continue }
                }
                if lists.isFull, announcedToRead == 0 { break reading }
            }
        }
        for order in orders where buckets[order]!.isEmpty { buckets[order] = nil }
        orders.removeAll { buckets[$0] == nil }
        previousDay = day
        return lists.orderedCalls()
    }

    /// Adds a call's attempt to the person's history; they are assessed again on the next day planned.
    mutating func record(_ attempt: Attempt, for index: Int) {
        cases[index] = cases[index].adding(attempt)
        leave(index)
        unsettled.insert(index)
    }

    /// Brings everyone's status to `day`: the calls waited for that fall due by then join the
    /// due, and the people who may have changed otherwise are assessed again.
    private mutating func settle(on day: Day) {
        guard let previousDay else {
            for (index, status) in planner.statuses(of: cases, on: day).enumerated() {
                if isUnsettled(cases[index], since: day) { unsettled.insert(index) }
                file(index, status)
            }
            return
        }
        for dueDay in waiting.keys.filter({ $0 <= day }).sorted() {
            for member in waiting.removeValue(forKey: dueDay)! where version[member.index] == member.version {
                becomeDue(member.index)
            }
        }
        for index in unsettled.sorted() {
            guard isUnsettled(cases[index], since: previousDay) else {
                unsettled.remove(index)
                continue
            }
            leave(index)
            assess(index, on: day)
        }
    }

    /// Whether the person's status on a later day may differ from theirs on `day` other than by
    /// a waited-for call falling due: a call or an announced day on or after it. (Any call, not
    /// only the last: a forecast from a day before lists already published adds its calls after
    /// those lists'.)
    private func isUnsettled(_ person: CaseInput, since day: Day) -> Bool {
        person.history.contains { $0.day >= day } || (person.announced.map { $0.day >= day } ?? false)
    }

    /// Takes the person out of the due and the waiting (their entries go stale).
    private mutating func leave(_ index: Int) {
        version[index] &+= 1
        nextCall[index] = nil
        isDue[index] = false
    }

    /// Works out the person's status on `day` afresh and files them as due, waiting or neither.
    private mutating func assess(_ index: Int, on day: Day) {
        file(index, CaseTimeline.status(of: cases[index], on: day, policy: planner.policy, roster: planner.roster))
    }

    /// Files the person as due, waiting or neither, by their `status`.
    private mutating func file(_ index: Int, _ status: CaseStatus) {
        if !planner.stalePractices.isEmpty, planner.stalePractices.contains(cases[index].practice) { return }
        switch status {
        case .inactive:
            return
        case .waiting(let call, _):
            nextCall[index] = call
            waiting[call.dueOn, default: []].append(Member(index: index, version: version[index]))
        case .due(let call):
            nextCall[index] = call
            becomeDue(index)
        }
    }

    /// Puts the person's call among the due, unless nobody could ever take it.
    private mutating func becomeDue(_ index: Int) {
        if groupOfCase[index] < 0 {
            groupOfCase[index] = groups.group(practice: cases[index].practice, skills: cases[index].neededSkills)
        }
        guard groups.neverAssignable(groupOfCase[index]) == nil, let call = nextCall[index] else { return }
        isDue[index] = true
        // The order does not depend on the day planned; the tie-break does, and is the day's when read.
        let order = planner.orderingKey(cases[index], call, start: call.dueOn).order
        if buckets[order] == nil {
            buckets[order] = []
            orders.insert(order, at: orders.firstIndex { $0 > order } ?? orders.count)
        }
        buckets[order]!.append(DueMember(index: index, version: version[index], group: Int32(groupOfCase[index])))
    }
}
