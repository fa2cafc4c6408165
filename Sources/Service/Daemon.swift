import Basics
import Operations
import RuleLanguage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The service: one cycle after another over one home, holding its lock from start to stop.
///
/// A cycle re-checks the rules if they changed (or SIGHUP asked), ingests the complete files in
/// the inbox (extracts together, returned lists one by one), publishes the day's lists when due,
/// refreshes reports, and writes `status.json` if anything changed. Every step is synchronous;
/// a stop request is honoured between files and between steps. Nothing a file contains stops
/// the service: a bad file goes to `failed/`, a failure of the machine is logged and retried.
///
/// This file holds the state, start-up and the loop; each duty is an extension of its own:
/// rules (`Daemon+Rules`), the inbox (`Daemon+Inbox`), the morning run (`Daemon+Publishing`),
/// `status.json` (`Daemon+Status`), failures and retries (`Daemon+Failures`), leftovers of killed
/// runs (`Daemon+TemporaryFiles`) and the ordered stop (`Daemon+Shutdown`). The state is internal
/// rather than private so those files can reach it; nothing else in the module touches it.
public final class Daemon {
    public let options: DaemonOptions
    public let logger: Logger
    let steps: DaemonSteps
    let clock: ServiceClock
    let stop: StopController
    let fileLog: FileLogHandler?
    /// `status.json`, shared with the signal side so it can leave a final status too.
    let statusFile: StatusFile
    var home: Home { options.home }

    var lock: HomeLock?
    var session: HomeSession?
    /// The last good rules: they stay in force when the folder is changed into rules with errors.
    var rulesInForce: RuleSet?
    var rulesWatch = RulesWatch()
    var rulesRecheckRequested = false
    /// The copy of the rules in force being kept (``keepRules(_:)``), until it is waited for.
    var rulesBeingKept: BackgroundWork<String?>?
    /// The inbox's complete extracts, copied from start-up for the first cycle's ingest
    /// (``copyInboxAhead()``), until that cycle ends.
    var copiedAhead: InputsCopiedAhead?
    var extractsInbox = InboxTracker()
    var outcomesInbox = InboxTracker()
    /// The journal's record count when the newest escalation file was last found, or made, to
    /// list exactly the open escalations (``keepEscalationsFileCurrent(_:)``).
    var escalationsCheckedAt: Int?
    /// Monotonic time before which a failed step (by key) is not tried again.
    var notBefore: [String: Double] = [:]
    var machineFailures = 0
    /// Set when the journal turns out damaged: nothing can be recorded, so the service stops with
    /// this status rather than retry for ever.
    var fatal: ExitCode?
    /// Whether the last poll saw inbox files not yet complete.
    var filesArriving = false
    /// Warnings in force and when each was last logged (monotonic seconds): logged hourly, not
    /// every poll.
    var warningsLogged: [String: Double] = [:]
    var status: ServiceStatus
    var written: ServiceStatus?
    var statusSource: (records: Int, day: Day)?
    /// Set by ``shutDown()``: no more work is taken.
    var isShutDown = false

    /// Starts the service on a home whose lock the caller holds, taking over the lock and the log
    /// (``shutDown()`` releases and closes them): sweeps what killed runs left, starts copying
    /// the extracts complete in the inbox (on a thread of its own, until the first ``cycle()``
    /// or ``shutDown()``), checks the rules and opens the journal. Rules with errors do not stop
    /// it (it waits for good ones, see ``cycle()``).
    /// - Throws: `JournalError` for a damaged journal (exit 65: the service refuses to guess),
    ///   `FileIOError` when the home cannot be read; either way after the final status is written,
    ///   the lock released and the log closed.
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
        statusFile = StatusFile(path: options.home.statusFile, clock: clock)
        stop.statusFile = statusFile
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
        // Before anything is written: the sweep empties `state/incoming/`, where the copies go.
        sweepTemporaryFiles()
        copyInboxAhead()
        let fingerprint = FolderFingerprint.of(options.home.rules)
        rulesWatch.markChecked(fingerprint)
        let check = RulesCheck.check(options.home.rules)
        // Rules with errors at start: the last rules put in force carry on, as they would for a
        // daemon already running when the folder went wrong.
        let kept = check.ruleSet == nil ? LastGoodRules(home: options.home).load() : nil
        rulesInForce = kept
        // Checked under the rules as soon as they are known, while the journal opens.
        if let ruleSet = check.ruleSet ?? kept { copiedAhead?.startChecking(under: ruleSet, on: now.day) }
        noteRules(check, now: now)
        if let kept {
            logger.warning(
                "carrying on under the last good rules, version \(kept.version) (kept in state/rules-in-force/), "
                    + "until the errors in \(options.home.rules) are fixed")
        }
        statusFile.note(status)
        if let ruleSet = check.ruleSet ?? kept {
            rulesInForce = ruleSet
            do {
                try openSession(ruleSet)
            } catch {
                let message = "cannot open the journal: \(Daemon.logText(error))"
                logger.error(message)
                // Stopped, and why, for `outreach status` (the log has said it already).
                status.note(step: "home", message: message, at: now.description)
                shutDown(saying: nil)
                throw error
            }
            logMissedDays(now)
        }
        // Kept only after the sweep, which takes any temporary file of this process for a
        // killed run's: the copy is written beside the cycle, through temporary files.
        if let ruleSet = check.ruleSet { keepRules(ruleSet) }
        writeStatus(now)
    }

    // MARK: - Running

    /// Runs cycles until a stop signal, then stops cleanly.
    public func run(mailbox: SignalMailbox) -> ExitCode {
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
    public func runOnce(mailbox: SignalMailbox) throws -> ExitCode {
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

    private func handle(_ requests: [SignalRequest]) {
        for request in requests where request == .reloadRules { requestRulesCheck() }
    }

    /// One cycle at the clock's current instant; nothing once the daemon has shut down.
    public func cycle() {
        guard !isShutDown else { return }
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
            let ingested = ingestInbox(now)
            keepEscalationsFileCurrent(now)
            // One refresh a cycle: a publish refreshes the reports with its own run; otherwise
            // they follow the ingest.
            let published = !stop.isRequested && publishIfDue(now)
            if ingested, !published { refreshReports(now, after: "ingest") }
            finishRemovingInputs(now)
        }
        finishKeepingRules()
        discardCopiesAhead()
        writeStatus(now)
    }
}
