/// The canonical columns of the two extract tables (extracts.md), by their canonical names.
public enum CanonicalColumn: String, CaseIterable, Hashable, Sendable, Comparable {
    // Patients
    case nhsNumber = "nhs_number"
    case practice
    case givenName = "given_name"
    case familyName = "family_name"
    case dateOfBirth = "date_of_birth"
    case sex
    case postcode
    case phoneMobile = "phone_mobile"
    case phoneHome = "phone_home"
    case preferredLanguage = "preferred_language"
    case interpreterNeeded = "interpreter_needed"
    case imdDecile = "imd_decile"
    case lsoa
    case dateOfDeath = "date_of_death"
    case registeredOn = "registered_on"
    case deregisteredOn = "deregistered_on"
    // Events
    case code
    case term
    case date
    case value

    /// Whether this is a column of the events table (`code`, `term`, `date`, `value`).
    public var isEventColumn: Bool {
        switch self {
        case .code, .term, .date, .value: return true
        default: return false
        }
    }

    /// The position in ``allCases``, without searching.
    @inlinable public var ordinal: Int {
        switch self {
        case .nhsNumber: return 0
        case .practice: return 1
        case .givenName: return 2
        case .familyName: return 3
        case .dateOfBirth: return 4
        case .sex: return 5
        case .postcode: return 6
        case .phoneMobile: return 7
        case .phoneHome: return 8
        case .preferredLanguage: return 9
        case .interpreterNeeded: return 10
        case .imdDecile: return 11
        case .lsoa: return 12
        case .dateOfDeath: return 13
        case .registeredOn: return 14
        case .deregisteredOn: return 15
        case .code: return 16
        case .term: return 17
        case .date: return 18
        case .value: return 19
        }
    }

    /// The patient columns, in the order extracts.md lists them.
    public static let patientColumns = allCases.filter { !$0.isEventColumn }

    @inlinable public static func < (lhs: CanonicalColumn, rhs: CanonicalColumn) -> Bool {
        lhs.ordinal < rhs.ordinal
    }

    /// The columns that say how to reach a person, not who they are or whether they are eligible.
    public static let contactDetails: Set<CanonicalColumn> = [
        .givenName, .familyName, .postcode, .phoneMobile, .phoneHome, .preferredLanguage, .interpreterNeeded,
    ]
}
