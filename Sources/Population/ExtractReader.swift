import Dispatch
import Basics
import Vocabulary

/// What was read from one file. For a patients file every data row is in exactly one count:
/// `rows` is `newPatients + mergedRows + duplicates + rowsRejected + continuationRows`.
public struct FileSummary: Sendable {
    public let layout: FileLayout
    /// Data rows read (not counting blank lines, the preamble or the header). For events files,
    /// filled in by an event scan.
    public var rows: Int
    /// Rows not used at all (each with a `row rejected` reject), a row that conflicts with an
    /// earlier row of the file for the same NHS number among them.
    public var rowsRejected: Int
    /// Patients first seen in this file.
    public var newPatients: Int
    /// Rows that added to a patient another file already had (a report split over files), or
    /// that repeat a patient of this file only to give more events.
    public var mergedRows: Int
    /// Rows of a patient also in another practice's row (one of the two was dropped: the later
    /// registration is kept), and rows that only repeat an earlier row of this file (dropped).
    /// Each is reported as `duplicate dropped`.
    public var duplicates: Int
    /// EMIS continuation rows (no NHS number) whose events went to the patient above.
    public var continuationRows = 0
    /// Events found in this patients file (code columns and continuation rows).
    public var embeddedEvents: Int
}

/// The result of reading extract files: the population, each file's summary, the rejects so
/// far, and the events files still to be scanned (``EventScanner``).
public struct Extract: Sendable {
    public let population: Population
    /// Patients files in the order read, then events files.
    public let files: [FileSummary]
    /// Rejects from the patients files.
    public let rejects: RejectLog
    public let options: ReadOptions
    /// The events files, with where their bytes come from.
    let eventInputs: [(input: ExtractInput, layout: FileLayout)]
    /// Each patients file's parsed rows, in the order read, when the options keep them.
    public let parsedPatients: [ParsedPatients]

    /// The events files' layouts.
    public var eventFiles: [FileLayout] { eventInputs.map(\.layout) }
}

/// Reads practice list extracts (patients files and the layouts of events files).
public enum ExtractReader {
    /// The inputs for command-line paths: files as given, folders as the `.csv` files in them
    /// (sorted, hidden files skipped).
    /// - Throws: `ExtractError` (exit 66) for a path that does not exist.
    public static func inputs(forPaths paths: [String]) throws -> [ExtractInput] {
        var result: [ExtractInput] = []
        for path in paths {
            if FileIO.isDirectory(path) {
                for name in try FileIO.listDirectory(path)
                where !name.hasPrefix(".") && name.lowercased().hasSuffix(".csv") {
                    result.append(.file(FileIO.join(path, name)))
                }
            } else if FileIO.exists(path) {
                result.append(.file(path))
            } else {
                throw ExtractError(file: path, "no such file or folder", exitCode: .noInput)
            }
        }
        return result
    }

