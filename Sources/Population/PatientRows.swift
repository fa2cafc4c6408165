import Basics
import Vocabulary

/// Patients rows parsed on their own, in columns, before they are placed into the population in
/// file order (``ReadState``).
///
/// Parsing a row needs nothing from the rows before it (whether an NHS number was seen before,
/// or which patient a continuation row belongs to, is decided when placing), so parts of a large
/// file can be parsed on several cores.
struct ParsedRows: Sendable {
    /// What a row turned out to be.
    enum Kind: UInt8, Sendable {
        /// A patient: its values are the next entry of the patient columns.
        case patient
        /// A row rejected outright (its rejects say why).
        case rejected
        /// A row without an NHS number: an EMIS continuation row if it has events and a patient
        /// row is above it, else rejected with its one reject.
        case noNumber
    }

    /// One row, whatever it turned out to be.
    struct Entry: Sendable {
        var kind = Kind.rejected
        var line = 0
        /// The row's rejects are `rejects[previous row's end..<rejectEnd]`.
        var rejectEnd = 0
        /// The row's events and their rejects, likewise.
        var eventEnd = 0
        var eventRejectEnd = 0
        /// For a row without an NHS number: whether it has an event code, and whether none of
        /// its events could be used.
        var hasEvent = false
        var lostAllEvents = false
    }

    /// A practice that comes from the file's name, not from a cell.
    static let filePractice = UInt16.max

    var entries: [Entry] = []
    var rejects: [Reject] = []
    var events: [(code: String, day: Day, value: Double?)] = []
    var eventRejects: [Reject] = []

    // The patient rows' values: the n-th patient row is entry n of each.
    var numbers: [UInt64] = []
    /// Indices into `practiceCodes`, or ``filePractice``.
    var practices: [UInt16] = []
    var practiceCodes: [String] = []
    var datesOfBirth = DayColumn()
    var sexes: [Sex?] = []
    var interpreterNeeded: [Bool?] = []
    var imdDeciles: [UInt8?] = []
    var datesOfDeath = DayColumn()
    var registeredOn = DayColumn()
    var deregisteredOn = DayColumn()
    /// One column per ``TextField``.
    var texts = [TextColumn](repeating: TextColumn(), count: TextField.allCases.count)
    /// One column per extra column of the file, in the layout's order.
    var extras: [TextColumn]

    /// Practice cells seen so far (up to 7 bytes, packed with their length) and what each means:
    /// an index into `practiceCodes`, or `nil` for a cell that is not a practice code.
    var practiceCells: [UInt64: UInt16?] = [:]
    /// Practice cells read recently, as in ``practiceCells``, each in the slot its key hashes to
    /// (a key of 0 is an empty slot): most rows find their cell here, without hashing it for the
    /// dictionary. A file is usually one practice's, but an ICB's merged file has a hundred
    /// practices in no order.
    var recentPracticeCells = [(key: UInt64, practice: UInt16?)](
        repeating: (0, nil), count: ParsedRows.recentPracticeSlots)
    static let recentPracticeSlots = 512

    init(extraColumns: Int) {
        extras = [TextColumn](repeating: TextColumn(), count: extraColumns)
    }

