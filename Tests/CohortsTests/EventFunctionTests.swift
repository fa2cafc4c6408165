import Basics
import Cohorts
import TestSupport
import Testing

/// Event functions and their windows at the boundaries a PCN lead's protocol depends on:
/// the boundary day, the day before and the day after (rules-language.md "Event functions").
@Suite struct WindowBoundaryTests {
    @Test func withinDaysStartsOnTodayMinusTheDaysAndEndsToday() throws {
        let seen = try Probe.eachEventDay(
            "has(flu, within 90 days)", asOf: "2026-11-02",
            days: ["2026-08-03", "2026-08-04", "2026-08-05", "2026-11-02", "2026-11-03"])
        #expect(
            seen == [
                "2026-08-03": false, "2026-08-04": true, "2026-08-05": true, "2026-11-02": true, "2026-11-03": false,
            ])
    }

    @Test func withinWeeksCountsSevenDaysAWeek() throws {
        let seen = try Probe.eachEventDay(
            "has(flu, within 6 weeks)", asOf: "2026-11-02", days: ["2026-09-20", "2026-09-21", "2026-09-22"])
        #expect(seen == ["2026-09-20": false, "2026-09-21": true, "2026-09-22": true])
    }

    @Test func withinOneMonthOf31MarchStartsOnTheLastDayOfFebruary() throws {
        let common = try Probe.eachEventDay(
            "has(flu, within 1 month)", asOf: "2026-03-31", days: ["2026-02-27", "2026-02-28", "2026-03-01"])
        #expect(common == ["2026-02-27": false, "2026-02-28": true, "2026-03-01": true])
        let leap = try Probe.eachEventDay(
            "has(flu, within 1 month)", asOf: "2024-03-31", days: ["2024-02-28", "2024-02-29", "2024-03-01"])
        #expect(leap == ["2024-02-28": false, "2024-02-29": true, "2024-03-01": true])
    }

    @Test func withinMonthsOnAnOrdinaryDayKeepsTheDayOfMonth() throws {
        let seen = try Probe.eachEventDay(
            "has(flu, within 6 months)", asOf: "2026-11-02", days: ["2026-05-01", "2026-05-02", "2026-05-03"])
        #expect(seen == ["2026-05-01": false, "2026-05-02": true, "2026-05-03": true])
    }

    @Test func withinAYearOfALeapDayStartsOn28February() throws {
        let seen = try Probe.eachEventDay(
            "has(flu, within 1 year)", asOf: "2024-02-29", days: ["2023-02-27", "2023-02-28", "2023-03-01"])
        #expect(seen == ["2023-02-27": false, "2023-02-28": true, "2023-03-01": true])
        let months = try Probe.eachEventDay(
            "has(flu, within 12 months)", asOf: "2024-02-29", days: ["2023-02-27", "2023-02-28", "2023-03-01"])
        #expect(months == seen)
    }

    @Test func withinAYearOf1MarchAfterALeapYearExcludesTheLeapDay() throws {
        let seen = try Probe.eachEventDay(
            "has(flu, within 1 year)", asOf: "2025-03-01", days: ["2024-02-29", "2024-03-01", "2024-03-02"])
        #expect(seen == ["2024-02-29": false, "2024-03-01": true, "2024-03-02": true])
    }

    @Test func sinceIncludesItsDate() throws {
        let seen = try Probe.eachEventDay(
            "has(flu, since 2026-01-01)", asOf: "2026-11-02",
            days: ["2025-12-31", "2026-01-01", "2026-01-02", "2026-11-03"])
        #expect(seen == ["2025-12-31": false, "2026-01-01": true, "2026-01-02": true, "2026-11-03": false])
    }

    @Test func beforeIsStrictlyBefore() throws {
        let seen = try Probe.eachEventDay(
            "has(flu, before 2026-01-01)", asOf: "2026-11-02", days: ["2025-12-31", "2026-01-01", "2026-01-02"])
        #expect(seen == ["2025-12-31": true, "2026-01-01": false, "2026-01-02": false])
    }

    @Test func betweenIncludesBothEnds() throws {
        let seen = try Probe.eachEventDay(
            "has(flu, between 2026-01-01 and 2026-03-31)", asOf: "2026-11-02",
            days: ["2025-12-31", "2026-01-01", "2026-01-02", "2026-03-30", "2026-03-31", "2026-04-01"])
        #expect(
            seen == [
                "2025-12-31": false, "2026-01-01": true, "2026-01-02": true, "2026-03-30": true, "2026-03-31": true,
                "2026-04-01": false,
            ])
    }

    @Test func betweenReachingPastTodayStillIgnoresEventsAfterToday() throws {
        let seen = try Probe.eachEventDay(
            "has(flu, between 2026-10-01 and 2026-12-31)", asOf: "2026-11-02",
            days: ["2026-11-02", "2026-11-03", "2026-12-31"])
        #expect(seen == ["2026-11-02": true, "2026-11-03": false, "2026-12-31": false])
    }

    @Test func windowDatesMayBeArithmeticThatClampsToTheMonthsEnd() throws {
        // 31 Jan 2025 + 1 month = 28 Feb 2025.
        let seen = try Probe.eachEventDay(
            "has(flu, since 2025-01-31 + 1 month)", asOf: "2026-11-02",
            days: ["2025-02-27", "2025-02-28", "2025-03-01"])
        #expect(seen == ["2025-02-27": false, "2025-02-28": true, "2025-03-01": true])
        let viaToday = try Probe.eachEventDay(
            "has(flu, since today - 1 month)", asOf: "2026-03-31", days: ["2026-02-27", "2026-02-28"])
        #expect(viaToday == ["2026-02-27": false, "2026-02-28": true])
    }

    @Test func noWindowSeesEverythingUpToTodayAndNothingAfter() throws {
        let seen = try Probe.eachEventDay(
            "has(flu)", asOf: "2026-11-02", days: ["1901-01-01", "2026-11-02", "2026-11-03", "2030-01-01"])
        #expect(seen == ["1901-01-01": true, "2026-11-02": true, "2026-11-03": false, "2030-01-01": false])
    }

    @Test func aRunAsOfAPastDateSeesOnlyWhatWasKnownThen() throws {
        let rules = """
            codelist bereavement = ["74506000"]
            cohort bereaved "Recently bereaved"
              priority 1
              include if has(bereavement, within 90 days)
            end
            """
        let people = [Person.withEvent("74506000", on: "2026-10-01"), Person.withEvent("74506000", on: "2026-07-01")]
        #expect(try Scenario(rules, asOf: "2026-11-02", people: people).members()["bereaved"] == [0])
        #expect(try Scenario(rules, asOf: "2026-09-01", people: people).members()["bereaved"] == [1])
        #expect(try Scenario(rules, asOf: "2026-06-30", people: people).members()["bereaved"] == [])
    }
}

