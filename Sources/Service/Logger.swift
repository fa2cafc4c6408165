import Basics
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

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