    /// Reads every patients file into a ``Population`` and finds the events files' layouts.
    /// - Throws: `ExtractError` for a file that cannot be an extract (empty, no recognisable
    ///   header, no practice, too many rejected rows), `CSVError` for one that is not CSV,
    ///   `FileIOError`, or `UnknownProfile` for an unknown `--profile`.
    public static func read(_ inputs: [ExtractInput], options: ReadOptions = ReadOptions()) throws -> Extract {
        let custom = options.customProfiles.map(\.profile)
        var forced: Profile?
        if let name = options.profile {
            let all = Profile.builtIn + custom
            guard let profile = all.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                var message = "unknown profile '\(name)'; profiles: \(all.map(\.name).joined(separator: ", "))"
                if let suggestion = Suggestions.closest(to: name, among: all.map(\.name)) {
                    message += "; did you mean '\(suggestion)'?"
                }
                throw UnknownProfile(message: message)
            }
            forced = profile
        }
        var state = ReadState(options: options)
        var eventInputs: [(ExtractInput, FileLayout)] = []
        var patientInputs: [PatientInput] = []
        // Headers first, so that small patients files (one per practice, say) can be parsed on
        // every core while they are placed in order.
        var extractDate: Day?
        for input in inputs {
            let reader = try input.makeReader()
            let latestGuess = options.today ?? Day(year: 2099, month: 12, day: 31)!
            let layout = try LayoutReader.read(
                reader, input: input, custom: custom, forced: forced, latest: latestGuess)
            if layout.index(of: .nhsNumber) == nil {
                throw ExtractError(
                    file: input.name, line: layout.headerLine,
                    "no column is the NHS number under profile '\(layout.profile)'")
            }
            if let runDate = layout.runDate { extractDate = max(extractDate ?? runDate, runDate) }
            switch layout.kind {
            case .events:
                eventInputs.append((input, layout))
            case .patients:
                patientInputs.append(PatientInput(input: input, layout: layout, extractDate: extractDate))
            }
        }
        var patientFiles: [FileSummary] = []
        let ahead = PatientFilesAhead(patientInputs, options: options)
        let dataBytes = patientInputs.map { max(0, ((try? $0.input.size()) ?? 0) - $0.layout.dataOffset) }
        for (index, file) in patientInputs.enumerated() {
            state.extractDate = file.extractDate
            state.bytesAfter = dataBytes[(index + 1)...].reduce(0, +)
            patientFiles.append(
                try state.readPatients(
                    input: file.input, layout: file.layout, fileIndex: UInt16(state.files.count),
                    parsed: ahead.take(index)))
            state.files.append(file.input.name)
        }
        state.extractDate = extractDate
        state.finish(&patientFiles)
        let parsedPatients = state.keptRowsOfFiles
        let files = state.files + eventInputs.map(\.0.name)
        let population = Population(builder: state.builder, files: files, extractDate: state.extractDate)
        let eventSummaries = eventInputs.map {
            FileSummary(
                layout: $0.1, rows: 0, rowsRejected: 0, newPatients: 0, mergedRows: 0, duplicates: 0, embeddedEvents: 0)
        }
        return Extract(
            population: population, files: patientFiles + eventSummaries, rejects: state.rejects, options: options,
            eventInputs: eventInputs, parsedPatients: parsedPatients)
    }
}

/// The state of one read across files.
private struct ReadState {
    let options: ReadOptions
    var builder = PopulationBuilder()
    var rejects = RejectLog()
    var files: [String] = []
    var extractDate: Day?
    /// The file index each patient was last written from (to tell repeats within a file).
    var lastFile: [UInt16] = []
    /// For patients of the file being read whose row in it was merged into a patient of an
    /// earlier file (or replaced one), that row's values and place: what a later row of this file
    /// for the same NHS number is compared with. A patient first seen in this file is compared
    /// with its values in the builder, which are its row's; so this holds only patients of
    /// earlier files (a split report's later parts), and is emptied at each file.
    var keptRows: [Int: (values: RowValues, at: RowLocation)] = [:]
    /// The data bytes of the patients files still to read after this one: the population is given
    /// room for their rows too when the first file is read, so that its columns are not copied
    /// again and again as a population in many files (90 at an ICB) grows.
    var bytesAfter = 0
    /// Each file's parsed rows, when ``ReadOptions/keepsParsedPatients``.
    var keptRowsOfFiles: [ParsedPatients] = []

    init(options: ReadOptions) {
        self.options = options
    }

    /// How many rows the files after this one will add, judged from this file's `bytesPerRow` over
    /// its `sample` rows: none when too few rows to judge by, and never at under 48 bytes a row
    /// (a patients row holds at least a number, a practice and a date of birth), so that a short
    /// first file cannot make room for many times the population.
    func rowsAfter(bytesPerRow: Int, sample: Int) -> Int {
        sample >= 256 ? bytesAfter / max(48, bytesPerRow) : 0
    }

