import Basics
import Cohorts
import Journal
import Planning
import Population
import RuleLanguage
import Synchronization
import Vocabulary

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open home for one piece of work: the lock held, the rules checked and adopted, the journal
/// open. Commands (`ingest`, `schedule`, `simulate`) and each daemon cycle open one.
public final class HomeSession {
    public let home: Home
    public let journal: Journal
    public let ruleSet: RuleSet
    /// The team's calendar and workers under these rules.
    public let roster: Roster
    private let lock: HomeLock
    /// The last cohorts evaluated, with the day and the stored files they were evaluated over:
    /// a cycle's ingest, publish and report share one evaluation (the stored files never change,
    /// so the same files, rules and day give the same run). `membershipsRecordedAt` is the
    /// journal's record count just after the ingest that evaluated the run recorded its cohort
    /// joins and leaves, or `nil`: while the count is the same, the journal's memberships are the
    /// run's (only joins and leaves change them).
    private var lastRun: (day: Day, files: [ExtractStore.StoredFile], run: CohortRun, membershipsRecordedAt: Int?)?
    /// Whether the inbox entries of recorded extracts are moved out of the inbox and removed on
    /// another thread (``removeInputs(_:)``): the daemon's morning publishes meanwhile.
    public var removesInputsInBackground = false
    /// Inputs the daemon began copying before this session opened, for its first ingest to take.
    public var inputsCopiedAhead: InputsCopiedAhead?
    /// The removal under way on another thread, if any.
    private var removal: BackgroundWork<FileIOError?>?
    /// The first failure of a removal on another thread not yet reported by ``finishRemovingInputs()``.
    private var removalFailure: FileIOError?
    /// How many entries this process has moved into `state/removing/`, for their names there:
    /// unique whichever session of the process moved them.
    private static let entriesMoved = Mutex(0)

    /// Opens `home`: exit 66 when it is not a home, 75 when another process holds it, 65 when its
    /// rules have errors or its journal is damaged.
    public init(home: Home) throws {
        try home.requireExists()
        try home.createFolders()
        lock = try HomeLock.acquire(home)
        self.home = home
        ruleSet = try RuleSetLoader.checkedRuleSet(directory: home.rules)
        roster = Roster(ruleSet)
        journal = try Journal(path: home.journal)
    }

    /// Opens a home with rules already checked (the daemon keeps the last good rules in force).
    public convenience init(home: Home, ruleSet: RuleSet) throws {
        try home.requireExists()
        try home.createFolders()
        try self.init(home: home, ruleSet: ruleSet, holding: try HomeLock.acquire(home))
    }

    /// Opens a home whose lock the caller already holds: the daemon keeps one lock for its whole
    /// life while sessions come and go (new rules, a journal reopened after a failed write).
    public init(home: Home, ruleSet: RuleSet, holding lock: HomeLock) throws {
        self.lock = lock
        self.home = home
        self.ruleSet = ruleSet
        roster = Roster(ruleSet)
        journal = try Journal(path: home.journal)
    }

    deinit {
        // Nothing of the home is touched after its session (and perhaps its lock) is gone.
        _ = removal?.wait()
        journal.close()
    }

    /// The records that adopt the current rules when the journal's latest rule set differs.
    func ruleAdoption(on day: Day) -> [JournalRecord] {
        guard journal.history.currentRuleSet?.version != ruleSet.contentHash else { return [] }
        return [.ruleSetAdopted(RuleSetAdopted(version: ruleSet.contentHash, day: day))]
    }

    /// The current population's extract files (see ``ExtractStore``).
    public func currentExtracts() -> [ExtractInput] {
        ExtractStore(home: home).currentFiles(history: journal.history).map(\.input)
    }

    /// Evaluates the rules over the current population on `day`.
    /// The run is kept: asked again for the same day over the same files, it is not evaluated again.
    /// - Throws: `OutreachError` (66) when no extract has been ingested yet.
    public func evaluateCohorts(on day: Day) throws -> CohortRun {
        let files = ExtractStore(home: home).currentFiles(history: journal.history)
        if let lastRun, lastRun.day == day, lastRun.files == files { return lastRun.run }
        guard !files.isEmpty else {
            throw OutreachError(
                "\(home.path) has no population yet: put practice extracts in \(home.extractsInbox) "
                    + "or run 'outreach ingest --home \(home.path) FILE...'", exitCode: .noInput)
        }
        let run = try CohortEngine.run(ruleSet, inputs: files.map(\.input), asOf: day, maxRejectRate: 1)
        keep(run, on: day, over: files, membershipsRecorded: false)
        return run
    }

