import Basics
import Journal
import Operations
import Planning
import Population
import Reports
import RuleLanguage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// How the daemon runs.
public struct DaemonOptions: Sendable {
    public var home: Home
    /// Run one cycle and stop.
    public var once: Bool
    /// The instant `--now` pins, if any (the team's local time).
    public var pinnedNow: LocalDateTime?
    /// Seconds between polls of the inbox and the rules folder.
    public var pollInterval: Double
    /// Seconds before a step that failed for want of the machine (a full disk, say) is tried again.
    public var retryDelay: Double

    public init(
        home: Home, once: Bool = false, pinnedNow: LocalDateTime? = nil, pollInterval: Double = 2,
        retryDelay: Double = 30
    ) {
        self.home = home
        self.once = once
        self.pinnedNow = pinnedNow
        self.pollInterval = pollInterval
        self.retryDelay = retryDelay
    }
}

/// The service's idea of now: the team's local time (real, or pinned by `--now`) and a monotonic
/// clock for retry delays. Re-read at every cycle, so a clock change is simply a new day.
public struct ServiceClock: Sendable {
    public var now: @Sendable () -> LocalDateTime
    /// Seconds on a clock that never jumps.
    public var monotonic: @Sendable () -> Double

    public init(now: @escaping @Sendable () -> LocalDateTime, monotonic: @escaping @Sendable () -> Double) {
        self.now = now
        self.monotonic = monotonic
    }

    /// Europe/London wall-clock time.
    public static let system = ServiceClock(now: { WallClock.now() }, monotonic: ServiceClock.monotonicSeconds)

    /// A clock stopped at `instant` (for `--now`).
    public static func pinned(_ instant: LocalDateTime) -> ServiceClock {
        ServiceClock(now: { instant }, monotonic: ServiceClock.monotonicSeconds)
    }

    @Sendable static func monotonicSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

/// The work a cycle does, as values so tests can wrap them (to make a step fail, or count calls).
public struct DaemonSteps: Sendable {
    public var ingest: @Sendable (HomeSession, [String], LocalDateTime) throws -> [IngestResult]
    public var publish: @Sendable (HomeSession, Day) throws -> PublishResult
    public var refreshReports: @Sendable (HomeSession, LocalDateTime, Logger) throws -> Void

    public init(
        ingest: @escaping @Sendable (HomeSession, [String], LocalDateTime) throws -> [IngestResult],
        publish: @escaping @Sendable (HomeSession, Day) throws -> PublishResult,
        refreshReports: @escaping @Sendable (HomeSession, LocalDateTime, Logger) throws -> Void
    ) {
        self.ingest = ingest
        self.publish = publish
        self.refreshReports = refreshReports
    }

    /// The same code as `outreach ingest` and `outreach schedule`; inbox files are moved.
    public static let standard = DaemonSteps(
        ingest: { session, paths, now in try Ingestor.ingest(session, paths: paths, at: now, moveInputs: true) },
        publish: { session, day in try Publisher.publish(session, day: day) },
        refreshReports: { session, now, logger in try ReportRefresh.refresh(session, at: now, logger: logger) })
}

/// Brings `reports/` up to date after each publish and each ingest.
public enum ReportRefresh {
    /// Rewrites `reports/report.html` and `reports/forecast.txt` as of today; nothing before the
    /// first extract (there is no one to report on yet).
    public static func refresh(_ session: HomeSession, at now: LocalDateTime, logger: Logger) throws {
        guard !session.currentExtracts().isEmpty else { return }
        _ = try ReportWriter.refresh(session: session, asOf: now.day)
    }
}

/// The service: one cycle after another over one home, holding its lock from start to stop.
///
/// A cycle re-checks the rules if they changed (or SIGHUP asked), ingests the complete files in
/// the inbox (extracts together, returned lists one by one), publishes the day's lists when due,
/// refreshes reports, and writes `status.json` if anything changed. Every step is synchronous;
/// a stop request is honoured between files and between steps. Nothing a file contains stops
/// the service: a bad file goes to `failed/`, a failure of the machine is logged and retried.
public final class Daemon {
    public let options: DaemonOptions
    public let logger: Logger
    private let steps: DaemonSteps
    private let clock: ServiceClock
    private let stop: StopController
    private let fileLog: FileLogHandler?
    private var home: Home { options.home }

