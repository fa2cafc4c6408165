/// The canonical patient columns every extract profile maps to (extracts.md), as rules name them.
///
/// The same names as the patient columns of ``CanonicalColumn`` but the postal address lines
/// (`address_line_1`…, for letters only, not for rules); ``canonical`` maps one to the other case
/// by case, so a renamed case is a compile error rather than a silent mismatch.
public enum PatientColumn: String, Sendable, Hashable, CaseIterable {
    case nhsNumber = "nhs_number", practice, givenName = "given_name", familyName = "family_name"
    case dateOfBirth = "date_of_birth", sex, postcode, phoneMobile = "phone_mobile", phoneHome = "phone_home"
    case preferredLanguage = "preferred_language", interpreterNeeded = "interpreter_needed"
    case imdDecile = "imd_decile", lsoa, dateOfDeath = "date_of_death", registeredOn = "registered_on"
    case deregisteredOn = "deregistered_on"

    /// The column's name in rule files and extracts.
    public var name: String { rawValue }

    /// The extract column that holds it.
    public var canonical: CanonicalColumn {
        switch self {
        case .nhsNumber: .nhsNumber
        case .practice: .practice
        case .givenName: .givenName
        case .familyName: .familyName
        case .dateOfBirth: .dateOfBirth
        case .sex: .sex
        case .postcode: .postcode
        case .phoneMobile: .phoneMobile
        case .phoneHome: .phoneHome
        case .preferredLanguage: .preferredLanguage
        case .interpreterNeeded: .interpreterNeeded
        case .imdDecile: .imdDecile
        case .lsoa: .lsoa
        case .dateOfDeath: .dateOfDeath
        case .registeredOn: .registeredOn
        case .deregisteredOn: .deregisteredOn
        }
    }
}