    /// Removes every row, keeping the buffers' capacity, the practice codes and the practice cells
    /// seen (recent ones too): a cell remembered stays an index into the same `practiceCodes`.
    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        rejects.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)
        eventRejects.removeAll(keepingCapacity: true)
        numbers.removeAll(keepingCapacity: true)
        practices.removeAll(keepingCapacity: true)
        datesOfBirth.removeAll()
        sexes.removeAll(keepingCapacity: true)
        interpreterNeeded.removeAll(keepingCapacity: true)
        imdDeciles.removeAll(keepingCapacity: true)
        datesOfDeath.removeAll()
        registeredOn.removeAll()
        deregisteredOn.removeAll()
        for index in texts.indices { texts[index].removeAll() }
        for index in extras.indices { extras[index].removeAll() }
    }

    /// Whether every patient column has one value per patient row, as parsing leaves them (the
    /// check that lets a builder take the columns whole).
    var isRectangular: Bool {
        let rows = numbers.count
        return practices.count == rows && sexes.count == rows && interpreterNeeded.count == rows
            && imdDeciles.count == rows && datesOfBirth.count == rows && datesOfDeath.count == rows
            && registeredOn.count == rows && deregisteredOn.count == rows && texts.allSatisfy { $0.count == rows }
    }

    /// Names `file` in every reject (rows parsed under another name for the same bytes).
    mutating func rename(file: String) {
        for index in rejects.indices { rejects[index].file = file }
        for index in eventRejects.indices { eventRejects[index].file = file }
    }

    /// Moves every line number by `delta` (rows parsed with lines counted from a part's start).
    mutating func offsetLines(by delta: Int) {
        guard delta != 0 else { return }
        for index in entries.indices { entries[index].line += delta }
        for index in rejects.indices { rejects[index].line += delta }
        for index in eventRejects.indices { eventRejects[index].line += delta }
    }
}

/// Parses the rows of one patients file (see ``ParsedRows``).
struct PatientRowParser: Sendable {
    let layout: FileLayout
    /// The latest day a date of birth may be (and the pivot for two-digit years).
    let latest: Day
    let extraColumns: [Int]
    private let nhsColumn: Int
    private let practiceColumn: Int?
    private let hasFilePractice: Bool
    private let dobColumn: Int?
    private let codeColumn: Int?
    private let dateColumn: Int?
    private let valueColumn: Int?
    /// Column positions by canonical column, looked up once per file rather than per cell.
    private let positions: [Int?]
    /// The text fields whose column the file does not have (or is read as if it did not): each
    /// patient row appends `nil` to these in one pass, where a cell of each is not looked at.
    private let absentTexts: [Int]

    /// - Parameter skipping: contact-detail columns to read as if the file did not have them.
    init(layout: FileLayout, latest: Day, skipping: Set<CanonicalColumn> = []) {
        self.layout = layout
        self.latest = latest
        extraColumns = layout.columns.filter { $0.canonical == nil }.map(\.index)
        nhsColumn = layout.index(of: .nhsNumber)!
        practiceColumn = layout.index(of: .practice)
        hasFilePractice = layout.practiceFromFileName != nil
        dobColumn = layout.index(of: .dateOfBirth)
        codeColumn = layout.index(of: .code)
        dateColumn = layout.index(of: .date)
        valueColumn = layout.index(of: .value)
        let skipped = skipping.intersection(CanonicalColumn.contactDetails)
        let positions = CanonicalColumn.allCases.map { skipped.contains($0) ? nil : layout.index(of: $0) }
        self.positions = positions
        absentTexts = TextField.allCases.filter { positions[$0.column.ordinal] == nil }.map(\.rawValue)
    }

    /// Whether the file has event columns (code/date/value, or code/date pairs).
    var hasEventColumns: Bool { codeColumn != nil || !layout.eventPairs.isEmpty }

