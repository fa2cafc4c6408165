import Basics
import Cohorts
import Journal
import Planning
import Population
import RuleLanguage
import Vocabulary

/// The cohort joins and leaves that bring the journal up to date with a cohort run.
enum MembershipSync {
    static func records(for run: CohortRun, history: JournalHistory, on day: Day) -> [JournalRecord] {
        var records: [JournalRecord] = []
        // Each cohort's members in the run, by NHS number.
        var current: [String: Set<UInt64>] = [:]
        let numbers = run.population.nhsNumbers
        for result in run.results {
            let cohort = result.cohort.id
            var members = Set<UInt64>(minimumCapacity: result.members.count)
            for patient in result.members {
                let nhs = numbers[Int(patient)]
                members.insert(nhs)
                if history.membership(of: nhs, in: cohort)?.isCurrent != true {
                    records.append(.cohortJoined(CohortMembershipChange(nhsNumber: nhs, cohort: cohort, day: day)))
                }
            }
            current[cohort, default: []].formUnion(members)
        }
        for nhs in history.people.sorted() {
            for membership in history.memberships(of: nhs) where membership.isCurrent {
                if current[membership.cohort]?.contains(nhs) != true {
                    records.append(
                        .cohortLeft(CohortMembershipChange(nhsNumber: nhs, cohort: membership.cohort, day: day)))
                }
            }
        }
        return records
    }
}
