import Testing
import Basics
import Journal
@testable import Planning
import RuleLanguage
import Vocabulary

/// A random but reproducible scheduling world: team, calendar, cohorts, people and histories.
private struct World {
    let roster: Roster
    let policy: Policy
    let cases: [CaseInput]
    let start: Day

    init(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let practices = ["E82001", "E82002", "E82003"]
        let start = Day(iso: "2026-11-02")!.adding(days: Int(random.next() % 60))
        var workers: [Worker] = []
        for index in 0..<Int(random.next() % 5 + 1) {
            let days = Set(Weekday.allCases.filter { _ in random.chance(0.7) })
            let served = Set(practices.filter { _ in random.chance(0.6) })
            var away: [ClosedRange<Day>] = []
            if random.chance(0.3) {
                let from = start.adding(days: Int(random.next() % 10))
                away.append(from...from.adding(days: Int(random.next() % 5)))
            }
            workers.append(
                Worker(
                    id: "w\(index)", name: "Worker \(index)", callsPerDay: Int(random.next() % 9),
                    works: random.chance(0.5) ? days.sorted() : nil,
                    practices: random.chance(0.3) ? nil : served.sorted(),
                    speaks: random.chance(0.3) ? ["english", "gujarati"] : ["english"],
                    skills: random.chance(0.4) ? ["bereavement"] : [], away: away))
        }
        let closed = Set((0..<Int(random.next() % 3)).map { _ in start.adding(days: Int(random.next() % 10)) })
        roster = Roster(
            team: Team(name: "Random", workingDays: Team.standard.workingDays, closed: closed.sorted()),
            workers: workers)
        var policy = Policy()
        policy.rest = .days(Int(random.next() % 20) + 1)
        policy.favourMostDeprived = random.chance(0.5)
        policy.keepSameWorker = random.chance(0.8)
        self.policy = policy
        let cohorts = (0..<Int(random.next() % 4 + 1)).map { index in
            CohortCallRules(
                id: "c\(index)", title: "Cohort \(index)", priority: Int(random.next() % 4 + 1),
                callWithin: random.chance(0.5) ? .days(Int(random.next() % 20 + 1)) : nil,
                recallEvery: random.chance(0.5) ? .days(Int(random.next() % 40 + 1)) : nil,
                needsSkills: random.chance(0.2) ? ["bereavement"] : [],
                retries: random.chance(0.3) ? [RetryRule(outcome: .noAnswer, after: .days(1), attempts: 4)] : [])
        }
        let outcomes: [OutcomeCode?] = [
            .reached, .reachedSupport, .declined, .noAnswer, .noAnswer, .voicemail, .callBack, .wrongNumber, nil,
            .deceased, .optedOut,
        ]
        var cases: [CaseInput] = []
        for index in 0..<Int(random.next() % 200 + 10) {
            let chosen = cohorts.filter { _ in random.chance(0.5) }
            let memberships = (chosen.isEmpty ? [cohorts[0]] : chosen).map { cohort in
                Membership(
                    cohort: cohort, joinedOn: start.adding(days: -Int(random.next() % 40)), reason: cohort.title)
            }
            var history: [Attempt] = []
            var when = start.adding(days: -Int(random.next() % 40) - 1)
            for _ in 0..<Int(random.next() % 4) where when < start {
                let outcome = outcomes[Int(random.next() % UInt64(outcomes.count))]
                let callBack = outcome == .callBack ? when.adding(days: Int(random.next() % 10 + 1)) : nil
                history.append(
                    Attempt(
                        itemID: "i\(index)-\(history.count)", day: when, worker: workers[0].id,
                        band: random.chance(0.5) ? .morning : .afternoon, cohorts: memberships.map(\.cohort.id),
                        outcome: outcome, callBackOn: callBack, phoneFingerprint: 7))
                when = when.adding(days: Int(random.next() % 6 + 1))
            }
            cases.append(
                CaseInput(
                    nhsNumber: 9_990_000_000 + UInt64(index), practice: practices[Int(random.next() % 3)],
                    imdDecile: random.chance(0.8) ? Int(random.next() % 10 + 1) : nil,
                    preferredLanguage: random.chance(0.2) ? "Gujarati" : nil, hasUsablePhone: random.chance(0.95),
                    phoneFingerprint: random.chance(0.8) ? 7 : 8, memberships: memberships, history: history))
        }
        self.cases = cases
        self.start = start
    }
}

