import Basics
import Vocabulary

/// A column of optional days stored compactly (4 bytes a patient; `Int32.min` means missing).
public struct DayColumn: Sendable, Hashable {
    static let missing = Int32.min
    public private(set) var ordinals: [Int32]

    public init(count: Int = 0) {
        ordinals = [Int32](repeating: DayColumn.missing, count: count)
    }

    public var count: Int { ordinals.count }

    /// The day for patient `index`, or `nil` when missing.
    public subscript(index: Int) -> Day? {
        get {
            let ordinal = ordinals[index]
            return ordinal == DayColumn.missing ? nil : Day(ordinal: ordinal)
        }
        set { ordinals[index] = newValue?.ordinal ?? DayColumn.missing }
    }

    mutating func append(_ day: Day?) {
        ordinals.append(day?.ordinal ?? DayColumn.missing)
    }

    mutating func append(contentsOf other: DayColumn, rows: Range<Int>) {
        ordinals.append(contentsOf: other.ordinals[rows])
    }

    mutating func reserveCapacity(_ count: Int) {
        ordinals.reserveCapacity(count)
    }

    mutating func removeAll() {
        ordinals.removeAll(keepingCapacity: true)
    }
}

/// NHS number → patient index, as an open-addressing hash table over integers: a lookup hashes
/// a `UInt64` and compares integers, with no allocation (events are joined to patients by it).
///
/// Each slot packs the NHS number (below 10^10 < 2^34) and the patient index plus one (0 marks an
/// empty slot) into one `UInt64`, so a lookup in a table far bigger than the caches costs one
/// memory access, not two.
public struct PatientIndex: Sendable {
    private var slots: [UInt64]
    private var mask: Int
    /// How many numbers the index holds.
    public private(set) var count = 0
    private static let indexBits: UInt64 = 30
    private static let indexMask: UInt64 = (1 << indexBits) - 1

    /// An empty index.
    public init() {
        slots = [UInt64](repeating: 0, count: 16)
        mask = 15
    }

    /// Indexes `nhsNumbers` (which must be distinct): patient `i` has `nhsNumbers[i]`.
    public init(_ nhsNumbers: [UInt64]) {
        var capacity = 16
        while capacity < nhsNumbers.count * 2 { capacity <<= 1 }
        slots = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
        for (index, key) in nhsNumbers.enumerated() { insert(key, index: index) }
    }

    /// Adds an NHS number that is not in the index yet, for patient `index`.
    public mutating func insert(_ nhsNumber: UInt64, index: Int) {
        precondition(nhsNumber < 1 << (64 - PatientIndex.indexBits), "not an NHS number")
        precondition(UInt64(index) < PatientIndex.indexMask, "too many patients for one index")
        if (count + 1) * 2 > slots.count { grow() }
        var slot = PatientIndex.hash(nhsNumber) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = nhsNumber << PatientIndex.indexBits | UInt64(index + 1)
        count += 1
    }

    /// Makes room for `count` numbers in all, so that adding them does not rebuild the table.
    public mutating func reserveCapacity(_ count: Int) {
        var capacity = slots.count
        while count * 2 > capacity { capacity <<= 1 }
        if capacity > slots.count { rebuild(capacity: capacity) }
    }

    /// Doubles the table (keeping it at most half full, so searches stay short).
    private mutating func grow() {
        rebuild(capacity: slots.count * 2)
    }

    private mutating func rebuild(capacity: Int) {
        let old = slots
        slots = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
        for entry in old where entry != 0 {
            var slot = PatientIndex.hash(entry >> PatientIndex.indexBits) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }

    /// The patient index for an NHS number, or `nil` when no patient has it.
    @inline(__always)
    public func index(of nhsNumber: UInt64) -> Int32? {
        index(of: nhsNumber, firstEntry: firstEntry(for: nhsNumber))
    }

    /// The slot where the search for `nhsNumber` starts. In a table far bigger than the caches
    /// every lookup is a cache miss; loading the first slots of many numbers before finishing any
    /// search lets the memory system fetch them all at once rather than one after another.
    @inline(__always)
    public func firstEntry(for nhsNumber: UInt64) -> UInt64 {
        slots[PatientIndex.hash(nhsNumber) & mask]
    }

    /// The patient index for an NHS number, given its ``firstEntry(for:)``.
    @inline(__always)
    public func index(of nhsNumber: UInt64, firstEntry: UInt64) -> Int32? {
        var slot = PatientIndex.hash(nhsNumber) & mask
        var entry = firstEntry
        while true {
            if entry == 0 { return nil }
            if entry >> PatientIndex.indexBits == nhsNumber {
                return Int32(truncatingIfNeeded: entry & PatientIndex.indexMask) - 1
            }
            slot = (slot + 1) & mask
            entry = slots[slot]
        }
    }

    @inline(__always)
    static func hash(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 29)
    }
}