    /// Parses one record (not a blank one) that starts on `line`, appending it to `rows`.
    func parse(_ record: CSVRecord, line: Int, into rows: inout ParsedRows) {
        var entry = ParsedRows.Entry(line: line)
        defer {
            entry.rejectEnd = rows.rejects.count
            entry.eventEnd = rows.events.count
            entry.eventRejectEnd = rows.eventRejects.count
            rows.entries.append(entry)
        }
        func reject(_ column: CanonicalColumn, _ index: Int?, _ problem: Problem) {
            rows.rejects.append(rejection(record, line: line, column, index, problem, .rowRejected))
        }
        let nhsResult = NHSNumber.parse(record[nhsColumn])
        if case .failure(.missing) = nhsResult {
            entry.kind = .noNumber
            entry.hasEvent =
                (codeColumn.map { !MissingValue.isMissing(record[$0]) } ?? false)
                || layout.eventPairs.contains { !MissingValue.isMissing(record[$0.code]) }
            reject(.nhsNumber, nhsColumn, entry.hasEvent ? .orphanContinuation : .missing)
            if entry.hasEvent {
                entry.lostAllEvents = parseEvents(record, line: line, continuation: true, into: &rows) == 0
            }
            return
        }
        guard case .success(let nhs) = nhsResult else {
            if case .failure(let problem) = nhsResult { reject(.nhsNumber, nhsColumn, problem) }
            return
        }
        guard let required = requiredValues(record, line: line, rows: &rows) else { return }
        entry.kind = .patient
        rows.numbers.append(nhs.value)
        rows.practices.append(required.practice)
        rows.datesOfBirth.append(required.dateOfBirth)
        rows.datesOfDeath.append(required.death)
        rows.deregisteredOn.append(required.deregistered)
        appendValues(record, line: line, to: &rows)
        for (slot, index) in extraColumns.enumerated() { rows.extras[slot].appendCell(record[index]) }
        if hasEventColumns { _ = parseEvents(record, line: line, continuation: false, into: &rows) }
    }

    /// The values whose problems reject a row: practice, date of birth, and death and
    /// deregistration dates; `nil` when the row is rejected (its reject recorded).
    private func requiredValues(_ record: CSVRecord, line: Int, rows: inout ParsedRows)
        -> (practice: UInt16, dateOfBirth: Day?, death: Day?, deregistered: Day?)?
    {
        func reject(_ column: CanonicalColumn, _ index: Int?, _ problem: Problem) {
            rows.rejects.append(rejection(record, line: line, column, index, problem, .rowRejected))
        }
        let practice: UInt16
        if let practiceColumn, !MissingValue.isMissing(record[practiceColumn]) {
            guard let known = self.practice(record[practiceColumn], rows: &rows) else {
                reject(.practice, practiceColumn, .notAPracticeCode)
                return nil
            }
            practice = known
        } else if hasFilePractice {
            practice = ParsedRows.filePractice
        } else {
            reject(.practice, practiceColumn, .noPractice)
            return nil
        }
        var dateOfBirth: Day?
        if let dobColumn {
            switch DateValue.parse(record[dobColumn], latest: latest) {
            case .success(let day):
                if day > latest {
                    reject(.dateOfBirth, dobColumn, .dateAfterExtract)
                    return nil
                }
                dateOfBirth = day
            case .failure(let problem):
                reject(.dateOfBirth, dobColumn, problem)
                return nil
            }
        }
        // A death or deregistration date that cannot be read could hide someone who must never
        // be called, so it rejects the row rather than being dropped. A two-digit year pivots on
        // the extract's date like any other (`01-Mar-24` is 2024, not 9924: a death read as
        // centuries ahead would leave the person alive and called).
        func safetyDate(_ column: CanonicalColumn) -> (day: Day?, unsafe: Bool) {
            guard let index = positions[column.ordinal] else { return (nil, false) }
            switch DateValue.parse(record[index], latest: latest) {
            case .success(let day): return (day, false)
            case .failure(.missing): return (nil, false)
            case .failure(let problem):
                reject(column, index, problem)
                return (nil, true)
            }
        }
        let death = safetyDate(.dateOfDeath)
        if death.unsafe { return nil }
        let deregistered = safetyDate(.deregisteredOn)
        if deregistered.unsafe { return nil }
        return (practice, dateOfBirth, death.day, deregistered.day)
    }

