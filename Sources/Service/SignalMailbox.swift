import Dispatch
import Synchronization

/// The daemon's one queue of signal requests: signal handlers post from their own thread, the
/// loop takes them on its thread, waiting at most until its next poll. No other threads touch the daemon.
public final class SignalMailbox: Sendable {
    private let pending = Mutex<[SignalRequest]>([])
    private let semaphore = DispatchSemaphore(value: 0)

    public init() {}

    /// Posts a request and wakes the loop.
    public func post(_ request: SignalRequest) {
        pending.withLock { $0.append(request) }
        semaphore.signal()
    }

    /// Waits until a request is posted or `seconds` pass, then takes every request posted so far.
    public func wait(upTo seconds: Double) -> [SignalRequest] {
        _ = semaphore.wait(timeout: .now() + max(0, seconds))
        return pending.withLock { requests in
            defer { requests.removeAll() }
            return requests
        }
    }
}