@Suite struct PlannerPropertyTests {
    /// The forecast plans day after day, assessing again only the people who may have changed
    /// (``DayByDayPlanner``): differentially, every day's calls are those of planning that day
    /// afresh, across worlds with announced calls, histories reaching past the first day, and
    /// outcomes (reached, unanswered, promised call-backs) added as the days go, with some
    /// listed people not called at all.
    @Test(arguments: UInt64(0)..<150)
    func planningDayByDayPlansAsPlanningEachDayAfreshDoes(seed: UInt64) {
        let world = World(seed: seed)
        var random = SeededRandom(seed: seed ^ 0xF0CA_57)
        let outcomes: [OutcomeCode] = [.reached, .noAnswer, .voicemail, .callBack, .declined, .wrongNumber]
        let first = world.roster.workingDay(onOrAfter: world.start)
        var cases = world.cases.map { person in
            var history = person.history
            if random.chance(0.05) {
                // A call on a list already published for a day the forecast covers.
                history.append(
                    Attempt(
                        itemID: "ahead", day: first.adding(days: Int(random.next() % 4)), worker: "w0", band: .morning,
                        cohorts: person.memberships.map(\.cohort.id), outcome: random.chance(0.5) ? nil : .noAnswer,
                        phoneFingerprint: person.phoneFingerprint))
            }
            let announced =
                random.chance(0.15)
                ? CallAnnounced(
                    nhsNumber: person.nhsNumber, day: world.start.adding(days: Int(random.next() % 12)),
                    worker: world.roster.workers[0].id, timeBand: .morning, on: world.start.adding(days: -1)) : nil
            return CaseInput(
                nhsNumber: person.nhsNumber, practice: person.practice, imdDecile: person.imdDecile,
                preferredLanguage: person.preferredLanguage, hasUsablePhone: person.hasUsablePhone,
                phoneFingerprint: person.phoneFingerprint, memberships: person.memberships, history: history,
                announced: announced)
        }
        let planner = Planner(roster: world.roster, policy: world.policy)
        // Every other world has its statuses worked out in parts, as thousands of people's are.
        var statusesInParts = planner
        statusesInParts.peoplePerCore = 1
        var dayByDay = DayByDayPlanner(planner: seed % 2 == 0 ? statusesInParts : planner, cases: cases)
        var day = first
        for _ in 0..<25 {
            let calls = dayByDay.plan(day)
            let fresh = planner.plan(cases, from: day, days: 1)
            #expect(calls == fresh.days[0].calls, "seed \(seed), day \(day)")
            // People assessed in parts on every core, as a plan of thousands is.
            var inParts = planner
            inParts.peoplePerCore = 1
            let parted = inParts.plan(cases, from: day, days: 3)
            let whole = planner.plan(cases, from: day, days: 3)
            #expect(parted.statuses == whole.statuses, "day \(day)")
            #expect(parted.notListed == whole.notListed, "day \(day)")
            #expect(parted.days.map(\.calls) == whole.days.map(\.calls), "day \(day)")
            for call in calls where random.chance(0.9) {
                let person = cases[call.caseIndex]
                let outcome = outcomes[Int(random.next() % UInt64(outcomes.count))]
                let attempt = Attempt(
                    itemID: "f\(day)-\(call.caseIndex)", day: day, worker: call.worker, band: call.band,
                    cohorts: call.cohorts, outcome: outcome,
                    callBackOn: outcome == .callBack ? day.adding(days: Int(random.next() % 5 + 1)) : nil,
                    phoneFingerprint: person.phoneFingerprint)
                cases[call.caseIndex] = person.adding(attempt)
                dayByDay.record(attempt, for: call.caseIndex)
            }
            #expect(dayByDay.cases.map(\.history) == cases.map(\.history))
            day = world.roster.workingDay(after: day)
        }
    }