    private var lock: HomeLock?
    private var session: HomeSession?
    /// The last good rules: they stay in force when the folder is changed into rules with errors.
    private var rulesInForce: RuleSet?
    private var rulesWatch = RulesWatch()
    private var rulesRecheckRequested = false
    private var extractsInbox = InboxTracker()
    private var outcomesInbox = InboxTracker()
    /// Monotonic time before which a failed step (by key) is not tried again.
    private var notBefore: [String: Double] = [:]
    private var machineFailures = 0
    /// Set when the journal turns out damaged: nothing can be recorded, so the service stops with
    /// this status rather than retry for ever.
    private var fatal: ExitCode?
    /// Whether the last poll saw inbox files not yet complete.
    private var filesArriving = false
    private var status: ServiceStatus
    private var written: ServiceStatus?
    private var statusSource: (records: Int, day: Day)?

    /// Starts the service on a home whose lock the caller holds: checks the rules and opens the
    /// journal. Rules with errors do not stop it (it waits for good ones, see ``cycle()``).
    /// - Throws: `JournalError` for a damaged journal (exit 65: the service refuses to guess),
    ///   `FileIOError` when the home cannot be read.
    public init(
        options: DaemonOptions, lock: HomeLock, logger: Logger, fileLog: FileLogHandler? = nil,
        steps: DaemonSteps = .standard, clock: ServiceClock = .system, stop: StopController = StopController()
    ) throws {
        self.options = options
        self.lock = lock
        self.logger = logger
        self.fileLog = fileLog
        self.steps = steps
        self.clock = clock
        self.stop = stop
        let now = clock.now()
        let previous = ServiceStatus.read(options.home.statusFile)
        status = ServiceStatus(
            state: "running", pid: Int(getpid()), started: now.description, updated: now.description,
            pinnedClock: options.pinnedNow != nil,
            rules: .init(version: nil, valid: false, checked: now.description, errors: []), lastPublish: nil,
            nextPublish: nil, lastIngest: [], lastOutcomes: previous?.lastOutcomes,
            queues: .init(extractsWaiting: 0, outcomesWaiting: 0, itemsAwaitingOutcome: 0, failedFiles: 0),
            errors: previous?.errors ?? [])

        logger.info(
            "starting on \(options.home.path) (pid \(getpid()))"
                + (options.pinnedNow.map { ", clock pinned at \($0)" } ?? "") + (options.once ? ", one cycle" : ""))
        let fingerprint = FolderFingerprint.of(options.home.rules)
        rulesWatch.markChecked(fingerprint)
        let check = RulesCheck.check(options.home.rules)
        noteRules(check, now: now)
        if let ruleSet = check.ruleSet {
            rulesInForce = ruleSet
            do {
                try openSession(ruleSet)
            } catch {
                logger.error("cannot open the journal: \(Daemon.logText(error))")
                throw error
            }
            logMissedDays(now)
        }
        sweepTemporaryFiles()
        writeStatus(now)
    }

    /// Removes the temporary files that a killed run left half-written (`NAME.tmp-PID` from atomic
    /// writes, `journal.new-PID`) whose writer is gone: commands that need no lock (`report`) may
    /// be writing theirs. Some hold patient data; none is ever read.
    private func sweepTemporaryFiles() {
        var removed = 0
        func sweep(_ folder: String, depth: Int) {
            guard depth < 4, let names = try? FileIO.listDirectory(folder) else { return }
            for name in names {
                let path = FileIO.join(folder, name)
                if FileIO.isDirectory(path) {
                    sweep(path, depth: depth + 1)
                } else if Daemon.isTemporaryName(name), Daemon.isLeftOver(name),
                    (try? FileIO.remove(path)) != nil
                {
                    removed += 1
                }
            }
        }
        for folder in [home.state, home.outbox, home.archive, home.failed, home.reports] { sweep(folder, depth: 0) }
        if removed > 0 {
            logger.info("removed \(Formatting.count(removed, "temporary file")) left by an interrupted run")
        }
    }

