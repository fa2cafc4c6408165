import Basics
import Journal
import Testing

@testable import Planning

/// A person's priority orders their calls against everyone else's: it must be the most urgent of
/// their cohorts' whatever order the cohorts are given in.
@Suite struct CaseInputTests {
    @Test func thePriorityIsTheMostUrgentCohortsInAnyOrder() {
        let day = Day(iso: "2026-11-02")!
        var random = SeededRandom(seed: 17)
        for _ in 0..<200 {
            let priorities = (0..<Int(random.next() % 4 + 1)).map { _ in Int(random.next() % 5 + 1) }
            let memberships = priorities.enumerated().map { index, priority in
                Membership(
                    cohort: CohortCallRules(id: "c\(index)", title: "Cohort \(index)", priority: priority),
                    joinedOn: day, reason: "test")
            }
            let person = CaseInput(
                nhsNumber: 9_990_000_018, practice: "E82001", memberships: memberships.shuffled(using: &random))
            #expect(person.priority == priorities.min())
            let kept = person.memberships.map { ($0.cohort.priority, $0.cohort.id) }
            #expect(kept.map(\.0) == kept.map(\.0).sorted(), "most urgent first")
            #expect(
                person.adding(
                    Attempt(itemID: "i", day: day, worker: "w", band: .morning, cohorts: ["c0"], outcome: .noAnswer)
                ).priority == priorities.min(), "a case with a call added keeps its priority")
        }
    }
}
