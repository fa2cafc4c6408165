/// A calendar day, with no time of day and no time zone.
///
/// Outreach reasons about dates, never instants: "on or after today − 90 days", "age on 1 March".
/// Keeping days as a plain count removes time zones and clock changes from the domain and makes
/// `--as-of` arithmetic exact. The count is days since 1970-01-01 (the proleptic Gregorian
/// calendar), so comparison and subtraction are integer operations.
public struct Day: Hashable, Comparable, Sendable {
    /// Days since 1970-01-01; negative before it.
    public let ordinal: Int32

    /// Makes the day `ordinal` days after 1970-01-01.
    public init(ordinal: Int32) {
        self.ordinal = ordinal
    }

    /// Makes a day from its year, month (1–12) and day of month, or `nil` when no such day exists
    /// (31 February is refused, never rolled over into March).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= Day.daysIn(month: month, year: year)
        else { return nil }
        self.ordinal = Int32(Day.daysFromCivil(year: year, month: month, day: day))
    }

    /// The year, month (1–12) and day of month.
    public var components: (year: Int, month: Int, day: Int) {
        Day.civil(fromDays: Int(ordinal))
    }

    public var year: Int { components.year }
    public var month: Int { components.month }
    public var dayOfMonth: Int { components.day }

    /// The day of the week.
    public var weekday: Weekday {
        // 1970-01-01 was a Thursday (ISO weekday 4).
        let isoIndex = (Int(ordinal) + 3).modulo(7) + 1
        return Weekday(isoNumber: isoIndex)!
    }

    /// The day `days` later (earlier when negative), kept within years 1 to 9999 so that an absurd
    /// length of time in a rule gives a far-off day rather than a crash.
    public func adding(days: Int) -> Day {
        let (sum, overflow) = Int(ordinal).addingReportingOverflow(days)
        let clamped = overflow ? (days < 0 ? Day.earliest : Day.latest) : min(max(sum, Day.earliest), Day.latest)
        return Day(ordinal: Int32(clamped))
    }

    /// 0001-01-01 and 9999-12-31, the range of days Outreach represents.
    static let earliest = daysFromCivil(year: 1, month: 1, day: 1)
    static let latest = daysFromCivil(year: 9999, month: 12, day: 31)

    /// The day one period later; months and years clamp to the end of the month
    /// (31 January + 1 month = 28 or 29 February).
    public func adding(_ period: Period) -> Day {
        switch period.unit {
        case .days: return adding(days: period.count)
        case .weeks:
            return adding(
                days: period.count.multipliedReportingOverflow(by: 7).overflow
                    ? period.count.signum() * Int.max : 7 * period.count)
        case .months: return adding(months: max(-120_000, min(120_000, period.count)))
        case .years: return adding(months: 12 * max(-10_000, min(10_000, period.count)))
        }
    }

    /// The day one period earlier, clamping like ``adding(_:)``.
    public func subtracting(_ period: Period) -> Day {
        adding(Period(-period.count, period.unit))
    }

    /// Whole days from `other` to this day (positive when this day is later).
    public func days(since other: Day) -> Int {
        Int(ordinal) - Int(other.ordinal)
    }

    /// Whole years from `start` to this day: an age. Someone born on 29 February turns a year
    /// older on 1 March in years without one.
    public func wholeYears(since start: Day) -> Int {
        let (y0, m0, d0) = start.components
        let (y1, m1, d1) = components
        var years = y1 - y0
        if (m1, d1) < (m0, d0) { years -= 1 }
        return years
    }

    private func adding(months: Int) -> Day {
        let (y, m, d) = components
        let total = y * 12 + (m - 1) + months
        let year = total.floorDivided(by: 12)
        let month = total.modulo(12) + 1
        let clampedYear = min(max(year, 1), 9999)
        let day = min(d, Day.daysIn(month: month, year: clampedYear))
        return Day(ordinal: Int32(Day.daysFromCivil(year: clampedYear, month: month, day: day)))
    }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }

    /// Whether `year` has a 29 February.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in a month of a year.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's `days_from_civil`: proleptic Gregorian date to days since 1970-01-01.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = y.floorDivided(by: 400)
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Howard Hinnant's `civil_from_days`, the inverse of ``daysFromCivil(year:month:day:)``.
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = z.floorDivided(by: 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

extension Day: CustomStringConvertible {
    /// ISO 8601, `2026-03-03`: the form every file Outreach writes uses.
    public var description: String {
        let (y, m, d) = components
        return Day.pad(y, 4) + "-" + Day.pad(m, 2) + "-" + Day.pad(d, 2)
    }

    /// The form people read on a call list or report: `3 Mar 2026`.
    public var humanDescription: String {
        let (y, m, d) = components
        return "\(d) \(Day.monthAbbreviations[m - 1]) \(y)"
    }

    /// English month abbreviations, January first.
    public static let monthAbbreviations = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

extension Day {
    /// Parses exactly `YYYY-MM-DD`, the only date form rule files and Outreach's own files use.
    public init?(iso text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let y = Day.digits(bytes[0..<4]), let m = Day.digits(bytes[5..<7]),
            let d = Day.digits(bytes[8..<10])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    private static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}

/// A day of the week, Monday first as in ISO 8601 and in English working life.
public enum Weekday: Int, CaseIterable, Comparable, Sendable, CustomStringConvertible {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    /// The weekday with ISO number 1 (Monday) to 7 (Sunday).
    public init?(isoNumber: Int) {
        self.init(rawValue: isoNumber)
    }

    /// Parses `mon`, `Monday`, `TUE`…: the three-letter abbreviation or the full name, any case.
    public init?(name: some StringProtocol) {
        let lowered = name.lowercased()
        guard let match = Weekday.allCases.first(where: { $0.shortName == lowered || $0.fullName == lowered })
        else { return nil }
        self = match
    }

    /// `mon`, `tue`, … as rule files write them.
    public var shortName: String { String(fullName.prefix(3)) }

    /// `monday`, `tuesday`, …
    public var fullName: String {
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][rawValue - 1]
    }

    public var description: String { shortName }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A length of calendar time as people say it: `90 days`, `6 weeks`, `12 months`, `1 year`.
///
/// Months and years are kept as such (not converted to days) because "1 month after 31 January"
/// is 28 or 29 February, which only calendar arithmetic gets right.
public struct Period: Hashable, Sendable, CustomStringConvertible {
    /// The unit a period is counted in.
    public enum Unit: String, CaseIterable, Sendable {
        case days, weeks, months, years

        /// Parses `day`, `days`, `week`, … (singular or plural, any case).
        public init?(word: some StringProtocol) {
            let lowered = word.lowercased()
            let plural = lowered.hasSuffix("s") ? lowered : lowered + "s"
            self.init(rawValue: plural)
        }
    }

    public let count: Int
    public let unit: Unit

    public init(_ count: Int, _ unit: Unit) {
        self.count = count
        self.unit = unit
    }

    public static func days(_ count: Int) -> Period { Period(count, .days) }

    /// An approximate length in days, for comparing periods of different units
    /// (a month counts as 30 days, a year as 365). Never used for date arithmetic.
    public var approximateDays: Int {
        switch unit {
        case .days: return count
        case .weeks: return count * 7
        case .months: return count * 30
        case .years: return count * 365
        }
    }

    /// `90 days`, `1 year`.
    public var description: String {
        let word = String(unit.rawValue.dropLast())
        return "\(count) \(abs(count) == 1 ? word : word + "s")"
    }
}

extension Int {
    /// Division rounding towards negative infinity.
    @inlinable func floorDivided(by divisor: Int) -> Int {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    /// The remainder that is never negative for a positive divisor.
    @inlinable func modulo(_ divisor: Int) -> Int {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
