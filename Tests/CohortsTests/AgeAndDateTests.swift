import Basics
import Cohorts
import TestSupport
import Testing

/// Ages, `age_at`, `days_since`, `years_since` and date arithmetic (rules-language.md "Names",
/// "Other functions", "Arithmetic").
@Suite struct AgeAndDateTests {
    /// `age` for someone born on `born`, on each day of `asOf`.
    static func ages(born: String, on days: [String]) throws -> [Double] {
        try days.map { asOf in
            guard case .number(let age) = try Probe.value("age", asOf: asOf, person: Person(born: born)) else {
                throw FixtureError(description: "age is not a number")
            }
            return age
        }
    }

    @Test func ageTicksOverOnTheBirthday() throws {
        #expect(try Self.ages(born: "1950-11-02", on: ["2026-11-01", "2026-11-02", "2026-11-03"]) == [75, 76, 76])
    }

    @Test func someoneBornOn29FebruaryIsAYearOlderOn1MarchInOrdinaryYears() throws {
        #expect(try Self.ages(born: "2000-02-29", on: ["2025-02-28", "2025-03-01"]) == [24, 25])
        #expect(try Self.ages(born: "2000-02-29", on: ["2024-02-28", "2024-02-29", "2024-03-01"]) == [23, 24, 24])
    }

    @Test func someoneBornOn28FebruaryIsAYearOlderOn28February() throws {
        #expect(try Self.ages(born: "1948-02-28", on: ["2024-02-27", "2024-02-28", "2025-02-28"]) == [75, 76, 77])
    }

    @Test func ageIsZeroOnTheDayOfBirth() throws {
        #expect(try Self.ages(born: "2026-11-02", on: ["2026-11-02"]) == [0])
    }

    @Test func ageInACohortRuleIncludesThe75thBirthday() throws {
        let rules = """
            cohort older "Over 75"
              priority 1
              include if age >= 75
            end
            """
        let people = [Person(born: "1951-11-02"), Person(born: "1951-11-03"), Person(born: "1951-11-01")]
        #expect(try Scenario(rules, asOf: "2026-11-02", people: people).members()["older"] == [0, 2])
    }

    @Test func ageAtGivesWholeYearsOnThatDay() throws {
        let people = [Person(born: "1950-01-01"), Person(born: "1950-01-02"), Person(born: "2000-02-29")]
        #expect(try Probe.values("age_at(2026-01-01)", people: people) == [.number(76), .number(75), .number(25)])
        #expect(
            try Probe.values("age_at(2023-02-28)", people: [Person(born: "2000-02-29")]) == [.number(22)])
        #expect(
            try Probe.values("age_at(2023-03-01)", people: [Person(born: "2000-02-29")]) == [.number(23)])
    }

    @Test func ageAtAnEventDateIsMissingWithoutTheEvent() throws {
        let declarations = "codelist flu = [\"1001\"]"
        let people = [Person(born: "1950-06-01", events: [TestEvent(code: "1001", date: "2020-05-31")]), Person()]
        #expect(
            try Probe.values("age_at(first(flu))", declarations: declarations, people: people) == [
                .number(69), .missing,
            ])
    }

    @Test func daysSinceCountsWholeDaysToToday() throws {
        #expect(try Probe.value("days_since(2026-11-01)") == .number(1))
        #expect(try Probe.value("days_since(today)") == .number(0))
        #expect(try Probe.value("days_since(2026-11-03)") == .number(-1))
        #expect(try Probe.value("days_since(2026-03-01)", asOf: "2026-03-31") == .number(30))
        #expect(try Probe.value("days_since(2024-02-28)", asOf: "2024-03-01") == .number(2))
    }

    @Test func yearsSinceCountsWholeYearsLikeAnAge() throws {
        #expect(try Probe.value("years_since(2025-11-02)") == .number(1))
        #expect(try Probe.value("years_since(2025-11-03)") == .number(0))
        #expect(try Probe.value("years_since(2024-02-29)", asOf: "2025-02-28") == .number(0))
        #expect(try Probe.value("years_since(2024-02-29)", asOf: "2025-03-01") == .number(1))
    }

    @Test func daysSinceAMissingDateIsUnknown() throws {
        let declarations = "codelist flu = [\"1001\"]"
        #expect(try Probe.value("days_since(last(flu))", declarations: declarations) == .missing)
        #expect(try Probe.value("days_since(last(flu)) > 30", declarations: declarations) == .missing)
    }

    @Test func monthArithmeticClampsToTheEndOfTheMonth() throws {
        #expect(try Probe.value("2026-01-31 + 1 month") == .date(day("2026-02-28").ordinal))
        #expect(try Probe.value("2024-01-31 + 1 month") == .date(day("2024-02-29").ordinal))
        #expect(try Probe.value("2024-02-29 + 1 year") == .date(day("2025-02-28").ordinal))
        #expect(try Probe.value("today - 1 month", asOf: "2026-03-31") == .date(day("2026-02-28").ordinal))
        #expect(try Probe.value("2026-03-31 - 6 weeks") == .date(day("2026-02-17").ordinal))
        #expect(try Probe.value("1 year + 2024-02-29") == .date(day("2025-02-28").ordinal))
    }

    @Test func aDateMinusADateIsALengthInDays() throws {
        #expect(try Probe.value("today - 2026-10-01") == .duration(.days(32)))
        #expect(try Probe.value("today - 2026-10-01 <= 32 days") == .bool(true))
        #expect(try Probe.value("today - 2026-10-01 < 32 days") == .bool(false))
    }

    @Test func todayIsTheRunsAsOfDate() throws {
        #expect(try Probe.value("today", asOf: "2024-02-29") == .date(day("2024-02-29").ordinal))
    }
}
