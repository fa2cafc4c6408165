import Basics

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

    init(extraColumns: Int) {
        extras = [TextColumn](repeating: TextColumn(), count: extraColumns)
    }

    /// Removes every row, keeping the buffers' capacity (and the practice cells seen).
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
    private static let noLaterThanAnyDay = Day(year: 9999, month: 12, day: 31)!

    init(layout: FileLayout, latest: Day) {
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
        positions = CanonicalColumn.allCases.map { layout.index(of: $0) }
    }

    /// Whether the file has event columns (code/date/value, or code/date pairs).
    var hasEventColumns: Bool { codeColumn != nil || !layout.eventPairs.isEmpty }

    /// Parses one record (not a blank one) that starts on `line`, appending it to `rows`;
    /// `scratch` is reused from row to row.
    func parse(_ record: CSVRecord, line: Int, into rows: inout ParsedRows, scratch: inout PatientRow) {
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
        guard parseValues(record, line: line, into: &scratch, rows: &rows) else { return }
        entry.kind = .patient
        rows.numbers.append(nhs.value)
        rows.practices.append(scratch.practice)
        rows.datesOfBirth.append(scratch.dateOfBirth)
        rows.sexes.append(scratch.sex)
        rows.interpreterNeeded.append(scratch.interpreter)
        rows.imdDeciles.append(scratch.imd)
        rows.datesOfDeath.append(scratch.death)
        rows.registeredOn.append(scratch.registered)
        rows.deregisteredOn.append(scratch.deregistered)
        for field in TextField.allCases {
            scratch.text.withBytes(field) { rows.texts[field.rawValue].append($0) }
        }
        for (slot, index) in extraColumns.enumerated() {
            let cell = record[index]
            if MissingValue.isMissing(cell) {
                rows.extras[slot].append(FieldBytes?.none)
            } else {
                RowText.withTrimmedUTF8(cell) { rows.extras[slot].append($0) }
            }
        }
        if hasEventColumns { _ = parseEvents(record, line: line, continuation: false, into: &rows) }
    }

    /// The values of a row with a valid NHS number, into `row`; `false` when the row is rejected.
    private func parseValues(_ record: CSVRecord, line: Int, into row: inout PatientRow, rows: inout ParsedRows) -> Bool {
        @inline(__always) func position(_ column: CanonicalColumn) -> Int? { positions[column.ordinal] }
        func reject(_ column: CanonicalColumn, _ index: Int?, _ problem: Problem, _ action: Reject.Action) {
            rows.rejects.append(rejection(record, line: line, column, index, problem, action))
        }
        row.reset()
        if let practiceColumn, !MissingValue.isMissing(record[practiceColumn]) {
            guard let practice = practice(record[practiceColumn], rows: &rows) else {
                reject(.practice, practiceColumn, .notAPracticeCode, .rowRejected)
                return false
            }
            row.practice = practice
        } else if hasFilePractice {
            row.practice = ParsedRows.filePractice
        } else {
            reject(.practice, practiceColumn, .noPractice, .rowRejected)
            return false
        }
        if let dobColumn {
            switch DateValue.parse(record[dobColumn], latest: latest) {
            case .success(let day):
                if day > latest {
                    reject(.dateOfBirth, dobColumn, .dateAfterExtract, .rowRejected)
                    return false
                }
                row.dateOfBirth = day
            case .failure(let problem):
                reject(.dateOfBirth, dobColumn, problem, .rowRejected)
                return false
            }
        }
        // A death or deregistration date that cannot be read could hide someone who must never
        // be called, so it rejects the row rather than being dropped.
        func safetyDate(_ column: CanonicalColumn) -> (day: Day?, unsafe: Bool) {
            guard let index = position(column) else { return (nil, false) }
            switch DateValue.parse(record[index], latest: PatientRowParser.noLaterThanAnyDay) {
            case .success(let day): return (day, false)
            case .failure(.missing): return (nil, false)
            case .failure(let problem):
                reject(column, index, problem, .rowRejected)
                return (nil, true)
            }
        }
        let death = safetyDate(.dateOfDeath)
        if death.unsafe { return false }
        row.death = death.day
        let deregistered = safetyDate(.deregisteredOn)
        if deregistered.unsafe { return false }
        row.deregistered = deregistered.day
        func optional<T>(_ column: CanonicalColumn, _ parse: (FieldBytes) -> Result<T, Problem>) -> T? {
            guard let index = position(column) else { return nil }
            switch parse(record[index]) {
            case .success(let value): return value
            case .failure(.missing): return nil
            case .failure(let problem):
                reject(column, index, problem, .valueIgnored)
                return nil
            }
        }
        /// A normalised text (postcode, phone); a value that does not parse is reported and ignored.
        func normalised(
            _ column: CanonicalColumn, _ field: TextField, _ normalise: (FieldBytes, inout [UInt8]) -> Problem?
        ) {
            guard let index = position(column) else { return }
            if let problem = row.text.write(field, { normalise(record[index], &$0) }), problem != .missing {
                reject(column, index, problem, .valueIgnored)
            }
        }
        func text(_ column: CanonicalColumn, _ field: TextField) {
            guard let index = position(column), !MissingValue.isMissing(record[index]) else { return }
            row.text.setTrimmed(field, record[index])
        }
        /// A phone cell: the number, and the cell as written when that differs from it.
        func phone(_ column: CanonicalColumn, _ field: TextField, raw: TextField) {
            normalised(column, field, PhoneNumber.normalise)
            guard row.text.has(field) else { return }
            text(column, raw)
            if row.text.equal(raw, field) { row.text.clear(raw) }
        }
        text(.givenName, .givenName)
        text(.familyName, .familyName)
        row.sex = optional(.sex, Sex.parse)
        normalised(.postcode, .postcode, Postcode.normalise)
        phone(.phoneMobile, .mobile, raw: .mobileRaw)
        phone(.phoneHome, .home, raw: .homeRaw)
        text(.preferredLanguage, .language)
        row.interpreter = optional(.interpreterNeeded, YesNo.parse)
        row.imd = optional(.imdDecile) { bytes -> Result<UInt8, Problem> in
            switch NumberValue.parse(bytes) {
            case .success(let value):
                guard value == value.rounded(), (1...10).contains(value) else { return .failure(.notADecile) }
                return .success(UInt8(value))
            case .failure(.missing): return .failure(.missing)
            case .failure: return .failure(.notADecile)
            }
        }
        text(.lsoa, .lsoa)
        row.text.uppercase(.lsoa)
        row.registered = optional(.registeredOn) { DateValue.parse($0, latest: latest) }
        return true
    }

    /// A reject of a cell (the value as written, trimmed) or of the row.
    private func rejection(
        _ record: CSVRecord, line: Int, _ column: CanonicalColumn, _ index: Int?, _ problem: Problem,
        _ action: Reject.Action
    ) -> Reject {
        Reject(
            file: layout.file, line: line, column: column.rawValue,
            value: index.map { CSVReader.decode(record[$0]).trimmed } ?? "", problem: problem, action: action)
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
        if let known = rows.practiceCells[key] { return known }
        let practice = parse()
        rows.practiceCells[key] = practice
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
                        file: layout.file, line: line, column: dateName, value: CSVReader.decode(record[dateIndex]).trimmed,
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
                            value: CSVReader.decode(record[valueIndex]).trimmed, problem: problem, action: .valueIgnored))
                }
            }
            rows.events.append((codeText, day, number))
            kept += 1
        }
        return kept
    }
}
