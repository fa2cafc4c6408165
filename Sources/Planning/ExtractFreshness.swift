import Basics
import Journal
import RuleLanguage

/// A practice whose newest patients extract is older than the policy's `extracts go stale after`:
/// people who have died, moved or left the practice since would still be rung, so none of its
/// patients is called until a fresh extract arrives.
public struct StaleExtract: Hashable, Sendable {
    public let practice: String
    /// The day the newest extract describes (its run date, else the day it was ingested).
    public let extractDate: Day
    /// Whole days from `extractDate` to the day asked about.
    public let ageDays: Int

    /// `E82003: newest extract 31 Oct 2026, 35 days old` (no patient data: it may be logged).
    public var description: String {
        "\(practice): newest extract \(extractDate.humanDescription), \(Formatting.count(ageDays, "day")) old"
    }
}

/// Which practices' extracts are stale on a day.
public enum ExtractFreshness {
    /// The practices whose newest patients extract is stale on `day`, by ODS code.
    public static func stale(history: JournalHistory, policy: Policy, on day: Day) -> [StaleExtract] {
        var newest: [String: Day] = [:]
        for extract in history.extracts where extract.patientCount > 0 {
            for practice in extract.practices where (extract.patients(of: practice) ?? 1) > 0 {
                newest[practice] = max(newest[practice] ?? extract.extractDate, extract.extractDate)
            }
        }
        return newest.keys.sorted().compactMap { practice in
            let date = newest[practice]!
            guard policy.isStale(extractDate: date, on: day) else { return nil }
            return StaleExtract(practice: practice, extractDate: date, ageDays: Int(day.ordinal - date.ordinal))
        }
    }

    /// Plain words for `schedule`, the log and the report: which practices are not called from and why.
    public static func explanation(_ stale: [StaleExtract], policy: Policy) -> [String] {
        stale.map {
            "Not calling patients of \($0.description) (extracts go stale after \(policy.extractsStaleAfter)): "
                + "ask the practice for a fresh extract"
        }
    }
}
