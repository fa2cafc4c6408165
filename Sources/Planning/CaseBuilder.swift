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
    /// From how many people cases are built in parts on every core.
    var peoplePerCore = 2_048

    public init(run: CohortRun, history: JournalHistory) {
        self.run = run
        self.history = history
    }

    /// Everyone with a cohort on the run's day, in patient order, with their patient indices;
    /// with a policy and roster, also anyone who has left every cohort but is owed a call they were
    /// promised (a call-back they asked for, a follow-up after support), if they can still be called.
    /// - Returns: the cases and their patient indices; the first `inCohorts` are the people with a
    ///   cohort, the rest those owed a promise.
    public func cases(keepingPromisesUnder policy: Policy? = nil, roster: Roster? = nil) -> (
        cases: [CaseInput], patients: [Int32], inCohorts: Int
    ) {
        let rules = run.results.map { CohortCallRules($0.cohort) }
        let deprivation = DeprivationLookup(run: run)
        let members = run.cohortsByPatient().sorted(by: { $0.key < $1.key })
        // Each person depends only on their own rows and history: built on every core, in parts
        // taken back in order.
        var cases = Processors.inParts(members.count, wholeBelow: peoplePerCore) { range in
            members[range].map { patient, cohorts in
                member(patient, of: cohorts, rules: rules, deprivation: deprivation)
            }
        }.flatMap { $0 }
        var patients = members.map(\.key)
        let inCohorts = cases.count
        if let policy, let roster {
            let (owed, owedPatients) = promisesOutsideCohorts(
                among: history.people, inCohorts: Set(patients), deprivation: deprivation, policy: policy,
                roster: roster)
            cases += owed
            patients += owedPatients
        }
        return (cases, patients, inCohorts)
    }

    /// ``cases(keepingPromisesUnder:roster:)`` under the run's rules' policy and team, reusing
    /// `previous` when it was built from this run and the records it noted since are all this
    /// builder's history gained: only the people those records are about are built again.
    ///
    /// A person's case depends on the run, the rules and the journal's records about them alone,
    /// so the rest are as they were (`SimulationEndToEndTests.casesAPublishHandsOnAreTheCasesBuiltAfresh`
    /// checks the result against building afresh).
    public func cases(reusing previous: BuiltCases?, keepingPromisesUnder policy: Policy, roster: Roster)
        -> BuiltCases
    {
        guard let previous, previous.areCurrent(for: run, history: history) else {
            let (cases, patients, inCohorts) = cases(keepingPromisesUnder: policy, roster: roster)
            return BuiltCases(
                cases: cases, patients: patients, inCohorts: inCohorts, run: run, recordCount: history.recordCount)
        }
        let changed = previous.changed
        var cases = previous.cases
        let inCohorts = previous.inCohorts
        let members = previous.patients[..<inCohorts]
        var rebuilt: [Int32: Int] = [:]
        for (index, patient) in zip(members.indices, members) where changed.contains(cases[index].nhsNumber) {
            rebuilt[patient] = index
        }
        let deprivation = DeprivationLookup(run: run)
        if !rebuilt.isEmpty {
            var cohorts: [Int32: [Int]] = [:]
            for (index, result) in run.results.enumerated() {
                for patient in result.members where rebuilt[patient] != nil {
                    cohorts[patient, default: []].append(index)
                }
            }
            let rules = run.results.map { CohortCallRules($0.cohort) }
            for (patient, index) in rebuilt {
                cases[index] = member(patient, of: cohorts[patient] ?? [], rules: rules, deprivation: deprivation)
            }
        }
        // Those owed a promise, in NHS number order as built: the unchanged kept, the changed
        // looked at again.
        var owed = zip(cases[inCohorts...], previous.patients[inCohorts...]).filter {
            !changed.contains($0.0.nhsNumber)
        }
        let (fresh, freshPatients) = promisesOutsideCohorts(
            among: changed, inCohorts: Set(members), deprivation: deprivation, policy: policy, roster: roster)
        owed += zip(fresh, freshPatients)
        owed.sort { $0.0.nhsNumber < $1.0.nhsNumber }
        return BuiltCases(
            cases: Array(cases[..<inCohorts]) + owed.map(\.0), patients: Array(members) + owed.map(\.1),
            inCohorts: inCohorts, run: run, recordCount: history.recordCount)
    }

    /// The case of `patient`, a member of the run's cohorts at `cohorts` (indices into its results,
    /// whose call rules are `rules`).
    private func member(_ patient: Int32, of cohorts: [Int], rules: [CohortCallRules], deprivation: DeprivationLookup)
        -> CaseInput
    {
        let p = Int(patient)
        let nhs = run.population.nhsNumbers[p]
        let memberships = cohorts.map { index -> Membership in
            let cohort = run.results[index].cohort
            let joined = history.membership(of: nhs, in: cohort.id)
            // A join recorded after the run's day (a day planned after a later ingest) counts from the day.
            let joinedOn = joined?.isCurrent == true ? min(joined!.latestJoined, run.asOf) : run.asOf
            return Membership(cohort: rules[index], joinedOn: joinedOn, wording: .cohortTemplates)
        }
        return person(p, memberships: memberships, history: attempts(of: nhs), deprivation: deprivation)
    }

    /// People of `people` in no cohort today who are alive, registered and owed a promised call-back or a
    /// follow-up after support or an urgent concern (or a retry of one that went unanswered), as cases carrying the
    /// cohorts of the call that made the promise; in NHS number order.
    private func promisesOutsideCohorts(
        among people: some Collection<UInt64>, inCohorts: Set<Int32>, deprivation: DeprivationLookup, policy: Policy,
        roster: Roster
    ) -> ([CaseInput], [Int32]) {
        let population = run.population
        let cohorts = Dictionary(uniqueKeysWithValues: run.ruleSet.cohorts.map { ($0.id, $0) })
        var cases: [CaseInput] = []
        var patients: [Int32] = []
        for nhs in people.sorted() {
            guard let index = population.index(of: nhs), !inCohorts.contains(Int32(index)) else { continue }
            if let died = population.datesOfDeath[index], died <= run.asOf { continue }
            if let left = population.deregisteredOn[index], left <= run.asOf { continue }
            let history = attempts(of: nhs)
            // The promise: the last outcome before any unanswered tries at keeping it.
            guard
                let promise = history.last(where: {
                    $0.outcome != nil && $0.outcome != .noAnswer && $0.outcome != .voicemail
                }),
                [.callBack, .reachedSupport, .urgentConcern].contains(promise.outcome)
            else { continue }
            let memberships = promise.cohorts.compactMap { cohorts[$0] }.map { cohort in
                Membership(
                    cohort: CohortCallRules(cohort), joinedOn: promise.day, reason: "Promised call: \(cohort.title)")
            }
            guard !memberships.isEmpty else { continue }
            let person = person(index, memberships: memberships, history: history, deprivation: deprivation)
            guard let next = CaseTimeline.status(of: person, on: run.asOf, policy: policy, roster: roster).nextCall,
                [.promised, .followUp, .retry].contains(next.kind)
            else { continue }
            cases.append(person)
            patients.append(Int32(index))
        }
        return (cases, patients)
    }

    /// The case of patient `p`: what scheduling needs of their extract row, how the rules' `contact`
    /// block says they may be reached (an interpreter's language stands for their language when
    /// workers are matched), and the latest call a text announced to them.
    private func person(
        _ p: Int, memberships: [Membership], history attempts: [Attempt], deprivation: DeprivationLookup
    )
        -> CaseInput
    {
        let population = run.population
        let nhs = population.nhsNumbers[p]
        let phones = [population.mobilePhones[p] ?? "", population.homePhones[p] ?? ""]
        let contact = run.contactNeeds(patient: Int32(p))
        return CaseInput(
            nhsNumber: nhs, practice: population.practice(of: p), imdDecile: deprivation.decile(of: p),
            preferredLanguage: contact.interpreter ?? population.preferredLanguages[p],
            hasUsablePhone: phones.contains { !$0.isEmpty }, notByTelephone: contact.notByTelephone,
            phoneFingerprint: ItemPublished.phoneFingerprint(of: phones), memberships: memberships, history: attempts,
            announced: history.announcedCall(of: nhs))
    }

    /// A person's past calls with their effective outcomes, oldest first (by the day of the list,
    /// whatever order they were published in).
    public func attempts(of nhs: UInt64) -> [Attempt] {
        history.items(of: nhs).enumerated().sorted { ($0.element.day, $0.offset) < ($1.element.day, $1.offset) }.map(
            \.element
        )
        .map { item in
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
        table =
            run.ruleSet.lookups.values.sorted { $0.name < $1.name }.first {
                $0.valueType == .number && $0.keyColumn.lowercased().contains("lsoa")
                    && $0.valueColumn.lowercased().contains("imd")
            }?.entries
    }

    /// The patient's IMD decile (1 most deprived): the extract's own, else the rules' LSOA table's.
    public func decile(of patient: Int) -> Int? {
        if let decile = deciles[patient] { return Int(decile) }
        guard let table, let lsoa = lsoas[patient], case .number(let value)? = table[lsoa] else { return nil }
        return Int(value)
    }
}
