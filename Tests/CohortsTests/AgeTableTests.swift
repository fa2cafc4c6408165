import Basics
import TestSupport
import Testing

@testable import Cohorts

/// `age` comes from a table of birthdays (``AgeTable``): it must give what the calendar gives
/// (`Day.wholeYears(since:)`) for every date of birth, on every kind of day, 29 February first.
@Suite struct AgeTableTests {
    /// Days to ask on: around 29 February in leap and ordinary years, the ends of years, days
    /// in years so early that the table stops short, and seeded others.
    static var days: [Day] {
        var days = [
            "2024-02-28", "2024-02-29", "2024-03-01", "2025-02-28", "2025-03-01", "2026-11-02", "2026-12-31",
            "2027-01-01", "2000-02-29", "1900-02-28", "1900-03-01", "0005-06-30", "0130-02-28", "0131-12-31",
        ].map { day($0) }
        var random = SeededRandom(seed: 20_261_206)
        for _ in 0..<40 { days.append(Day(ordinal: Int32.random(in: -30_000...40_000, using: &random))) }
        return days
    }

    @Test(arguments: AgeTableTests.days)
    func givesTheCalendarsAgeForEveryDateOfBirth(today: Day) {
        let table = AgeTable(on: today)
        var wrong: [String] = []
        // Every day from 140 years before to a year after, then 29 Februaries further back.
        for birth in (today.ordinal - 51_500)...(today.ordinal + 366) {
            let expected = today.wholeYears(since: Day(ordinal: birth))
            let age = table.age(bornOn: birth)
            if age != expected, wrong.count < 5 { wrong.append("born \(Day(ordinal: birth)): \(age), not \(expected)") }
        }
        #expect(wrong.isEmpty, "on \(today): \(wrong.joined(separator: "; "))")
    }
}
