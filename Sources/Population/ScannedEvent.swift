import Basics

/// One event a scan found whose code is in its ``CodeTable``.
public struct ScannedEvent: Hashable, Sendable {
    /// The patient's index in the population.
    public let patient: Int32
    /// The code's id in the code table.
    public let code: Int32
    public let day: Day
    /// The value, when the row had one.
    public let value: Double?

    public init(patient: Int32, code: Int32, day: Day, value: Double?) {
        self.patient = patient
        self.code = code
        self.day = day
        self.value = value
    }
}
