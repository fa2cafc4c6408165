import Basics
import Population

/// What `outreach synth` is asked for.
public struct SynthOptions: Sendable {
    public var patients: Int
    public var practices: Int
    public var layout: SynthLayout
    public var seed: UInt64
    /// The extract's run date; events and registrations are on or before it.
    public var asOf: Day
    /// The average number of coded events a patient has (the spec's scale: 30).
    public var eventsPerPatient: Int

    public init(
        patients: Int, practices: Int = 3, layout: SynthLayout = .canonical, seed: UInt64 = 1, asOf: Day,
        eventsPerPatient: Int = 30
    ) {
        self.patients = patients
        self.practices = practices
        self.layout = layout
        self.seed = seed
        self.asOf = asOf
        self.eventsPerPatient = eventsPerPatient
    }
}

/// The layouts `outreach synth` writes.
public enum SynthLayout: String, CaseIterable, Sendable {
    case canonical, emis, systmone
}

/// A row synth broke on purpose, and the reject `inspect` must report for it.
public struct BrokenRow: Hashable, Sendable {
    public let file: String
    public let line: Int
    public let column: String
    public let value: String
    public let problem: Problem

    /// `practice-E82001.csv:12: nhs_number "999 001 0014": check digit is wrong`.
    public var message: String { "\(file):\(line): \(column) \"\(value)\": \(problem.reason)" }
}
