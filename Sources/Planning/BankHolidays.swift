import Basics

/// England and Wales bank holidays, built in so a PCN lead does not have to list them.
///
/// The regular holidays follow the Banking and Financial Dealings Act 1971 and royal
/// proclamation practice: New Year's Day, Good Friday, Easter Monday, the first and last Mondays
/// of May, the last Monday of August, Christmas Day and Boxing Day, each moved to the next weekday
/// when it falls on a weekend. The one-off changes are listed from the published dates at
/// https://www.gov.uk/bank-holidays (England and Wales): the early May holiday moved for VE Day
/// (8 May 2020), the spring holiday moved and an extra day for the Platinum Jubilee (2 and
/// 3 June 2022), the State Funeral of Queen Elizabeth II (19 September 2022) and the Coronation
/// (8 May 2023). Years after the last published list use the regular rules; a proclamation that
/// changes them later is covered by `closed` dates in the team's rules.
public enum BankHolidays {
    /// The bank holidays of one year in England and Wales, in date order.
    public static func englandAndWales(year: Int) -> [Day] {
        var days: [Day] = []
        days.append(substitute(Day(year: year, month: 1, day: 1)!))
        let easter = easterSunday(year: year)
        days.append(easter.adding(days: -2))
        days.append(easter.adding(days: 1))
        switch year {
        case 2020: days.append(Day(year: 2020, month: 5, day: 8)!)
        default: days.append(firstMonday(year: year, month: 5))
        }
        if year == 2023 { days.append(Day(year: 2023, month: 5, day: 8)!) }
        switch year {
        case 2022: days += [Day(year: 2022, month: 6, day: 2)!, Day(year: 2022, month: 6, day: 3)!]
        default: days.append(lastMonday(year: year, month: 5))
        }
        days.append(lastMonday(year: year, month: 8))
        if year == 2022 { days.append(Day(year: 2022, month: 9, day: 19)!) }
        let christmas = Day(year: year, month: 12, day: 25)!
        let boxingDay = Day(year: year, month: 12, day: 26)!
        switch christmas.weekday {
        case .saturday:
            days += [christmas.adding(days: 2), boxingDay.adding(days: 2)]
        case .sunday:
            days += [boxingDay, christmas.adding(days: 2)]
        case .friday:
            days += [christmas, boxingDay.adding(days: 2)]
        default:
            days += [christmas, boxingDay]
        }
        return days.sorted()
    }

    /// Whether `day` is a bank holiday in England and Wales.
    public static func isBankHoliday(_ day: Day) -> Bool {
        if let known = table[day.year] { return known.contains(day) }
        return englandAndWales(year: day.year).contains(day)
    }

    /// The holidays of the years the tool will meet, worked out once.
    private static let table: [Int: Set<Day>] = Dictionary(
        uniqueKeysWithValues: (2000...2100).map { ($0, Set(englandAndWales(year: $0))) })

    /// Easter Sunday (Gregorian), by the anonymous algorithm (Meeus/Jones/Butcher).
    static func easterSunday(year: Int) -> Day {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return Day(year: year, month: month, day: day)!
    }

    private static func substitute(_ day: Day) -> Day {
        switch day.weekday {
        case .saturday: return day.adding(days: 2)
        case .sunday: return day.adding(days: 1)
        default: return day
        }
    }

    private static func firstMonday(year: Int, month: Int) -> Day {
        var day = Day(year: year, month: month, day: 1)!
        while day.weekday != .monday { day = day.adding(days: 1) }
        return day
    }

    private static func lastMonday(year: Int, month: Int) -> Day {
        var day = Day(year: year, month: month, day: Day.daysIn(month: month, year: year))!
        while day.weekday != .monday { day = day.adding(days: -1) }
        return day
    }
}
