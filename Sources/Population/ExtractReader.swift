import Basics

/// How extracts are read.
public struct ReadOptions: Sendable {
    /// Read every file with this profile (a built-in or custom name) instead of detecting it.
    public var profile: String?
    /// Profiles from the rules' `extract` blocks.
    public var customProfiles: [CustomProfile]
    /// A file with a larger share of rejected rows is an error (0.05 = 5%).
    public var maxRejectRate: Double
    /// The latest day a two-digit year may mean when a file has no run date (usually today).
    public var today: Day?

    public init(
        profile: String? = nil, customProfiles: [CustomProfile] = [], maxRejectRate: Double = 0.05, today: Day? = nil
    ) {
        self.profile = profile
        self.customProfiles = customProfiles
        self.maxRejectRate = maxRejectRate
        self.today = today
    }
}

/// What was read from one file.
public struct FileSummary: Sendable {
    public let layout: FileLayout
    /// Data rows read (not counting blank lines, the preamble or the header). For events files,
    /// filled in by an event scan.
    public var rows: Int
    /// Rows not used at all.
    public var rowsRejected: Int
    /// Patients first seen in this file.
    public var newPatients: Int
    /// Rows that added to a patient another row or file already had (split reports, repeats).
    public var mergedRows: Int
    /// Rows that lost to a duplicate in another practice's file.
    public var duplicates: Int
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
    ///   `FileIOError`, or `UsageError` for an unknown `--profile`.
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
                throw UsageError(message)
            }
            forced = profile
        }
        var state = ReadState(options: options)
        var eventInputs: [(ExtractInput, FileLayout)] = []
        var patientFiles: [FileSummary] = []
        for input in inputs {
            let reader = try input.makeReader()
            let latestGuess = options.today ?? Day(year: 2099, month: 12, day: 31)!
            let layout = try LayoutReader.read(reader, input: input, custom: custom, forced: forced, latest: latestGuess)
            if layout.index(of: .nhsNumber) == nil {
                throw ExtractError(
                    file: input.name, line: layout.headerLine,
                    "no column is the NHS number under profile '\(layout.profile)'")
            }
            if let runDate = layout.runDate { state.extractDate = max(state.extractDate ?? runDate, runDate) }
            switch layout.kind {
            case .events:
                eventInputs.append((input, layout))
            case .patients:
                patientFiles.append(try state.readPatients(reader, layout: layout, fileIndex: UInt16(state.files.count)))
                state.files.append(input.name)
            }
        }
        state.finish(&patientFiles)
        let files = state.files + eventInputs.map(\.0.name)
        let population = Population(builder: state.builder, files: files, extractDate: state.extractDate)
        let eventSummaries = eventInputs.map {
            FileSummary(
                layout: $0.1, rows: 0, rowsRejected: 0, newPatients: 0, mergedRows: 0, duplicates: 0, embeddedEvents: 0)
        }
        return Extract(
            population: population, files: patientFiles + eventSummaries, rejects: state.rejects, options: options,
            eventInputs: eventInputs)
    }
}

/// The state of one read across files.
private struct ReadState {
    let options: ReadOptions
    var builder = PopulationBuilder()
    var rejects = RejectLog()
    var files: [String] = []
    var extractDate: Day?
    var lookup: [UInt64: Int] = [:]
    /// The file index each patient was last written from (to tell repeats within a file).
    var lastFile: [UInt16] = []

    init(options: ReadOptions) {
        self.options = options
    }

    /// One row's normalised values before they join the population.
    struct Row {
        var practice: UInt16 = 0
        var givenName: String?
        var familyName: String?
        var dateOfBirth: Day?
        var sex: Sex?
        var postcode: String?
        var mobile: String?
        var mobileRaw: String?
        var home: String?
        var homeRaw: String?
        var language: String?
        var interpreter: Bool?
        var imd: UInt8?
        var lsoa: String?
        var death: Day?
        var registered: Day?
        var deregistered: Day?
    }

