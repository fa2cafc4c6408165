import Vocabulary

/// The text fields of a patients row, in the order of ``PopulationBuilder/texts``.
enum TextField: Int, CaseIterable {
    case givenName, familyName, postcode, addressLine1, addressLine2, addressLine3, addressLine4, addressLine5
    case mobile, mobileRaw, home, homeRaw, language, lsoa

    /// The address lines, first to last.
    static let addressLines: [TextField] = [.addressLine1, .addressLine2, .addressLine3, .addressLine4, .addressLine5]

    /// The column the field is read from (a phone's number and its cell as written both from
    /// the phone's column).
    var column: CanonicalColumn {
        switch self {
        case .givenName: .givenName
        case .familyName: .familyName
        case .postcode: .postcode
        case .addressLine1: .addressLine1
        case .addressLine2: .addressLine2
        case .addressLine3: .addressLine3
        case .addressLine4: .addressLine4
        case .addressLine5: .addressLine5
        case .mobile, .mobileRaw: .phoneMobile
        case .home, .homeRaw: .phoneHome
        case .language: .preferredLanguage
        case .lsoa: .lsoa
        }
    }
}
