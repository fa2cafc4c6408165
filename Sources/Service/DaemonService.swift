import Basics
import Operations

/// Runs the daemon for the command line: takes the home's lock (exit 75 when another process
/// has it), opens the log, then runs cycles until a signal (or one, with `--once`).
public enum DaemonService {
    /// Once the daemon exists it owns the lock and the log and releases them at its shutdown
    /// (also when it fails to start); before that, a failure here releases the lock itself.
    public static func run(_ options: DaemonOptions, signals: DaemonSignals) throws -> ExitCode {
        let home = options.home
        try home.requireExists()
        try home.createFolders()
        let lock = try HomeLock.acquire(home)
        let fileLog: FileLogHandler
        do {
            fileLog = try FileLogHandler(directory: home.logs)
        } catch {
            lock.release()
            throw error
        }
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
