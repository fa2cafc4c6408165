import Dispatch
import Basics
import Population
import RuleLanguage
import Vocabulary

/// The result of evaluating a rule set over extracts on one day: who is in which cohort, with what
/// the report and the scheduler need (reasons rendered per person, counts, overlaps, matches).
public struct CohortRun: Sendable {
    public let ruleSet: RuleSet
    public let asOf: Day
    public let extract: Extract
    public let scan: EventScanResult
    /// In the rule set's cohort order (priority, then id).
    public let results: [CohortResult]
    /// Patients alive and registered on `asOf`: the only people who can be members.
    public let eligible: Int
    public let codelistMatches: [CodelistMatch]
    /// Declared fields that no extract had (every value unknown).
    public let missingFields: [String]
    /// Values of declared fields that did not parse.
    public let fieldProblems: [Reject]
    let templates: [CohortTemplates]
    /// The `contact` block's conditions, compiled once.
    let contact: ContactEvaluators
    /// How long the stages took, for `outreach bench`.
    public struct Timings: Sendable {
        /// Streaming the events into the summaries (on every core).
        public let eventScan: Double
        /// Compiling the rules and deciding every cohort for every patient.
        public let evaluation: Double
    }

    public let timings: Timings
    /// The events of the patient asked for with `witness`, for explanations.
    let witnessEvents: [WitnessedEvent]
    /// Compiles any expression of the rule set against this run's population and summaries.
    let compileExpression: @Sendable (RuleExpression) throws -> Evaluator

    public var population: Population { extract.population }

    /// The value of any expression of the rule set for one patient (for explanations and examples).
    public func evaluate(_ expression: RuleExpression, patient: Int) throws -> EvalValue {
        try compileExpression(expression)(patient)
    }

    /// Everyone's cohort indices (into ``results``), by patient index; empty for non-members.
    public func cohortsByPatient() -> [Int32: [Int]] {
        var byPatient: [Int32: [Int]] = [:]
        for (index, result) in results.enumerated() {
            for patient in result.members { byPatient[patient, default: []].append(index) }
        }
        return byPatient
    }

    /// The cohort's `reason` for a member, rendered (dates as `3 Mar 2026`).
    public func reason(cohort index: Int, patient: Int32) -> String {
        templates[index].reason(Int(patient))
    }

    /// The cohort's `talk about` for a member, rendered, or `nil` when the cohort has none.
    public func talkAbout(cohort index: Int, patient: Int32) -> String? {
        templates[index].talkAbout?(Int(patient))
    }

    /// How a person may be reached, from the rules' `contact` block; all false/nil without one.
    /// An unknown condition counts as not holding.
    public func contactNeeds(patient: Int32) -> ContactNeeds {
        contact.needs(patient: Int(patient))
    }

    /// How many people are in both cohorts, for every pair (the diagonal is each cohort's size).
    public func overlaps() -> [[Int]] {
        let sets = results.map { Set($0.members) }
        return sets.map { a in
            sets.map { b in a.count <= b.count ? a.filter(b.contains).count : b.filter(a.contains).count }
        }
    }
}

/// One cohort's result.
public struct CohortResult: Sendable {
    public let cohort: Cohort
    /// Members' patient indices, ascending.
    public let members: [Int32]
    /// People left out only because a value was unknown: no `include if` was yes, at least one was
    /// unknown, and no `exclude if` was yes.
    public let unknownOnly: Int
}

/// What one codelist matched in the extracts.
public struct CodelistMatch: Sendable {
    public let name: String
    public let codes: Int
    /// Events (up to `today`, any window) whose code is in the list.
    public let events: Int
}

/// A declared `field` read from the extracts as its type.
struct FieldColumn: Sendable {
    let evaluator: Evaluator
    /// Whether any extract file had the column (if not, every value is unknown: worth a warning).
    let present: Bool
    /// Values that did not parse as the declared type.
    let problems: [Reject]
}