    /// Reads one patients file into the population: `parsed` when it was parsed already (a small
    /// file, on another core), else in parts on every core (a large one) or a batch at a time.
    mutating func readPatients(
        input: ExtractInput, layout: FileLayout, fileIndex: UInt16, parsed: PatientPart? = nil
    ) throws -> FileSummary {
        let file = layout.file
        guard layout.index(of: .practice) != nil || layout.practiceFromFileName != nil else {
            throw ExtractError(
                file: file,
                "no practice column and no practice ODS code (like E82001) in the file name; "
                    + "name the file practice-E82001.csv or add a practice column")
        }
        var placing = Placing(
            file: file, fileIndex: fileIndex, demographics: layout.index(of: .dateOfBirth) != nil,
            filePractice: layout.practiceFromFileName.map { builder.practice($0) },
            summary: FileSummary(
                layout: layout, rows: 0, rowsRejected: 0, newPatients: 0, mergedRows: 0, duplicates: 0,
                embeddedEvents: 0))
        keptRows = [:]
        for column in layout.columns where column.canonical != nil && !column.canonical!.isEventColumn {
            builder.presentColumns.insert(column.canonical!)
        }
        let latest =
            layout.runDate ?? input.extractDate ?? extractDate ?? options.today ?? Day(year: 2099, month: 12, day: 31)!
        let parser = PatientRowParser(layout: layout, latest: latest, skipping: options.unreadContactDetails)
        placing.extraSlots = layout.columns.filter { $0.canonical == nil }.map {
            builder.extraSlot($0.name, header: $0.header)
        }
        var whole: ParsedRows?
        if let reused = input.parsedPatients, reused.fits(parser, skipping: options.unreadContactDetails) {
            whole = reused.rows(naming: file)
        } else if let parsed {
            if let failure = parsed.failure { throw failure }
            whole = parsed.rows
        } else if options.keepsParsedPatients {
            let source = try ByteSource(input)
            defer { source.closeFile() }
            let part = PatientPart(
                input, source: source, parser: parser, from: layout.dataOffset, line: layout.dataLine,
                limit: Int.max, synchronise: false, into: ParsedRows(extraColumns: parser.extraColumns.count))
            if let failure = part.failure { throw failure }
            whole = part.rows
        }
        if let whole {
            let rows = whole.entries.count
            let bytesPerRow = max(1, (try input.size()) - layout.dataOffset) / max(1, rows)
            builder.reserveCapacity(more: rows + rowsAfter(bytesPerRow: bytesPerRow, sample: rows), like: whole)
            placing.isOnlyFile = bytesAfter == 0
            place(whole, &placing)
            if options.keepsParsedPatients {
                keptRowsOfFiles.append(
                    ParsedPatients(
                        rows: whole, layout: layout, latest: latest, skipping: options.unreadContactDetails))
            }
            return try finish(&placing)
        }
        let dataBytes = try input.size() - layout.dataOffset
        let partBytes = options.partBytes ?? options.defaultPartBytes(dataBytes: dataBytes)
        if options.readsInParts(dataBytes: dataBytes) {
            try readInParts(input, layout: layout, parser: parser, partBytes: partBytes, &placing)
            return try finish(&placing)
        }
        // Rows are parsed a batch at a time and placed, so the parsed form never holds a whole file.
        let reader = try input.makeReader(from: layout.dataOffset, line: layout.dataLine)
        var rows = ParsedRows(extraColumns: parser.extraColumns.count)
        var batches = 0
        while try reader.next() {
            if reader.isBlank { continue }
            let line = reader.line
            reader.withRecord { parser.parse($0, line: line, into: &rows) }
            if rows.entries.count == options.batchRows {
                if batches == 0 {
                    // Room for the rest of the file, at the first batch's bytes per row.
                    let bytesPerRow = max(1, (reader.offset - layout.dataOffset) / rows.entries.count)
                    let rest =
                        max(0, (try input.size()) - reader.offset) / bytesPerRow
                        + rowsAfter(bytesPerRow: bytesPerRow, sample: rows.entries.count)
                    builder.reserveCapacity(more: rows.entries.count + rest + rest / 16, like: rows)
                }
                batches += 1
                place(rows, &placing)
                rows.removeAll()
            }
        }
        place(rows, &placing)
        return try finish(&placing)
    }

