import Synchronization

/// Whether a stop was asked for, and whether the daemon has finished stopping; shared between
/// the signal queue and the loop.
public final class StopController: Sendable {
    private let state = Mutex<State>(State())

    private struct State {
        var requests = 0
        var finished = false
        var logger = Logger.silent
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

    var isFinished: Bool { state.withLock { $0.finished } }

    func markFinished() {
        state.withLock { $0.finished = true }
    }
}