    /// Keeps a run evaluated elsewhere (an ingest's, over the files it has just stored) for
    /// ``evaluateCohorts(on:)``.
    /// - Parameter membershipsRecorded: the journal's last batch brought its memberships up to
    ///   date with this run on `day` (see ``cohortsAndMembershipChanges(on:)``).
    func keep(_ run: CohortRun, on day: Day, over files: [ExtractStore.StoredFile], membershipsRecorded: Bool) {
        lastRun = (day, files, run, membershipsRecorded ? journal.history.recordCount : nil)
    }

    /// The cohorts on `day` (``evaluateCohorts(on:)``) and the joins and leaves that bring the
    /// journal up to date with them. None are worked out when they are known to be none: the run
    /// is the one a morning's ingest evaluated and recorded the memberships of, on the same day,
    /// with nothing recorded since (0.1 s at ICB scale, for nothing).
    func cohortsAndMembershipChanges(on day: Day) throws -> (run: CohortRun, changes: [JournalRecord]) {
        let run = try evaluateCohorts(on: day)
        // A run evaluated just now was kept without a recorded count, so a count here means the
        // run is the ingest's.
        if let lastRun, lastRun.day == day, lastRun.membershipsRecordedAt == journal.history.recordCount {
            return (run, [])
        }
        return (run, MembershipSync.records(for: run, history: journal.history, on: day))
    }

    /// Removes the inbox entries of inputs recorded and filed away, then syncs their folders. An
    /// entry whose identity is not the one given (the file copied) was written or replaced since
    /// it was copied: it stays, to be read when next seen.
    ///
    /// With ``removesInputsInBackground``, each entry is first moved out of the inbox into
    /// `state/removing/` (a rename: the name is free at once, so a file dropped under it once the
    /// ingest has returned is never touched), and the rest, the folders' syncs and the freeing of the files'
    /// pages (0.5 s for an ICB's 1.6 GB), goes on another thread, waited for with
    /// ``finishRemovingInputs()``. Until the folders are synced, a stop leaves an entry in the
    /// inbox (recorded and archived, so filed away as already ingested when next seen) or in
    /// `state/removing/` (removed when the daemon starts).
    /// - Throws: `FileIOError` when an entry cannot be removed (or moved) now; never for the
    ///   removal of an earlier batch, which ``finishRemovingInputs()`` reports.
    func removeInputs(_ entries: [(path: String, identity: FileIdentity?)]) throws(FileIOError) {
        let paths = entries.filter { $0.identity == nil || FileIdentity(path: $0.path) == $0.identity }.map(\.path)
        guard removesInputsInBackground else {
            for path in paths { try FileIO.remove(path) }
            return try FileIO.syncDirectories(paths.map { FileIO.parentDirectory(of: $0) })
        }
        waitForRemoval()
        try FileIO.createDirectory(home.removing)
        var moved: [String] = []
        // What was moved is removed even when a later entry cannot be.
        defer { removeInBackground(moved, syncing: paths.map { FileIO.parentDirectory(of: $0) }) }
        for path in paths {
            let number = HomeSession.entriesMoved.withLock { count in
                defer { count += 1 }
                return count
            }
            let destination = FileIO.join(home.removing, "\(number).removing")
            do {
                try FileIO.move(path, to: destination)
                moved.append(destination)
            } catch  where error.errno == ENOENT {
                continue  // gone already
            } catch  where error.errno == EXDEV {
                try FileIO.remove(path)  // an inbox on another file system: removed here
            }
        }
    }

    /// Syncs `folders` and removes the `moved` entries on another thread, every one of them
    /// whatever fails, keeping the first failure.
    private func removeInBackground(_ moved: [String], syncing folders: [String]) {
        removal = BackgroundWork {
            var failure: FileIOError?
            do throws(FileIOError) { try FileIO.syncDirectories(folders) } catch { failure = error }
            for path in moved {
                do throws(FileIOError) { try FileIO.remove(path) } catch { failure = failure ?? error }
            }
            return failure
        }
    }

    /// Waits for the removal ``removeInputs(_:)`` started on another thread, if any.
    /// - Throws: `FileIOError` for the first removal since the last call that could not sync an
    ///   inbox folder or remove a moved entry: the inputs are out of the inbox, recorded and
    ///   archived; what is left in `state/removing/` is removed when the daemon next starts.
    public func finishRemovingInputs() throws(FileIOError) {
        waitForRemoval()
        if let failure = removalFailure {
            removalFailure = nil
            throw failure
        }
    }

    /// Waits for the removal on another thread, keeping its failure for ``finishRemovingInputs()``.
    private func waitForRemoval() {
        guard let work = removal else { return }
        removal = nil
        if let failure = work.wait(), removalFailure == nil { removalFailure = failure }
    }

    /// Appends records as one batch and makes them durable.
    func record(_ records: [JournalRecord]) throws {
        guard !records.isEmpty else { return }
        try journal.append(contentsOf: records)
        try journal.sync()
    }
}
