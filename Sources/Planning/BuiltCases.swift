import Basics
import Cohorts
import Journal
import Vocabulary

/// The cases ``CaseBuilder`` built, with the journal's records since: the publish hands its cases
/// to the report refreshed after it, which rebuilds only the people those records are about.
public struct BuiltCases: Sendable {
    public let cases: [CaseInput]
    /// Each case's patient index.
    public let patients: [Int32]
    /// The first `inCohorts` cases are the people with a cohort; the rest are owed a promised call.
    public let inCohorts: Int
    /// The day and rules of the cohort run they were built from (and so of the policy and the
    /// team they were built under): cases of another run are never reused.
    let asOf: Day
    let ruleVersion: ContentHash
    /// The people the journal has recorded calls or texts for since the cases were built.
    private(set) var changed: Set<UInt64> = []
    /// The journal's record count the cases and `changed` account for; `nil` once a record came
    /// that could change anyone's case (the cases must then be built afresh).
    private(set) var recordCount: Int?

    /// Cases built from `run` and a history of `recordCount` records.
    init(cases: [CaseInput], patients: [Int32], inCohorts: Int, run: CohortRun, recordCount: Int) {
        self.cases = cases
        self.patients = patients
        self.inCohorts = inCohorts
        asOf = run.asOf
        ruleVersion = run.ruleSet.contentHash
        self.recordCount = recordCount
    }

    /// Whether these cases were built from `run` and, with the records noted since, account for
    /// every record of `history`.
    func areCurrent(for run: CohortRun, history: JournalHistory) -> Bool {
        asOf == run.asOf && ruleVersion == run.ruleSet.contentHash && recordCount == history.recordCount
    }

    /// Notes `records`, appended to the journal after the cases were built (and after any noted
    /// before), leaving it at `recordCount` records.
    ///
    /// A published call changes only its person's case (their history), an announced call only
    /// its person's (the call a text promised them), and a day published nobody's. Any other
    /// record, or records missing from what is noted, leaves the cases to be built afresh.
    public mutating func note(_ records: [JournalRecord], journalNowAt recordCount: Int) {
        guard let before = self.recordCount, before + records.count == recordCount else {
            self.recordCount = nil
            return
        }
        for record in records {
            switch record {
            case .itemPublished(let item): changed.insert(item.nhsNumber)
            case .callAnnounced(let announced): changed.insert(announced.nhsNumber)
            case .dayPublished: break
            default:
                self.recordCount = nil
                return
            }
        }
        self.recordCount = recordCount
    }
}