    /// What a day carries over (H10) is every call due by that day that no list of the plan so
    /// far holds: counted here from each person's status, as a recount, not as the plan reads its
    /// queue (which stops reading once the day's lists are full).
    @Test(arguments: UInt64(0)..<100)
    func eachDayCarriesOverTheDueCallsNoListHolds(seed: UInt64) {
        let world = World(seed: seed)
        let plan = Planner(roster: world.roster, policy: world.policy).plan(world.cases, from: world.start, days: 6)
        let last = plan.days[plan.days.count - 1].day
        var groups = EligibilityGroups(roster: world.roster)
        var dueOn: [Int: Day] = [:]
        for (index, person) in world.cases.enumerated() {
            switch plan.statuses[index] {
            case .inactive, .waiting(_, .onTodaysList): continue
            case .waiting, .due: break
            }
            guard let call = plan.statuses[index].nextCall, call.dueOn <= last,
                groups.neverAssignable(person) == nil
            else { continue }
            dueOn[index] = call.dueOn
        }
        var listed: Set<Int> = []
        for day in plan.days {
            listed.formUnion(day.calls.map(\.caseIndex))
            let waiting = dueOn.count { $0.value <= day.day && !listed.contains($0.key) }
            #expect(day.carriedOver == waiting, "seed \(seed), \(day.day)")
        }
    }

    @Test(arguments: UInt64(0)..<200)
    func everyInvariantHoldsOnEveryPlannedDay(seed: UInt64) {
        let world = World(seed: seed)
        let planner = Planner(roster: world.roster, policy: world.policy)
        let plan = planner.plan(world.cases, from: world.start)
        let workers = Dictionary(uniqueKeysWithValues: world.roster.workers.map { ($0.id, $0) })
        var placedInHorizon = Set<UInt64>()

        for dayPlan in plan.days {
            let day = dayPlan.day
            var perWorker: [String: Int] = [:]
            var people = Set<UInt64>()
            for call in dayPlan.calls {
                let worker = workers[call.worker]!
                let person = world.cases[call.caseIndex]
                perWorker[call.worker, default: 0] += 1
                #expect(worker.serves(call.practice), "seed \(seed): \(call.worker) does not serve \(call.practice)")
                #expect(world.roster.isWorking(worker, on: day), "seed \(seed): \(call.worker) does not work \(day)")
                #expect(worker.hasSkills(person.neededSkills), "seed \(seed): skills")
                #expect(people.insert(call.nhsNumber).inserted, "seed \(seed): twice on \(day)")
                #expect(placedInHorizon.insert(call.nhsNumber).inserted, "seed \(seed): twice in the horizon")
                #expect(call.dueOn <= day, "seed \(seed): called before due")
                if call.kind != .promised && call.kind != .retry {
                    let lastReached = person.history.filter {
                        [.reached, .reachedSupport, .declined, .callBack].contains($0.outcome) && $0.day < day
                    }.map(\.day).max()
                    if let lastReached {
                        #expect(day >= lastReached.adding(world.policy.rest), "seed \(seed): inside rest period")
                    }
                }
                if call.kind == .retry, let previous = person.history.last(where: { $0.outcome != nil }) {
                    #expect(call.band == previous.band.other, "seed \(seed): retry in the same band")
                }
            }
            for (id, count) in perWorker {
                #expect(count <= workers[id]!.callsPerDay, "seed \(seed): \(id) over capacity on \(day)")
            }
        }

        // Every case due on the first day is on its lists or has a reason.
        let firstDay = plan.days[0]
        let listed = Set(firstDay.calls.map(\.caseIndex))
        for (index, status) in plan.statuses.enumerated() {
            if case .due(let call) = status, call.dueOn <= firstDay.day, !listed.contains(index) {
                let reason = plan.notListed[index]
                let allowed: [NotListedReason?] = [
                    .overCapacity, .noWorkerToday, .noWorkerServesPractice, .noWorkerHasSkill,
                ]
                #expect(allowed.contains(reason), "seed \(seed): due case \(index) unlisted without a reason")
            }
            if listed.contains(index) { #expect(plan.notListed[index] == nil) }
        }

        // Promised call-backs are honoured on their day when someone who may take them works and
        // has room left after the other promised calls.
        for dayPlan in plan.days {
            for (index, status) in plan.statuses.enumerated() {
                guard let call = status.nextCall, call.kind == .promised, call.dueOn == dayPlan.day else { continue }
                let person = world.cases[index]
                let someone = world.roster.workers(on: dayPlan.day).contains { worker in
                    let promisedTaken = dayPlan.calls.filter { $0.worker == worker.id && $0.kind == .promised }.count
                    return promisedTaken < worker.callsPerDay && worker.serves(person.practice)
                        && worker.hasSkills(person.neededSkills)
                }
                if someone {
                    #expect(
                        dayPlan.calls.contains { $0.caseIndex == index },
                        "seed \(seed): promised call not honoured on \(dayPlan.day)")
                }
            }
        }

        // Identical input, identical output.
        let again = planner.plan(world.cases, from: world.start)
        #expect(again.days.map(\.calls) == plan.days.map(\.calls), "seed \(seed): not deterministic")
        #expect(again.notListed == plan.notListed)
    }

