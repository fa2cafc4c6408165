import Basics
import Cohorts
import Journal
import Planning
import Population
import RuleLanguage
import Vocabulary

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Ingests extracts and returned call lists, told apart by their header, exactly as the daemon
/// does with its inbox: validate, record durably (fsync), then move the input to `archive/`
/// (or `failed/` with a `.error.txt` beside it). An input is either fully recorded or still where
/// it was, never half of each. (In the daemon a recorded batch's inbox entries are moved out of
/// the inbox at once and removed while it publishes: see `HomeSession.removeInputs`.)
public enum Ingestor {
    /// Ingests files: returned lists one by one, extracts together (one re-evaluation of the
    /// cohorts and one journal batch for all of them, so a practice's patients and events files
    /// dropped together take effect together). When one of them changes while it is read (it is
    /// still being written), none is taken: each is a `.deferred` result, left where it is.
    /// - Parameters:
    ///   - moveInputs: move each file into `archive/` or `failed/` (the daemon's inbox); otherwise
    ///     copy it there and leave the original (files given to `outreach ingest` from elsewhere).
    ///   - confirmSmallerPopulation: take patients files that would shrink a practice to under half
    ///     its population, or that reject more than 5% of their rows; without it they are refused
    ///     (a damaged file must never silently empty a practice's cohorts).
    /// - Throws: only for failures of the machine (I/O, the journal); bad input is a `.failed`
    ///   result, and input still being written `.deferred`.
    public static func ingest(
        _ session: HomeSession, paths: [String], at: LocalDateTime, moveInputs: Bool,
        confirmSmallerPopulation: Bool = false
    ) throws -> [IngestResult] {
        var results: [IngestResult] = []
        var extracts: [PendingExtract] = []
        let options = readOptions(session.ruleSet, on: at.day)
        let (inputs, checks) = try copiedAndChecked(
            paths, session: session, at: at, confirmed: confirmSmallerPopulation)
        if let deferred = deferredWhileChanging(paths, inputs, moveInputs: moveInputs) {
            // The copies made of the others are no one's now: patient data is not left in `state/`.
            for case .success(let copy) in inputs { try? FileIO.remove(copy.path) }
            return deferred
        }
        for (index, (path, input)) in zip(paths, inputs).enumerated() {
            let fileName = FileIO.fileName(of: path)
            let staged: StagedInput
            switch input {
            case .success(let copy):
                staged = copy
            case .failure(let error):
                // One file that cannot be read (say, dropped without read permission) fails alone,
                // not the files beside it.
                let reason = "the file cannot be read: \(error.message)"
                if moveInputs { try refuse(path, bytes: nil, reason: reason, home: session.home, at: at, move: true) }
                results.append(IngestResult(fileName: fileName, kind: nil, outcome: .failed(reason), rejectsFile: nil))
                continue
            }
            let kind = detectKind(
                try FileIO.readPrefix(staged.path, count: 1 << 16), name: fileName, path: path, home: session.home)
            if session.journal.history.hasIngested(staged.hash) || extracts.contains(where: { $0.hash == staged.hash })
            {
                // A check made at start-up, before the journal could say so, is let go at once.
                _ = checks.take(index)
                try file(staged, into: session.home.archive, at: at, move: moveInputs)
                results.append(
                    IngestResult(fileName: fileName, kind: kind, outcome: .alreadyIngested, rejectsFile: nil))
                continue
            }
            do {
                switch kind {
                case .returnedList:
                    results.append(try ingestReturnedList(session, staged, at: at, move: moveInputs))
                case .extract:
                    extracts.append(
                        try checks.take(index)?.get()
                            ?? validateExtract(staged, options: options, confirmed: confirmSmallerPopulation))
                }
            } catch let error as any UserFacingError where !(error is FileIOError) && !(error is JournalError) {
                results.append(try fail(session, staged, kind: kind, error: error, at: at, move: moveInputs))
            }
        }
        if !extracts.isEmpty {
            results += try record(
                extracts, session: session, at: at, move: moveInputs, confirmed: confirmSmallerPopulation)
        }
        return results
    }

