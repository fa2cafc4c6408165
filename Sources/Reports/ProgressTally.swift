import Basics
import Cohorts
import Planning
import Population
import RuleLanguage

/// Adds up the people in cohorts, one at a time, into the report's counts and lists: each
/// membership classified once (``MembershipStanding``), each person counted once.
struct ProgressTally {
    private let results: [CohortResult]
    private let cohortIndex: [String: Int]
    private let population: Population
    private let policy: Policy
    private let roster: Roster
    private let asOf: Day

    private var counts: [[Int]]
    private var called: [Int]
    private var noWorkerByCohort: [Int]
    private var peopleCalled = 0
    private var peopleReached = 0
    private var peopleOverdue = 0
    private var notYetCalled = 0
    /// People not yet called who never can be: no usable phone, stopped, or nobody on the team may call them.
    private(set) var neverCallable = 0
    private var deciles = [ReachTally](repeating: ReachTally(), count: 11)
    private var practices: [String: ReachTally] = [:]
    private(set) var noPhone: [ListedPerson] = []
    private(set) var doNotContact: [ListedPerson] = []
    private(set) var unreachable: [ListedPerson] = []
    /// People nobody on the team may call, by reason.
    private(set) var noWorker: [String: Int] = [:]
    /// Who may call whom, worked out once for each practice and set of skills needed.
    private var groups: EligibilityGroups

    init(run: CohortRun, roster: Roster, asOf: Day) {
        results = run.results
        cohortIndex = Dictionary(uniqueKeysWithValues: run.results.enumerated().map { ($1.cohort.id, $0) })
        population = run.population
        policy = run.ruleSet.policy
        self.roster = roster
        groups = EligibilityGroups(roster: roster)
        self.asOf = asOf
        counts = run.results.map { _ in [Int](repeating: 0, count: ProgressCategory.allCases.count) }
        called = [Int](repeating: 0, count: run.results.count)
        noWorkerByCohort = [Int](repeating: 0, count: run.results.count)
    }

    /// Adds one person (with their patient index, for their name on the lists).
    mutating func add(_ person: CaseInput, patient: Int) {
        let attempts = person.history.filter { $0.day <= asOf && $0.outcome != nil }
        // Their status at the end of the report's day: outcomes of calls up to and including it.
        let status = CaseTimeline.status(of: person, on: asOf.adding(days: 1), policy: policy, roster: roster)
        let cannotCall = CannotCallReason(status)
        let neverAssignable = groups.neverAssignable(person)
        if let neverAssignable { noWorker[neverAssignable.description, default: 0] += 1 }
        var reach = PersonReach()
        var anyUncalled = false
        var anyOverdue = false
        var anyCannotCall = false
        var unreachableStanding: MembershipStanding?
        for membership in person.memberships {
            guard let cohort = cohortIndex[membership.cohort.id] else { continue }
            let standing = MembershipStanding.classify(
                membership, of: person, attempts: attempts, cannotCall: cannotCall, policy: policy, asOf: asOf)
            counts[cohort][standing.category.rawValue] += 1
            if standing.called { called[cohort] += 1 } else { anyUncalled = true }
            if neverAssignable != nil { noWorkerByCohort[cohort] += 1 }
            reach.called = reach.called || standing.called
            reach.reached = reach.reached || standing.category == .reached
            anyOverdue = anyOverdue || standing.category == .overdue
            anyCannotCall = anyCannotCall || standing.category == .cannotCall
            if standing.category == .unreachable, unreachableStanding == nil { unreachableStanding = standing }
        }
        if reach.called { peopleCalled += 1 }
        if reach.reached { peopleReached += 1 }
        if anyOverdue { peopleOverdue += 1 }
        if anyUncalled { notYetCalled += 1 }
        if anyUncalled, cannotCall != nil || neverAssignable != nil { neverCallable += 1 }
        let decile = person.imdDecile.flatMap { (1...10).contains($0) ? $0 - 1 : nil } ?? 10
        deciles[decile].add(reach)
        practices[person.practice, default: ReachTally()].add(reach)

        if anyCannotCall, let cannotCall {
            let entry = listed(
                person, patient: patient, reason: cannotCall.description,
                action: cannotCall.action(escalations: person.escalations(policy: policy)))
            if cannotCall.needsAction { noPhone.append(entry) } else { doNotContact.append(entry) }
        }
        if let standing = unreachableStanding {
            unreachable.append(
                listed(
                    person, patient: patient,
                    reason: "\(Formatting.count(standing.unansweredAttempts, "call")) unanswered",
                    action: person.escalations(policy: policy).joined(separator: "; "), standing: standing))
        }
    }

    private func listed(
        _ person: CaseInput, patient: Int, reason: String, action: String, standing: MembershipStanding? = nil
    ) -> ListedPerson {
        let name = population.name(of: patient)
        return ListedPerson(
            name: name.isEmpty ? "(no name in the extract)" : name, nhsNumber: person.nhsNumber,
            practice: person.practice,
            cohorts: person.memberships.map(\.cohort.id), reason: reason, action: action,
            attempts: standing?.unansweredAttempts ?? 0, lastAttempt: standing?.lastAttempt)
    }

    /// A list in the order the team works through it: by practice, then NHS number.
    func sorted(_ people: [ListedPerson]) -> [ListedPerson] {
        people.sorted { ($0.practice, $0.nhsNumber) < ($1.practice, $1.nhsNumber) }
    }

    var cohortProgress: [CohortProgress] {
        results.enumerated().map { index, result in
            CohortProgress(
                id: result.cohort.id, title: result.cohort.title, priority: result.cohort.priority,
                callWithin: result.cohort.callWithin,
                whenUnreachable: result.cohort.whenUnreachable ?? policy.whenUnreachable, members: result.members.count,
                called: called[index], counts: counts[index], noWorker: noWorkerByCohort[index])
        }
    }

    var people: PeopleCounts {
        PeopleCounts(
            inCohorts: deciles.reduce(0) { $0 + $1.people }, called: peopleCalled, reached: peopleReached,
            overdue: peopleOverdue, notYetCalled: notYetCalled)
    }

    var equity: Equity {
        Equity(
            deciles: deciles.enumerated().map { index, tally in tally.row(index < 10 ? String(index + 1) : "unknown") },
            practices: practices.sorted { $0.key < $1.key }.map { $0.value.row($0.key) },
            overall: deciles.reduce(into: ReachTally()) { $0.merge($1) }.row("everyone"))
    }
}

/// Whether one person was called and reached in the current spell of any of their cohorts.
struct PersonReach {
    var called = false
    var reached = false
}

/// Called and reached counts of a group while people are added.
struct ReachTally {
    var people = 0
    var called = 0
    var reached = 0

    mutating func add(_ person: PersonReach) {
        people += 1
        if person.called { called += 1 }
        if person.reached { reached += 1 }
    }

    mutating func merge(_ other: ReachTally) {
        people += other.people
        called += other.called
        reached += other.reached
    }

    func row(_ label: String) -> ReachRow {
        ReachRow(label: label, people: people, called: called, reached: reached)
    }
}