    /// The file's summary, once its rows are placed.
    /// - Throws: `ExtractError` when more rows were rejected than `--max-reject-rate` allows.
    private func finish(_ placing: inout Placing) throws -> FileSummary {
        let file = placing.file
        var summary = placing.summary
        summary.rowsRejected += placing.rowRejects
        if summary.rows > 0, Double(summary.rowsRejected) / Double(summary.rows) > options.maxRejectRate {
            throw ExtractError(
                file: file,
                "\(Formatting.grouped(summary.rowsRejected)) of \(Formatting.grouped(summary.rows)) rows rejected "
                    + "(\(Formatting.percent(summary.rowsRejected, summary.rows))), more than --max-reject-rate "
                    + "\(Formatting.number(options.maxRejectRate * 100))%: is this the right file and profile?"
                    + (rejects.entries.last(where: { $0.file == file && $0.action == .rowRejected }).map {
                        " Last: \($0.message)"
                    } ?? ""))
        }
        return summary
    }

    /// Reads a patients file in parts on every core. Parts are parsed on other threads, a few
    /// ahead of the one this thread is placing (so memory holds a few parts, never the file),
    /// and placed in file order.
    ///
    /// A part starts at the first record on a line at or after its nominal offset, and runs up to
    /// the first record that starts at or after the next part's. That guess is wrong only when a
    /// quoted line break (or a lone CR line end) crosses the offset; the part's start is then not
    /// where the part before really ended, and it is parsed again from there.
    private mutating func readInParts(
        _ input: ExtractInput, layout: FileLayout, parser: PatientRowParser, partBytes: Int, _ placing: inout Placing
    ) throws {
        let source = try ByteSource(input)
        defer { source.closeFile() }
        let begin = layout.dataOffset
        let count = max(1, (source.size - begin) / partBytes)
        let nominal = (0...count).map { begin + (source.size - begin) * $0 / count }
        let limits = (0..<count).map { $0 == count - 1 ? Int.max : nominal[$0 + 1] }
        let parsed = ChunkResults<PatientPart>(count: count)
        // Buffers of placed parts, handed on to the parts parsed next.
        let recycled = ChunkResults<ParsedRows>(count: count)
        let done = (0..<count).map { _ in DispatchSemaphore(value: 0) }
        var started = 0
        func startNext() {
            let index = started
            started += 1
            DispatchQueue.global().async {
                let rows = recycled.take(index) ?? ParsedRows(extraColumns: parser.extraColumns.count)
                parsed.set(
                    index,
                    PatientPart(
                        input, source: source, parser: parser, from: nominal[index],
                        line: index == 0 ? layout.dataLine : 0, limit: limits[index], synchronise: index > 0, into: rows
                    ))
                done[index].signal()
            }
        }
        var placed = 0
        // Parts still being parsed read `source`: wait for them before it is closed.
        defer { for index in placed..<started { done[index].wait() } }
        while started < min(count, Processors.active + 1) { startNext() }
        var expected = begin
        var expectedLine = layout.dataLine
        for index in 0..<count {
            done[index].wait()
            placed = index + 1
            var part = parsed.take(index)!
            if index > 0, part.start != expected {
                part = PatientPart(
                    input, source: source, parser: parser, from: expected, line: expectedLine, limit: limits[index],
                    synchronise: false, into: part.rows)
            }
            // Lines in a guessed part count from 0 where the guess started.
            let shift = index == 0 ? 0 : expectedLine - part.firstLine
            if let failure = part.failure {
                if let error = failure as? CSVError { throw error.movedDown(by: shift) }
                throw failure
            }
            part.rows.offsetLines(by: shift)
            if index == 0, !part.rows.entries.isEmpty {
                let bytesPerRow = max(1, (part.end - begin) / part.rows.entries.count)
                let rows =
                    (source.size - begin) / bytesPerRow
                    + rowsAfter(bytesPerRow: bytesPerRow, sample: part.rows.entries.count)
                builder.reserveCapacity(more: rows * 17 / 16, like: part.rows)
            }
            place(part.rows, &placing)
            expected = part.end
            expectedLine = part.endLine + shift
            if started < count {
                recycled.set(started, part.rows)
                part.rows = ParsedRows(extraColumns: 0)
                startNext()
            }
        }
    }

