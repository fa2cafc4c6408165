import Basics
import Cohorts
import Journal
import Population
import RuleLanguage

/// Builds the planner's cases from a cohort run and the journal: one case per person with at least
/// one cohort, carrying only what scheduling needs (practice, deprivation, language, phones) and
/// the person's call history.
public struct CaseBuilder: Sendable {
    public let run: CohortRun
    public let history: JournalHistory

    public init(run: CohortRun, history: JournalHistory) {
        self.run = run
        self.history = history
    }

    /// Everyone with a cohort on the run's day, in patient order, with their patient indices.
    public func cases() -> (cases: [CaseInput], patients: [Int32]) {
        let population = run.population
        let rules = run.results.map { CohortCallRules($0.cohort) }
        let deprivation = DeprivationLookup(run: run)
        var cases: [CaseInput] = []
        var patients: [Int32] = []
        for (patient, cohortIndices) in run.cohortsByPatient().sorted(by: { $0.key < $1.key }) {
            let p = Int(patient)
            let nhs = population.nhsNumbers[p]
            let memberships = cohortIndices.map { index -> Membership in
                let cohort = run.results[index].cohort
                let joined = history.membership(of: nhs, in: cohort.id)
                return Membership(
                    cohort: rules[index], joinedOn: joined?.isCurrent == true ? joined!.latestJoined : run.asOf,
                    reason: run.reason(cohort: index, patient: patient),
                    talkAbout: run.talkAbout(cohort: index, patient: patient))
            }
            let phones = [population.mobilePhones[p] ?? "", population.homePhones[p] ?? ""]
            cases.append(
                CaseInput(
                    nhsNumber: nhs, practice: population.practice(of: p), imdDecile: deprivation.decile(of: p),
                    preferredLanguage: population.preferredLanguages[p],
                    hasUsablePhone: phones.contains { !$0.isEmpty },
                    phoneFingerprint: ItemPublished.phoneFingerprint(of: phones), memberships: memberships,
                    history: attempts(of: nhs)))
            patients.append(patient)
        }
        return (cases, patients)
    }

    /// A person's past calls with their effective outcomes, oldest first.
    public func attempts(of nhs: UInt64) -> [Attempt] {
        history.items(of: nhs).map { item in
            let outcome = history.effectiveOutcome(of: item.itemId)
            return Attempt(
                itemID: item.itemId, day: item.day, worker: item.worker, band: item.timeBand, cohorts: item.cohorts,
                outcome: outcome?.outcome, callBackOn: outcome?.callBackOn, phoneFingerprint: item.phoneFingerprint)
        }
    }
}

/// A person's IMD decile: the extract's `imd_decile`, else the rules' IMD lookup by LSOA
/// (a numeric lookup keyed by an `lsoa` column whose value column names the IMD).
public struct DeprivationLookup: Sendable {
    let deciles: [UInt8?]
    let lsoas: TextColumn
    let table: [String: LookupValue]?

    public init(run: CohortRun) {
        deciles = run.population.imdDeciles
        lsoas = run.population.lsoas
        table = run.ruleSet.lookups.values.sorted { $0.name < $1.name }.first {
            $0.valueType == .number && $0.keyColumn.lowercased().contains("lsoa")
                && $0.valueColumn.lowercased().contains("imd")
        }?.entries
    }

    public func decile(of patient: Int) -> Int? {
        if let decile = deciles[patient] { return Int(decile) }
        guard let table, let lsoa = lsoas[patient], case .number(let value)? = table[lsoa] else { return nil }
        return Int(value)
    }
}
