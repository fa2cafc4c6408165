import Testing
import Basics
@testable import Planning
import RuleLanguage
import TestSupport

@Suite struct BankHolidayTests {
    /// The published England and Wales lists (gov.uk/bank-holidays).
    @Test(arguments: [
        (
            2024,
            [
                "2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25",
                "2024-12-26",
            ]
        ),
        (
            2025,
            [
                "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25",
                "2025-12-26",
            ]
        ),
        (
            2026,
            [
                "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25",
                "2026-12-28",
            ]
        ),
        (
            2027,
            [
                "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27",
                "2027-12-28",
            ]
        ),
        (
            2022,
            [
                "2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03", "2022-08-29",
                "2022-09-19", "2022-12-26", "2022-12-27",
            ]
        ),
        (
            2023,
            [
                "2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-28",
                "2023-12-25", "2023-12-26",
            ]
        ),
        (
            2020,
            [
                "2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25", "2020-08-31", "2020-12-25",
                "2020-12-28",
            ]
        ),
        (
            2021,
            [
                "2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31", "2021-08-30", "2021-12-27",
                "2021-12-28",
            ]
        ),
    ])
    func matchesThePublishedList(year: Int, expected: [String]) {
        #expect(BankHolidays.englandAndWales(year: year).map(\.description) == expected)
    }
}

@Suite struct TeamCalendarTests {
    let gina = Worker(
        id: "gina", name: "Gina Patel", callsPerDay: 20, works: [.monday, .tuesday, .thursday],
        practices: ["E82001", "E82004"], speaks: ["English", "Gujarati"], skills: ["bereavement"],
        away: [day("2026-12-21")...day("2027-01-01")])
    let sam = Worker(id: "sam", name: "Sam Okafor", callsPerDay: 15)

    var team: Roster {
        Roster(
            team: Team(name: "Example PCN", workingDays: Team.standard.workingDays, closed: [day("2026-12-24")]),
            workers: [sam, gina])
    }

    @Test func openOnWeekdaysButNotOnBankHolidaysOrClosures() {
        #expect(team.isOpen(on: day("2026-11-25")))
        #expect(!team.isOpen(on: day("2026-11-28")))  // Saturday
        #expect(!team.isOpen(on: day("2026-12-25")))  // Christmas
        #expect(!team.isOpen(on: day("2026-12-28")))  // Boxing Day substitute
        #expect(!team.isOpen(on: day("2026-12-24")))  // closed by the rules
        #expect(team.closure(on: day("2026-12-24")) == "the team is closed")
        #expect(team.closure(on: day("2026-12-25")) == "a bank holiday")
        #expect(team.closure(on: day("2026-11-28")) == "not a working day (saturday)")
    }

    /// The table of next working days, worked out year by year, against the calendar's own
    /// answer (``Roster/closure(on:)``) for every day it covers and the days either side, for
    /// teams with other weeks, closures across a year's end and no bank holidays.
    @Test(arguments: [
        (Team.standard.workingDays, [String](), true),
        ([Weekday.monday, .wednesday, .saturday], ["1990-01-01", "1999-12-31", "2000-01-03", "2100-12-31"], true),
        ([Weekday.sunday], ["2026-12-27"], false),
        (Weekday.allCases, [String](), true),
    ])
    func nextWorkingDaysMatchTheCalendarOnEveryDay(workingDays: [Weekday], closed: [String], bankHolidays: Bool) {
        let roster = Roster(
            team: Team(name: "T", workingDays: workingDays, closed: closed.map(day)), workers: [sam],
            observesBankHolidays: bankHolidays)
        var expectedNext: Day?
        var candidate = day("2101-01-10")
        let first = day("1989-12-20")
        var mismatches: [String] = []
        while candidate >= first {
            let open = roster.closure(on: candidate) == nil
            if open { expectedNext = candidate }
            if roster.isOpen(on: candidate) != open { mismatches.append("isOpen \(candidate)") }
            if let expectedNext, expectedNext.days(since: candidate) < 700,
                roster.workingDay(onOrAfter: candidate) != expectedNext
            {
                mismatches.append("next \(candidate)")
            }
            candidate = candidate.adding(days: -1)
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func workersWorkTheirOwnDaysAndNotOnLeave() {
        #expect(team.isWorking(gina, on: day("2026-11-23")))  // Monday
        #expect(!team.isWorking(gina, on: day("2026-11-25")))  // Wednesday
        #expect(!team.isWorking(gina, on: day("2026-12-21")))  // away
        #expect(!team.isWorking(gina, on: day("2027-01-01")))  // away, and a bank holiday
        #expect(team.isWorking(gina, on: day("2027-01-04")))
        #expect(team.workers(on: day("2026-11-25")).map(\.id) == ["sam"])
        #expect(team.capacity(on: day("2026-11-23")) == 35)
    }

    @Test func workingDaysSkipWeekendsAndHolidays() {
        #expect(team.workingDay(onOrAfter: day("2026-12-24")) == day("2026-12-29"))
        #expect(team.workingDay(after: day("2026-11-27")) == day("2026-11-30"))
        #expect(
            team.workingDays(from: day("2026-11-26"), count: 3).map(\.description) == [
                "2026-11-26", "2026-11-27", "2026-11-30",
            ])
    }

    @Test func workerPermissionsAreCaseInsensitiveForLanguagesAndSkills() {
        #expect(gina.serves("E82001"))
        #expect(!gina.serves("E82002"))
        #expect(sam.serves("E82002"))
        #expect(gina.speaks("gujarati"))
        #expect(!sam.speaks("Gujarati"))
        #expect(gina.hasSkills(["bereavement"]))
        #expect(!sam.hasSkills(["bereavement"]))
        #expect(sam.hasSkills([]))
    }
}
