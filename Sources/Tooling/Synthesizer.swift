import Basics
import Population

/// Writes realistic synthetic extracts: practices of about equal size, an age/sex pyramid like
/// England's, real LSOAs and IMD deciles with local clustering, real SNOMED CT codes at realistic
/// prevalences, messy phones and postcodes, made-up postal addresses (``SyntheticAddress``), and a
/// few rows broken on purpose.
///
/// Deterministic: the same options give the same bytes (SplitMix64 streams, no dictionary order).
/// NHS numbers are valid Modulus 11 numbers from the 999 range reserved for test data; phone
/// numbers are from Ofcom's drama ranges, so no real person is ever generated.
public enum Synthesizer {
    /// Generates the extract, handing each file to `emit` as it is finished.
    /// - Parameter keepRecords: keep the intended patients and events (tests; memory grows with events).
    public static func generate(
        _ options: SynthOptions, keepRecords: Bool = false, emit: (String, [UInt8]) throws -> Void
    ) rethrows -> SyntheticExtract {
        var result = SyntheticExtract()
        var master = SeededRandom(seed: options.seed)
        let numbers = nhsNumbers(count: options.patients, random: &master)
        let practiceCount = max(1, options.practices)
        var first = 0
        for practice in 0..<practiceCount {
            let size = options.patients / practiceCount + (practice < options.patients % practiceCount ? 1 : 0)
            var random = master.split()
            var writer = PracticeWriter(
                options: options, practice: practice, code: "E82\(String(1001 + practice).suffix(3))",
                keepRecords: keepRecords)
            for offset in 0..<size {
                writer.addPatient(nhs: numbers[first + offset], random: &random)
            }
            first += size
            try emit(writer.patientsFile, writer.patientBytes)
            try emit(writer.eventsFile, writer.eventBytes)
            result.fileNames += [writer.patientsFile, writer.eventsFile]
            result.broken += writer.broken.sorted { ($0.file, $0.line) < ($1.file, $1.line) }
            result.patients += writer.records
            result.events += writer.keptEvents
            result.patientCount += size
            result.eventCount += writer.eventCount
            for (group, count) in writer.groupCounts { result.groupCounts[group, default: 0] += count }
        }
        return result
    }

    /// Generates the extract into `directory` (created 0700; files 0600), with the manifest of
    /// broken rows as ``SyntheticExtract/manifestName``.
    public static func write(_ options: SynthOptions, to directory: String) throws -> SyntheticExtract {
        do {
            try FileIO.createDirectory(directory)
            let result = try generate(options) { name, bytes in
                try FileIO.writeAtomically(bytes, to: FileIO.join(directory, name))
            }
            try FileIO.writeAtomically(
                text: result.manifestCSV, to: FileIO.join(directory, SyntheticExtract.manifestName))
            return result
        } catch let error as FileIOError {
            throw OutreachError(
                "cannot write to \(directory): \(FileIOError.describe(error.errno))", exitCode: .cannotCreate)
        }
    }

    /// `count` distinct valid NHS numbers from 999 000 000x–999 999 999x, in a seeded order.
    static func nhsNumbers(count: Int, random: inout SeededRandom) -> [UInt64] {
        // Stepping through 0..<10^6 with a step coprime to 10^6 visits every prefix once.
        let span: UInt64 = 1_000_000
        var step = random.next() % span
        while step % 2 == 0 || step % 5 == 0 { step = (step + 1) % span }
        var at = random.next() % span
        var result: [UInt64] = []
        result.reserveCapacity(count)
        var visited: UInt64 = 0
        while result.count < count, visited < span {
            let prefix = 999_000_000 + at
            if let check = NHSNumber.checkDigit(forFirstNine: prefix) { result.append(prefix * 10 + check) }
            at = (at + step) % span
            visited += 1
        }
        precondition(result.count == count, "the 999 test range holds about 909,000 valid NHS numbers")
        return result
    }
}

