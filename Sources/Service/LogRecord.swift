import Basics
import Synchronization

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
