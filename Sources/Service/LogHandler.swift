import Basics
import Synchronization

/// Where log records go: a file, standard error, memory in tests.
public protocol LogHandler: Sendable {
    func write(_ record: LogRecord)
}

/// Keeps records in memory, for tests that assert what was (and was not) logged.
public final class MemoryLogHandler: LogHandler {
    private let storage = Mutex<[LogRecord]>([])

    public init() {}

    public func write(_ record: LogRecord) {
        storage.withLock { $0.append(record) }
    }

    /// Every record so far, in order.
    public var records: [LogRecord] { storage.withLock { $0 } }

    /// Every message so far, in order.
    public var messages: [String] { records.map(\.message) }
}

/// Writes lines to standard error (when a person is watching the daemon in a terminal).
public struct StandardErrorLogHandler: LogHandler {
    public init() {}

    public func write(_ record: LogRecord) {
        Terminal.writeError(record.line + "\n")
    }
}