    /// Where placing one file's rows stands.
    struct Placing {
        let file: String
        let fileIndex: UInt16
        /// Whether the file has dates of birth (if not, its rows only supplement other files').
        let demographics: Bool
        /// The practice in the file's name, if any.
        let filePractice: UInt16?
        var summary: FileSummary
        /// The builder's slot for each extra column of the file.
        var extraSlots: [Int] = []
        /// The patient of the last patient row, for EMIS continuation rows.
        var lastPatient: Int?
        /// Rows rejected outright (their rejects counted here, the rest as they happen).
        var rowRejects = 0
        /// Whether the rows are the whole of the last patients file, placed at once: the only
        /// file's columns are then taken as parsed, not copied (an ingest's check of one file;
        /// ``PopulationBuilder/appendPatients(from:rows:practices:sources:demographics:onEveryCore:sharing:)``).
        /// With files to come they are copied, into room made for them all.
        var isOnlyFile = false
    }

    /// Places parsed rows into the population in file order: merges repeats of a patient,
    /// gives continuation rows' events to the patient above, and records every reject in order.
    ///
    /// New patients (nearly every row) are appended in runs, each column in one piece; a row for
    /// a patient already there ends the run, since merging reads and writes the columns.
    private mutating func place(_ rows: ParsedRows, _ placing: inout Placing) {
        let practices = rows.practiceCodes.map { builder.practice($0) }
        var rejectStart = 0
        var eventStart = 0
        var eventRejectStart = 0
        var patientRow = 0
        var runStart = 0
        var runPractices: [UInt16] = []
        var runSources: [RowLocation] = []
        var lookahead = PatientIndex.Lookahead()
        func appendRun() {
            guard !runPractices.isEmpty else { return }
            let first = builder.count
            let run = runStart..<(runStart + runPractices.count)
            builder.appendPatients(
                from: rows, rows: run, practices: runPractices, sources: runSources, demographics: placing.demographics,
                onEveryCore: options.usesOtherThreads && Processors.active > 1
                    && run.count >= options.columnsOnEveryCoreFrom, sharing: placing.isOnlyFile)
            for (column, slot) in placing.extraSlots.enumerated() {
                builder.extraColumns[slot].values.pad(to: first)
                builder.extraColumns[slot].values.append(contentsOf: rows.extras[column], rows: run)
            }
            lastFile.append(contentsOf: repeatElement(placing.fileIndex, count: run.count))
            placing.summary.newPatients += run.count
            runPractices.removeAll(keepingCapacity: true)
            runSources.removeAll(keepingCapacity: true)
        }
        func recordRejects(upTo end: Int) {
            for reject in rows.rejects[rejectStart..<end] {
                rejects.append(reject)
                if reject.action == .rowRejected { placing.rowRejects += 1 }
            }
        }
        func embedEvents(_ entry: ParsedRows.Entry, patient: Int) {
            for event in rows.events[eventStart..<entry.eventEnd] {
                builder.embeddedEvents.append(
                    EmbeddedEvent(patient: Int32(patient), code: event.code, day: event.day, value: event.value))
            }
            for reject in rows.eventRejects[eventRejectStart..<entry.eventRejectEnd] { rejects.append(reject) }
            placing.summary.embeddedEvents += entry.eventEnd - eventStart
        }
        for entry in rows.entries {
            placing.summary.rows += 1
            switch entry.kind {
            case .noNumber:
                if entry.hasEvent, let patient = placing.lastPatient {
                    embedEvents(entry, patient: patient)
                    if entry.lostAllEvents { placing.rowRejects += 1 } else { placing.summary.continuationRows += 1 }
                } else {
                    recordRejects(upTo: entry.rejectEnd)
                }
            case .rejected:
                placing.lastPatient = nil
                recordRejects(upTo: entry.rejectEnd)
            case .patient:
                placing.lastPatient = nil
                recordRejects(upTo: entry.rejectEnd)
                let local = rows.practices[patientRow]
                let practice = local == ParsedRows.filePractice ? placing.filePractice! : practices[Int(local)]
                let source = RowLocation(file: placing.fileIndex, line: Int32(clamping: entry.line))
                let nhs = rows.numbers[patientRow]
                if let existing = builder.index.index(ofRow: patientRow, in: rows.numbers, lookahead: &lookahead) {
                    appendRun()
                    switch placeAgain(
                        rows, patientRow, existing: Int(existing), practice: practice, source: source,
                        hasEvents: entry.eventEnd > eventStart, &placing)
                    {
                    case .patient(let patient):
                        for (column, slot) in placing.extraSlots.enumerated() {
                            rows.extras[column].withBytes(patientRow) {
                                builder.setExtra(slot: slot, patient: patient, value: $0)
                            }
                        }
                        embedEvents(entry, patient: patient)
                        placing.lastPatient = patient
                    case .notUsed(let continuing):
                        placing.lastPatient = continuing
                    }
                } else {
                    if runPractices.isEmpty { runStart = patientRow }
                    let patient = builder.count + runPractices.count
                    builder.index.insert(nhs, index: patient)
                    runPractices.append(practice)
                    runSources.append(source)
                    embedEvents(entry, patient: patient)
                    placing.lastPatient = patient
                }
                patientRow += 1
            }
            rejectStart = entry.rejectEnd
            eventStart = entry.eventEnd
            eventRejectStart = entry.eventRejectEnd
        }
        appendRun()
    }