/// Builds one practice's patients and events files.
private struct PracticeWriter {
    let options: SynthOptions
    let practice: Int
    let code: String
    let keepRecords: Bool
    var patientBytes: [UInt8] = []
    var eventBytes: [UInt8] = []
    var patientLine = 0
    var eventLine = 0
    var broken: [BrokenRow] = []
    var records: [PatientRecord] = []
    var keptEvents: [SyntheticEvent] = []
    var eventCount = 0
    var groupCounts: [String: Int] = [:]
    var patientIndex = 0
    /// Which patients (by position) get a broken row, and how.
    var patientBreaks: [Int: Problem] = [:]
    var eventBreaks: [Int: Problem] = [:]

    var patientsFile: String { "practice-\(code).csv" }
    var eventsFile: String { "practice-\(code)-events.csv" }
    var lineEnd: [UInt8] { options.layout == .canonical ? [0x0A] : [0x0D, 0x0A] }

    init(options: SynthOptions, practice: Int, code: String, keepRecords: Bool) {
        self.options = options
        self.practice = practice
        self.code = code
        self.keepRecords = keepRecords
        let size = options.patients / max(1, options.practices)
        // A few broken rows of each kind per file, spread through it: well under 5%.
        var planner = SeededRandom(seed: options.seed &+ UInt64(practice) &* 7919)
        let perKind = 1 + size / 5000
        for problem in [Problem.nhsCheckDigit, .nhsExcelMangled, .noSuchDate] {
            for _ in 0..<perKind where size > 20 {
                var at = Int(planner.next() % UInt64(size))
                while patientBreaks[at] != nil { at = (at + 1) % size }
                patientBreaks[at] = problem
            }
        }
        for problem in [Problem.noSuchDate, .nhsCheckDigit] {
            for _ in 0..<perKind where size > 20 {
                var at = Int(planner.next() % UInt64(size))
                while eventBreaks[at] != nil { at = (at + 1) % size }
                eventBreaks[at] = problem
            }
        }
        writeHeaders()
    }

    // MARK: Layout

    private var patientHeader: [String] {
        switch options.layout {
        case .canonical:
            return [
                "nhs_number", "practice", "given_name", "family_name", "date_of_birth", "sex", "postcode",
                "address_line_1", "address_line_2", "address_line_3", "address_line_4", "address_line_5",
                "phone_mobile", "phone_home", "preferred_language", "interpreter_needed", "lsoa", "imd_decile",
                "registered_on",
                "deregistered_on", "date_of_death", "lives_alone", "frailty_index",
            ]
        case .emis:
            return [
                "NHS Number", "Forename", "Surname", "Date of Birth", "Gender", "House Name/Flat Number",
                "Number and Street", "Village", "Town", "County", "Postcode", "Mobile Telephone",
                "Home Telephone", "Main Language", "Interpreter Required", "LSOA", "IMD Decile", "Registration Date",
                "Deregistration Date", "Date of Death", "Lives Alone", "Frailty Index",
            ]
        case .systmone:
            return [
                "NHS number", "First name", "Surname", "Date of birth", "Gender", "House name", "Road", "Locality",
                "Post town", "County", "Postcode", "Mobile number",
                "Home telephone", "Main spoken language", "Interpreter required", "LSOA", "IMD decile",
                "Date of registration", "Date of deregistration", "Date of death", "Lives alone", "Frailty index",
            ]
        }
    }

    private var eventHeader: [String] {
        switch options.layout {
        case .canonical: return ["nhs_number", "code", "term", "date", "value"]
        case .emis: return ["NHS Number", "Code", "Term", "Date", "Value"]
        case .systmone: return ["NHS number", "Clinical code", "Description", "Event date", "Numeric value"]
        }
    }

