import Basics
import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Something that wakes the daemon's loop before its next poll.
public enum DaemonEvent: Sendable, Equatable {
    /// SIGTERM or SIGINT: finish the current step and stop.
    case stop(Int32)
    /// SIGHUP: re-check the rules.
    case reloadRules
}

/// The daemon's one event queue: signal handlers post from their own thread, the loop takes
/// events on its thread, waiting at most until its next poll. No other threads touch the daemon.
public final class EventMailbox: Sendable {
    private let pending = Mutex<[DaemonEvent]>([])
    private let semaphore = DispatchSemaphore(value: 0)

    public init() {}

    /// Posts an event and wakes the loop.
    public func post(_ event: DaemonEvent) {
        pending.withLock { $0.append(event) }
        semaphore.signal()
    }

    /// Waits until an event is posted or `seconds` pass, then takes every event posted so far.
    public func wait(upTo seconds: Double) -> [DaemonEvent] {
        _ = semaphore.wait(timeout: .now() + max(0, seconds))
        return pending.withLock { events in
            defer { events.removeAll() }
            return events
        }
    }
}

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

/// The daemon's signals, at the edge: Dispatch signal sources for SIGTERM, SIGINT and SIGHUP on
/// a private serial queue, bridged into the ``EventMailbox``. Create it first thing, before any
/// other thread starts, and keep it for the life of the process.
///
/// The first SIGTERM or SIGINT asks the loop to stop after the current step; if it has not
/// stopped within the grace period, the step is abandoned (the journal's batches and the
/// record-then-move order make that safe: the step is redone on restart) and the process exits 0.
/// A second signal stops it at once, with status 128 + the signal.
public final class SignalEvents: @unchecked Sendable {
    public let mailbox = EventMailbox()
    public let stop = StopController()
    private let queue = DispatchQueue(label: "outreach.daemon.signals")
    private var sources: [any DispatchSourceSignal] = []

    /// Installs the signal sources.
    /// - Parameter gracePeriod: seconds from the first stop signal to abandoning the current step.
    public init(gracePeriod: Double = 3) {
        for signal in [SIGTERM, SIGINT, SIGHUP] {
            #if canImport(Darwin)
                Darwin.signal(signal, SIG_IGN)
            #endif
            let source = DispatchSource.makeSignalSource(signal: signal, queue: queue)
            source.setEventHandler { [mailbox, stop, queue] in
                SignalEvents.handle(signal, mailbox: mailbox, stop: stop, queue: queue, gracePeriod: gracePeriod)
            }
            source.resume()
            sources.append(source)
        }
    }

    private static func handle(
        _ signal: Int32, mailbox: EventMailbox, stop: StopController, queue: DispatchQueue, gracePeriod: Double
    ) {
        let name = SignalEvents.name(signal)
        guard signal != SIGHUP else {
            stop.logger.info("\(name): re-checking the rules")
            mailbox.post(.reloadRules)
            return
        }
        if stop.request() == 1 {
            stop.logger.info("\(name): stopping after the current step")
            mailbox.post(.stop(signal))
            queue.asyncAfter(deadline: .now() + gracePeriod) {
                guard !stop.isFinished else { return }
                stop.logger.warning(
                    "the current step did not finish within \(Formatting.number(gracePeriod)) s of \(name): "
                        + "abandoned (it is redone on restart); stopped")
                _exit(0)
            }
        } else {
            stop.logger.warning("\(name) again: stopping at once")
            _exit(128 + signal)
        }
    }

    static func name(_ signal: Int32) -> String {
        switch signal {
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        case SIGHUP: "SIGHUP"
        default: "signal \(signal)"
        }
    }
}