    /// Every input deferred when one of them was written while it was read (still being written):
    /// none of the files is taken now, so that files dropped together (a practice's patients and
    /// events) are not split by it; each is taken again once it is complete, as a file still
    /// arriving is (files that become complete at different times are taken at different times,
    /// as always). `nil` when none changed.
    static func deferredWhileChanging(
        _ paths: [String], _ inputs: [Result<StagedInput, FileIOError>], moveInputs: Bool
    ) -> [IngestResult]? {
        guard
            let changed = zip(paths, inputs).first(where: { _, input in
                if case .failure(let error) = input { StagedInput.changedWhileRead(error) } else { false }
            })?.0
        else { return nil }
        let reason =
            "\(FileIO.fileName(of: changed)) changed while it was read (still being written?), so nothing of "
            + (paths.count == 1 ? "it" : "the \(paths.count) files given together") + " was recorded: "
            + (moveInputs
                ? (paths.count == 1 ? "it is" : "each is") + " read again once it has stayed the same for two polls"
                : "ingest again once it is complete")
        return paths.map {
            IngestResult(fileName: FileIO.fileName(of: $0), kind: nil, outcome: .deferred(reason), rejectsFile: nil)
        }
    }

    /// Each input's copy, and the check of each new extract among them, made as soon as its copy
    /// is, on the thread that copied it, while the other inputs are still being copied (a
    /// morning's small patients files are parsed beside its large events files' copies); each
    /// check reads on its thread alone. The daemon's first ingest takes the copies it began at
    /// start-up, and their checks, if they are of these very inputs, unchanged, checked alike
    /// (those were made before the journal was open, so of every extract, new or not); otherwise
    /// they are made afresh.
    private static func copiedAndChecked(
        _ paths: [String], session: HomeSession, at: LocalDateTime, confirmed: Bool
    ) throws -> (inputs: [Result<StagedInput, FileIOError>], checks: ChunkResults<Result<PendingExtract, any Error>>) {
        let check = ExtractCheck(ruleSet: session.ruleSet, home: session.home, day: at.day, confirmed: confirmed)
        if let (copies, checks) = session.inputsCopiedAhead?.take(paths, checking: check) {
            return (copies.map { .success($0) }, checks)
        }
        let history = session.journal.history
        let checks = ChunkResults<Result<PendingExtract, any Error>>(count: paths.count)
        let inputs = try StagedInput.stage(
            paths, in: session.home.incoming,
            then: { index, staged in
                guard !history.hasIngested(staged.hash), let result = check.run(staged) else { return }
                checks.set(index, result)
            })
        return (inputs, checks)
    }

    /// Files an unusable input's copy in `failed/` with the reason beside it (and, when `move`,
    /// removes the inbox entry).
    private static func fail(
        _ session: HomeSession, _ staged: StagedInput, kind: IngestResult.Kind?, error: any UserFacingError,
        at: LocalDateTime, move: Bool
    ) throws -> IngestResult {
        let failed = try file(staged, into: session.home.failed, at: at, move: move)
        try FileIO.writeAtomically(
            text: "\(staged.fileName) could not be ingested (\(at)):\n\(error.message)\n", to: failed + ".error.txt")
        return IngestResult(fileName: staged.fileName, kind: kind, outcome: .failed(error.message), rejectsFile: nil)
    }

    /// Moves (or copies) an input that cannot be used into `failed/`, with `NAME.error.txt` beside
    /// it saying why, so one bad file never blocks the inbox.
    /// - Parameter bytes: the input's content; `nil` when it cannot be read (no permission, not a
    ///   regular file): the entry itself is then renamed into `failed/`, never opened.
    /// - Returns: where the input now is.
    @discardableResult
    public static func refuse(
        _ path: String, bytes: [UInt8]?, reason: String, home: Home, at: LocalDateTime, move: Bool
    )
        throws -> String
    {
        let archived = try file(
            path, bytes: bytes, hash: ContentHash(of: bytes ?? Array(FileIO.fileName(of: path).utf8)),
            into: home.failed,
            at: at, move: move)
        try FileIO.writeAtomically(
            text: "\(FileIO.fileName(of: path)) could not be ingested (\(at)):\n\(reason)\n",
            to: archived + ".error.txt")
        return archived
    }