    private mutating func writeHeaders() {
        if options.layout == .emis {
            patientBytes += [0xEF, 0xBB, 0xBF]
            eventBytes += [0xEF, 0xBB, 0xBF]
            for (index, search) in ["Outreach population", "Outreach coded events"].enumerated() {
                let preamble: [[String]] = [
                    ["Search Name", search], ["Search Description", "Synthetic test data: not real patients"],
                    ["Run Date", date(options.asOf)], ["Run Time", "07:02"],
                    ["Organisation", "Synthetic practice \(code)"],
                    ["Population Count", String(options.patients / max(1, options.practices))],
                    ["Parent Population", "All currently registered patients"], ["Search Type", "Patient details"],
                    ["Report Author", "Outreach synth"], ["Report Version", "1"], [""],
                ]
                for row in preamble {
                    if index == 0 { appendPatientRow(row) } else { appendEventRow(row) }
                }
            }
        }
        appendPatientRow(patientHeader)
        appendEventRow(eventHeader)
    }

    private mutating func appendPatientRow(_ cells: [String]) {
        Self.append(cells, to: &patientBytes, lineEnd: lineEnd)
        patientLine += 1
    }

    private mutating func appendEventRow(_ cells: [String]) {
        Self.append(cells, to: &eventBytes, lineEnd: lineEnd)
        eventLine += 1
    }

    private static func append(_ cells: [String], to bytes: inout [UInt8], lineEnd: [UInt8]) {
        for (index, cell) in cells.enumerated() {
            if index > 0 { bytes.append(0x2C) }
            bytes += Array(CSVWriter.escape(cell, neutraliseFormulas: false).utf8)
        }
        bytes += lineEnd
    }

    // MARK: Values as the layout writes them

    private func date(_ day: Day) -> String {
        let (y, m, d) = day.components
        let dd = d < 10 ? "0\(d)" : "\(d)"
        let mm = m < 10 ? "0\(m)" : "\(m)"
        switch options.layout {
        case .canonical: return day.description
        case .emis: return "\(dd)-\(Day.monthAbbreviations[m - 1])-\(y)"
        case .systmone: return "\(dd)/\(mm)/\(y)"
        }
    }

    private func nhsText(_ value: UInt64) -> String {
        let number = NHSNumber(value)!
        return options.layout == .emis ? number.description : number.digits
    }

    private func yesNo(_ value: Bool) -> String {
        switch options.layout {
        case .canonical: return value ? "yes" : "no"
        case .emis: return value ? "Yes" : "No"
        case .systmone: return value ? "Y" : "N"
        }
    }

    private func sexText(_ sex: Sex) -> String {
        guard options.layout == .emis else { return sex.description }
        switch sex {
        case .female: return "Female"
        case .male: return "Male"
        case .unknown: return "Unknown"
        }
    }

    // MARK: Patients

    /// England's population by five-year age band (0–4 … 90+), per 1,000 (ONS mid-2021, rounded).
    static let ageBands: [Double] = [54, 59, 60, 56, 60, 66, 69, 67, 63, 63, 69, 67, 58, 50, 50, 36, 25, 15, 9]

