import Vocabulary

/// A layout a clinical system's search exports use: which source headers mean which canonical
/// column. Headers are matched ignoring case, spaces and punctuation (`NHS number`, `NHSNumber`).
public struct Profile: Sendable {
    /// `canonical`, `emis`, `systmone`, `vision`, or a custom profile's name.
    public let name: String
    /// Source headers as the system writes them, each with the column it fills: a canonical name,
    /// or for custom profiles any other name (an extra field).
    public let mappings: [(source: String, target: String)]
    /// Whether this profile came from the rules (it then applies only when every source header is present).
    public let isCustom: Bool

    let byKey: [String: String]
    let exactSpellings: Set<String>
    let casedSpellings: Set<String>

    init(name: String, mappings: [(String, String)], isCustom: Bool) {
        self.name = name
        self.mappings = mappings
        self.isCustom = isCustom
        var byKey: [String: String] = [:]
        for (source, target) in mappings where byKey[ColumnName.matchKey(source)] == nil {
            byKey[ColumnName.matchKey(source)] = target
        }
        self.byKey = byKey
        self.exactSpellings = Set(mappings.map { Profile.spelling($0.0) })
        self.casedSpellings = Set(mappings.map { Profile.spelling($0.0, keepingCase: true) })
    }

    /// The column a source header fills under this profile, or `nil` when the profile does not map it.
    public func target(forHeader header: String) -> String? {
        byKey[ColumnName.matchKey(header)]
    }

    /// A header compared as written, ignoring runs of spaces and (unless `keepingCase`) case.
    static func spelling(_ header: String, keepingCase: Bool = false) -> String {
        (keepingCase ? header : header.lowercased()).split(separator: " ", omittingEmptySubsequences: true)
            .joined(separator: " ")
    }

    /// The built-in profiles, in the order ties are broken.
    public static let builtIn: [Profile] = [canonical, emis, systmone, vision]

    /// The names `--profile` accepts besides custom ones.
    public static var builtInNames: [String] { builtIn.map(\.name) }

    /// Outreach's own layout: the canonical column names.
    public static let canonical = Profile(
        name: "canonical", mappings: CanonicalColumn.allCases.map { ($0.rawValue, $0.rawValue) }, isCustom: false)

    /// EMIS Web search exports ("Patient Details" reports), as EMIS names the columns.
    public static let emis = Profile(
        name: "emis",
        mappings: [
            ("NHS Number", "nhs_number"), ("Organisation Code", "practice"), ("Practice Code", "practice"),
            ("ODS Code", "practice"), ("Forename", "given_name"), ("First Name", "given_name"),
            ("Given Name", "given_name"), ("Surname", "family_name"), ("Family Name", "family_name"),
            ("Date of Birth", "date_of_birth"), ("DOB", "date_of_birth"), ("Gender", "sex"), ("Sex", "sex"),
            ("Postcode", "postcode"), ("Post Code", "postcode"), ("House Name/Flat Number", "address_line_1"),
            ("Number and Street", "address_line_2"), ("Village", "address_line_3"), ("Town", "address_line_4"),
            ("County", "address_line_5"), ("Address Line 1", "address_line_1"), ("Address Line 2", "address_line_2"),
            ("Address Line 3", "address_line_3"), ("Address Line 4", "address_line_4"),
            ("Address Line 5", "address_line_5"), ("Mobile Telephone", "phone_mobile"),
            ("Mobile Number", "phone_mobile"), ("Mobile", "phone_mobile"), ("Home Telephone", "phone_home"),
            ("Home Phone", "phone_home"), ("Telephone Number", "phone_home"), ("Main Language", "preferred_language"),
            ("Preferred Language", "preferred_language"), ("First Language", "preferred_language"),
            ("Interpreter Required", "interpreter_needed"), ("Interpreter Needed", "interpreter_needed"),
            ("LSOA", "lsoa"), ("LSOA Code", "lsoa"), ("IMD Decile", "imd_decile"), ("Deprivation Decile", "imd_decile"),
            ("Date of Death", "date_of_death"), ("Registration Date", "registered_on"),
            ("Date of Registration", "registered_on"), ("Deregistration Date", "deregistered_on"),
            ("Date of Deregistration", "deregistered_on"), ("Code", "code"), ("SNOMED Code", "code"),
            ("SNOMED CT Code", "code"), ("EMIS Code", "code"), ("Term", "term"), ("Description", "term"),
            ("Date", "date"), ("Effective Date", "date"), ("Event Date", "date"), ("Value", "value"),
            ("Numeric Value", "value"),
        ], isCustom: false)