/// An extra (unmapped) column: its normalised name and each patient's raw value.
public struct ExtraColumn: Sendable {
    /// The normalised name rules use (`lives_alone`).
    public let name: String
    /// The header as the first file that had it wrote it (`Lives Alone`).
    public let header: String
    /// Raw values (trimmed; missing markers as `nil`), one per patient.
    public internal(set) var values: TextColumn
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

/// The registered population of one or more practices, held column by column so that 900,000
/// patients fit in well under a gigabyte. Patient `i` is row `i` of every column.
///
/// Events are not held here (see ``EventScanner``): memory grows with patients, not events.
public struct Population: Sendable {
    /// Every file read, patients files first (``RowLocation/file`` indexes this).
    public let files: [String]
    /// The practices' ODS codes, sorted; ``practiceIndex`` indexes this.
    public let practices: [String]
    /// The extract's date: the latest run date found in the files' preambles, if any.
    public let extractDate: Day?
    /// The canonical patient columns at least one patients file had.
    public let presentColumns: Set<CanonicalColumn>
    /// Extra columns by normalised name.
    public let extras: [String: ExtraColumn]

    public let nhsNumbers: [UInt64]
    public let practiceIndex: [UInt16]
    public let givenNames: TextColumn
    public let familyNames: TextColumn
    public let datesOfBirth: DayColumn
    public let sexes: [Sex?]
    public let postcodes: TextColumn
    /// Normalised mobile numbers (`07700 900123`).
    public let mobilePhones: TextColumn
    /// The mobile cells as written, when they differ from the normalised number.
    public let mobilePhonesRaw: TextColumn
    public let homePhones: TextColumn
    public let homePhonesRaw: TextColumn
    public let preferredLanguages: TextColumn
    public let interpreterNeeded: [Bool?]
    public let imdDeciles: [UInt8?]
    public let lsoas: TextColumn
    public let datesOfDeath: DayColumn
    public let registeredOn: DayColumn
    public let deregisteredOn: DayColumn
    /// Where each patient's (winning) row is.
    public let sources: [RowLocation]
    /// Events found in patients files.
    public let embeddedEvents: [EmbeddedEvent]

    private let index: PatientIndex

    init(builder: PopulationBuilder, files: [String], extractDate: Day?) {
        let practiceCodes = builder.practiceCodes.sorted()
        var remap = [UInt16](repeating: 0, count: builder.practiceCodes.count)
        for (old, code) in builder.practiceCodes.enumerated() {
            remap[old] = UInt16(practiceCodes.firstIndex(of: code)!)
        }
        self.files = files
        self.practices = practiceCodes
        self.extractDate = extractDate
        self.presentColumns = builder.presentColumns
        var extras: [String: ExtraColumn] = [:]
        for var column in builder.extraColumns {
            column.values.pad(to: builder.count)
            extras[column.name] = column
        }
        self.extras = extras
        nhsNumbers = builder.nhsNumbers
        practiceIndex = builder.practiceIndex.map { remap[Int($0)] }
        givenNames = builder.texts[TextField.givenName.rawValue]
        familyNames = builder.texts[TextField.familyName.rawValue]
        datesOfBirth = builder.datesOfBirth
        sexes = builder.sexes
        postcodes = builder.texts[TextField.postcode.rawValue]
        mobilePhones = builder.texts[TextField.mobile.rawValue]
        mobilePhonesRaw = builder.texts[TextField.mobileRaw.rawValue]
        homePhones = builder.texts[TextField.home.rawValue]
        homePhonesRaw = builder.texts[TextField.homeRaw.rawValue]
        preferredLanguages = builder.texts[TextField.language.rawValue]
        interpreterNeeded = builder.interpreterNeeded
        imdDeciles = builder.imdDeciles
        lsoas = builder.texts[TextField.lsoa.rawValue]
        datesOfDeath = builder.datesOfDeath
        registeredOn = builder.registeredOn
        deregisteredOn = builder.deregisteredOn
        sources = builder.sources
        embeddedEvents = builder.embeddedEvents
        index = builder.index
    }