    /// Appends the values of an accepted row that can only be ignored (reported as such), to the
    /// columns, in the order their problems are reported.
    private func appendValues(_ record: CSVRecord, line: Int, to rows: inout ParsedRows) {
        @inline(__always) func position(_ column: CanonicalColumn) -> Int? { positions[column.ordinal] }
        func ignore(_ column: CanonicalColumn, _ index: Int, _ problem: Problem, detail: String? = nil) {
            rows.rejects.append(rejection(record, line: line, column, index, problem, .valueIgnored, detail: detail))
        }
        func optional<T>(_ column: CanonicalColumn, _ parse: (FieldBytes) -> Result<T, Problem>) -> T? {
            guard let index = position(column) else { return nil }
            switch parse(record[index]) {
            case .success(let value): return value
            case .failure(.missing): return nil
            case .failure(let problem):
                ignore(column, index, problem)
                return nil
            }
        }
        // The text fields of absent columns, all at once; each of the others is appended below.
        if !absentTexts.isEmpty {
            rows.texts.withUnsafeMutableBufferPointer { texts in
                for field in absentTexts { texts[field].appendMissing() }
            }
        }
        func text(_ field: TextField) {
            guard let index = position(field.column) else { return }
            rows.texts[field.rawValue].appendCell(record[index])
        }
        /// A name: only the specification's missing markers (`NA` can be a name); a spreadsheet's
        /// error value is kept as missing and reported.
        func name(_ field: TextField) {
            guard let index = position(field.column) else { return }
            if let problem = rows.texts[field.rawValue].appendName(record[index]) {
                ignore(field.column, index, problem)
            }
        }
        /// A normalised text (postcode, phone); a value that does not parse is reported and ignored.
        func normalised(_ field: TextField, _ normalise: (FieldBytes, inout [UInt8]) -> Problem?) {
            guard let index = position(field.column) else { return }
            if let problem = rows.texts[field.rawValue].append(writing: { normalise(record[index], &$0) }),
                problem != .missing
            {
                ignore(field.column, index, problem)
            }
        }
        /// A phone cell: the number, and the cell as written when that differs from it. A cell with
        /// no usable number is reported with what is wrong (``PhoneNumber/Fault``) and ignored.
        func phone(_ field: TextField, raw: TextField) {
            let column = field.column
            guard let index = position(column) else { return }
            let cell = record[index]
            var fault: PhoneNumber.Fault?
            _ = rows.texts[field.rawValue].append(writing: {
                fault = PhoneNumber.normalise(cell, appendingTo: &$0)
                return fault?.problem
            })
            if let fault {
                if fault != .missing { ignore(column, index, fault.problem, detail: fault.detail) }
                return rows.texts[raw.rawValue].append(FieldBytes?.none)
            }
            // The cell as written (as a text column keeps it) only when it is not the number itself.
            let same = rows.texts[field.rawValue].withLastBytes { number in
                TextColumn.withTrimmedUTF8(cell) { Bytes.equal($0, number!) }
            }
            if same { return rows.texts[raw.rawValue].append(FieldBytes?.none) }
            rows.texts[raw.rawValue].appendCell(cell)
        }
        name(.givenName)
        name(.familyName)
        rows.sexes.append(optional(.sex, Sex.parse))
        normalised(.postcode, Postcode.normalise)
        text(.addressLine1)
        text(.addressLine2)
        text(.addressLine3)
        text(.addressLine4)
        text(.addressLine5)
        phone(.mobile, raw: .mobileRaw)
        phone(.home, raw: .homeRaw)
        text(.language)
        rows.interpreterNeeded.append(optional(.interpreterNeeded, YesNo.parse))
        rows.imdDeciles.append(
            optional(.imdDecile) { bytes -> Result<UInt8, Problem> in
                switch NumberValue.parse(bytes) {
                case .success(let value):
                    guard value == value.rounded(), (1...10).contains(value) else { return .failure(.notADecile) }
                    return .success(UInt8(value))
                case .failure(.missing): return .failure(.missing)
                case .failure: return .failure(.notADecile)
                }
            })
        text(.lsoa)
        rows.texts[TextField.lsoa.rawValue].uppercaseLast()
        rows.registeredOn.append(optional(.registeredOn) { DateValue.parse($0, latest: latest) })
    }

