import Basics

/// Splits and processes records: the byte loop of an event scan, free of generics so that it is
/// compiled for exactly this job. Its CSV tokenizer is in `RecordScanner+Tokenizer.swift`.
struct RecordScanner {
    /// The file's name, for rejects and errors.
    let file: String
    // The columns the scan uses, copied out of `EventColumns` so that the byte loop touches
    // integers only (copying the struct would retain its file name every time).
    let nhsColumn: Int
    let codeColumn: Int
    let dateColumn: Int
    let valueColumn: Int
    let latest: Day
    let maxFields: Int
    let patients: PatientIndex
    let codes: CodeTable
    /// Whether the file is laid out as the canonical events table, `nhs_number,code,date,value`
    /// with any columns (usually `term`) between the code and the date, so that
    /// ``splitCanonical(_:at:into:)`` applies.
    let isCanonical: Bool
    /// How many columns the canonical layout has between the code and the date.
    let columnsBeforeDate: Int
    /// `DateValue.monthStarts`, held here for the canonical split (see
    /// ``DateValue/tabledOrdinal(year:month:day:in:)``).
    let monthStarts = DateValue.monthStarts

    init(
        columns: EventColumns, limits: CSVLimits, patients: PatientIndex, codes: CodeTable,
        splitsCanonicalRowsDirectly: Bool
    ) {
        file = columns.file
        nhsColumn = columns.nhs
        codeColumn = columns.code
        dateColumn = columns.date
        valueColumn = columns.value
        latest = columns.latest
        maxFields = limits.maxFields
        self.patients = patients
        self.codes = codes
        columnsBeforeDate = max(0, dateColumn - 2)
        isCanonical =
            splitsCanonicalRowsDirectly && (nhsColumn, codeColumn) == (0, 1) && dateColumn >= 2
            && valueColumn == dateColumn + 1 && maxFields > valueColumn
    }

    enum Search {
        case found(Int)
        /// Not in the bytes consumed so far (whole rows without an NHS number).
        case needMore(consumed: Int)
        case notFound
    }

    /// Records are split, then looked up, then processed this many at a time.
    static let batchSize = 64
    static let noNumber = UInt64.max
    static let noDay = Int32.min

    /// Scans the whole records in `buffer`, appending matched events to `events`.
    ///
    /// Records go in batches: split a batch, load the patient index's first slot for each NHS
    /// number (these loads overlap, where one lookup after another would wait for each), then
    /// process the batch in order.
    /// - Parameter stopAt: the scan stops before the first row with an NHS number that starts at
    ///   or after this offset (where the next part begins).
    /// - Returns: the bytes consumed, and whether the scan stopped at such a row.
    func scanRecords(
        _ buffer: FieldBytes, isFinal: Bool, stopAt: Int, position: inout ScanPosition, counts: inout EventCounts,
        events: inout [ScannedEvent]
    ) throws -> (consumed: Int, stopped: Bool) {
        try withUnsafeTemporaryAllocation(of: SplitRecord.self, capacity: RecordScanner.batchSize) { batch in
            batch.initialize(repeating: SplitRecord())
            var pos = 0
            var line = position.line
            while true {
                var count = 0
                var finish: (consumed: Int, stopped: Bool)?
                splitting: while count < RecordScanner.batchSize {
                    guard pos < buffer.count else {
                        finish = (pos, false)
                        break
                    }
                    var needMore = false
                    if let next = blankLineEnd(buffer, at: pos, isFinal: isFinal, needMore: &needMore) {
                        pos = next
                        line += 1
                        continue
                    }
                    if needMore {
                        finish = (pos, false)
                        break
                    }
                    if isCanonical, splitCanonical(buffer, at: pos, into: &batch[count]) {
                        if pos >= stopAt {
                            finish = (pos, true)
                            break splitting
                        }
                        patients.prefetch(batch[count].number)
                        batch[count].line = line
                        line += 1
                        pos = batch[count].next
                        count += 1
                        continue
                    }
                    switch split(buffer, at: pos, isFinal: isFinal) {
                    case .needMore:
                        finish = (pos, false)
                        break splitting
                    case .unterminatedQuote:
                        throw ExtractError(
                            file: file, line: line, "a quoted field that starts here is never closed (a missing '\"')")
                    case .tooManyFields:
                        throw ExtractError(
                            file: file, line: line,
                            "a row has more than \(Formatting.grouped(maxFields)) columns; "
                                + "this does not look like a practice extract")
                    case .record(var record):
                        let nhs = FieldBytes(rebasing: buffer[record.nhs.start..<record.nhs.end])
                        if pos >= stopAt, !MissingValue.isMissing(nhs) {
                            finish = (pos, true)
                            break splitting
                        }
                        record.line = line
                        record.number = RecordScanner.plainNHSNumber(nhs) ?? RecordScanner.noNumber
                        line += record.lines
                        pos = record.next
                        batch[count] = record
                        count += 1
                    }
                }
                for index in 0..<count where batch[index].number != RecordScanner.noNumber {
                    batch[index].entry = patients.firstEntry(for: batch[index].number)
                }
                for index in 0..<count {
                    process(buffer, &batch[index], position: &position, counts: &counts, events: &events)
                }
                position.line = line
                if let finish { return finish }
            }
        }
    }