    /// How many patients.
    public var count: Int { nhsNumbers.count }

    /// The patient with this NHS number, if any.
    @inline(__always)
    public func index(of nhsNumber: UInt64) -> Int? {
        index.index(of: nhsNumber).map(Int.init)
    }

    /// The NHS number → patient table, for scanners that look up many numbers.
    public var patientIndex: PatientIndex { index }

    /// The practice code of patient `i`.
    public func practice(of patient: Int) -> String { practices[Int(practiceIndex[patient])] }

    /// Names of the extra columns, sorted.
    public var extraNames: [String] { extras.keys.sorted() }

    /// The extra column rules call `name`, found by its normalised name or by a header as written
    /// (`Lives alone` → `lives_alone`).
    public func extra(_ nameOrHeader: String) -> ExtraColumn? {
        extras[nameOrHeader] ?? extras[ColumnName.normalise(nameOrHeader)]
    }

    /// One patient's values as a record (for explanations, tests and small tools; columns are faster in bulk).
    public func record(_ i: Int) -> PatientRecord {
        PatientRecord(
            nhsNumber: NHSNumber(validated: nhsNumbers[i]), practice: practice(of: i),
            givenName: givenNames[i], familyName: familyNames[i], dateOfBirth: datesOfBirth[i], sex: sexes[i],
            postcode: postcodes[i], phoneMobile: mobilePhones[i], phoneHome: homePhones[i],
            preferredLanguage: preferredLanguages[i], interpreterNeeded: interpreterNeeded[i], imdDecile: imdDeciles[i],
            lsoa: lsoas[i], dateOfDeath: datesOfDeath[i], registeredOn: registeredOn[i],
            deregisteredOn: deregisteredOn[i],
            extras: extras.compactMapValues { $0.values[i] })
    }
}

/// One patient's normalised values (``Population/record(_:)``).
public struct PatientRecord: Hashable, Sendable {
    public var nhsNumber: NHSNumber
    public var practice: String
    public var givenName: String?
    public var familyName: String?
    public var dateOfBirth: Day?
    public var sex: Sex?
    public var postcode: String?
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
        dateOfBirth: Day? = nil, sex: Sex? = nil, postcode: String? = nil, phoneMobile: String? = nil,
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

// MARK: - Declared fields

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

extension Population {
    /// Reads extra column `name` (normalised name or header) as `type`, or `nil` when no file had it.
    /// Two-digit years in dates pivot on the extract date (or `latest` when there is none).
    public func field(_ name: String, as type: FieldType, latest: Day? = nil) -> TypedField? {
        guard let column = extra(name) else { return nil }
        let pivot = extractDate ?? latest ?? Day(year: 2099, month: 12, day: 31)!
        var problems: [Reject] = []
        func note(_ i: Int, _ raw: String, _ problem: Problem) {
            let source = sources[i]
            problems.append(
                Reject(
                    file: files[Int(source.file)], line: Int(source.line), column: column.name, value: raw,
                    problem: problem, action: .valueIgnored))
        }
        /// Parses each value from its bytes (a `String` is made only for a value that fails).
        func convert<T>(_ parse: (FieldBytes) -> Result<T, Problem>) -> [T?] {
            column.values.indices.map { i in
                column.values.withBytes(i) { raw in
                    guard let raw else { return nil }
                    switch parse(raw) {
                    case .success(let value): return value
                    case .failure(.missing): return nil
                    case .failure(let problem):
                        note(i, String(decoding: raw, as: UTF8.self), problem)
                        return nil
                    }
                }
            }
        }
        let values: TypedField.Values
        switch type {
        case .yesNo: values = .yesNo(convert { YesNo.parse($0) })
        case .number: values = .number(convert { NumberValue.parse($0) })
        case .text: values = .text(column.values)
        case .date:
            var days = DayColumn()
            for day in convert({ DateValue.parse($0, latest: pivot) }) { days.append(day) }
            values = .date(days)
        }
        return TypedField(name: column.name, type: type, values: values, problems: problems)
    }
}

// MARK: - Building

/// The text fields of a patients row, in the order of ``PopulationBuilder/texts``.
enum TextField: Int, CaseIterable {
    case givenName, familyName, postcode, mobile, mobileRaw, home, homeRaw, language, lsoa
}

/// The mutable columns a read fills, turned into a ``Population`` at the end.
struct PopulationBuilder {
    var count = 0
    var practiceCodes: [String] = []
    var practiceLookup: [String: UInt16] = [:]
    var presentColumns: Set<CanonicalColumn> = []
    var extraColumns: [ExtraColumn] = []
    var extraLookup: [String: Int] = [:]

