import Testing

import Basics
import Journal
@testable import Operations
@testable import Planning
import TestSupport
import Vocabulary

/// H7: someone who disclosed an urgent concern is followed up as after `reached_support`, even
/// when they have left every cohort since (as a promised call-back is kept).
@Suite struct UrgentConcernFollowUpTests {
    @Test(arguments: [OutcomeCode.reachedSupport, .urgentConcern])
    func theFollowUpIsKeptAfterThePersonLeavesEveryCohort(_ outcome: OutcomeCode) throws {
        let monday = Day(iso: "2026-11-02")!
        try withTemporaryDirectory { root in
            let (session, _) = try homeWithPopulation("follow-up", patients: 400, asOf: monday, in: root)
            let due = monday.adding(session.ruleSet.policy.followUpSupportAfter)
            let run = try session.evaluateCohorts(on: due)
            let population = run.population
            let outsider = try #require(livingPhoneablePersonInNoCohort(run))
            let nhs = population.nhsNumbers[outsider]
            let practice = population.practice(of: outsider)
            let worker = try #require(session.roster.workers(on: monday).first { $0.serves(practice) })
            // Spoken to on Monday as a member of a cohort they have since left.
            let cohort = try #require(session.ruleSet.cohorts.first { $0.needsSkills.isEmpty })
            try session.journal.append(contentsOf: [
                .itemPublished(
                    ItemPublished(
                        itemId: "20261102-\(worker.id)-900", day: monday, worker: worker.id, nhsNumber: nhs,
                        practice: practice, cohorts: [cohort.id], attempt: 1, timeBand: .morning, priority: 1,
                        phoneFingerprint: 0)),
                .dayPublished(DayPublished(day: monday, itemCount: 1, ruleVersion: session.ruleSet.contentHash)),
                .outcomeRecorded(
                    OutcomeRecorded(
                        itemId: "20261102-\(worker.id)-900", nhsNumber: nhs, outcome: outcome, callBackOn: nil,
                        notes: "Said they could not go on",
                        source: OutcomeSource(fileHash: ContentHash(of: [1]), row: 2),
                        recordedOn: monday)),
            ])
            let builder = CaseBuilder(run: run, history: session.journal.history)
            #expect(!builder.cases().cases.contains { $0.nhsNumber == nhs }, "not in a cohort any more")
            let kept = builder.cases(keepingPromisesUnder: session.ruleSet.policy, roster: session.roster)
            #expect(kept.cases.contains { $0.nhsNumber == nhs }, "the follow-up after \(outcome) is still planned")
        }
    }
}