    /// The start of the first row in `buffer` whose NHS number cell is not empty, skipping blank
    /// lines and other rows, looking no further than rows starting before `stopAt`.
    func firstRowWithNHSNumber(_ buffer: FieldBytes, isFinal: Bool, stopAt: Int) -> Search {
        var pos = 0
        while pos < buffer.count {
            if pos >= stopAt { return .notFound }
            var needMore = false
            if let next = blankLineEnd(buffer, at: pos, isFinal: isFinal, needMore: &needMore) {
                pos = next
                continue
            }
            if needMore { return .needMore(consumed: pos) }
            switch split(buffer, at: pos, isFinal: isFinal) {
            case .needMore: return .needMore(consumed: pos)
            case .unterminatedQuote, .tooManyFields: return .notFound
            case .record(let record):
                if !MissingValue.isMissing(FieldBytes(rebasing: buffer[record.nhs.start..<record.nhs.end])) {
                    return .found(pos)
                }
                pos = record.next
            }
        }
        return isFinal ? .notFound : .needMore(consumed: pos)
    }

    /// Counts, checks and (when its patient is known and its code in the table) keeps one record.
    /// The record is read in place and not changed: it is large, and this runs for every row.
    /// (`inout`, not `borrowing`: measured, a borrowed record was still copied out of the batch,
    /// 19 instructions a row.)
    @inline(__always)
    private func process(
        _ buffer: FieldBytes, _ record: inout SplitRecord, position: inout ScanPosition, counts: inout EventCounts,
        events: inout [ScannedEvent]
    ) {
        let line = record.line
        // A field's bytes are sliced only where they are read: the usual row reads none of them.
        @inline(__always) func bytes(_ span: Span) -> FieldBytes { FieldBytes(rebasing: buffer[span.start..<span.end]) }
        let codeMissing = record.codeKey == 0 && MissingValue.isMissing(bytes(record.code))
        func reject(_ column: String, _ bytes: FieldBytes, _ problem: Problem, _ action: Reject.Action = .rowRejected) {
            counts.rejects.append(
                Reject(
                    file: file, line: line, column: column, value: CSVReader.decode(bytes).trimmed,
                    problem: problem, action: action))
            if action == .rowRejected { counts.rowsRejected += 1 }
        }
        var patient: Int32?
        if record.number != RecordScanner.noNumber,
            let found = patients.index(of: record.number, firstEntry: record.entry)
        {
            // The usual row: ten plain digits of a registered patient. Only valid numbers are in
            // the population, so the check digit needs no test.
            counts.rows += 1
            patient = found
            position.previous = .patient(found)
        } else {
            let nhsBytes = bytes(record.nhs)
            if MissingValue.isMissing(nhsBytes) && codeMissing && MissingValue.isMissing(bytes(record.date)) {
                return  // a row of empty cells, like a blank line
            }
            counts.rows += 1
            switch NHSNumber.parse(nhsBytes) {
            case .success(let number):
                patient = patients.index(of: number.value)
                position.previous = patient.map { .patient($0) } ?? .unknown
            case .failure(.missing):
                // An EMIS continuation row: the patient of the row above.
                switch position.previous {
                case .patient(let previous): patient = previous
                case .unknown: patient = nil
                case .none, .rejected:
                    reject("nhs_number", nhsBytes, codeMissing ? .missing : .orphanContinuation)
                    return
                }
            case .failure(let problem):
                position.previous = .rejected
                reject("nhs_number", nhsBytes, problem)
                return
            }
        }
        if codeMissing {
            reject("code", bytes(record.code), .noCode)
            return
        }
        let day: Day
        if record.day != RecordScanner.noDay {
            day = Day(ordinal: record.day)
        } else {
            let dateBytes = bytes(record.date)
            switch DateValue.parse(dateBytes, latest: latest) {
            case .success(let parsed): day = parsed
            case .failure(let problem):
                reject("date", dateBytes, problem)
                return
            }
        }
        var number: Double?
        if valueColumn >= 0, valueColumn < record.fields, record.value.end > record.value.start {
            let valueBytes = bytes(record.value)
            switch NumberValue.parse(valueBytes) {
            case .success(let parsed): number = parsed
            case .failure(.missing): break
            case .failure(let problem): reject("value", valueBytes, problem, .valueIgnored)
            }
        }
        counts.events += 1
        guard let patient else {
            counts.unknownPatients += 1
            return
        }
        let code: Int32?
        if record.codeKey != 0 {
            code = codes.id(ofNumber: record.codeKey)
        } else {
            let codeBytes = bytes(record.code)
            code = codes.id(of: FieldBytes(rebasing: codeBytes[Bytes.trimmed(codeBytes)]))
        }
        guard let id = code else { return }
        counts.matched[Int(id)] += 1
        events.append(ScannedEvent(patient: patient, code: id, day: day, value: number))
    }

    /// The number in a cell of exactly ten digits (no spaces, dashes or padding), else `nil`.
    @inline(__always)
    static func plainNHSNumber(_ bytes: FieldBytes) -> UInt64? {
        guard bytes.count == 10 else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            let digit = byte &- 0x30
            guard digit < 10 else { return nil }
            value = value &* 10 &+ UInt64(digit)
        }
        return value
    }
}
