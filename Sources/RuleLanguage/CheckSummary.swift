// The counts behind the summary line of `outreach check`.

/// Counts for the one-line summary of `outreach check`.
public struct CheckSummary: Sendable, Hashable {
    public var cohorts = 0
    public var workers = 0
    public var codelists = 0
    /// Distinct codes summed over the codelists.
    public var codes = 0
    public var errors = 0
    public var warnings = 0

    public init() {}
}