    /// The process id at the end of a temporary name.
    static func writer(ofTemporaryName name: String) -> pid_t {
        pid_t(name.split(separator: "-").last.flatMap { Int32($0) } ?? 0)
    }

    /// Whether a temporary file was left by a writer that has gone. One with this process's id
    /// is an earlier run's (in a container the daemon may be pid 1 every time): the sweep runs
    /// before this process writes any.
    static func isLeftOver(_ name: String) -> Bool {
        let writer = writer(ofTemporaryName: name)
        return writer == getpid() || !isAlive(writer)
    }

    /// Whether a process with this id is running (or exists under another user).
    static func isAlive(_ pid: pid_t) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
    }

    /// `status.json.tmp-1234`, `journal.new-1234`.
    static func isTemporaryName(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
        let last = name[name.index(after: dot)...]
        guard last.hasPrefix("tmp-") || last.hasPrefix("new-") else { return false }
        let digits = last.dropFirst(4)
        return !digits.isEmpty && digits.allSatisfy { $0 >= "0" && $0 <= "9" }
    }

    // MARK: - Running

    /// Runs cycles until a stop signal, then stops cleanly.
    public func run(mailbox: EventMailbox) -> ExitCode {
        logger.info("running: polling every \(Formatting.number(options.pollInterval)) s")
        while !stop.isRequested {
            cycle()
            if stop.isRequested { break }
            handle(mailbox.wait(upTo: options.pollInterval))
        }
        shutDown()
        return fatal ?? .success
    }

    /// One cycle (`--once`): looks at the inbox twice, a poll apart, when a file there might still
    /// be growing; then ingests what is complete, publishes if due, and stops.
    /// - Returns: 0, or 74 when a step failed for want of the machine (the inputs stay in the inbox).
    /// - Throws: `OutreachError` (65) when the rules have errors and none are in force.
    public func runOnce(mailbox: EventMailbox) throws -> ExitCode {
        if rulesInForce != nil, observeInboxes(clock.now()) {
            handle(mailbox.wait(upTo: options.pollInterval))
        }
        if !stop.isRequested { cycle() }
        let usable = rulesInForce != nil
        let failures = machineFailures
        shutDown()
        if let fatal { return fatal }
        guard usable else {
            throw OutreachError(
                "the rules in \(home.rules) have errors, so nothing was ingested or published "
                    + "(see 'outreach check --rules \(home.rules)' or 'outreach status --home \(home.path)')",
                exitCode: .dataError)
        }
        return failures > 0 ? .ioError : .success
    }

    /// Asks for the rules to be re-checked at the next cycle (what SIGHUP does).
    public func requestRulesCheck() {
        rulesRecheckRequested = true
    }

    private func handle(_ events: [DaemonEvent]) {
        for event in events where event == .reloadRules { requestRulesCheck() }
    }

    /// One cycle at the clock's current instant.
    public func cycle() {
        let now = clock.now()
        fileLog?.maintain()
        do {
            try home.createFolders()
        } catch {
            failure("home", "cannot create the home's folders: \(error.message)", now: now, machine: true)
        }
        checkRules(now)
        if session == nil, let ruleSet = rulesInForce, retryAllowed("session") {
            do {
                try openSession(ruleSet)
                succeeded("session")
            } catch {
                delay("session")
                failure("home", "cannot open the journal: \(Daemon.logText(error))", now: now, machine: true)
                stopIfDamaged(error)
            }
        }
        if session != nil {
            ingestInbox(now)
            if !stop.isRequested { publishIfDue(now) }
        }
        writeStatus(now)
    }

    /// Writes the final status, releases the journal and the lock.
    public func shutDown() {
        let now = clock.now()
        status.state = "stopped"
        writeStatus(now)
        logger.info("stopped")
        session = nil
        lock = nil
        stop.markFinished()
    }

    // MARK: - Rules