    /// Moves an inbox entry that can never be an input (a symbolic link, a pipe, a name that is not
    /// UTF-8) into `failed/` unopened, under a name made from its printable `name`, with
    /// `.error.txt` beside it saying why, so it neither blocks the inbox nor lies there unseen.
    /// - Parameters:
    ///   - rawName: the entry's name as it is on disk (it may not be UTF-8).
    ///   - name: the name as it may be shown (no `/`).
    /// - Returns: where the entry now is.
    @discardableResult
    public static func setAside(
        folder: String, rawName: [UInt8], name: String, reason: String, home: Home, at: LocalDateTime
    ) throws -> String {
        try FileIO.createDirectory(home.failed)
        let destination = archivedPath(name, hash: ContentHash(of: rawName), in: home.failed, at: at)
        let source = Array(folder.utf8) + [UInt8(ascii: "/")] + rawName + [0]
        try FileIO.call("rename", path: FileIO.join(folder, name)) {
            source.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { rename($0.baseAddress!, destination) }
            }
        }
        try FileIO.syncDirectory(home.failed)
        try FileIO.syncDirectory(folder)
        try FileIO.writeAtomically(
            text: "\(name) could not be ingested (\(at)):\n\(reason)\n", to: destination + ".error.txt")
        return destination
    }

    /// Everything in `inbox/outcomes/` is a returned list, and so is any file with a column only a
    /// call list has in its first rows (`item_id`, `outcome`, …); anything else is read as an extract
    /// (whose header may come after a preamble). A damaged list is then refused as a list: read as
    /// an extract it would replace its practices' populations with nobody.
    static func detectKind(_ bytes: [UInt8], name: String, path: String, home: Home) -> IngestResult.Kind {
        if FileIO.parentDirectory(of: path) == home.outcomesInbox { return .returnedList }
        return ReturnedListReader.looksLikeReturnedList(bytes, name: name) ? .returnedList : .extract
    }

    private static func ingestReturnedList(
        _ session: HomeSession, _ staged: StagedInput, at: LocalDateTime, move: Bool
    ) throws -> IngestResult {
        let path = staged.source
        let hash = staged.hash
        let fileName = staged.fileName
        let list = try ReturnedListReader.read(
            bytes: try FileIO.readAll(staged.path), fileName: fileName, history: session.journal.history, at: at)
        // On disk before anything is written of it (a failed sync leaves nothing behind).
        try staged.makeDurable()
        // Rejects first, as for extracts: once the file is recorded it is never read again.
        let rejectsFile = try writeRejects(
            list.rejects.isEmpty ? nil : list.rejectsCSV,
            archived: archivedPath(path, hash: hash, in: session.home.archive, at: at))
        let openBefore = session.journal.history.openEscalations.count
        do {
            try session.record(list.records)
        } catch {
            if let rejectsFile { try? FileIO.remove(rejectsFile) }
            throw error
        }
        try file(staged, into: session.home.archive, at: at, move: move)
        let raised = list.records.filter {
            if case .outcomeRecorded(let outcome) = $0 { outcome.outcome == .urgentConcern } else { false }
        }.count
        let handled = list.records.filter { if case .escalationHandled = $0 { true } else { false } }.count
        // A later outcome for the person closes an escalation too: the newest file is always the
        // whole list of open ones, so it is rewritten whenever that list changed.
        let closed = session.journal.history.openEscalations.count < openBefore + raised
        // The list is recorded and filed: a file that cannot be written now is no reason to say
        // otherwise (the daemon writes it from the journal once it can: `Escalations.rewriteIfStale`).
        var escalationFileFailure: String?
        if raised > 0 || handled > 0 || closed {
            do {
                try Escalations.write(
                    session, on: at.day, evenIfNoneOpen: closed,
                    keeping: Escalations.entries(listedIn: Escalations.file(in: session.home, on: at.day)) ?? [:])
            } catch let error as FileIOError {
                escalationFileFailure = error.message
            } catch {
                // An extract's error may quote the file: only what failed is said.
                escalationFileFailure = "the current patients files could not be read for the people's details"
            }
        }
        var text =
            handled > 0
            ? "\(Formatting.count(handled, "escalation")) marked handled"
            : "\(Formatting.count(list.accepted, "outcome")) recorded"
        if raised > 0 {
            text +=
                ", \(Formatting.count(raised, "urgent concern")) for the duty clinician in outbox/escalations/\(at.day).csv"
        }
        if list.unchanged > 0 { text += ", \(Formatting.grouped(list.unchanged)) unchanged" }
        if list.empty > 0 { text += ", \(Formatting.grouped(list.empty)) left empty (not attempted)" }
        if !list.rejects.isEmpty { text += ", \(Formatting.count(list.rejects.count, "row")) rejected" }
        if let escalationFileFailure {
            text +=
                "; the escalation file could not be written (\(escalationFileFailure)): the daemon writes it from "
                + "the journal once it can"
        }
        var result = IngestResult(
            fileName: fileName, kind: .returnedList, outcome: .ingested(text), rejectsFile: rejectsFile)
        result.escalationsRaised = raised
        result.escalationFileFailure = escalationFileFailure
        return result
    }

    /// An extract file read and checked, waiting to be recorded with the others of its batch.
    struct PendingExtract: Sendable {
        /// The input's copy in `state/incoming/`, until it is stored or filed away.
        let staged: StagedInput
        var path: String { staged.source }
        var hash: ContentHash { staged.hash }
        let kind: ExtractStore.Kind
        /// The practices it is for: from the file, or (an events file named without an ODS code)
        /// empty until the batch decides.
        var practices: [String]
        let patients: Int
        /// Patients for each of `practices` (patients files only).
        let practicePatients: [Int]
        /// The run date in the file's preamble, if it has one.
        let runDate: Day?
        /// Data rows: a patients file's when read; an events file's once the cohorts are evaluated.
        var rows: Int
        var rejects: RejectLog
        /// A patients file's rows as its check parsed them, for the cohorts' read to place without
        /// parsing the file again (the batch's are held until its ingest ends).
        var parsed: ParsedPatients? = nil
    }

    /// The share of a patients file's rows that may be rejected before the file is refused as
    /// probably the wrong file or a damaged one (a lost `date_of_birth` column rejects every row).
    static let maxPatientRejectRate = 0.05

    /// A practice's population may not fall below this share of its previous extract's without
    /// `--confirm-smaller-population`.
    static let minPopulationShare = 0.5

    /// Reads an extract file on its own to check it can be used and to find its practices, keeping
    /// a patients file's parsed rows for the cohorts' read
    /// (``evaluate(_:previous:session:at:move:confirmed:results:)``).
    /// - Throws: `OutreachError` (65) for a patients file with no usable patient, or (unless
    ///   `confirmed`) one that rejects more than ``maxPatientRejectRate`` of its rows.
    static func validateExtract(_ staged: StagedInput, options: ReadOptions, confirmed: Bool) throws
        -> PendingExtract
    {
        let fileName = staged.fileName
        var options = options
        options.keepsParsedPatients = true
        let extract = try ExtractReader.read([.file(staged.path, named: fileName)], options: options)
        let rejects = extract.rejects
        guard let events = extract.eventFiles.first else {
            let population = extract.population
            let rows = extract.files.first?.rows ?? 0
            let rejected = rejects.rowsRejected
            guard population.count > 0 else {
                throw OutreachError(
                    "\(fileName): no usable patient in this patients file (\(Formatting.count(rejected, "row")) of "
                        + "\(Formatting.grouped(rows)) rejected): a file that empties a practice is refused, and the "
                        + "practice's previous extract stays in force. Is a column missing (the rejects say which)?",
                    exitCode: .dataError)
            }
            if !confirmed, rows > 0, Double(rejected) / Double(rows) > maxPatientRejectRate {
                throw tooManyRejects(
                    fileName, rejected: rejected, of: rows,
                    losing: "the people in those rows would silently leave their cohorts")
            }
            var perPractice = [Int](repeating: 0, count: population.practices.count)
            for index in population.practiceIndex { perPractice[Int(index)] += 1 }
            return PendingExtract(
                staged: staged, kind: .patients, practices: population.practices,
                patients: population.count, practicePatients: perPractice, runDate: population.extractDate, rows: rows,
                rejects: rejects, parsed: extract.parsedPatients.first)
        }
        // An events file's rows are checked by the read that evaluates the cohorts (`evaluate`),
        // not by a read of their own: the largest files of a morning are read once.
        // An events file whose name gives no practice is for every practice with patients (see `record`).
        return PendingExtract(
            staged: staged, kind: .events,
            practices: events.practiceFromFileName.map { [$0] } ?? [], patients: 0, practicePatients: [],
            runDate: extract.population.extractDate, rows: 0, rejects: rejects)
    }

    /// Scans a stored events file's rows on their own, as ``evaluate(_:previous:session:at:move:confirmed:results:)``
    /// does within the cohorts' read: to find which file of a batch cannot be read, and why, and
    /// to check a file that a later one of its batch replaces (so it is not read with the cohorts).
    private static func scanAlone(_ extract: PendingExtract, session: HomeSession, at: LocalDateTime) throws
        -> EventCounts
    {
        let stored = ExtractStore(home: session.home).path(for: extract.staged, kind: extract.kind)
        let read = try ExtractReader.read(
            [.file(stored, named: FileIO.fileName(of: extract.path))],
            options: readOptions(session.ruleSet, on: at.day))
        var ignore = IgnoringSink()
        return try EventScanner(extract: read, codes: CodeTable([])).scan(into: &ignore).total
    }

    /// How an input is read to check it: the rules' own profiles, and no reject limit (the checks
    /// here apply it, so that `--confirm-smaller-population` can let a checked file through).
    static func readOptions(_ ruleSet: RuleSet, on day: Day) -> ReadOptions {
        ReadOptions(
            customProfiles: ruleSet.extractProfiles.map(CohortEngine.customProfile), maxRejectRate: 1, today: day)
    }

    /// Evaluates the cohorts over `previous` with the (stored) `batch` made current, once: that
    /// read is also each events file's check, its rows and rejects the same as a read of the file
    /// alone (a row's rejection depends on the row only). An events file with too many rejected
    /// rows (unless `confirmed`), or whose rows cannot be read, is refused, and the cohorts are
    /// evaluated again without it.
    /// - Returns: the run, the current files it read, and the files of `batch` left, with each
    ///   events file's rows and rejects; `nil` when every file was refused.
    private static func evaluate(
        _ batch: [PendingExtract], previous: [ExtractStore.StoredFile], session: HomeSession, at: LocalDateTime,
        move: Bool, confirmed: Bool, results: inout [IngestResult]
    ) throws -> (run: CohortRun, current: [ExtractStore.StoredFile], batch: [PendingExtract])? {
        let store = ExtractStore(home: session.home)
        // A recorded copy gone missing is the home's fault, not the new files': nothing is taken
        // (and nothing refused) until it is back.
        if let missing = previous.first(where: { !FileIO.isFile($0.path) }) {
            throw FileIOError(call: "open", path: missing.path, errno: ENOENT)
        }
        var batch = batch
        func refuse(_ index: Int, _ error: any UserFacingError) throws {
            let extract = batch.remove(at: index)
            // Its stored copy goes back to being the input's copy, filed in failed/ (the store
            // keeps only what the journal records).
            let stored = store.path(for: extract.staged, kind: extract.kind)
            try FileIO.move(stored, to: extract.staged.path)
            try FileIO.setPermissions(extract.staged.path, 0o600)
            try? FileIO.removeTree(FileIO.parentDirectory(of: stored))
            results.append(try fail(session, extract.staged, kind: .extract, error: error, at: at, move: move))
        }
        while !batch.isEmpty {
            let files = batch.map { extract in
                ExtractStore.StoredFile(
                    kind: extract.kind, practices: Set(extract.practices),
                    path: store.path(for: extract.staged, kind: extract.kind),
                    extractDate: extract.runDate ?? at.day)
            }
            let current = files.reduce(previous) { ExtractStore.adding($1, to: $0) }
            // The new patients files' rows as their checks parsed them: each file is parsed once.
            let parsed = Dictionary(
                zip(files, batch).compactMap { file, extract in extract.parsed.map { (file.path, $0) } },
                uniquingKeysWith: { first, _ in first })
            let run: CohortRun
            do {
                run = try CohortEngine.run(
                    session.ruleSet, inputs: current.map { $0.input.reusing(parsed[$0.path]) }, asOf: at.day,
                    maxRejectRate: 1)
            } catch let error as any UserFacingError where !(error is FileIOError) {
                var found = false
                for index in batch.indices.reversed() where batch[index].kind == .events {
                    do {
                        _ = try scanAlone(batch[index], session: session, at: at)
                    } catch let problem as any UserFacingError where !(problem is FileIOError) {
                        try refuse(index, problem)
                        found = true
                    }
                }
                if found { continue }
                throw error
            }
            var checked = batch
            for index in checked.indices { checked[index].parsed = nil }
            var refused: [(Int, any UserFacingError)] = []
            for (index, file) in zip(batch.indices, files) where batch[index].kind == .events {
                let counts: EventCounts
                if let scanned = run.scan.files.first(where: { $0.file == file.path })?.counts {
                    counts = scanned
                } else {
                    // A later file of this batch replaces it, so it was not read with the cohorts.
                    do {
                        counts = try scanAlone(batch[index], session: session, at: at)
                    } catch let problem as any UserFacingError where !(problem is FileIOError) {
                        refused.append((index, problem))
                        continue
                    }
                }
                let fileName = FileIO.fileName(of: batch[index].path)
                for var reject in counts.rejects.entries {
                    reject.file = fileName
                    checked[index].rejects.append(reject)
                }
                checked[index].rows = counts.rows
                if !confirmed, counts.rows > 0, Double(counts.rowsRejected) / Double(counts.rows) > maxPatientRejectRate
                {
                    refused.append(
                        (
                            index,
                            tooManyRejects(
                                fileName, rejected: counts.rowsRejected, of: counts.rows,
                                losing:
                                    "the events in those rows would be lost, so people could silently leave or miss cohorts"
                            )
                        ))
                }
            }
            if refused.isEmpty { return (run, current, checked) }
            for (index, error) in refused.sorted(by: { $0.0 > $1.0 }) { try refuse(index, error) }
        }
        return nil
    }

    /// The refusal of a file that rejects more than ``maxPatientRejectRate`` of its rows.
    private static func tooManyRejects(_ fileName: String, rejected: Int, of rows: Int, losing: String)
        -> OutreachError
    {
        OutreachError(
            "\(fileName): \(Formatting.grouped(rejected)) of \(Formatting.grouped(rows)) rows rejected "
                + "(\(Formatting.percent(rejected, rows))), more than \(Formatting.number(maxPatientRejectRate * 100))%: "
                + "\(losing). The practice's previous extract stays in force; if the file "
                + "is right, ingest it with 'outreach ingest --confirm-smaller-population'", exitCode: .dataError)
    }

    /// Stores a batch of checked extracts, re-evaluates the cohorts on the population they make
    /// current, records it all in one journal batch, then files the inputs away.
    ///
    /// An events file whose name has no ODS code belongs to the practices of the batch's patients
    /// files or, with none in the batch, to the home's one practice. With none, or several, it is
    /// refused: nothing could say which practice's events it replaces, and taking it for every
    /// practice would empty the others' events, so their patients would silently leave cohorts.
    ///
    /// A patients file that would leave one of its practices with under half the patients of that
    /// practice's previous extract is refused unless `confirmed`.
    private static func record(
        _ extracts: [PendingExtract], session: HomeSession, at: LocalDateTime, move: Bool, confirmed: Bool
    ) throws -> [IngestResult] {
        let store = ExtractStore(home: session.home)
        let history = session.journal.history
        let previous = store.currentFiles(history: history)
        let batchPatients = extracts.filter { $0.kind == .patients }.flatMap(\.practices)
        let withPatients = Set(
            batchPatients.isEmpty ? previous.filter { $0.kind == .patients }.flatMap(\.practices) : batchPatients
        ).sorted()
        var results: [IngestResult] = []
        var accepted: [PendingExtract] = []
        for var extract in extracts {
            if extract.kind == .events, extract.practices.isEmpty {
                if batchPatients.isEmpty, withPatients.count > 1 {
                    results.append(
                        try fail(
                            session, extract.staged, kind: .extract,
                            error: OutreachError(
                                "an events file whose name has no practice ODS code would replace the events of all "
                                    + "\(withPatients.count) practices (\(withPatients.joined(separator: ", "))): put its "
                                    + "practice's ODS code in its name (E82001-events.csv), or drop it with that "
                                    + "practice's patients file",
                                exitCode: .dataError),
                            at: at, move: move))
                    continue
                }
                guard !withPatients.isEmpty else {
                    results.append(
                        try fail(
                            session, extract.staged, kind: .extract,
                            error: OutreachError(
                                "an events file whose name has no practice ODS code, and no patients file to say whose "
                                    + "events they are: ingest it with its practice's patients file, or put the ODS code in its name",
                                exitCode: .dataError),
                            at: at, move: move))
                    continue
                }
                extract.practices = withPatients
            }
            if !confirmed, let shrink = shrinkage(of: extract, history: history) {
                results.append(
                    try fail(
                        session, extract.staged, kind: .extract,
                        error: OutreachError(shrink, exitCode: .dataError), at: at, move: move))
                continue
            }
            accepted.append(extract)
        }
        guard !accepted.isEmpty else { return results }

        // Stored first: the cohorts are evaluated from the stored copies, and that read checks the
        // events files' rows.
        try store.store(accepted.map { ($0.staged, $0.kind) })
        guard
            let (run, current, checked) = try evaluate(
                accepted, previous: previous, session: session, at: at, move: move, confirmed: confirmed,
                results: &results)
        else { return results }
        accepted = checked
        // The joins and leaves the run makes, worked out against the journal as it is now (so
        // that once recorded its memberships are the run's), on another core while the rejects
        // are written and the copies' syncs waited for.
        let day = at.day
        let memberships = BackgroundWork { [history] in MembershipSync.records(for: run, history: history, on: day) }
        var records: [JournalRecord] = []
        var rejectsFiles: [String?] = []
        var rejectsReports: [(path: String, bytes: [UInt8])] = []
        // Rejects reports of a batch that is then not recorded would describe nothing in archive/.
        var recorded = false
        defer { if !recorded { for path in rejectsFiles.compactMap({ $0 }) { try? FileIO.remove(path) } } }
        for extract in accepted {
            records.append(
                .extractIngested(
                    ExtractIngested(
                        fileName: FileIO.fileName(of: extract.path), contentHash: extract.hash,
                        practices: extract.practices, patientCount: extract.patients,
                        rejectedRowCount: extract.rejects.rowsRejected, at: at, runDate: extract.runDate,
                        practicePatientCounts: extract.practicePatients, fileKind: extract.kind)))
            guard !extract.rejects.entries.isEmpty else {
                rejectsFiles.append(nil)
                continue
            }
            let path = rejectsPath(
                archived: archivedPath(extract.path, hash: extract.hash, in: session.home.archive, at: at))
            rejectsFiles.append(path)
            rejectsReports.append((path, Array(extract.rejects.csv().utf8)))
        }
        // Rejects first: once the file is recorded it is never read again, so its rejects must
        // already be kept. Written together, their folder synced once.
        if !rejectsReports.isEmpty {
            try FileIO.createDirectory(session.home.archive)
            try FileIO.writeAtomically(rejectsReports)
        }
        // Each stored copy is on disk before the journal says it is current.
        for extract in accepted { try extract.staged.makeDurable() }
        let upToDate = history.recordCount == session.journal.history.recordCount
        try session.record(session.ruleAdoption(on: at.day) + records + memberships.wait())
        recorded = true
        session.keep(run, on: at.day, over: current, membershipsRecorded: upToDate)
        let members = run.results.reduce(0) { $0 + $1.members.count }
        try archive(accepted, store: store, session: session, at: at, move: move)
        for (index, (extract, rejectsFile)) in zip(accepted, rejectsFiles).enumerated() {
            let practices = extract.practices.isEmpty ? "no practice yet" : extract.practices.joined(separator: ", ")
            var text =
                extract.kind == .patients
                ? "\(Formatting.count(extract.patients, "patient")) of \(practices)"
                : "\(Formatting.count(extract.rows, "event row")) for \(practices)"
            if extract.rejects.rowsRejected > 0 {
                text += ", \(Formatting.count(extract.rejects.rowsRejected, "row")) rejected"
            }
            // The cohorts are evaluated once for the whole batch: say so once, on its last file.
            if index == accepted.count - 1 {
                text += "; \(Formatting.count(members, "cohort membership")) now"
                if accepted.count > 1 { text += ", with the \(accepted.count) files of this batch" }
            }
            results.append(
                IngestResult(
                    fileName: FileIO.fileName(of: extract.path), kind: .extract, outcome: .ingested(text),
                    rejectsFile: rejectsFile))
        }
        return results
    }

    /// Why a patients file would shrink one of its practices to under ``minPopulationShare`` of the
    /// patients its previous extract gave, or `nil` when it would not.
    static func shrinkage(of extract: PendingExtract, history: JournalHistory) -> String? {
        guard extract.kind == .patients else { return nil }
        for (practice, count) in zip(extract.practices, extract.practicePatients) {
            guard
                let previous = history.extracts.last(where: { ($0.patients(of: practice) ?? 0) > 0 })?.patients(
                    of: practice),
                Double(count) < Double(previous) * minPopulationShare
            else { continue }
            return
                "\(FileIO.fileName(of: extract.path)): \(Formatting.count(count, "patient")) of \(practice), down from "
                + "\(Formatting.grouped(previous)) in its previous extract: a file that drops more than half a practice "
                + "would take those people out of their cohorts. Is it the whole list, in the usual report? The previous "
                + "extract stays in force; if this one is right, ingest it with 'outreach ingest "
                + "--confirm-smaller-population'"
        }
        return nil
    }

    /// Moves (or copies) an input into `folder` as `YYYYMMDD-HHMM-HASH-NAME`, synced.
    ///
    /// An input whose bytes were read is copied (0600, synced) and then, when `move`, its inbox
    /// entry removed: never renamed, since the entry may be one of several links to a file outside
    /// the home, whose mode and owner must not change, and the kept copy must be the service's own.
    /// With `bytes` `nil` (unreadable, or not a regular file) the entry itself is renamed, unopened.
    @discardableResult
    static func file(
        _ path: String, bytes: [UInt8]?, hash: ContentHash, into folder: String, at: LocalDateTime, move: Bool
    )
        throws -> String
    {
        try FileIO.createDirectory(folder)
        let destination = archivedPath(path, hash: hash, in: folder, at: at)
        if move, bytes == nil {
            try FileIO.move(path, to: destination)
            try FileIO.syncDirectory(folder)
            try FileIO.syncDirectory(FileIO.parentDirectory(of: path))
        } else {
            try FileIO.writeAtomically(bytes ?? [], to: destination)
            if move {
                try FileIO.remove(path)
                try FileIO.syncDirectory(FileIO.parentDirectory(of: path))
            }
        }
        return destination
    }

    /// Files an input's copy into `folder` as `YYYYMMDD-HHMM-HASH-NAME` (a rename: the copy is
    /// the service's own, 0600, and synced first), then, when `move`, removes the inbox entry.
    @discardableResult
    static func file(_ staged: StagedInput, into folder: String, at: LocalDateTime, move: Bool) throws -> String {
        try staged.makeDurable()
        try FileIO.createDirectory(folder)
        let destination = archivedPath(staged.source, hash: staged.hash, in: folder, at: at)
        try FileIO.move(staged.path, to: destination)
        try FileIO.syncDirectory(folder)
        // An entry written or replaced since it was copied stays, to be read when next seen.
        if move, staged.sourceIsUnchanged {
            try FileIO.remove(staged.source)
            try FileIO.syncDirectory(FileIO.parentDirectory(of: staged.source))
        }
        return destination
    }

    /// Files recorded extracts into `archive/`, each as a second name of its read-only copy in the
    /// store (one copy of the bytes on disk, not two), or as a copy where the file system cannot
    /// link; then, when `move`, removes their inbox entries (``HomeSession/removeInputs(_:)``).
    /// Together: the archive's names are made durable once, then the entries removed and their
    /// folders synced once, not a sync of each folder for each file.
    private static func archive(
        _ extracts: [PendingExtract], store: ExtractStore, session: HomeSession, at: LocalDateTime, move: Bool
    ) throws {
        let home = session.home
        try FileIO.createDirectory(home.archive)
        for extract in extracts {
            try link(
                store.path(for: extract.staged, kind: extract.kind),
                to: archivedPath(extract.path, hash: extract.hash, in: home.archive, at: at))
        }
        try FileIO.syncDirectory(home.archive)
        if move { try session.removeInputs(extracts.map { ($0.path, $0.staged.sourceIdentity) }) }
    }

    /// Gives a stored copy its archived name, a hard link (its folder not synced), or a copy
    /// where the file system cannot link (or not across these folders).
    private static func link(_ stored: String, to archived: String) throws {
        do {
            try FileIO.hardLink(stored, to: archived, syncing: false)
        } catch  where [EXDEV, EPERM, EMLINK, EOPNOTSUPP].contains(error.errno) {
            try FileIO.copyFile(from: stored, to: archived, mode: 0o400)
        }
    }

    /// The longest name ``archivedPath(_:hash:in:at:)`` gives: room is left for the names kept
    /// beside it (`.error.txt`, `.rejects.csv`) within ``FileIO/nameMax``.
    static let maxArchivedName = FileIO.nameMax - 15

    /// Where ``file(_:bytes:hash:into:at:move:)`` puts an input: `folder/YYYYMMDD-HHMM-HASH-NAME`,
    /// NAME shortened (keeping its extension) when the whole would be too long to be a file name:
    /// a long name must never stop an input being filed away.
    static func archivedPath(_ path: String, hash: ContentHash, in folder: String, at: LocalDateTime) -> String {
        let stamp = at.description.replacingAll("-", with: "").replacingAll(":", with: "").replacingAll("T", with: "-")
        return FileIO.join(folder, "\(stamp)-\(hash.shortHex)" + archivedSuffix(FileIO.fileName(of: path)))
    }

    /// How an archived or failed name ends for an input named `name`: `-NAME`, NAME shortened to
    /// fit beside the `YYYYMMDD-HHMM-HASH` prefix (27 bytes).
    public static func archivedSuffix(_ name: String) -> String {
        "-" + FileIO.shortened(name, toBytes: maxArchivedName - 27)
    }

    /// Writes the rejects beside the archived input (never into the folder the input came from,
    /// which may be an inbox the next cycle would read).
    private static func writeRejects(_ csv: String?, archived: String) throws -> String? {
        guard let csv else { return nil }
        try FileIO.createDirectory(FileIO.parentDirectory(of: archived))
        let beside = rejectsPath(archived: archived)
        try FileIO.writeAtomically(text: csv, to: beside)
        return beside
    }

    /// Where the rejects of the input archived at `archived` are kept: beside it, as
    /// `NAME.rejects.csv`.
    private static func rejectsPath(archived: String) -> String {
        (archived.hasSuffix(".csv") ? String(archived.dropLast(4)) : archived) + ".rejects.csv"
    }
}

/// An event sink that keeps nothing: for validating an events file's rows.
struct IgnoringSink: EventSink {
    mutating func receive(patient: Int32, code: Int32, day: Day, value: Double?) {}
}
