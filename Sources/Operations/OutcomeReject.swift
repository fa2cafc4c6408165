import Basics
import Journal
import Planning
import Population
import RuleLanguage
import Vocabulary

/// A row of a returned call list that cannot be recorded, and why.
public struct OutcomeReject: Hashable, Sendable {
    /// The physical line in the returned file (the header is line 1).
    public let line: Int
    /// The column whose cell is at fault (`item_id`, `nhs_number`, `outcome`, `call_back_on`).
    public let column: String
    public let itemID: String
    public let reason: String
}