    private func checkRules(_ now: LocalDateTime) {
        let fingerprint = FolderFingerprint.of(home.rules)
        let changed = rulesWatch.observe(fingerprint)
        guard changed || rulesRecheckRequested else { return }
        rulesRecheckRequested = false
        rulesWatch.markChecked(fingerprint)
        let check = RulesCheck.check(home.rules)
        noteRules(check, now: now)
        guard let ruleSet = check.ruleSet else { return }
        if let current = rulesInForce, current.contentHash == ruleSet.contentHash {
            logger.info("rules re-checked: unchanged (version \(current.version))")
            return
        }
        let previous = rulesInForce?.version
        rulesInForce = ruleSet
        session = nil
        do {
            try openSession(ruleSet)
        } catch {
            failure("home", "cannot open the journal: \(Daemon.logText(error))", now: now, machine: true)
            stopIfDamaged(error)
        }
        logger.info(
            "rules version \(ruleSet.version) are valid and take effect from the next plan"
                + (previous.map { " (they replace version \($0))" } ?? ""))
    }

    /// Puts a check's result in the status and the log.
    private func noteRules(_ check: RulesCheck, now: LocalDateTime) {
        status.rules.checked = now.description
        status.rules.valid = check.ruleSet != nil
        status.rules.errors = check.errors
        guard check.ruleSet == nil else { return }
        let inForce =
            rulesInForce.map { "the rules in force stay version \($0.version)" }
            ?? "no rules are in force: nothing is ingested or published until they are fixed"
        failure(
            "rules", "\(home.rules) has \(Formatting.count(check.errors.count, "error")); \(inForce)", now: now,
            machine: false)
        for error in check.errors { logger.error("rules: \(error)") }
    }

    private func openSession(_ ruleSet: RuleSet) throws {
        guard let lock else { return }
        let opened = try HomeSession(home: home, ruleSet: ruleSet, holding: lock)
        if let tail = opened.journal.recovered {
            logger.warning("journal: cut off an unfinished write at the end: \(tail)")
        }
        do {
            try Publisher.finishInterrupted(opened)
        } catch {
            // Publishing tries again; the journal is fine.
            logger.error("outbox: cannot finish an interrupted publish: \(Daemon.logText(error))")
        }
        session = opened
        statusSource = nil
        let records = Formatting.count(opened.journal.history.recordCount, "record")
        logger.info("rules version \(ruleSet.version) in force; journal open (\(records))")
    }

    // MARK: - Inbox

    /// Polls both inboxes without ingesting (the first look of `--once`). Returns whether a file
    /// is waiting to be seen again.
    private func observeInboxes(_ now: LocalDateTime) -> Bool {
        let extracts = poll(home.extractsInbox, &extractsInbox, now: now)
        let outcomes = poll(home.outcomesInbox, &outcomesInbox, now: now)
        return !extracts.waiting.isEmpty || !outcomes.waiting.isEmpty
    }

    private func ingestInbox(_ now: LocalDateTime) {
        let extractsPoll = poll(home.extractsInbox, &extractsInbox, now: now)
        let outcomesPoll = poll(home.outcomesInbox, &outcomesInbox, now: now)
        filesArriving = !extractsPoll.waiting.isEmpty || !outcomesPoll.waiting.isEmpty
        let extracts = extractsPoll.ready
        let outcomes = outcomesPoll.ready
        var changed = false
        if !extracts.isEmpty {
            changed = ingest(extracts, from: home.extractsInbox, now: now) || changed
        }
        for name in outcomes where !stop.isRequested {
            changed = ingest([name], from: home.outcomesInbox, now: now) || changed
        }
        if changed { refreshReports(now, after: "ingest") }
    }

    /// Looks at an inbox folder, removes stale markers, counts the queue, and says what is ready
    /// (leaving out files whose last failure is too recent to try again).
    private func poll(_ folder: String, _ tracker: inout InboxTracker, now: LocalDateTime) -> InboxTracker.Decision {
        let listing: InboxListing
        do {
            listing = try InboxFolder.list(folder)
        } catch {
            failure("ingest", "cannot read \(folder): \(error.message)", now: now, machine: true)
            return InboxTracker.Decision()
        }
        var decision = tracker.poll(listing)
        for marker in decision.staleMarkers {
            try? FileIO.remove(FileIO.join(folder, marker))
        }
        decision.ready = decision.ready.filter { retryAllowed(FileIO.join(folder, $0)) }
        return decision
    }