    static let femaleNames = [
        "Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Sophie", "Emily", "Jessica", "Ruth", "Margaret", "Susan",
        "Patricia", "Jean", "Aisha", "Priya", "Fatima", "Zoë", "Agnieszka", "Siobhan", "Niamh", "Joan", "Doreen",
        "Hannah", "Chloe", "Amira", "Gurpreet", "Maryam",
    ]
    static let maleNames = [
        "Oliver", "George", "Noah", "Arthur", "Harry", "Leo", "Jack", "David", "John", "Michael", "Peter", "Robert",
        "Mohammed", "Ahmed", "Arjun", "Rajesh", "Tomasz", "Sean", "Kwame", "Brian", "Kenneth", "Dennis", "Omar",
        "Samuel", "Daniel", "Imran", "Harjit", "José",
    ]
    static let familyNames = [
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson", "Wright",
        "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Khan", "Begum", "Ahmed", "Singh",
        "Kowalski", "Nowak", "O'Brien", "Murphy", "Okafor", "Mensah", "Clarke", "Hughes", "Edwards", "Lewis-Jones",
        "Shah", "Hussain", "Ali", "Chowdhury", "Kaur", "Wood", "Harris", "Martin",
    ]
    static let outwardCodes = [
        ["SG1", "SG2", "SG4"], ["SG12", "SG13", "SG14"], ["AL1", "AL3", "AL4"], ["WD17", "WD18", "WD19"],
    ]
    static let inwardLetters = Array("ABDEFGHJLNPQRSTUWXYZ")
    static let languages: [(String, Double)] = [
        ("Gujarati", 0.02), ("Urdu", 0.018), ("Polish", 0.018), ("Bengali", 0.015), ("Punjabi", 0.014),
        ("Romanian", 0.01), ("Arabic", 0.008), ("Somali", 0.005), ("Portuguese", 0.006), ("Turkish", 0.004),
        ("Tamil", 0.004),
    ]

