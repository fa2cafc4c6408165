import Foundation

/// The team's local time (Europe/London), read at the edge of the program only.
///
/// Library code never asks the clock: it takes the day (`--as-of`) or the instant (`--now`) as an
/// argument, so every run can be replayed. This is where the command line and the daemon get the
/// real one. UK civil time is worked out here rather than from the system's time-zone files, so
/// a server without them still publishes at 07:30 London time: GMT, and BST (GMT+1) from 01:00 GMT
/// on the last Sunday of March to 01:00 GMT on the last Sunday of October (the rule since 1996).
public enum WallClock {
    /// The local date and time now in Europe/London.
    public static func now() -> LocalDateTime {
        localDateTime(unixSeconds: Int(Date().timeIntervalSince1970.rounded(.down)))
    }

    /// Today's date in Europe/London.
    public static func today() -> Day {
        now().day
    }

    /// The local date and minute of the day of an instant (seconds since 1970-01-01 UTC) in
    /// Europe/London.
    public static func localDateTime(unixSeconds: Int) -> LocalDateTime {
        let minutes = unixSeconds.floorDivided(by: 60)
        let local = minutes + (isSummerTime(utcMinutes: minutes) ? 60 : 0)
        return LocalDateTime(day: Day(ordinal: Int32(local.floorDivided(by: 1440))), minuteOfDay: local.modulo(1440))
    }

    /// Whether British Summer Time is in force at a UTC instant (minutes since 1970-01-01).
    static func isSummerTime(utcMinutes: Int) -> Bool {
        let day = Day(ordinal: Int32(utcMinutes.floorDivided(by: 1440)))
        let year = day.year
        let starts = lastSunday(of: 3, year: year).ordinal
        let ends = lastSunday(of: 10, year: year).ordinal
        let start = Int(starts) * 1440 + 60
        let end = Int(ends) * 1440 + 60
        return utcMinutes >= start && utcMinutes < end
    }

    private static func lastSunday(of month: Int, year: Int) -> Day {
        var day = Day(year: year, month: month, day: Day.daysIn(month: month, year: year))!
        while day.weekday != .sunday { day = day.adding(days: -1) }
        return day
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