    var nhsNumbers: [UInt64] = []
    /// NHS number → patient, kept as patients are added.
    var index = PatientIndex()
    var practiceIndex: [UInt16] = []
    /// One column per ``TextField``.
    var texts = [TextColumn](repeating: TextColumn(), count: TextField.allCases.count)
    var datesOfBirth = DayColumn()
    var sexes: [Sex?] = []
    var interpreterNeeded: [Bool?] = []
    var imdDeciles: [UInt8?] = []
    var datesOfDeath = DayColumn()
    var registeredOn = DayColumn()
    var deregisteredOn = DayColumn()
    var sources: [RowLocation] = []
    var embeddedEvents: [EmbeddedEvent] = []
    /// Whether each patient's row came from a file with dates of birth (else it only supplements).
    var hasDemographics: [Bool] = []

    mutating func practice(_ code: String) -> UInt16 {
        if let index = practiceLookup[code] { return index }
        let index = UInt16(practiceCodes.count)
        practiceCodes.append(code)
        practiceLookup[code] = index
        return index
    }

    /// Appends new patients with the values of parsed patient rows `rows` (whose NHS numbers are
    /// in ``index`` already, as patients `count...`), copying each column in one piece.
    mutating func appendPatients(
        from parsed: ParsedRows, rows: Range<Int>, practices: [UInt16], sources: [RowLocation], demographics: Bool
    ) {
        nhsNumbers.append(contentsOf: parsed.numbers[rows])
        practiceIndex.append(contentsOf: practices)
        for field in texts.indices { texts[field].append(contentsOf: parsed.texts[field], rows: rows) }
        datesOfBirth.append(contentsOf: parsed.datesOfBirth, rows: rows)
        sexes.append(contentsOf: parsed.sexes[rows])
        interpreterNeeded.append(contentsOf: parsed.interpreterNeeded[rows])
        imdDeciles.append(contentsOf: parsed.imdDeciles[rows])
        datesOfDeath.append(contentsOf: parsed.datesOfDeath, rows: rows)
        registeredOn.append(contentsOf: parsed.registeredOn, rows: rows)
        deregisteredOn.append(contentsOf: parsed.deregisteredOn, rows: rows)
        self.sources.append(contentsOf: sources)
        hasDemographics.append(contentsOf: repeatElement(demographics, count: rows.count))
        count += rows.count
    }

    /// Makes room for `extra` more patients, with texts about as long per patient as so far
    /// (`parsed` when there are none yet), so that columns do not grow by copying. Room runs out
    /// file after file when a population comes in many files: it then at least doubles, as
    /// appending would, since `reserveCapacity` alone allocates exactly what it is asked for and
    /// a file at a time would copy every column once per file.
    mutating func reserveCapacity(more extra: Int, like parsed: ParsedRows) {
        let needed = count + extra
        guard needed > nhsNumbers.capacity else { return }
        let total = max(needed, 2 * count)
        index.reserveCapacity(total)
        nhsNumbers.reserveCapacity(total)
        practiceIndex.reserveCapacity(total)
        for field in texts.indices {
            let sample = count > 0 ? texts[field] : parsed.texts[field]
            let perPatient = sample.isEmpty ? 0 : (sample.byteCount + sample.count - 1) / sample.count
            texts[field].reserveCapacity(total, bytes: max(texts[field].byteCount + extra * perPatient, total * perPatient))
        }
        datesOfBirth.reserveCapacity(total)
        sexes.reserveCapacity(total)
        interpreterNeeded.reserveCapacity(total)
        imdDeciles.reserveCapacity(total)
        datesOfDeath.reserveCapacity(total)
        registeredOn.reserveCapacity(total)
        deregisteredOn.reserveCapacity(total)
        sources.reserveCapacity(total)
        hasDemographics.reserveCapacity(total)
    }