    /// What became of a patient row whose NHS number an earlier row had.
    private enum Placed {
        /// The row was used, for this patient.
        case patient(Int)
        /// The row was not used (and is reported). Continuation rows below it go to `continuing`,
        /// the patient of an exact repeat, or are orphans when `nil`.
        case notUsed(continuing: Int?)
    }

    /// Places a parsed patient row whose NHS number an earlier row had: merges it with the patient
    /// of another file (a report split over files), or resolves between them.
    private mutating func placeAgain(
        _ rows: ParsedRows, _ row: Int, existing: Int, practice: UInt16, source: RowLocation, hasEvents: Bool,
        _ placing: inout Placing
    ) -> Placed {
        if lastFile[existing] == placing.fileIndex {
            return placeRepeat(
                rows, row, existing: existing, practice: practice, source: source, hasEvents: hasEvents, &placing)
        }
        if builder.practiceIndex[existing] != practice, placing.demographics, builder.hasDemographics[existing] {
            return keepLatestRegistration(rows, row, existing: existing, practice: practice, source: source, &placing)
        }
        // The same patient in another file: a split report. Fill what is missing.
        if placing.demographics && !builder.hasDemographics[existing] {
            builder.hasDemographics[existing] = true
            builder.practiceIndex[existing] = practice
            builder.sources[existing] = source
        }
        lastFile[existing] = placing.fileIndex
        keptRows[existing] = (RowValues(rows, row, practice: practice), source)
        builder.apply(rows, row, to: existing, overwrite: false)
        placing.summary.mergedRows += 1
        return .patient(existing)
    }