    /// Ingests files from one inbox folder through the same code as `outreach ingest`.
    /// - Returns: whether the journal changed.
    private func ingest(_ names: [String], from folder: String, now: LocalDateTime) -> Bool {
        guard let session else { return false }
        let paths = names.map { FileIO.join(folder, $0) }
        // The input is moved into archive/ or failed/: make it owner-only there, as everything the service keeps.
        for path in paths { _ = chmod(path, 0o600) }
        let results: [IngestResult]
        do {
            results = try steps.ingest(session, paths, now)
        } catch where Daemon.isMachineFailure(error) {
            for path in paths { delay(path) }
            if error is JournalError { self.session = nil }
            failure(
                "ingest",
                "\(names.joined(separator: ", ")): \(Daemon.logText(error)); left in the inbox, tried again in "
                    + "\(Formatting.number(options.retryDelay)) s", now: now, machine: true)
            return false
        } catch {
            if names.count > 1 {
                var changed = false
                for name in names { changed = ingest([name], from: folder, now: now) || changed }
                return changed
            }
            refuse(paths[0], reason: Daemon.describe(error), now: now)
            return false
        }
        var changed = false
        for result in results {
            let path = FileIO.join(folder, result.fileName)
            succeeded(path)
            try? FileIO.remove(path + InboxFolder.markerSuffix)
            if folder == home.extractsInbox {
                extractsInbox.forget(result.fileName)
            } else {
                outcomesInbox.forget(result.fileName)
            }
            switch result.outcome {
            case .ingested(let text):
                changed = true
                logger.info("ingested \(result.kind?.rawValue ?? "file") \(result.line)")
                if result.escalationsRaised > 0 {
                    logger.warning(
                        "\(result.fileName): \(Formatting.count(result.escalationsRaised, "urgent concern")) recorded: the "
                            + "duty clinician must act today (outbox/escalations/\(now.day).csv)")
                }
                if result.kind == .returnedList {
                    status.lastOutcomes = .init(file: result.fileName, at: now.description, summary: text)
                }
            case .alreadyIngested:
                logger.info(result.line + "; moved to archive/")
            case .failed:
                failure(
                    "ingest",
                    "\(result.fileName): not ingested; moved to failed/ with the reason beside it "
                        + "(\(failedReasonFile(for: result.fileName) ?? "NAME.error.txt"))", now: now, machine: false)
            }
        }
        return changed
    }

    /// Moves a file the ingest code could not classify to `failed/` with its reason beside it,
    /// as the ingest code does for files it refuses, so one bad file never blocks the inbox.
    private func refuse(_ path: String, reason: String, now: LocalDateTime) {
        let name = FileIO.fileName(of: path)
        do {
            let destination = try Ingestor.refuse(
                path, bytes: try FileIO.readAll(path), reason: reason, home: home, at: now, move: true)
            try? FileIO.remove(path + InboxFolder.markerSuffix)
            failure(
                "ingest",
                "\(name): not ingested; moved to failed/ with the reason beside it "
                    + "(\(FileIO.fileName(of: destination)).error.txt)", now: now, machine: false)
        } catch {
            delay(path)
            failure("ingest", "\(name): cannot move to failed/: \(Daemon.logText(error))", now: now, machine: true)
        }
    }

    /// The newest `.error.txt` in `failed/` for a file name (its reason may quote the file, so the
    /// log names the file that holds it instead of repeating it).
    private func failedReasonFile(for name: String) -> String? {
        (try? FileIO.listDirectory(home.failed))?.filter { $0.hasSuffix("-\(name).error.txt") }.last
    }

    // MARK: - Publish

