import Basics
import Vocabulary

/// One patient's normalised values (``Population/record(_:)``).
public struct PatientRecord: Hashable, Sendable {
    public var nhsNumber: NHSNumber
    public var practice: String
    public var givenName: String?
    public var familyName: String?
    public var dateOfBirth: Day?
    public var sex: Sex?
    public var postcode: String?
    /// The postal address lines as written, blank ones left out.
    public var addressLines: [String]
    public var phoneMobile: String?
    public var phoneHome: String?
    public var preferredLanguage: String?
    public var interpreterNeeded: Bool?
    public var imdDecile: UInt8?
    public var lsoa: String?
    public var dateOfDeath: Day?
    public var registeredOn: Day?
    public var deregisteredOn: Day?
    /// Extra fields' raw values by normalised name (missing ones left out).
    public var extras: [String: String]

    public init(
        nhsNumber: NHSNumber, practice: String, givenName: String? = nil, familyName: String? = nil,
        dateOfBirth: Day? = nil, sex: Sex? = nil, postcode: String? = nil, addressLines: [String] = [],
        phoneMobile: String? = nil,
        phoneHome: String? = nil, preferredLanguage: String? = nil, interpreterNeeded: Bool? = nil,
        imdDecile: UInt8? = nil, lsoa: String? = nil, dateOfDeath: Day? = nil, registeredOn: Day? = nil,
        deregisteredOn: Day? = nil, extras: [String: String] = [:]
    ) {
        self.nhsNumber = nhsNumber
        self.practice = practice
        self.givenName = givenName
        self.familyName = familyName
        self.dateOfBirth = dateOfBirth
        self.sex = sex
        self.postcode = postcode
        self.addressLines = addressLines
        self.phoneMobile = phoneMobile
        self.phoneHome = phoneHome
        self.preferredLanguage = preferredLanguage
        self.interpreterNeeded = interpreterNeeded
        self.imdDecile = imdDecile
        self.lsoa = lsoa
        self.dateOfDeath = dateOfDeath
        self.registeredOn = registeredOn
        self.deregisteredOn = deregisteredOn
        self.extras = extras
    }
}

/// An extra column read as a declared type: typed values per patient, and every value that did
/// not parse (kept as missing and reported, never silently dropped).
public struct TypedField: Sendable {
    /// The values, by type.
    public enum Values: Sendable {
        case yesNo([Bool?])
        case number([Double?])
        case date(DayColumn)
        case text(TextColumn)
    }

    public let name: String
    public let type: FieldType
    public let values: Values
    /// Values that did not parse, with file, line and reason (action `value ignored`).
    public let problems: [Reject]
}

/// Where a patient's row is: file (index into ``Population/files``) and physical line.
public struct RowLocation: Hashable, Sendable {
    public let file: UInt16
    public let line: Int32
}

/// A coded event found in a patients file (EMIS code/date columns and continuation rows,
/// SystmOne code/`Date of issue` pairs). These are few, so they are held in memory and replayed to
/// every event scan ahead of the events files.
public struct EmbeddedEvent: Sendable, Hashable {
    public let patient: Int32
    public let code: String
    public let day: Day
    public let value: Double?
}
