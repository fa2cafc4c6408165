import Basics
import Vocabulary

/// An extra (unmapped) column: its normalised name and each patient's raw value.
public struct ExtraColumn: Sendable {
    /// The normalised name rules use (`lives_alone`).
    public let name: String
    /// The header as the first file that had it wrote it (`Lives Alone`).
    public let header: String
    /// Raw values (trimmed; missing markers as `nil`), one per patient.
    public internal(set) var values: TextColumn
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
    /// The postal address lines as written, `address_line_1` to `address_line_5`: five columns,
    /// each with a value or `nil` per patient (see ``addressLines(of:)``); none at all when no
    /// file had an address column, so an extract without addresses holds nothing for them.
    public let addressColumns: [TextColumn]
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
        addressColumns =
            builder.presentColumns.isDisjoint(with: CanonicalColumn.addressLines)
            ? [] : TextField.addressLines.map { builder.texts[$0.rawValue] }
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

    /// The patient's given and family names as written, joined by a space; empty when the
    /// extract has neither.
    public func name(of patient: Int) -> String {
        [givenNames[patient], familyNames[patient]].compactMap { $0 }.joined(separator: " ")
    }

    /// The NHS number → patient table, for scanners that look up many numbers.
    public var patientIndex: PatientIndex { index }

    /// The practice code of patient `i`.
    public func practice(of patient: Int) -> String { practices[Int(practiceIndex[patient])] }

    /// The postal address lines as written (address_line_1…5), blank lines left out; empty when the extract has none.
    public func addressLines(of patient: Int) -> [String] {
        addressColumns.compactMap { $0[patient] }
    }

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
            postcode: postcodes[i], addressLines: addressLines(of: i), phoneMobile: mobilePhones[i],
            phoneHome: homePhones[i],
            preferredLanguage: preferredLanguages[i], interpreterNeeded: interpreterNeeded[i], imdDecile: imdDeciles[i],
            lsoa: lsoas[i], dateOfDeath: datesOfDeath[i], registeredOn: registeredOn[i],
            deregisteredOn: deregisteredOn[i],
            extras: extras.compactMapValues { $0.values[i] })
    }
}

// MARK: - Declared fields

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
        /// With `repeating`, the results for the first few distinct short cells are kept and
        /// reused: a yes/no or small-number column holds a handful of distinct cells (`yes`,
        /// `no`, `Y`), and parsing each patient's afresh took about 20 ms on one core at ICB scale.
        func convert<T>(repeating: Bool = false, _ parse: (FieldBytes) -> Result<T, Problem>) -> [T?] {
            var seen: [(cell: UInt64, result: Result<T, Problem>)] = []
            func parsed(_ raw: FieldBytes) -> Result<T, Problem> {
                guard repeating, raw.count <= 7 else { return parse(raw) }
                var cell = UInt64(raw.count)
                for byte in raw { cell = cell << 8 | UInt64(byte) }
                if let known = seen.first(where: { $0.cell == cell }) { return known.result }
                let result = parse(raw)
                if seen.count < 8 { seen.append((cell, result)) }
                return result
            }
            return column.values.indices.map { i in
                column.values.withBytes(i) { raw in
                    guard let raw else { return nil }
                    switch parsed(raw) {
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
        case .yesNo: values = .yesNo(convert(repeating: true) { YesNo.parse($0) })
        case .number: values = .number(convert(repeating: true) { NumberValue.parse($0) })
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