    private func publishIfDue(_ now: LocalDateTime) {
        guard let session, let ruleSet = rulesInForce else { return }
        let roster = session.roster
        let history = session.journal.history
        guard
            let day = PublishSchedule.dayDue(
                at: now, publishAt: ruleSet.policy.publishAt, isOpen: roster.isOpen, isPublished: history.isPublished,
                lastPublished: history.publishedDays.max()),
            retryAllowed("publish")
        else { return }
        if PublishSchedule.shouldHold(at: now, publishAt: ruleSet.policy.publishAt, filesArriving: filesArriving) {
            logger.debug("\(day): publish waits for inbox files still arriving")
            return
        }
        do {
            let result = try steps.publish(session, day)
            succeeded("publish")
            switch result.outcome {
            case .published:
                logger.info(Daemon.publishLine(result))
                for line in ExtractFreshness.explanation(result.staleExtracts, policy: ruleSet.policy) {
                    logger.warning(line)
                }
                refreshReports(now, after: "publish")
            case .alreadyPublished:
                logger.info("\(day) was published already; nothing to do")
            case .closed(let reason):
                logger.info("\(day) is \(reason); no lists")
            case .beforeLastPublished(let last):
                logger.info("\(day) comes before \(last), already published; no lists")
            }
        } catch {
            delay("publish")
            if error is JournalError { self.session = nil }
            failure(
                "publish",
                "\(day): \(Daemon.logText(error)); tried again in \(Formatting.number(options.retryDelay)) s",
                now: now, machine: Daemon.isMachineFailure(error))
        }
    }

    /// `published 2026-11-23: 47 calls (gina 20, sam 15, tom 12); 235 not on today's lists; 3 not returned`:
    /// counts and worker ids only.
    static func publishLine(_ result: PublishResult) -> String {
        let total = result.lists.reduce(0) { $0 + $1.rows.count }
        var line = "published \(result.day): \(Formatting.count(total, "call"))"
        if !result.lists.isEmpty {
            line += " (" + result.lists.map { "\($0.worker) \($0.rows.count)" }.joined(separator: ", ") + ")"
        }
        line += " in outbox/\(result.day)/"
        if let plan = result.plan {
            let unlisted = plan.notListed.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
            if unlisted > 0 { line += "; \(Formatting.count(unlisted, "person", "people")) not on today's lists" }
        }
        if result.notReturned > 0 {
            line += "; \(Formatting.count(result.notReturned, "earlier item")) not returned, back in the queue"
        }
        return line
    }

    private func logMissedDays(_ now: LocalDateTime) {
        guard let session else { return }
        let history = session.journal.history
        let roster = session.roster
        let missed = PublishSchedule.missedDays(
            lastPublished: history.publishedDays.last, today: now.day, isOpen: roster.isOpen,
            isPublished: history.isPublished)
        guard !missed.isEmpty else { return }
        logger.warning(
            "not published while the service was down: " + missed.map(\.description).joined(separator: ", ")
                + " (their calls are planned from today)")
    }

    // MARK: - Reports and status

    private func refreshReports(_ now: LocalDateTime, after step: String) {
        guard let session else { return }
        do {
            try steps.refreshReports(session, now, logger)
        } catch {
            failure("reports", "refreshing reports after \(step): \(Daemon.logText(error))", now: now, machine: false)
        }
    }

    private func writeStatus(_ now: LocalDateTime) {
        status.rules.version = rulesInForce?.version
        if status.state != "stopped" {
            status.state = rulesInForce == nil ? "waiting for valid rules" : "running"
        }
        if let session, let ruleSet = rulesInForce {
            let history = session.journal.history
            if statusSource?.records != history.recordCount || statusSource?.day != now.day {
                status.update(from: history, today: now.day, policy: ruleSet.policy)
                statusSource = (history.recordCount, now.day)
            }
            let roster = session.roster
            status.nextPublish =
                PublishSchedule.nextPublish(
                    after: now, publishAt: ruleSet.policy.publishAt, isOpen: roster.isOpen,
                    isPublished: history.isPublished, lastPublished: history.publishedDays.max())?.description
        }
        status.queues.extractsWaiting = (try? InboxFolder.list(home.extractsInbox))?.files.count ?? 0
        status.queues.outcomesWaiting = (try? InboxFolder.list(home.outcomesInbox))?.files.count ?? 0
        status.queues.failedFiles =
            ((try? FileIO.listDirectory(home.failed)) ?? []).filter {
                !$0.hasSuffix(".error.txt") && !$0.hasSuffix(".rejects.csv") && !$0.contains(".tmp-")
            }.count
        var unchanged = status
        unchanged.updated = written?.updated ?? status.updated
        guard unchanged != written else { return }
        status.updated = now.description
        do {
            try status.write(to: home.statusFile)
            written = status
        } catch {
            failure("status", "cannot write \(home.statusFile): \(error.message)", now: now, machine: true)
        }
    }