@Suite struct EventFunctionValueTests {
    static let declarations = """
        codelist flu = ["1001", "1002"]
        codelist other = ["2001"]
        """

    @Test func countCountsEveryMatchingEventUpToToday() throws {
        let person = Person(events: [
            TestEvent(code: "1001", date: "2026-01-01"), TestEvent(code: "1001", date: "2026-01-01"),
            TestEvent(code: "1002", date: "2025-06-01"), TestEvent(code: "2001", date: "2026-01-01"),
            TestEvent(code: "1001", date: "2026-11-03"),
        ])
        #expect(try Probe.value("count(flu)", declarations: Self.declarations, person: person) == .number(3))
        #expect(
            try Probe.value("count(flu, since 2026-01-01)", declarations: Self.declarations, person: person)
                == .number(2))
        #expect(try Probe.value("count(other)", declarations: Self.declarations, person: Person()) == .number(0))
    }

    @Test func firstAndLastAreTheEarliestAndLatestDaysInTheWindow() throws {
        let person = Person(events: [
            TestEvent(code: "1002", date: "2019-03-04"), TestEvent(code: "1001", date: "2026-10-30"),
            TestEvent(code: "1001", date: "2024-02-29"), TestEvent(code: "1001", date: "2026-11-03"),
        ])
        let values = try ["first(flu)", "last(flu)", "first(flu, since 2020-01-01)", "last(flu, before 2026-10-30)"]
            .map { try Probe.value($0, declarations: Self.declarations, person: person) }
        #expect(
            values == [
                .date(day("2019-03-04").ordinal), .date(day("2026-10-30").ordinal), .date(day("2024-02-29").ordinal),
                .date(day("2024-02-29").ordinal),
            ])
    }

    @Test func firstAndLastAreMissingWithoutEvents() throws {
        let onlyFuture = Person.withEvent("1001", on: "2026-11-03")
        #expect(try Probe.value("first(flu)", declarations: Self.declarations, person: onlyFuture) == .missing)
        #expect(try Probe.value("last(flu)", declarations: Self.declarations, person: Person()) == .missing)
        #expect(try Probe.value("has(flu)", declarations: Self.declarations, person: Person()) == .bool(false))
    }

    @Test func lastValueTakesTheLargestValueOnTheLatestDate() throws {
        let events = [
            TestEvent(code: "1001", date: "2026-10-01", value: "0.9"),
            TestEvent(code: "1001", date: "2026-10-20", value: "0.25"),
            TestEvent(code: "1002", date: "2026-10-20", value: "0.41"),
            TestEvent(code: "1001", date: "2026-10-20", value: "0.3"),
        ]
        let forwards = try Probe.value(
            "last_value(flu)", declarations: Self.declarations, person: Person(events: events))
        let backwards = try Probe.value(
            "last_value(flu)", declarations: Self.declarations, person: Person(events: events.reversed()))
        #expect(forwards == .number(0.41))
        #expect(backwards == forwards, "the result must not depend on the order of rows")
    }

    @Test func lastValueIgnoresEventsWithoutAValue() throws {
        let person = Person(events: [
            TestEvent(code: "1001", date: "2026-09-01", value: "12"),
            TestEvent(code: "1001", date: "2026-10-01"),
            TestEvent(code: "1001", date: "2026-10-15", value: "not a number"),
        ])
        #expect(try Probe.value("last_value(flu)", declarations: Self.declarations, person: person) == .number(12))
        #expect(
            try Probe.value("last(flu)", declarations: Self.declarations, person: person)
                == .date(day("2026-10-15").ordinal))
        let noValues = Person(events: [TestEvent(code: "1001", date: "2026-10-01")])
        #expect(try Probe.value("last_value(flu)", declarations: Self.declarations, person: noValues) == .missing)
    }

    @Test func lastValueIgnoresFutureEventsAndRespectsItsWindow() throws {
        let person = Person(events: [
            TestEvent(code: "1001", date: "2026-01-10", value: "-3"),
            TestEvent(code: "1001", date: "2026-08-01", value: "7"),
            TestEvent(code: "1001", date: "2026-11-03", value: "99"),
        ])
        #expect(try Probe.value("last_value(flu)", declarations: Self.declarations, person: person) == .number(7))
        #expect(
            try Probe.value("last_value(flu, before 2026-08-01)", declarations: Self.declarations, person: person)
                == .number(-3))
        #expect(
            try Probe.value("last_value(flu, within 30 days)", declarations: Self.declarations, person: person)
                == .missing)
    }

    @Test func aCodeInTwoCodelistsCountsForBoth() throws {
        let declarations = """
            codelist flu = ["1001", "1002"]
            codelist jab = ["1002", "3001"]
            """
        let person = Person.withEvent("1002", on: "2026-01-01")
        #expect(try Probe.value("count(flu) + count(jab)", declarations: declarations, person: person) == .number(2))
    }
}

