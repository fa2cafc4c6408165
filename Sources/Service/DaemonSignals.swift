import Basics
import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The daemon's OS signals, at the edge: Dispatch signal sources for SIGTERM, SIGINT and SIGHUP on
/// a private serial queue, bridged into the ``SignalMailbox``. Create it first thing, before any
/// other thread starts, and keep it for the life of the process.
///
/// The first SIGTERM or SIGINT asks the loop to stop after the current step; if it has not
/// stopped within the grace period, the step is abandoned (the journal's batches and the
/// record-then-move order make that safe: the step is redone on restart) and the process exits 0.
/// A second signal stops it at once, with status 128 + the signal. Either way the final status is
/// written first (see ``exitNow(_:stop:)``).
public final class DaemonSignals: @unchecked Sendable {
    public let mailbox = SignalMailbox()
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
                DaemonSignals.handle(signal, mailbox: mailbox, stop: stop, queue: queue, gracePeriod: gracePeriod)
            }
            source.resume()
            sources.append(source)
        }
    }

    private static func handle(
        _ signal: Int32, mailbox: SignalMailbox, stop: StopController, queue: DispatchQueue, gracePeriod: Double
    ) {
        let name = DaemonSignals.name(signal)
        guard signal != SIGHUP else {
            stop.logger.info("\(name): re-checking the rules")
            mailbox.post(.reloadRules)
            return
        }
        if stop.request() == 1 {
            stop.logger.info("\(name): stopping after the current step")
            mailbox.post(.stop(signal))
            queue.asyncAfter(deadline: .now() + gracePeriod) {
                guard !stop.isShuttingDown else { return }
                stop.logger.warning(
                    "the current step did not finish within \(Formatting.number(gracePeriod)) s of \(name): "
                        + "abandoned (it is redone on restart); stopped")
                exitNow(0, stop: stop)
            }
        } else {
            stop.logger.warning("\(name) again: stopping at once")
            exitNow(128 + signal, stop: stop)
        }
    }

    /// Ends the process while the loop may still be in a step: the final status first, then
    /// `_exit`, which closes the journal, releases the home's lock and closes the log all at
    /// once as the process ends. Closing them here, one by one, would let another daemon take
    /// the home while this one's abandoned step may still be writing.
    private static func exitNow(_ status: Int32, stop: StopController) -> Never {
        stop.leaveFinalStatus()
        _exit(status)
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
