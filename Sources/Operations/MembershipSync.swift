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
        var current = Set<String>()
        let numbers = run.population.nhsNumbers
        for result in run.results {
            let cohort = result.cohort.id
            for patient in result.members {
                let nhs = numbers[Int(patient)]
                current.insert("\(nhs) \(cohort)")
                if history.membership(of: nhs, in: cohort)?.isCurrent != true {
                    records.append(.cohortJoined(CohortMembershipChange(nhsNumber: nhs, cohort: cohort, day: day)))
                }
            }
        }
        for nhs in history.people.sorted() {
            for membership in history.memberships(of: nhs) where membership.isCurrent {
                if !current.contains("\(nhs) \(membership.cohort)") {
                    records.append(
                        .cohortLeft(CohortMembershipChange(nhsNumber: nhs, cohort: membership.cohort, day: day)))
                }
            }
        }
        return records
    }
}