    /// Places a row whose NHS number an earlier row of the same file had. Which row is kept is
    /// as before: the first, except at two practices (the later registration, as across files).
    ///
    /// - A row that says the same about the patient as the kept row and gives events is used for
    ///   its events (a report that repeats the patient on each event's row).
    /// - A row that says the same and gives no event only repeats the kept one: it is dropped and
    ///   reported as a duplicate.
    /// - A row that says anything else (a name, a phone, a date of birth) is rejected and reported
    ///   with the columns that differ. It is not merged: which row is right cannot be told, and
    ///   filling the kept row's gaps from it could give one person another's phone number.
    private mutating func placeRepeat(
        _ rows: ParsedRows, _ row: Int, existing: Int, practice: UInt16, source: RowLocation, hasEvents: Bool,
        _ placing: inout Placing
    ) -> Placed {
        let kept =
            keptRows[existing]
            ?? (RowValues(builder, patient: existing, extraSlots: placing.extraSlots), builder.sources[existing])
        let differing = kept.values.differences(
            from: RowValues(rows, row, practice: practice),
            extraNames: placing.extraSlots.map { builder.extraColumns[$0].name })
        if !differing.contains(CanonicalColumn.dateOfBirth.rawValue),
            differing.contains(CanonicalColumn.practice.rawValue), placing.demographics,
            builder.hasDemographics[existing]
        {
            return keepLatestRegistration(rows, row, existing: existing, practice: practice, source: source, &placing)
        }
        let keptAt = "kept \(FileIO.fileName(of: placing.file)):\(kept.at.line)"
        let nhs = NHSNumber(rows.numbers[row])?.description ?? ""
        if !differing.isEmpty {
            let columns = differing.joined(separator: ", ") + (differing.count == 1 ? " differs" : " differ")
            rejects.append(
                Reject(
                    file: placing.file, line: Int(source.line), column: "nhs_number", value: nhs,
                    problem: .conflictingDuplicate, action: .rowRejected, detail: "\(columns); \(keptAt)"))
            placing.summary.rowsRejected += 1
            return .notUsed(continuing: nil)
        }
        if hasEvents {
            placing.summary.mergedRows += 1
            return .patient(existing)
        }
        rejects.append(
            Reject(
                file: placing.file, line: Int(source.line), column: "nhs_number", value: nhs, problem: .repeatedRow,
                action: .duplicate, detail: keptAt))
        placing.summary.duplicates += 1
        return .notUsed(continuing: existing)
    }

    /// A patient in two practices' rows (moved practice between exports, or listed at both): the
    /// latest registration wins, the row read first on a tie; the other row is reported.
    private mutating func keepLatestRegistration(
        _ rows: ParsedRows, _ row: Int, existing: Int, practice: UInt16, source: RowLocation, _ placing: inout Placing
    ) -> Placed {
        let unknown = Day(ordinal: Int32.min)
        let newer = (rows.registeredOn[row] ?? unknown) > (builder.registeredOn[existing] ?? unknown)
        let loser = newer ? builder.sources[existing] : source
        let winner = newer ? source : builder.sources[existing]
        // The file being placed is not in `files` yet.
        func file(_ location: RowLocation) -> String {
            Int(location.file) < files.count ? files[Int(location.file)] : placing.file
        }
        rejects.append(
            Reject(
                file: file(loser), line: Int(loser.line), column: "nhs_number",
                value: NHSNumber(rows.numbers[row])?.description ?? "", problem: .duplicatePatient, action: .duplicate,
                detail: "kept \(FileIO.fileName(of: file(winner))):\(winner.line)"))
        placing.summary.duplicates += 1
        guard newer else { return .notUsed(continuing: nil) }
        builder.practiceIndex[existing] = practice
        builder.sources[existing] = source
        lastFile[existing] = placing.fileIndex
        keptRows[existing] = (RowValues(rows, row, practice: practice), source)
        builder.apply(rows, row, to: existing, overwrite: true)
        return .patient(existing)
    }