/// `current(CL, resolved by RL)`: the "carer unless no longer a carer" pattern.
@Suite struct CurrentTests {
    static let declarations = """
        codelist carer = ["1001"]
        codelist not_carer = ["2001"]
        """

    static func current(_ events: [(String, String)], _ call: String = "current(carer, resolved by not_carer)")
        throws -> EvalValue
    {
        let person = Person(events: events.map { TestEvent(code: $0.0, date: $0.1) })
        return try Probe.value(call, declarations: declarations, person: person)
    }

    @Test func aCodedCarerIsCurrent() throws {
        #expect(try Self.current([("1001", "2020-05-01")]) == .bool(true))
    }

    @Test func resolvedOnTheSameDayAsTheLatestCarerEventIsNotCurrent() throws {
        #expect(
            try Self.current([("1001", "2020-05-01"), ("1001", "2024-02-29"), ("2001", "2024-02-29")]) == .bool(false))
    }

    @Test func resolvedTheDayBeforeTheLatestCarerEventIsCurrent() throws {
        #expect(try Self.current([("1001", "2024-03-01"), ("2001", "2024-02-29")]) == .bool(true))
    }

    @Test func resolvedAfterIsNotCurrent() throws {
        #expect(try Self.current([("1001", "2020-05-01"), ("2001", "2020-05-02")]) == .bool(false))
    }

    @Test func recodedAfterBeingResolvedIsCurrentAgain() throws {
        #expect(
            try Self.current([("1001", "2019-01-01"), ("2001", "2020-01-01"), ("1001", "2021-01-01")]) == .bool(true))
    }

    @Test func noCarerEventIsNoEvenWhenResolved() throws {
        #expect(try Self.current([]) == .bool(false))
        #expect(try Self.current([("2001", "2020-01-01")]) == .bool(false))
    }

    @Test func eventsAfterTodayAreIgnoredOnBothSides() throws {
        #expect(try Self.current([("1001", "2020-01-01"), ("2001", "2026-11-03")]) == .bool(true))
        #expect(try Self.current([("1001", "2026-11-03")]) == .bool(false))
        #expect(
            try Self.current([("1001", "2020-01-01"), ("2001", "2025-01-01"), ("1001", "2026-11-03")]) == .bool(false))
    }

    @Test func aWindowLimitsTheCarerEvents() throws {
        let call = "current(carer, resolved by not_carer, within 1 year)"
        #expect(try Self.current([("1001", "2025-11-02")], call) == .bool(true))
        #expect(try Self.current([("1001", "2025-11-01")], call) == .bool(false))
        #expect(try Self.current([("1001", "2025-11-02"), ("2001", "2025-11-02")], call) == .bool(false))
        // A resolution before the window still does not resolve a later carer event.
        #expect(try Self.current([("2001", "2020-01-01"), ("1001", "2026-01-01")], call) == .bool(true))
    }

    /// The spec's wording ("no RL event on or after the latest CL event") does not window the
    /// resolving events: a carer event before 2024 is resolved by a `not_carer` recorded since.
    @Test func aResolutionAfterTheWindowStillResolves() throws {
        let call = "current(carer, resolved by not_carer, before 2024-01-01)"
        #expect(try Self.current([("1001", "2023-06-01")], call) == .bool(true))
        #expect(try Self.current([("1001", "2023-06-01"), ("2001", "2025-01-01")], call) == .bool(false))
        #expect(
            try Self.current([("1001", "2023-06-01"), ("1001", "2025-06-01"), ("2001", "2025-01-01")], call)
                == .bool(false))
    }

    @Test func currentInACohortAsTheShippedCarersCohortUsesIt() throws {
        let rules =
            Self.declarations + """

                cohort carers "Unpaid carers"
                  priority 3
                  include if current(carer, resolved by not_carer)
                end
                """
        let people = [
            Person(events: [TestEvent(code: "1001", date: "2024-05-01")]),
            Person(events: [TestEvent(code: "1001", date: "2024-05-01"), TestEvent(code: "2001", date: "2025-05-01")]),
            Person(events: [TestEvent(code: "2001", date: "2025-05-01")]),
            Person(),
        ]
        let run = try Scenario(rules, people: people).run()
        #expect(Scenario.members(run)["carers"] == [0])
        #expect(run.results[0].unknownOnly == 0, "current is yes or no, never unknown")
    }
}
