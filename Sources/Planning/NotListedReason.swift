import Basics
import Journal
import RuleLanguage

/// Why a person who has cohorts is not on today's lists.
public enum NotListedReason: Hashable, Sendable, CustomStringConvertible {
    case waiting(WaitReason)
    case inactive(InactiveReason)
    /// No worker of the team serves the person's practice.
    case noWorkerServesPractice
    /// No worker who serves the practice has every skill the person's cohorts need.
    case noWorkerHasSkill
    /// Due, but nobody who could take the call works today.
    case noWorkerToday
    /// Due, but today's lists are full: carried over to the next working day.
    case overCapacity
    /// Their practice's newest extract is stale: not called until a fresh one arrives.
    case extractStale

    public var description: String {
        switch self {
        case .waiting(let reason): return reason.rawValue
        case .inactive(let reason): return reason.description
        case .noWorkerServesPractice: return "no worker serves the practice"
        case .noWorkerHasSkill: return "no worker has the skill"
        case .noWorkerToday: return "no worker for them works today (carried over)"
        case .overCapacity: return "over capacity (carried over)"
        case .extractStale: return "their practice's extract is stale (not called until a fresh one arrives)"
        }
    }
}
