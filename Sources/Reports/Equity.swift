import Basics
import Cohorts
import Journal
import Planning
import RuleLanguage

/// Reach by deprivation and by practice: is the most deprived decile reached as well as the least?
public struct Equity: Sendable {
    /// Deciles 1 (most deprived) to 10, then people whose decile is not known.
    public let deciles: [ReachRow]
    /// By practice code, in code order.
    public let practices: [ReachRow]
    public let overall: ReachRow

    /// The most and least deprived deciles that have people in cohorts (normally 1 and 10).
    public var extremes: (most: ReachRow, least: ReachRow)? {
        let known = deciles.prefix(10).filter { $0.people > 0 }
        guard let most = known.first, let least = known.last, known.count > 1 else { return nil }
        return (most, least)
    }
}