    /// Drops patients only files without dates of birth mentioned, reporting each.
    mutating func finish(_ summaries: inout [FileSummary]) {
        var drop: Set<Int> = []
        for i in 0..<builder.count where !builder.hasDemographics[i] {
            let source = builder.sources[i]
            rejects.append(
                Reject(
                    file: files[Int(source.file)], line: Int(source.line), column: "nhs_number",
                    value: NHSNumber(builder.nhsNumbers[i])?.description ?? "", problem: .noDateOfBirth,
                    action: .rowRejected))
            summaries[Int(source.file)].rowsRejected += 1
            summaries[Int(source.file)].newPatients -= 1
            drop.insert(i)
        }
        builder.remove(drop)
    }
}

/// A patients file whose header has been read.
private struct PatientInput {
    let input: ExtractInput
    let layout: FileLayout
    /// The latest run date of this file and those before it (what its dates are read against).
    let extractDate: Day?
}

/// Parses the small patients files of a read on every core, a few files ahead of the one being
/// placed (so memory holds a few files' rows, never all of them); large files are left to be
/// read in parts when their turn comes.
private final class PatientFilesAhead: @unchecked Sendable {
    private let files: [(input: ExtractInput, layout: FileLayout, parser: PatientRowParser)?]
    private let parsed: ChunkResults<PatientPart>
    private let done: [DispatchSemaphore]
    private var started = 0
    private let inFlight = Processors.active + 1

    init(_ inputs: [PatientInput], options: ReadOptions) {
        files = inputs.map { file in
            guard options.parsesFilesAhead, options.usesOtherThreads, Processors.active > 1,
                let size = try? file.input.size(),
                !options.readsInParts(dataBytes: size - file.layout.dataOffset)
            else { return nil }
            let latest =
                file.layout.runDate ?? file.input.extractDate ?? file.extractDate ?? options.today
                ?? Day(year: 2099, month: 12, day: 31)!
            let parser = PatientRowParser(layout: file.layout, latest: latest, skipping: options.unreadContactDetails)
            // Rows an earlier read parsed are placed as they are (`readPatients`).
            if let reused = file.input.parsedPatients, reused.fits(parser, skipping: options.unreadContactDetails) {
                return nil
            }
            return (file.input, file.layout, parser)
        }
        parsed = ChunkResults(count: inputs.count)
        done = inputs.map { _ in DispatchSemaphore(value: 0) }
        startMore(after: -1)
    }

    /// File `index`'s rows, parsed whole; `nil` for a file to be read in parts.
    func take(_ index: Int) -> PatientPart? {
        // The window moves on at every file, large ones too: a run of large files must not leave
        // the small file after it never started.
        startMore(after: index - 1)
        guard files[index] != nil else { return nil }
        done[index].wait()
        startMore(after: index)
        return parsed.take(index)
    }

    /// Starts parsing small files until `inFlight` are under way past file `placed`.
    private func startMore(after placed: Int) {
        while started < files.count, started <= placed + inFlight {
            let index = started
            started += 1
            guard let (input, layout, parser) = files[index] else { continue }
            let parsed = parsed
            let done = done[index]
            DispatchQueue.global().async {
                let part: PatientPart
                do {
                    let source = try ByteSource(input)
                    defer { source.closeFile() }
                    part = PatientPart(
                        input, source: source, parser: parser, from: layout.dataOffset, line: layout.dataLine,
                        limit: Int.max, synchronise: false, into: ParsedRows(extraColumns: parser.extraColumns.count))
                } catch {
                    part = PatientPart(failure: error)
                }
                parsed.set(index, part)
                done.signal()
            }
        }
    }
}
