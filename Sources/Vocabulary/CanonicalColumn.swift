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
    case addressLine1 = "address_line_1"
    case addressLine2 = "address_line_2"
    case addressLine3 = "address_line_3"
    case addressLine4 = "address_line_4"
    case addressLine5 = "address_line_5"
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
        case .addressLine1: return 7
        case .addressLine2: return 8
        case .addressLine3: return 9
        case .addressLine4: return 10
        case .addressLine5: return 11
        case .phoneMobile: return 12
        case .phoneHome: return 13
        case .preferredLanguage: return 14
        case .interpreterNeeded: return 15
        case .imdDecile: return 16
        case .lsoa: return 17
        case .dateOfDeath: return 18
        case .registeredOn: return 19
        case .deregisteredOn: return 20
        case .code: return 21
        case .term: return 22
        case .date: return 23
        case .value: return 24
        }
    }

    /// The patient columns, in the order extracts.md lists them.
    public static let patientColumns = allCases.filter { !$0.isEventColumn }

    @inlinable public static func < (lhs: CanonicalColumn, rhs: CanonicalColumn) -> Bool {
        lhs.ordinal < rhs.ordinal
    }

    /// The postal address lines, first to last (optional: letters to people a call cannot reach).
    public static let addressLines: [CanonicalColumn] = [
        .addressLine1, .addressLine2, .addressLine3, .addressLine4, .addressLine5,
    ]

    /// The columns that say how to reach a person, not who they are or whether they are eligible.
    public static let contactDetails: Set<CanonicalColumn> = [
        .givenName, .familyName, .postcode, .addressLine1, .addressLine2, .addressLine3, .addressLine4,
        .addressLine5, .phoneMobile, .phoneHome, .preferredLanguage, .interpreterNeeded,
    ]
}