    /// Writes parsed patient row `row`'s values into patient `i`: every value the row has with
    /// `overwrite`, else only where the patient has none yet.
    mutating func apply(_ rows: ParsedRows, _ row: Int, to i: Int, overwrite: Bool) {
        func set<T>(_ column: inout [T?], _ value: T?) {
            if let value, overwrite || column[i] == nil { column[i] = value }
        }
        func setDay(_ column: inout DayColumn, _ value: Day?) {
            if let value, overwrite || column[i] == nil { column[i] = value }
        }
        for field in texts.indices {
            rows.texts[field].withBytes(row) { bytes in
                if let bytes, overwrite || !texts[field].hasValue(i) { texts[field].set(i, bytes) }
            }
        }
        setDay(&datesOfBirth, rows.datesOfBirth[row])
        set(&sexes, rows.sexes[row])
        set(&interpreterNeeded, rows.interpreterNeeded[row])
        set(&imdDeciles, rows.imdDeciles[row])
        setDay(&datesOfDeath, rows.datesOfDeath[row])
        setDay(&registeredOn, rows.registeredOn[row])
        setDay(&deregisteredOn, rows.deregisteredOn[row])
    }

    /// The slot of extra column `name`, created on first use.
    mutating func extraSlot(_ name: String, header: String) -> Int {
        if let slot = extraLookup[name] { return slot }
        extraColumns.append(ExtraColumn(name: name, header: header, values: []))
        extraLookup[name] = extraColumns.count - 1
        return extraColumns.count - 1
    }

    /// Sets a patient's value (UTF-8 bytes) in an extra column, keeping a value it already has.
    mutating func setExtra(slot: Int, patient: Int, value: FieldBytes?) {
        if extraColumns[slot].values.count <= patient {
            extraColumns[slot].values.pad(to: patient)
            extraColumns[slot].values.append(value)
        } else if let value, !extraColumns[slot].values.hasValue(patient) {
            extraColumns[slot].values.set(patient, value)
        }
    }

    /// Removes the patients marked in `drop`, keeping every column aligned.
    mutating func remove(_ drop: Set<Int>) {
        guard !drop.isEmpty else { return }
        var newIndex = [Int32](repeating: -1, count: count)
        var next: Int32 = 0
        for i in 0..<count where !drop.contains(i) {
            newIndex[i] = next
            next += 1
        }
        func keep<T>(_ array: [T]) -> [T] { array.enumerated().filter { !drop.contains($0.offset) }.map(\.element) }
        func keepDays(_ column: DayColumn) -> DayColumn {
            var out = DayColumn()
            for i in 0..<column.count where !drop.contains(i) { out.append(column[i]) }
            return out
        }
        nhsNumbers = keep(nhsNumbers)
        index = PatientIndex(nhsNumbers)
        practiceIndex = keep(practiceIndex)
        texts = texts.map { $0.removing(drop) }
        datesOfBirth = keepDays(datesOfBirth)
        sexes = keep(sexes)
        interpreterNeeded = keep(interpreterNeeded)
        imdDeciles = keep(imdDeciles)
        datesOfDeath = keepDays(datesOfDeath)
        registeredOn = keepDays(registeredOn)
        deregisteredOn = keepDays(deregisteredOn)
        sources = keep(sources)
        hasDemographics = keep(hasDemographics)
        for slot in extraColumns.indices {
            extraColumns[slot].values = extraColumns[slot].values.removing(drop)
        }
        embeddedEvents = embeddedEvents.compactMap { event in
            let mapped = newIndex[Int(event.patient)]
            return mapped < 0 ? nil : EmbeddedEvent(patient: mapped, code: event.code, day: event.day, value: event.value)
        }
        count = nhsNumbers.count
    }
}
