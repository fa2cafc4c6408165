import Synchronization

/// Whether a stop was asked for, and whether the loop has reached its ordered shutdown; shared
/// between the signal queue and the loop, with what the signal side needs to end the process
/// itself: the log, and the status file to leave a final status in.
public final class StopController: Sendable {
    private let state = Mutex<State>(State())

    private struct State {
        var requests = 0
        var shuttingDown = false
        var logger = Logger.silent
        var statusFile: StatusFile?
    }

    public init() {}

    /// Whether a stop was asked for: the loop checks it between files and between steps.
    public var isRequested: Bool { state.withLock { $0.requests > 0 } }

    /// Notes one more stop request; returns how many there have been.
    @discardableResult
    public func request() -> Int {
        state.withLock { state in
            state.requests += 1
            return state.requests
        }
    }

    /// The logger the signal handlers write to (set once the home's log is open).
    public var logger: Logger {
        get { state.withLock { $0.logger } }
        set { state.withLock { $0.logger = newValue } }
    }

    /// The daemon's status file (set by the daemon as it starts), for ``leaveFinalStatus()``.
    var statusFile: StatusFile? {
        get { state.withLock { $0.statusFile } }
        set { state.withLock { $0.statusFile = newValue } }
    }

    /// Whether the loop has finished its last step and is shutting down in order: from then on
    /// there is no step left for the grace period to abandon.
    var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    func markShuttingDown() {
        state.withLock { $0.shuttingDown = true }
    }

    /// Writes the final status (the loop's latest, `stopped`) for the signal side, which is about
    /// to end the process while the loop is still in a step; does nothing if the loop wrote it
    /// already. A failure is logged: the process ends all the same.
    func leaveFinalStatus() {
        guard let statusFile else { return }
        do {
            try statusFile.writeFinal()
        } catch {
            logger.error("status: cannot write \(statusFile.path): \(error.message)")
        }
    }
}
