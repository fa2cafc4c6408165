import Vocabulary

extension PatientColumn {
    /// The type a rule sees for the column.
    public var type: ValueType {
        switch self {
        case .dateOfBirth, .dateOfDeath, .registeredOn, .deregisteredOn: return .date
        case .interpreterNeeded: return .yesNo
        case .imdDecile: return .number
        default: return .text
        }
    }
}
