import Basics
import Synchronization

/// `state/status.json` as the daemon's two sides share it: the loop writes it after each cycle
/// that changed something; the signal side writes it only when it ends the process itself (a step
/// abandoned, a second signal). The first final status (state `stopped`) seals the file: nothing
/// is written after it, so a stopped service never reads as running and an abandoned loop cannot
/// overwrite what the signal side left. Writes take turns, as both use one temporary file name.
public final class StatusFile: Sendable {
    /// The file.
    public let path: String
    private let now: @Sendable () -> LocalDateTime
    private let state = Mutex<State>(State())

    private struct State {
        /// The loop's latest status: what a final status written by the signal side is made from.
        var latest: ServiceStatus?
        /// Set by the first final write, whether or not it succeeded.
        var sealed = false
    }

    /// A status file at `path` whose final status is stamped with `clock`'s time (pinned by `--now`).
    init(path: String, clock: ServiceClock) {
        self.path = path
        now = clock.now
    }

    /// Keeps `status` as the latest without writing it (the start-up status, before the journal
    /// opens: opening a long journal may outlast the grace period).
    func note(_ status: ServiceStatus) {
        state.withLock { state in
            if !state.sealed { state.latest = status }
        }
    }

    /// Writes a status of the loop; one whose state is `stopped` is final and seals the file.
    /// - Returns: whether it was written (never once sealed).
    @discardableResult
    func write(_ status: ServiceStatus) throws(FileIOError) -> Bool {
        try state.withLock { (state) throws(FileIOError) -> Bool in
            guard !state.sealed else { return false }
            state.latest = status
            state.sealed = status.state == "stopped"
            try status.write(to: path)
            return true
        }
    }

    /// Writes the loop's latest status as the final one (`stopped`, updated now) and seals the
    /// file: for the signal side, which cannot wait for the loop. Does nothing once sealed.
    func writeFinal() throws(FileIOError) {
        try state.withLock { (state) throws(FileIOError) in
            guard !state.sealed, var status = state.latest else { return }
            state.sealed = true
            status.state = "stopped"
            status.updated = now().description
            try status.write(to: path)
        }
    }
}