    mutating func addPatient(nhs: UInt64, random: inout SeededRandom) {
        let asOf = options.asOf
        let weights = Self.ageBands
        let total = weights.reduce(0, +)
        var pick = Double.random(in: 0..<total, using: &random)
        var band = 0
        while band < weights.count - 1, pick >= weights[band] {
            pick -= weights[band]
            band += 1
        }
        let age = band == 18 ? 90 + Int(random.next() % 11) : band * 5 + Int(random.next() % 5)
        let femaleShare = age >= 90 ? 0.68 : age >= 80 ? 0.58 : age >= 65 ? 0.53 : 0.5
        let sex: Sex = random.chance(0.002) ? .unknown : (random.chance(femaleShare) ? .female : .male)
        let dateOfBirth = asOf.adding(days: -(age * 365 + age / 4) - Int(random.next() % 365))
        let given =
            sex == .male
            ? Self.maleNames[Int(random.next() % UInt64(Self.maleNames.count))]
            : Self.femaleNames[Int(random.next() % UInt64(Self.femaleNames.count))]
        let family = Self.familyNames[Int(random.next() % UInt64(Self.familyNames.count))]

        // Address: postcodes and LSOAs of the practice's own area (local clustering).
        let outward = Self.outwardCodes[practice % Self.outwardCodes.count]
        var postcode: String?
        var postcodeText = ""
        if !random.chance(0.02) {
            let out = outward[Int(random.next() % UInt64(outward.count))]
            let letters = Self.inwardLetters
            let inward =
                "\(random.next() % 10)\(letters[Int(random.next() % UInt64(letters.count))])\(letters[Int(random.next() % UInt64(letters.count))])"
            postcode = "\(out) \(inward)"
            let style = random.next() % 100
            postcodeText =
                style < 3
                ? postcode!.lowercased() : style < 5 ? out + inward : style < 6 ? out + "  " + inward : postcode!
        }
        let area = LSOASample.areas[practice % LSOASample.areas.count]
        let neighbourhood = Int(random.next() % UInt64(area.count))
        let lsoa = area[min(area.count - 1, max(0, neighbourhood + Int(random.next() % 5) - 2))]

        // Phones: drama-range numbers only (Ofcom reserves them for fiction).
        let mobileNumber = "07700 900\(pad3(random.next() % 1000))"
        var mobile: String?
        var mobileText = ""
        if !random.chance(age < 16 ? 0.6 : 0.12) {
            mobile = mobileNumber
            let digits = mobileNumber.replacingAll(" ", with: "")
            switch random.next() % 20 {
            case 0: mobileText = "+44 " + String(digits.dropFirst())
            case 1: mobileText = "+44 (0)" + String(digits.dropFirst())
            case 2: mobileText = "mob: " + mobileNumber
            case 3: mobileText = mobileNumber + " / 07700 900" + pad3(random.next() % 1000)
            case 4: mobileText = digits
            case 5: mobileText = "0044 " + String(digits.dropFirst())
            default: mobileText = mobileNumber
            }
        }
        var home: String?
        var homeText = ""
        if random.chance(0.55) {
            let number = random.next() % 1000
            switch random.next() % 3 {
            case 0: home = "020 7946 0\(pad3(number))"
            case 1: home = "0113 496 0\(pad3(number))"
            default: home = "01632 960\(pad3(number))"
            }
            homeText = random.chance(0.05) ? home! + " ext 2" : home!
        }

        var language = "English"
        var pickLanguage = Double.random(in: 0..<1, using: &random)
        for (name, share) in Self.languages {
            if pickLanguage < share {
                language = name
                break
            }
            pickLanguage -= share
        }
        let interpreter = language != "English" && random.chance(0.45)

        let registeredYearsAgo = min(age, Int(random.next() % 30))
        var registered = asOf.adding(days: -(registeredYearsAgo * 365) - Int(random.next() % 365))
        if registered < dateOfBirth { registered = dateOfBirth }
        let deathChance = age >= 85 ? 0.05 : age >= 75 ? 0.02 : age >= 60 ? 0.005 : 0.0008
        var death: Day?
        var deregistered: Day?
        if random.chance(deathChance) {
            death = max(registered, asOf.adding(days: -Int(random.next() % 700) - 1))
        } else if random.chance(0.01) {
            deregistered = max(registered, asOf.adding(days: -Int(random.next() % 700) - 1))
        }
        let livesAloneChance = age >= 75 ? 0.36 : age >= 65 ? 0.22 : age >= 18 ? 0.12 : 0
        let livesAlone: Bool? = random.chance(0.04) ? nil : random.chance(livesAloneChance)
        var frailty: String?
        if age >= 65 {
            let base = 0.04 + Double(age - 65) * 0.011 + Double(random.next() % 1000) / 1000 * 0.2
            frailty = Formatting.fixed(min(1, base), 2)
        }

        // The row, maybe broken on purpose.
        let breakage = patientBreaks[patientIndex]
        var nhsCell = nhsText(nhs)
        var dobCell = date(dateOfBirth)
        switch breakage {
        case .nhsCheckDigit?:
            let wrong = nhs / 10 * 10 + (nhs % 10 + 1) % 10
            nhsCell = options.layout == .emis ? "\(nhsText(nhs).dropLast())\(wrong % 10)" : String(wrong)
        case .nhsExcelMangled?:
            nhsCell = "9.99" + String(String(nhs).dropFirst(3).prefix(3)) + "E+09"
        case .noSuchDate?:
            let year = dateOfBirth.year
            dobCell =
                options.layout == .canonical
                ? "\(year)-02-31" : options.layout == .emis ? "31-Feb-\(year)" : "31/02/\(year)"
        default:
            break
        }
        let lineNumber = patientLine + 1
        // Its own generator: the rest of the row and file are as they were without addresses.
        let address = SyntheticAddress(nhs: nhs, practice: practice)
        var cells = [nhsCell]
        if options.layout == .canonical { cells.append(code) }
        cells += [given, family, dobCell, sexText(sex)]
        cells += options.layout == .canonical ? [postcodeText] + address.lines : address.lines + [postcodeText]
        cells += [
            mobileText, homeText, language, yesNo(interpreter),
            lsoa.code, String(lsoa.decile), date(registered), deregistered.map(date) ?? "", death.map(date) ?? "",
            livesAlone.map(yesNo) ?? "", frailty ?? "",
        ]
        appendPatientRow(cells)
        if let breakage {
            let column = breakage == .noSuchDate ? "date_of_birth" : "nhs_number"
            broken.append(
                BrokenRow(
                    file: patientsFile, line: lineNumber, column: column,
                    value: breakage == .noSuchDate ? dobCell : nhsCell, problem: breakage))
        } else if keepRecords {
            var extras: [String: String] = [:]
            if let livesAlone { extras["lives_alone"] = yesNo(livesAlone) }
            if let frailty { extras["frailty_index"] = frailty }
            records.append(
                PatientRecord(
                    nhsNumber: NHSNumber(nhs)!, practice: code, givenName: given, familyName: family,
                    dateOfBirth: dateOfBirth, sex: sex, postcode: postcode, addressLines: address.nonBlankLines,
                    phoneMobile: mobile, phoneHome: home,
                    preferredLanguage: language, interpreterNeeded: interpreter, imdDecile: lsoa.decile,
                    lsoa: lsoa.code,
                    dateOfDeath: death, registeredOn: registered, deregisteredOn: deregistered, extras: extras))
        }
        if age >= 75, livesAlone == true, breakage == nil { groupCounts["over 75 living alone", default: 0] += 1 }
        addEvents(nhs: nhs, age: age, dateOfBirth: dateOfBirth, random: &random)
        patientIndex += 1
    }

