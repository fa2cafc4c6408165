import Basics
import Journal
import Testing

@testable import Operations
import TestSupport

/// A publish leaves the journal's cohort memberships those of the day's cohorts: the joins and
/// leaves a morning's ingest recorded are not worked out again, but anything recorded since is.
@Suite struct MembershipSyncTests {
    /// Whether the journal's memberships are the cohorts' on `day` (nothing left to sync).
    static func isUpToDate(_ session: HomeSession, on day: Day) throws -> Bool {
        MembershipSync.records(for: try session.evaluateCohorts(on: day), history: session.journal.history, on: day)
            .isEmpty
    }

    /// Joins and leaves recorded so far.
    static func changes(_ history: JournalHistory) -> Int {
        history.count(of: .cohortJoined) + history.count(of: .cohortLeft)
    }

    @Test func aPublishTheMorningOfTheIngestLeavesTheMembershipsTheCohorts() throws {
        try withTemporaryDirectory { root in
            let day = Day(iso: "2026-11-02")!
            let (session, _) = try homeWithPopulation("sync", patients: 600, asOf: day, in: root)
            #expect(try Self.isUpToDate(session, on: day))
            let changes = Self.changes(session.journal.history)
            let result = try Publisher.publish(session, day: day)
            #expect(result.outcome == .published)
            #expect(try Self.isUpToDate(session, on: day))
            #expect(Self.changes(session.journal.history) == changes, "nothing to join or leave")
        }
    }

    @Test func aPublishAYearOnAfterAnotherDaysCohortsRecordsTheJoinsAndLeavesOfTheYear() throws {
        try withTemporaryDirectory { root in
            let day = Day(iso: "2026-11-02")!
            let later = Day(iso: "2027-11-01")!  // a Monday, 52 weeks on
            let (session, _) = try homeWithPopulation("sync", patients: 600, asOf: day, in: root)
            // The cohorts a year on differ from the ingest's (people turn 75, 18, ...), and are
            // evaluated, and kept, before the publish asks for them.
            #expect(try !Self.isUpToDate(session, on: later))
            _ = try Publisher.publish(session, day: later)
            #expect(try Self.isUpToDate(session, on: later))
        }
    }

    @Test func aLeaveRecordedAfterTheIngestIsPutRightByThePublish() throws {
        try withTemporaryDirectory { root in
            let day = Day(iso: "2026-11-02")!
            let (session, _) = try homeWithPopulation("sync", patients: 600, asOf: day, in: root)
            let run = try session.evaluateCohorts(on: day)
            let cohort = try #require(run.results.first { !$0.members.isEmpty })
            let nhs = run.population.nhsNumbers[Int(cohort.members[0])]
            // A leave the cohorts do not say (as a damaged or hand-made batch might).
            try session.record([.cohortLeft(CohortMembershipChange(nhsNumber: nhs, cohort: cohort.cohort.id, day: day))]
            )
            #expect(try !Self.isUpToDate(session, on: day))
            _ = try Publisher.publish(session, day: day)
            #expect(try Self.isUpToDate(session, on: day))
            #expect(session.journal.history.membership(of: nhs, in: cohort.cohort.id)?.isCurrent == true)
        }
    }
}