    mutating func readPatients(_ reader: CSVReader, layout: FileLayout, fileIndex: UInt16) throws -> FileSummary {
        let file = layout.file
        var summary = FileSummary(
            layout: layout, rows: 0, rowsRejected: 0, newPatients: 0, mergedRows: 0, duplicates: 0, embeddedEvents: 0)
        let practiceColumn = layout.index(of: .practice)
        guard practiceColumn != nil || layout.practiceFromFileName != nil else {
            throw ExtractError(
                file: file,
                "no practice column and no practice ODS code (like E82001) in the file name; "
                    + "name the file practice-E82001.csv or add a practice column")
        }
        let defaultPractice = layout.practiceFromFileName.map { builder.practice($0) }
        for column in layout.columns where column.canonical != nil && !column.canonical!.isEventColumn {
            builder.presentColumns.insert(column.canonical!)
        }
        let nhsColumn = layout.index(of: .nhsNumber)!
        let dobColumn = layout.index(of: .dateOfBirth)
        let codeColumn = layout.index(of: .code)
        let dateColumn = layout.index(of: .date)
        let valueColumn = layout.index(of: .value)
        // Column positions by canonical column, looked up once per file rather than per cell.
        var positions = [Int?](repeating: nil, count: CanonicalColumn.allCases.count)
        for (ordinal, column) in CanonicalColumn.allCases.enumerated() { positions[ordinal] = layout.index(of: column) }
        @inline(__always) func position(_ column: CanonicalColumn) -> Int? { positions[column.ordinal] }
        let latest = layout.runDate ?? extractDate ?? options.today ?? Day(year: 2099, month: 12, day: 31)!
        let extraColumns = layout.columns.filter { $0.canonical == nil }.map {
            (index: $0.index, slot: builder.extraSlot($0.name, header: $0.header))
        }
        var lastPatient: Int?
        var rowRejects = 0
        while try reader.next() {
            if reader.isBlank { continue }
            summary.rows += 1
            let line = reader.line
            func reject(_ column: CanonicalColumn, _ index: Int?, _ problem: Problem, _ action: Reject.Action = .rowRejected) {
                rejects.append(
                    Reject(
                        file: file, line: line, column: column.rawValue, value: index.map { reader.string($0).trimmed } ?? "",
                        problem: problem, action: action))
                if action == .rowRejected { rowRejects += 1 }
            }
            let nhsResult = reader.withField(nhsColumn) { NHSNumber.parse($0) }
            if case .failure(.missing) = nhsResult {
                let hasEvent =
                    (codeColumn.map { !isMissing(reader, $0) } ?? false)
                    || layout.eventPairs.contains { !isMissing(reader, $0.code) }
                if hasEvent, let patient = lastPatient {
                    summary.embeddedEvents += embedEvents(
                        reader, layout: layout, patient: patient, line: line, latest: latest, continuation: true,
                        code: codeColumn, date: dateColumn, value: valueColumn, rowRejects: &rowRejects)
                } else {
                    reject(.nhsNumber, nhsColumn, hasEvent ? .orphanContinuation : .missing)
                }
                continue
            }
            lastPatient = nil
            guard case .success(let nhs) = nhsResult else {
                if case .failure(let problem) = nhsResult { reject(.nhsNumber, nhsColumn, problem) }
                continue
            }
            var row = Row()
            if let practiceColumn, !isMissing(reader, practiceColumn) {
                guard let code = PracticeCode.parse(reader.string(practiceColumn)) else {
                    reject(.practice, practiceColumn, .notAPracticeCode)
                    continue
                }
                row.practice = builder.practice(code)
            } else if let defaultPractice {
                row.practice = defaultPractice
            } else {
                reject(.practice, practiceColumn, .noPractice)
                continue
            }
            if let dobColumn {
                switch reader.withField(dobColumn, { DateValue.parse($0, latest: latest) }) {
                case .success(let day):
                    if day > latest {
                        reject(.dateOfBirth, dobColumn, .dateAfterExtract)
                        continue
                    }
                    row.dateOfBirth = day
                case .failure(let problem):
                    reject(.dateOfBirth, dobColumn, problem)
                    continue
                }
            }
            // A death or deregistration date that cannot be read could hide someone who must never
            // be called, so it rejects the row rather than being dropped.
            var unsafe = false
            for column in [CanonicalColumn.dateOfDeath, .deregisteredOn] {
                guard let index = position(column) else { continue }
                switch reader.withField(index, { DateValue.parse($0, latest: Day(year: 9999, month: 12, day: 31)!) }) {
                case .success(let day): if column == .dateOfDeath { row.death = day } else { row.deregistered = day }
                case .failure(.missing): break
                case .failure(let problem):
                    reject(column, index, problem)
                    unsafe = true
                }
                if unsafe { break }
            }
            if unsafe { continue }
            @inline(__always) func optional<T>(_ column: CanonicalColumn, _ parse: (FieldBytes) -> Result<T, Problem>) -> T? {
                guard let index = position(column) else { return nil }
                switch reader.withField(index, parse) {
                case .success(let value): return value
                case .failure(.missing): return nil
                case .failure(let problem):
                    reject(column, index, problem, .valueIgnored)
                    return nil
                }
            }
            @inline(__always) func text(_ column: CanonicalColumn) -> String? {
                guard let index = position(column), !isMissing(reader, index) else { return nil }
                return trimmedText(reader, index)
            }
            row.givenName = text(.givenName)
            row.familyName = text(.familyName)
            row.sex = optional(.sex, Sex.parse)
            row.postcode = optional(.postcode, Postcode.parse)
            row.mobile = optional(.phoneMobile, PhoneNumber.parse)
            if row.mobile != nil, let raw = text(.phoneMobile), raw != row.mobile { row.mobileRaw = raw }
            row.home = optional(.phoneHome, PhoneNumber.parse)
            if row.home != nil, let raw = text(.phoneHome), raw != row.home { row.homeRaw = raw }
            row.language = text(.preferredLanguage)
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
            row.lsoa = text(.lsoa)?.uppercased()
            row.registered = optional(.registeredOn) { DateValue.parse($0, latest: latest) }

            let source = RowLocation(file: fileIndex, line: Int32(clamping: line))
            guard
                let patient = place(
                    nhs: nhs.value, row: row, source: source, demographics: dobColumn != nil, file: file,
                    fileIndex: fileIndex, summary: &summary)
            else { continue }
            for extra in extraColumns {
                let value = isMissing(reader, extra.index) ? nil : trimmedText(reader, extra.index)
                builder.setExtra(slot: extra.slot, patient: patient, value: value, overwrite: false)
            }
            summary.embeddedEvents += embedEvents(
                reader, layout: layout, patient: patient, line: line, latest: latest, continuation: false,
                code: codeColumn, date: dateColumn, value: valueColumn, rowRejects: &rowRejects)
            lastPatient = patient
        }
        summary.rowsRejected += rowRejects
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

    /// A cell as text without surrounding spaces, trimmed on bytes before decoding.
    private func trimmedText(_ reader: CSVReader, _ index: Int) -> String {
        reader.withField(index) { bytes in CSVReader.decode(FieldBytes(rebasing: bytes[Bytes.trimmed(bytes)])) }
    }

    private func isMissing(_ reader: CSVReader, _ index: Int) -> Bool {
        reader.withField(index) { MissingValue.isMissing($0) }
    }

    /// Adds a row's patient to the population, merging with or resolving against an earlier row
    /// for the same NHS number. Returns the patient's index, or `nil` when this row lost.
    private mutating func place(
        nhs: UInt64, row: Row, source: RowLocation, demographics: Bool, file: String, fileIndex: UInt16,
        summary: inout FileSummary
    ) -> Int? {
        guard let existing = lookup[nhs] else {
            let index = builder.appendPatient(nhs: nhs, practice: row.practice, source: source, demographics: demographics)
            lookup[nhs] = index
            lastFile.append(fileIndex)
            apply(row, to: index, overwrite: true)
            summary.newPatients += 1
            return index
        }
        let sameFile = lastFile[existing] == fileIndex
        if sameFile, let old = builder.datesOfBirth[existing], let new = row.dateOfBirth, old != new {
            rejects.append(
                Reject(
                    file: file, line: Int(source.line), column: "nhs_number", value: NHSNumber(nhs)?.description ?? "",
                    problem: .conflictingDuplicate, action: .rowRejected,
                    detail: "first at line \(builder.sources[existing].line)"))
            summary.rowsRejected += 1
            return nil
        }
        let otherPractice = builder.practiceIndex[existing] != row.practice
        if !sameFile, otherPractice, demographics, builder.hasDemographics[existing] {
            // Moved practice between exports: the latest registration wins; the other is reported.
            let newer = (row.registered ?? Day(ordinal: Int32.min)) > (builder.registeredOn[existing] ?? Day(ordinal: Int32.min))
            let loser = newer ? builder.sources[existing] : source
            let winner = newer ? source : builder.sources[existing]
            let loserFile = newer ? files[Int(loser.file)] : file
            let winnerFile = Int(winner.file) < files.count ? files[Int(winner.file)] : file
            rejects.append(
                Reject(
                    file: loserFile, line: Int(loser.line), column: "nhs_number", value: NHSNumber(nhs)?.description ?? "",
                    problem: .duplicatePatient, action: .duplicate,
                    detail: "kept \(FileIO.fileName(of: winnerFile)):\(winner.line)"))
            summary.duplicates += 1
            guard newer else { return nil }
            builder.practiceIndex[existing] = row.practice
            builder.sources[existing] = source
            lastFile[existing] = fileIndex
            apply(row, to: existing, overwrite: true)
            return existing
        }
        // The same patient again: a split report or a repeated row. Fill what is missing.
        if demographics && !builder.hasDemographics[existing] {
            builder.hasDemographics[existing] = true
            builder.practiceIndex[existing] = row.practice
            builder.sources[existing] = source
        }
        lastFile[existing] = fileIndex
        apply(row, to: existing, overwrite: false)
        summary.mergedRows += 1
        return existing
    }

    private mutating func apply(_ row: Row, to i: Int, overwrite: Bool) {
        func set<T>(_ column: inout [T?], _ value: T?) {
            if let value, overwrite || column[i] == nil { column[i] = value }
        }
        func setDay(_ column: inout DayColumn, _ value: Day?) {
            if let value, overwrite || column[i] == nil { column[i] = value }
        }
        set(&builder.givenNames, row.givenName)
        set(&builder.familyNames, row.familyName)
        setDay(&builder.datesOfBirth, row.dateOfBirth)
        set(&builder.sexes, row.sex)
        set(&builder.postcodes, row.postcode)
        set(&builder.mobilePhones, row.mobile)
        set(&builder.mobilePhonesRaw, row.mobileRaw)
        set(&builder.homePhones, row.home)
        set(&builder.homePhonesRaw, row.homeRaw)
        set(&builder.preferredLanguages, row.language)
        set(&builder.interpreterNeeded, row.interpreter)
        set(&builder.imdDeciles, row.imd)
        set(&builder.lsoas, row.lsoa)
        setDay(&builder.datesOfDeath, row.death)
        setDay(&builder.registeredOn, row.registered)
        setDay(&builder.deregisteredOn, row.deregistered)
    }

    /// Events in a patients row: the canonical code/date/value columns and code/date pairs.
    /// Returns how many were kept.
    private mutating func embedEvents(
        _ reader: CSVReader, layout: FileLayout, patient: Int, line: Int, latest: Day, continuation: Bool,
        code: Int?, date: Int?, value: Int?, rowRejects: inout Int
    ) -> Int {
        var kept = 0
        var pairs = layout.eventPairs.map { (code: Optional($0.code), date: Optional($0.date), value: Int?.none) }
        if let code { pairs.insert((code, date, value), at: 0) }
        var lostAll = true
        for pair in pairs {
            guard let codeIndex = pair.code, !isMissing(reader, codeIndex) else { continue }
            let codeText = trimmedText(reader, codeIndex)
            let dateName = pair.date.map { layout.columns[$0].name } ?? "date"
            guard let dateIndex = pair.date else {
                rejects.append(
                    Reject(
                        file: layout.file, line: line, column: dateName, value: "", problem: .missing,
                        action: continuation ? .rowRejected : .valueIgnored, detail: "event \(codeText)"))
                continue
            }
            let day: Day
            switch reader.withField(dateIndex, { DateValue.parse($0, latest: latest) }) {
            case .success(let parsed): day = parsed
            case .failure(let problem):
                rejects.append(
                    Reject(
                        file: layout.file, line: line, column: dateName, value: reader.string(dateIndex).trimmed,
                        problem: problem, action: continuation ? .rowRejected : .valueIgnored,
                        detail: "event \(codeText)"))
                continue
            }
            var number: Double?
            if let valueIndex = pair.value {
                switch reader.withField(valueIndex, NumberValue.parse) {
                case .success(let parsed): number = parsed
                case .failure(.missing): break
                case .failure(let problem):
                    rejects.append(
                        Reject(
                            file: layout.file, line: line, column: "value", value: reader.string(valueIndex).trimmed,
                            problem: problem, action: .valueIgnored))
                }
            }
            builder.embeddedEvents.append(EmbeddedEvent(patient: Int32(patient), code: codeText, day: day, value: number))
            kept += 1
            lostAll = false
        }
        if continuation && lostAll { rowRejects += 1 }
        return kept
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
