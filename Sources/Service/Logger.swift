import Basics
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// How much a log line matters.
public enum LogLevel: Int, Comparable, Sendable, CaseIterable {
    case debug, info, warning, error

    /// The fixed-width word written in the line.
    public var label: String {
        switch self {
        case .debug: "DEBUG"
        case .info: "INFO "
        case .warning: "WARN "
        case .error: "ERROR"
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One logged event.
///
/// - Important: messages hold counts, file names, practice codes, cohort ids and item ids only,
///   never patient-identifiable data (daemon.md "Logs"). Callers build them from those alone.
public struct LogRecord: Sendable, Equatable {
    /// Seconds since 1970-01-01 UTC, with the fraction.
    public let time: Double
    public let level: LogLevel
    public let message: String

    public init(time: Double, level: LogLevel, message: String) {
        self.time = time
        self.level = level
        self.message = message
    }

    /// `2026-11-23T07:31:05.123Z INFO  message`: one line, UTC, newlines in the message shown as ` | `.
    public var line: String {
        LogRecord.timestamp(time) + " " + level.label + " " + LogRecord.oneLine(message)
    }

    /// An instant as `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC: unambiguous across the clock change).
    static func timestamp(_ time: Double) -> String {
        let seconds = Int(time.rounded(.down))
        let millis = min(999, Int((time - Double(seconds)) * 1000))
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let second = seconds - days * 86_400
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        let fraction = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : String(millis)
        let clock = "\(two(second / 3600)):\(two(second / 60 % 60)):\(two(second % 60)).\(fraction)"
        return "\(Day(ordinal: Int32(days)))T\(clock)Z"
    }

    static func oneLine(_ text: String) -> String {
        guard text.contains(where: { $0 == "\n" || $0 == "\r" }) else { return text }
        return text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " | ")
    }
}

/// Where log records go: a file, standard error, memory in tests.
public protocol LogHandler: Sendable {
    func write(_ record: LogRecord)
}

/// The service's logger: a small value that stamps each event and hands it to its handlers.
public struct Logger: Sendable {
    public var handlers: [any LogHandler]
    /// Records below this level are dropped.
    public var minimumLevel: LogLevel

    public init(handlers: [any LogHandler], minimumLevel: LogLevel = .info) {
        self.handlers = handlers
        self.minimumLevel = minimumLevel
    }

    /// A logger that writes nowhere.
    public static let silent = Logger(handlers: [])

    public func log(_ level: LogLevel, _ message: @autoclosure () -> String) {
        guard level >= minimumLevel, !handlers.isEmpty else { return }
        let record = LogRecord(time: Logger.currentTime(), level: level, message: message())
        for handler in handlers { handler.write(record) }
    }

    public func debug(_ message: @autoclosure () -> String) { log(.debug, message()) }
    public func info(_ message: @autoclosure () -> String) { log(.info, message()) }
    public func warning(_ message: @autoclosure () -> String) { log(.warning, message()) }
    public func error(_ message: @autoclosure () -> String) { log(.error, message()) }

    /// The real time now, in seconds since 1970 (log lines show when things happened, even
    /// when `--now` pins the service's idea of the day).
    static func currentTime() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
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
