import Basics
import Vocabulary

/// A person joined or left a cohort on a day. The journal keeps the first joining day, so
/// "call within 14 days" counts from joining, not from the latest extract.
public struct CohortMembershipChange: Hashable, Sendable {
    /// The NHS number as an integer (10 digits).
    public var nhsNumber: UInt64
    /// The cohort's id from the rule files.
    public var cohort: String
    public var day: Day

    public init(nhsNumber: UInt64, cohort: String, day: Day) {
        self.nhsNumber = nhsNumber
        self.cohort = cohort
        self.day = day
    }
}
