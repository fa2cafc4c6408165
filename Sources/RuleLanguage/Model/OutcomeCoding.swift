import Vocabulary

/// One outcome's SNOMED CT code for the practice record: `code declined as 871711000000103
/// "Social prescribing declined"` in the policy. The export writes it back to the practice.
public struct OutcomeCoding: Sendable, Hashable {
    public let outcome: OutcomeCode
    /// The SNOMED CT concept id, exactly as written (6 to 18 digits; never converted to a number).
    public let code: String
    /// The concept's term, as the practice record shows it.
    public let term: String

    public init(outcome: OutcomeCode, code: String, term: String) {
        self.outcome = outcome
        self.code = code
        self.term = term
    }
}
