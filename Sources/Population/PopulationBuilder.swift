import Dispatch
import Basics
import Vocabulary

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
    /// With `onEveryCore`, the text columns (most of the bytes, each a buffer of its own) are
    /// copied on every core at once: for a whole file parsed already, as a morning's ingest hands
    /// over, placing is otherwise the one thing running (0.9 s on one core at 900,000 patients).
    ///
    /// With `sharing`, an empty builder given every row of `parsed` takes its columns as they are
    /// (Swift's arrays then share one buffer, copied only if either is written to): a whole file
    /// parsed at once is not copied a second time, nor its room touched. The values are the same.
    mutating func appendPatients(
        from parsed: ParsedRows, rows: Range<Int>, practices: [UInt16], sources: [RowLocation], demographics: Bool,
        onEveryCore: Bool = false, sharing: Bool = false
    ) {
        if sharing, count == 0, rows == 0..<parsed.numbers.count, parsed.isRectangular {
            nhsNumbers = parsed.numbers
            practiceIndex = practices
            texts = parsed.texts
            datesOfBirth = parsed.datesOfBirth
            sexes = parsed.sexes
            interpreterNeeded = parsed.interpreterNeeded
            imdDeciles = parsed.imdDeciles
            datesOfDeath = parsed.datesOfDeath
            registeredOn = parsed.registeredOn
            deregisteredOn = parsed.deregisteredOn
            self.sources = sources
            hasDemographics = Array(repeating: demographics, count: rows.count)
            count = rows.count
            return
        }
        nhsNumbers.append(contentsOf: parsed.numbers[rows])
        practiceIndex.append(contentsOf: practices)
        if onEveryCore {
            texts.withUnsafeMutableBufferPointer { buffer in
                let columns = DistinctColumns(buffer: buffer)
                DispatchQueue.concurrentPerform(iterations: buffer.count) { field in
                    columns.buffer[field].append(contentsOf: parsed.texts[field], rows: rows)
                }
            }
        } else {
            for field in texts.indices { texts[field].append(contentsOf: parsed.texts[field], rows: rows) }
        }
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
            texts[field].reserveCapacity(
                total, bytes: max(texts[field].byteCount + extra * perPatient, total * perPatient))
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
        for field in TextField.allCases where !TextField.addressLines.contains(field) {
            rows.texts[field.rawValue].withBytes(row) { bytes in
                if let bytes, overwrite || !texts[field.rawValue].hasValue(i) { texts[field.rawValue].set(i, bytes) }
            }
        }
        applyAddress(rows, row, to: i, overwrite: overwrite)
        setDay(&datesOfBirth, rows.datesOfBirth[row])
        set(&sexes, rows.sexes[row])
        set(&interpreterNeeded, rows.interpreterNeeded[row])
        set(&imdDeciles, rows.imdDeciles[row])
        setDay(&datesOfDeath, rows.datesOfDeath[row])
        setDay(&registeredOn, rows.registeredOn[row])
        setDay(&deregisteredOn, rows.deregisteredOn[row])
    }

    /// Writes a row's address into patient `i` as one whole: all its lines when it has any and
    /// (unless `overwrite`) the patient has none, so two files' addresses are never mixed line by line.
    private mutating func applyAddress(_ rows: ParsedRows, _ row: Int, to i: Int, overwrite: Bool) {
        let lines = TextField.addressLines.map(\.rawValue)
        guard lines.contains(where: { rows.texts[$0].hasValue(row) }),
            overwrite || !lines.contains(where: { texts[$0].hasValue(i) })
        else { return }
        for field in lines {
            rows.texts[field].withBytes(row) { bytes in
                if let bytes { texts[field].set(i, bytes) } else { texts[field].setMissing(i) }
            }
        }
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
            return mapped < 0
                ? nil : EmbeddedEvent(patient: mapped, code: event.code, day: event.day, value: event.value)
        }
        count = nhsNumbers.count
    }
}

/// The text columns, each written by one thread of ``PopulationBuilder/appendPatients(from:rows:practices:sources:demographics:onEveryCore:sharing:)``
/// alone: each thread writes only its own element (copy-on-write keeps any storage two columns
/// shared, such as the empty column's, unchanged for the other).
private struct DistinctColumns: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<TextColumn>
}
