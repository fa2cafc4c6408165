import Foundation

/// The team's local time (Europe/London), read at the edge of the program only.
///
/// Library code never asks the clock: it takes the day (`--as-of`) or the instant (`--now`) as an
/// argument, so every run can be replayed. This is where the command line and the daemon get the
/// real one.
public enum WallClock {
    /// The time zone the team works in; lists are keyed by its local date.
    public static let teamTimeZone = TimeZone(identifier: "Europe/London") ?? TimeZone(secondsFromGMT: 0)!

    /// The local date and time now in Europe/London.
    public static func now() -> LocalDateTime {
        localDateTime(of: Date())
    }

    /// Today's date in Europe/London.
    public static func today() -> Day {
        localDateTime(of: Date()).day
    }

    /// The local date and minute of the day (0–1439) of an instant in Europe/London
    /// (GMT in winter, BST in summer).
    public static func localDateTime(of instant: Date) -> LocalDateTime {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = teamTimeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        let day = Day(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) ?? Day(ordinal: 0)
        return LocalDateTime(day: day, minuteOfDay: (parts.hour ?? 0) * 60 + (parts.minute ?? 0))
    }
}

/// A local date and time to the minute, as the team's wall clock shows it.
public struct LocalDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let day: Day
    /// Minutes since local midnight, 0–1439.
    public let minuteOfDay: Int

    public init(day: Day, minuteOfDay: Int) {
        self.day = day
        self.minuteOfDay = minuteOfDay
    }

    /// Parses `2026-11-23T07:31`.
    public init?(iso text: String) {
        let parts = text.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count == 2, let day = Day(iso: parts[0]) else { return nil }
        let time = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard time.count == 2, time[0].count == 2, time[1].count == 2, let hour = Int(time[0]),
            let minute = Int(time[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        self.init(day: day, minuteOfDay: hour * 60 + minute)
    }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        (lhs.day, lhs.minuteOfDay) < (rhs.day, rhs.minuteOfDay)
    }

    /// `2026-11-23T07:31`.
    public var description: String {
        let hour = minuteOfDay / 60
        let minute = minuteOfDay % 60
        return "\(day)T\(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)"
    }
}