    @Test func ordersPromisedThenRetriesThenPriorityThenDeadlineThenDeprivation() {
        let day = Day(iso: "2026-11-23")!
        let roster = Roster(workers: [Worker(id: "amy", name: "Amy", callsPerDay: 10)])
        let urgent = CohortCallRules(id: "urgent", title: "Urgent", priority: 1, callWithin: .days(7))
        let later = CohortCallRules(id: "later", title: "Later", priority: 2)
        func person(_ n: UInt64, _ cohort: CohortCallRules, imd: Int?, joined: Int = -1, history: [Attempt] = [])
            -> CaseInput
        {
            CaseInput(
                nhsNumber: n, practice: "E82001", imdDecile: imd,
                memberships: [Membership(cohort: cohort, joinedOn: day.adding(days: joined), reason: "")],
                history: history)
        }
        let retry = Attempt(
            itemID: "x", day: day.adding(days: -2), worker: "amy", band: .morning, cohorts: ["later"],
            outcome: .noAnswer)
        let promise = Attempt(
            itemID: "y", day: day.adding(days: -5), worker: "amy", band: .morning, cohorts: ["later"],
            outcome: .callBack,
            callBackOn: day)
        let cases = [
            person(1, later, imd: 1),
            person(2, urgent, imd: 9),
            person(3, urgent, imd: 2),
            person(4, later, imd: 5, history: [retry]),
            person(5, later, imd: 5, joined: -20, history: [promise]),
            person(6, urgent, imd: 1, joined: -3),
        ]
        let plan = Planner(roster: roster, policy: Policy()).plan(cases, from: day, days: 1)
        #expect(plan.days[0].calls.count == 6)
        #expect(plan.days[0].calls.first?.nhsNumber == 5)
        let morning = plan.days[0].calls.filter { $0.band == .morning }.map(\.nhsNumber)
        let afternoon = plan.days[0].calls.filter { $0.band == .afternoon }.map(\.nhsNumber)
        // Queue order 5 (promised), 4 (retry), 6, 3, 2 (urgent: deadline, then decile), 1; bands alternate,
        // and the retry goes in the band its morning attempt was not.
        #expect(morning == [5, 6, 2])
        #expect(afternoon == [4, 3, 1])
    }
}