    private func pad3(_ value: UInt64) -> String {
        value < 10 ? "00\(value)" : value < 100 ? "0\(value)" : "\(value)"
    }

    // MARK: Events

    private mutating func addEvents(nhs: UInt64, age: Int, dateOfBirth: Day, random: inout SeededRandom) {
        let asOf = options.asOf
        var events: [(code: String, term: String, day: Day, value: Double?)] = []
        func day(withinDays span: Int, endingDaysAgo: Int = 0) -> Day {
            max(dateOfBirth, asOf.adding(days: -endingDaysAgo - Int(random.next() % UInt64(max(1, span)))))
        }
        func pick(_ list: [(String, String)]) -> (String, String) { list[Int(random.next() % UInt64(list.count))] }
        var groups: [String] = []
        if random.chance(age >= 70 ? 0.11 : age >= 18 ? 0.042 : 0.012) {
            let start = day(withinDays: 1200, endingDaysAgo: 30)
            events.append((SynthCodes.shielding.0, SynthCodes.shielding.1, start, nil))
            if random.chance(0.1) {
                let later = pick(SynthCodes.nonShielding)
                events.append((later.0, later.1, min(asOf, start.adding(days: 1 + Int(random.next() % 300))), nil))
            } else {
                groups.append("high-risk list")
            }
        }
        if age >= 16, random.chance(0.055) {
            let start = day(withinDays: 1800, endingDaysAgo: 10)
            let code = pick(SynthCodes.carer)
            events.append((code.0, code.1, start, nil))
            if random.chance(0.15) {
                let later = pick(SynthCodes.notCarer)
                events.append((later.0, later.1, min(asOf, start.adding(days: 1 + Int(random.next() % 400))), nil))
            } else {
                groups.append("carer")
            }
        }
        if age >= 18, random.chance(0.0075) {
            events.append((SynthCodes.bereavement.0, SynthCodes.bereavement.1, day(withinDays: 90), nil))
            groups.append("bereaved in 90 days")
        }
        var longTerm = false
        if random.chance(age < 18 ? 0.003 : age < 40 ? 0.035 : age < 65 ? 0.11 : 0.2) {
            let code = pick(SynthCodes.diabetes)
            let start = day(withinDays: 5000, endingDaysAgo: 60)
            events.append((code.0, code.1, start, nil))
            if random.chance(0.03) {
                events.append((SynthCodes.diabetesResolved.0, SynthCodes.diabetesResolved.1, day(withinDays: 50), nil))
            } else {
                longTerm = true
            }
        }
        if random.chance(0.15) {
            let code = age < 16 ? SynthCodes.asthma[1] : SynthCodes.asthma[0]
            events.append((code.0, code.1, day(withinDays: 6000), nil))
            longTerm = true
        }
        if random.chance(age < 40 ? 0 : age < 65 ? 0.03 : 0.09) {
            let code = pick(SynthCodes.copd)
            events.append((code.0, code.1, day(withinDays: 4000), nil))
            longTerm = true
        }
        if longTerm { groups.append("long-term condition") }
        if random.chance(age >= 75 ? 0.06 : age >= 65 ? 0.015 : 0.001) {
            let code = pick(SynthCodes.housebound)
            let start = day(withinDays: 1500, endingDaysAgo: 20)
            events.append((code.0, code.1, start, nil))
            if random.chance(0.1) {
                let later = SynthCodes.noLongerHousebound
                events.append((later.0, later.1, min(asOf, start.adding(days: 10 + Int(random.next() % 200))), nil))
            }
        }
        if random.chance(age >= 75 ? 0.015 : 0.001) {
            let code = pick(SynthCodes.palliative)
            events.append((code.0, code.1, day(withinDays: 300), nil))
        }
        if age >= 18, random.chance(0.009) {
            let code = pick(SynthCodes.severeMentalIllness)
            let start = day(withinDays: 5000, endingDaysAgo: 30)
            events.append((code.0, code.1, start, nil))
            if random.chance(0.1) {
                let later = SynthCodes.mentalIllnessRemission
                events.append((later.0, later.1, min(asOf, start.adding(days: 30 + Int(random.next() % 900))), nil))
            }
        }
        if random.chance(age >= 85 ? 0.08 : age >= 75 ? 0.02 : 0) {
            let code = pick(SynthCodes.careHomeResident)
            events.append((code.0, code.1, day(withinDays: 1500), nil))
        }
        if random.chance(0.004) {
            let code = SynthCodes.socialPrescribingDeclined
            events.append((code.0, code.1, day(withinDays: 400), nil))
        }
        let background = Int(random.next() % UInt64(2 * max(1, options.eventsPerPatient) + 1))
        for _ in 0..<max(0, background - events.count) {
            let item = SynthCodes.background[Int(random.next() % UInt64(SynthCodes.background.count))]
            var value: Double?
            if let range = item.values {
                let fraction = Double(random.next() % 1000) / 1000
                value = ((range.lowerBound + fraction * (range.upperBound - range.lowerBound)) * 10).rounded() / 10
            }
            events.append((item.code, item.term, day(withinDays: 3650), value))
        }
        if patientBreaks[patientIndex] == nil {
            for group in groups { groupCounts[group, default: 0] += 1 }
        }

        // A row broken on purpose goes before this patient's rows, standing alone.
        if let breakage = eventBreaks[patientIndex], let first = events.first {
            var nhsCell = nhsText(nhs)
            var dateCell = date(first.day)
            if breakage == .nhsCheckDigit {
                let wrong = nhs / 10 * 10 + (nhs % 10 + 1) % 10
                nhsCell = String(wrong)
            } else {
                let year = first.day.year
                dateCell =
                    options.layout == .canonical
                    ? "\(year)-13-01" : options.layout == .emis ? "31-Feb-\(year)" : "31/02/\(year)"
            }
            broken.append(
                BrokenRow(
                    file: eventsFile, line: eventLine + 1, column: breakage == .nhsCheckDigit ? "nhs_number" : "date",
                    value: breakage == .nhsCheckDigit ? nhsCell : dateCell, problem: breakage))
            appendEventRow([nhsCell, first.code, first.term, dateCell, ""])
        }
        let patientKept = patientBreaks[patientIndex] == nil
        for (index, event) in events.enumerated() {
            // EMIS reports give the NHS number on a patient's first row only (continuation rows).
            let nhsCell = options.layout == .emis && index > 0 ? "" : nhsText(nhs)
            appendEventRow([nhsCell, event.code, event.term, date(event.day), event.value.map(Formatting.number) ?? ""])
            if keepRecords && patientKept {
                keptEvents.append(SyntheticEvent(nhsNumber: nhs, code: event.code, day: event.day, value: event.value))
            }
        }
        eventCount += events.count
    }
}