    /// The status as the daemon sees it now (for tests and `outreach status`).
    public var currentStatus: ServiceStatus {
        var current = status
        current.rules.version = rulesInForce?.version
        return current
    }

    // MARK: - Failures and retries

    /// Logs a problem (once while it repeats) and keeps it in the status.
    private func failure(_ step: String, _ message: String, now: LocalDateTime, machine: Bool) {
        if machine { machineFailures += 1 }
        if status.note(step: step, message: message, at: now.description) {
            logger.error("\(step): \(message)")
        } else {
            logger.debug("\(step): \(message) (again)")
        }
    }

    /// Stops the service (status 65) when the journal is damaged or not a journal: retrying
    /// cannot help, and guessing around the damage would act on a wrong history.
    private func stopIfDamaged(_ error: any Error) {
        guard let error = error as? JournalError, Daemon.isDamage(error) else { return }
        logger.error("stopping: \(error.message)")
        fatal = .dataError
        stop.request()
    }

    static func isDamage(_ error: JournalError) -> Bool {
        [.corruptRecord, .notAJournal, .unsupportedFormat].contains(error.code) || (error.code == .invalidRecord && error.offset != nil)
    }

    private func retryAllowed(_ key: String) -> Bool {
        guard let time = notBefore[key] else { return true }
        return clock.monotonic() >= time
    }

    private func delay(_ key: String) {
        notBefore[key] = clock.monotonic() + options.retryDelay
    }

    private func succeeded(_ key: String) {
        notBefore[key] = nil
    }

    /// Whether an error is the machine's (I/O, the journal) rather than the input's: the input
    /// stays where it is and the step is tried again later.
    static func isMachineFailure(_ error: any Error) -> Bool {
        error is FileIOError || error is JournalError
    }

    /// An error's full message, for the `.error.txt` beside a refused file.
    static func describe(_ error: any Error) -> String {
        (error as? any UserFacingError)?.message ?? "\(error)"
    }

    /// An error as the log may hold it: an extract's problem names only its file and line, since
    /// the reason can quote the file (a header row that was really a patient's row).
    static func logText(_ error: any Error) -> String {
        guard let error = error as? ExtractError else { return describe(error) }
        return "\(FileIO.fileName(of: error.file))\(error.line.map { ":\($0)" } ?? ""): the extract cannot be read "
            + "(the reason is not logged, as it may quote patient data: run 'outreach inspect' on the file)"
    }
}

/// Runs the daemon for the command line: takes the home's lock (exit 75 when another process
/// has it), opens the log, then runs cycles until a signal (or one, with `--once`).
public enum DaemonService {
    public static func run(_ options: DaemonOptions, signals: SignalEvents) throws -> ExitCode {
        let home = options.home
        try home.requireExists()
        try home.createFolders()
        let lock = try HomeLock.acquire(home)
        let fileLog = try FileLogHandler(directory: home.logs)
        var handlers: [any LogHandler] = [fileLog]
        if Terminal.standardErrorIsTerminal { handlers.append(StandardErrorLogHandler()) }
        let logger = Logger(handlers: handlers)
        signals.stop.logger = logger
        let clock = options.pinnedNow.map(ServiceClock.pinned) ?? .system
        let daemon = try Daemon(
            options: options, lock: lock, logger: logger, fileLog: fileLog, clock: clock, stop: signals.stop)
        return options.once ? try daemon.runOnce(mailbox: signals.mailbox) : daemon.run(mailbox: signals.mailbox)
    }
}
