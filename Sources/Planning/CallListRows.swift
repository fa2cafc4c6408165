import Basics
import Cohorts
import Journal
import Population
import RuleLanguage

/// Turns a day's planned calls into the rows workers see.
public enum CallListRows {
    /// One list per worker who works that day (empty lists too, so nobody wonders), in id order.
    /// `cases` must be built from `run` (names, phones, interpreter needs and the reasons rendered
    /// here are read from it); `patients[i]` is the population index of `cases[i]`.
    public static func lists(run: CohortRun, cases: [CaseInput], patients: [Int32], dayPlan: DayPlan, workers: [Worker])
        -> [(worker: String, name: String, rows: [CallListRow])]
    {
        let population = run.population
        var titles: [String: String] = [:]
        for cohort in run.ruleSet.cohorts { titles[cohort.id] = cohort.title }
        return workers.map { worker in
            let calls = dayPlan.calls(for: worker.id)
            let rows = calls.enumerated().map { sequence, call -> CallListRow in
                let person = cases[call.caseIndex]
                let patient = patients[call.caseIndex]
                let p = Int(patient)
                let last = person.history.last { $0.outcome != nil }
                // An interpreter code in the record names the language the call needs.
                let interpreter = run.contactNeeds(patient: patient).interpreter
                let name = population.name(of: p)
                return CallListRow(
                    itemID: CallListRows.itemID(day: dayPlan.day, worker: worker.id, sequence: sequence + 1),
                    date: dayPlan.day, worker: worker.id, band: call.band, practice: call.practice,
                    nhsNumber: call.nhsNumber, name: name.isEmpty ? "(no name in the extract)" : name,
                    age: population.datesOfBirth[p].map { dayPlan.day.wholeYears(since: $0) },
                    dateOfBirth: population.datesOfBirth[p],
                    phoneMobile: population.mobilePhones[p] ?? "", phoneHome: population.homePhones[p] ?? "",
                    preferredLanguage: interpreter ?? population.preferredLanguages[p] ?? "",
                    interpreterNeeded: interpreter != nil ? true : population.interpreterNeeded[p],
                    cohorts: call.cohorts,
                    cohortTitles: call.cohorts.map { titles[$0] ?? $0 }, priority: call.priority,
                    reasons: person.memberships.map { $0.reason(in: run, patient: patient) },
                    talkAbout: person.memberships.compactMap { $0.talkAbout(in: run, patient: patient) },
                    attempt: call.attempt, kind: call.kind, lastOutcome: last?.outcome, lastCalledOn: last?.day,
                    lastWorker: last?.worker)
            }
            return (worker.id, worker.name, rows)
        }
    }

    /// `20261123-gina-007`: unique, readable, and not guessable from the NHS number.
    static func itemID(day: Day, worker: String, sequence: Int) -> String {
        let compact = day.description.replacingAll("-", with: "")
        let number = String(sequence)
        return "\(compact)-\(worker)-\(String(repeating: "0", count: max(0, 3 - number.count)))\(number)"
    }
}