    /// A reject of a cell (the value as written, trimmed) or of the row.
    private func rejection(
        _ record: CSVRecord, line: Int, _ column: CanonicalColumn, _ index: Int?, _ problem: Problem,
        _ action: Reject.Action, detail: String? = nil
    ) -> Reject {
        Reject(
            file: layout.file, line: line, column: column.rawValue,
            value: index.map { CSVReader.decode(record[$0]).trimmed } ?? "", problem: problem, action: action,
            detail: detail)
    }

    /// The practice a practice cell names (an index into `rows.practiceCodes`), or `nil` when it
    /// is not a practice code. Short cells are remembered, so each distinct one is parsed once.
    private func practice(_ cell: FieldBytes, rows: inout ParsedRows) -> UInt16? {
        func parse() -> UInt16? {
            guard let code = PracticeCode.parse(CSVReader.decode(cell)) else { return nil }
            if let known = rows.practiceCodes.firstIndex(of: code) { return UInt16(known) }
            rows.practiceCodes.append(code)
            return UInt16(rows.practiceCodes.count - 1)
        }
        guard cell.count <= 7 else { return parse() }
        var key = UInt64(cell.count)
        for byte in cell { key = key << 8 | UInt64(byte) }
        let slot = PatientIndex.hash(key) & (ParsedRows.recentPracticeSlots - 1)
        let recent = rows.recentPracticeCells[slot]
        if key == recent.key { return recent.practice }
        let practice: UInt16?
        if let known = rows.practiceCells[key] {
            practice = known
        } else {
            practice = parse()
            rows.practiceCells[key] = practice
        }
        rows.recentPracticeCells[slot] = (key, practice)
        return practice
    }

    /// Events in a patients row: the canonical code/date/value columns and code/date pairs.
    /// Returns how many were kept. A continuation row's unusable events reject the event; a
    /// patient row's only lose the value.
    private func parseEvents(_ record: CSVRecord, line: Int, continuation: Bool, into rows: inout ParsedRows) -> Int {
        var kept = 0
        var pairs = layout.eventPairs.map { (code: Optional($0.code), date: Optional($0.date), value: Int?.none) }
        if let codeColumn { pairs.insert((codeColumn, dateColumn, valueColumn), at: 0) }
        for pair in pairs {
            guard let codeIndex = pair.code, !MissingValue.isMissing(record[codeIndex]) else { continue }
            let codeText = CSVReader.decode(FieldBytes(rebasing: record[codeIndex][Bytes.trimmed(record[codeIndex])]))
            let dateName = pair.date.map { layout.columns[$0].name } ?? "date"
            guard let dateIndex = pair.date else {
                rows.eventRejects.append(
                    Reject(
                        file: layout.file, line: line, column: dateName, value: "", problem: .missing,
                        action: continuation ? .rowRejected : .valueIgnored, detail: "event \(codeText)"))
                continue
            }
            let day: Day
            switch DateValue.parse(record[dateIndex], latest: latest) {
            case .success(let parsed): day = parsed
            case .failure(let problem):
                rows.eventRejects.append(
                    Reject(
                        file: layout.file, line: line, column: dateName,
                        value: CSVReader.decode(record[dateIndex]).trimmed,
                        problem: problem, action: continuation ? .rowRejected : .valueIgnored,
                        detail: "event \(codeText)"))
                continue
            }
            var number: Double?
            if let valueIndex = pair.value {
                switch NumberValue.parse(record[valueIndex]) {
                case .success(let parsed): number = parsed
                case .failure(.missing): break
                case .failure(let problem):
                    rows.eventRejects.append(
                        Reject(
                            file: layout.file, line: line, column: "value",
                            value: CSVReader.decode(record[valueIndex]).trimmed, problem: problem, action: .valueIgnored
                        ))
                }
            }
            rows.events.append((codeText, day, number))
            kept += 1
        }
        return kept
    }
}
