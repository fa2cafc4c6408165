import Testing

@testable import Basics

@Suite struct DayTests {
    @Test func roundTripsEveryDayOverFourCenturies() {
        var day = Day(year: 1800, month: 1, day: 1)!
        let end = Day(year: 2201, month: 1, day: 1)!
        var previous: (Int, Int, Int)?
        while day < end {
            let (y, m, d) = day.components
            #expect(Day(year: y, month: m, day: d) == day)
            if let previous { #expect((y, m, d) > previous) }
            previous = (y, m, d)
            day = day.adding(days: 1)
        }
    }

    @Test func knownOrdinalsAndWeekdays() {
        #expect(Day(year: 1970, month: 1, day: 1)!.ordinal == 0)
        #expect(Day(year: 2000, month: 3, day: 1)!.ordinal == 11_017)
        #expect(Day(year: 1969, month: 12, day: 31)!.ordinal == -1)
        #expect(Day(year: 2026, month: 11, day: 25)!.weekday == .wednesday)
        #expect(Day(year: 2026, month: 12, day: 25)!.weekday == .friday)
        #expect(Day(year: 1900, month: 1, day: 1)!.weekday == .monday)
    }

    @Test(arguments: [
        (2024, 2, 30), (2023, 2, 29), (1900, 2, 29), (2026, 4, 31), (2026, 13, 1), (2026, 0, 1), (2026, 1, 0),
    ])
    func refusesImpossibleDays(_ y: Int, _ m: Int, _ d: Int) {
        #expect(Day(year: y, month: m, day: d) == nil)
    }

    @Test func acceptsLeapDays() {
        #expect(Day(year: 2024, month: 2, day: 29) != nil)
        #expect(Day(year: 2000, month: 2, day: 29) != nil)
    }

    @Test func monthArithmeticClampsToTheMonthEnd() {
        let jan31 = Day(year: 2026, month: 1, day: 31)!
        #expect(jan31.adding(Period(1, .months)) == Day(year: 2026, month: 2, day: 28))
        #expect(Day(year: 2024, month: 1, day: 31)!.adding(Period(1, .months)) == Day(year: 2024, month: 2, day: 29))
        #expect(Day(year: 2024, month: 2, day: 29)!.adding(Period(1, .years)) == Day(year: 2025, month: 2, day: 28))
        #expect(
            Day(year: 2026, month: 3, day: 31)!.subtracting(Period(1, .months)) == Day(year: 2026, month: 2, day: 28))
        #expect(
            Day(year: 2026, month: 1, day: 15)!.subtracting(Period(2, .months)) == Day(year: 2025, month: 11, day: 15))
        #expect(Day(year: 2026, month: 11, day: 2)!.subtracting(Period(90, .days)) == Day(year: 2026, month: 8, day: 4))
        #expect(Day(year: 2026, month: 11, day: 2)!.adding(Period(6, .weeks)) == Day(year: 2026, month: 12, day: 14))
    }

    @Test func absurdLengthsOfTimeClampInsteadOfCrashing() {
        let day = Day(year: 2026, month: 11, day: 2)!
        #expect(day.adding(days: 3_000_000_000).year == 9999)
        #expect(day.adding(days: -3_000_000_000).year == 1)
        #expect(day.adding(Period(Int.max, .weeks)).year == 9999)
        #expect(day.subtracting(Period(Int.max, .years)).year == 1)
        #expect(day.adding(Period(50_000, .months)).year == 6193)
    }

    @Test func agesTurnOnTheBirthdayAndLeaplingsOnFirstOfMarch() {
        let born = Day(year: 1950, month: 6, day: 15)!
        #expect(Day(year: 2026, month: 6, day: 14)!.wholeYears(since: born) == 75)
        #expect(Day(year: 2026, month: 6, day: 15)!.wholeYears(since: born) == 76)
        let leapling = Day(year: 2000, month: 2, day: 29)!
        #expect(Day(year: 2025, month: 2, day: 28)!.wholeYears(since: leapling) == 24)
        #expect(Day(year: 2025, month: 3, day: 1)!.wholeYears(since: leapling) == 25)
        #expect(Day(year: 2028, month: 2, day: 29)!.wholeYears(since: leapling) == 28)
    }

    @Test func isoFormAndHumanForm() {
        #expect(Day(iso: "2026-03-03")?.description == "2026-03-03")
        #expect(Day(iso: "2026-03-03")?.humanDescription == "3 Mar 2026")
        #expect(Day(iso: "2026-02-30") == nil)
        #expect(Day(iso: "2026-3-3") == nil)
        #expect(Day(iso: "26-03-03xx") == nil)
        #expect(Day(year: 987, month: 1, day: 2)?.description == "0987-01-02")
    }

    @Test func weekdaysAndPeriodsParseAsRuleFilesWriteThem() {
        #expect(Weekday(name: "Mon") == .monday)
        #expect(Weekday(name: "thursday") == .thursday)
        #expect(Weekday(name: "thu") == .thursday)
        #expect(Weekday(name: "mo") == nil)
        #expect(Period.Unit(word: "Day") == .days)
        #expect(Period.Unit(word: "months") == .months)
        #expect(Period.Unit(word: "fortnight") == nil)
        #expect(Period(1, .years).description == "1 year")
        #expect(Period(90, .days).description == "90 days")
    }
}

@Suite struct WallClockTests {
    /// Seconds since 1970 of a UTC date and time.
    private func utc(_ iso: String, _ hour: Int, _ minute: Int) -> Int {
        Int(Day(iso: iso)!.ordinal) * 86_400 + hour * 3600 + minute * 60
    }

    @Test func londonIsGMTInWinterAndBSTInSummer() {
        #expect(WallClock.localDateTime(unixSeconds: utc("2026-11-25", 7, 30)).description == "2026-11-25T07:30")
        #expect(WallClock.localDateTime(unixSeconds: utc("2026-07-01", 6, 30)).description == "2026-07-01T07:30")
    }

    @Test func clocksChangeAt0100GMTOnTheLastSundays() {
        // 29 March 2026: 00:59 GMT is 00:59; 01:00 GMT is 02:00 BST.
        #expect(WallClock.localDateTime(unixSeconds: utc("2026-03-29", 0, 59)).description == "2026-03-29T00:59")
        #expect(WallClock.localDateTime(unixSeconds: utc("2026-03-29", 1, 0)).description == "2026-03-29T02:00")
        // 25 October 2026: 00:59 GMT is 01:59 BST; 01:00 GMT is 01:00 GMT again.
        #expect(WallClock.localDateTime(unixSeconds: utc("2026-10-25", 0, 59)).description == "2026-10-25T01:59")
        #expect(WallClock.localDateTime(unixSeconds: utc("2026-10-25", 1, 0)).description == "2026-10-25T01:00")
        // Late evening in summer is already the next day in London.
        #expect(WallClock.localDateTime(unixSeconds: utc("2026-06-30", 23, 30)).description == "2026-07-01T00:30")
    }
}

@Suite struct LocalDateTimeTests {
    @Test func parsesAndPrintsTheNowOption() {
        let value = LocalDateTime(iso: "2026-11-23T07:31")
        #expect(value?.day == Day(year: 2026, month: 11, day: 23))
        #expect(value?.minuteOfDay == 7 * 60 + 31)
        #expect(value?.description == "2026-11-23T07:31")
        #expect(LocalDateTime(iso: "2026-11-23T24:00") == nil)
        #expect(LocalDateTime(iso: "2026-11-23 07:31") == nil)
    }
}