    /// SystmOne (TPP) report exports, as SystmOne names the columns.
    public static let systmone = Profile(
        name: "systmone",
        mappings: [
            ("NHS number", "nhs_number"), ("Registered practice code", "practice"), ("Practice code", "practice"),
            ("First name", "given_name"), ("Forename", "given_name"), ("Surname", "family_name"),
            ("Date of birth", "date_of_birth"), ("Gender", "sex"), ("Postcode", "postcode"),
            ("Address line 1", "address_line_1"), ("Address line 2", "address_line_2"),
            ("Address line 3", "address_line_3"), ("Address line 4", "address_line_4"),
            ("Address line 5", "address_line_5"), ("House name", "address_line_1"), ("Road", "address_line_2"),
            ("Locality", "address_line_3"), ("Post town", "address_line_4"), ("County", "address_line_5"),
            ("Mobile number", "phone_mobile"), ("Mobile telephone", "phone_mobile"),
            ("Home telephone", "phone_home"), ("Home phone number", "phone_home"), ("Telephone number", "phone_home"),
            ("Main spoken language", "preferred_language"), ("Spoken language", "preferred_language"),
            ("Preferred language", "preferred_language"), ("Interpreter required", "interpreter_needed"),
            ("Requires interpreter", "interpreter_needed"), ("LSOA", "lsoa"), ("IMD decile", "imd_decile"),
            ("Date of death", "date_of_death"), ("Date of registration", "registered_on"),
            ("Registration date", "registered_on"), ("Date of deregistration", "deregistered_on"),
            ("Deregistration date", "deregistered_on"), ("Clinical code", "code"), ("Code", "code"),
            ("SNOMED code", "code"), ("CTV3 code", "code"), ("Read code", "code"), ("Description", "term"),
            ("Rubric", "term"), ("Term", "term"), ("Event date", "date"), ("Date recorded", "date"), ("Date", "date"),
            ("Numeric value", "value"), ("Value", "value"),
        ], isCustom: false)

    /// Vision (INPS/Cegedim) search exports, as Vision names the columns.
    public static let vision = Profile(
        name: "vision",
        mappings: [
            ("NHS Number", "nhs_number"), ("Practice Code", "practice"), ("Forenames", "given_name"),
            ("Forename", "given_name"), ("Surname", "family_name"), ("DOB", "date_of_birth"),
            ("Date of Birth", "date_of_birth"), ("Sex", "sex"), ("Postcode", "postcode"),
            ("Address 1", "address_line_1"),
            ("Address 2", "address_line_2"), ("Address 3", "address_line_3"), ("Address 4", "address_line_4"),
            ("Address 5", "address_line_5"), ("Mobile", "phone_mobile"),
            ("Mobile Phone", "phone_mobile"), ("Telephone", "phone_home"), ("Home Phone", "phone_home"),
            ("Language", "preferred_language"), ("Main Language", "preferred_language"),
            ("Interpreter", "interpreter_needed"), ("LSOA", "lsoa"), ("IMD Decile", "imd_decile"),
            ("Date of Death", "date_of_death"), ("Registration Date", "registered_on"),
            ("Date Registered", "registered_on"), ("Deduction Date", "deregistered_on"),
            ("Date Deducted", "deregistered_on"), ("Read Code", "code"), ("Clinical Code", "code"), ("Code", "code"),
            ("Rubric", "term"), ("Description", "term"), ("Event Date", "date"), ("Date", "date"), ("Value", "value"),
        ], isCustom: false)
}

/// A profile from the rules' `extract NAME … end` block: `map "Source header" to name` lines.
///
/// It applies to any file whose header row holds every source header it maps (case and spacing
/// ignored); it wins over the built-in profiles there. Targets that are not canonical column
/// names become extra fields of that name.
public struct CustomProfile: Sendable {
    public let name: String
    public let mappings: [(source: String, target: String)]

    public init(name: String, mappings: [(source: String, target: String)]) {
        self.name = name
        self.mappings = mappings
    }

    var profile: Profile {
        Profile(name: name, mappings: mappings.map { ($0.source, ColumnName.normalise($0.target)) }, isCustom: true)
    }
}

/// Chooses the profile for a header row.
enum ProfileChooser {
    /// The profile that fits the header best: a custom profile whose every source header is
    /// present (the one mapping most columns), else the built-in mapping most columns (ties go to
    /// the one whose spellings match most often ignoring case, then matching case — SystmOne
    /// writes `NHS number`, EMIS `NHS Number` — then to the earlier one).
    static func choose(header: [String], custom: [Profile]) -> Profile? {
        let keys = Set(header.map(ColumnName.matchKey))
        let applicable = custom.filter { profile in profile.byKey.keys.allSatisfy(keys.contains) }
        if let best = applicable.max(by: { $0.byKey.count < $1.byKey.count }) { return best }
        var best: (profile: Profile, score: (Int, Int, Int))?
        for profile in Profile.builtIn {
            let mapped = header.filter { profile.target(forHeader: $0) != nil }.count
            let exact = header.filter { profile.exactSpellings.contains(Profile.spelling($0)) }.count
            let cased = header.filter { profile.casedSpellings.contains(Profile.spelling($0, keepingCase: true)) }.count
            guard mapped > 0, header.contains(where: { profile.target(forHeader: $0) == "nhs_number" }) else {
                continue
            }
            if best == nil || (mapped, exact, cased) > best!.score { best = (profile, (mapped, exact, cased)) }
        }
        return best?.profile
    }

    /// Whether a cell could be an NHS number column's header under any profile: how the header
    /// row is told from preamble lines.
    static func isNHSNumberHeader(_ cell: String, custom: [Profile]) -> Bool {
        let key = ColumnName.matchKey(cell)
        if key.isEmpty { return false }
        for profile in Profile.builtIn + custom where profile.byKey[key] == "nhs_number" { return true }
        return false
    }
}
