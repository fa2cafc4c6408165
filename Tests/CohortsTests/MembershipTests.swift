import Basics
import Cohorts
import Testing

/// Who can be a member: alive and registered on `today` (rules-language.md "Who can be a member").
@Suite struct MembershipTests {
    static let rules = """
        field f as yes/no
        cohort everyone "Everyone"
          priority 1
          include if age >= 0
        end
        cohort unknowable "Needs f"
          priority 2
          include if f
        end
        """

    @Test func deathOnOrBeforeTodayRemovesSomeoneFromEveryCohort() throws {
        let people = [
            Person(["date_of_death": "2026-11-01"]),
            Person(["date_of_death": "2026-11-02"]),
            Person(["date_of_death": "2026-11-03"]),
            Person(),
        ]
        let run = try Scenario(Self.rules, asOf: "2026-11-02", people: people).run()
        #expect(Scenario.members(run)["everyone"] == [2, 3])
        #expect(run.eligible == 2)
        // Nobody who has died is counted as "left out only because a value was unknown".
        #expect(run.results[1].unknownOnly == 2)
    }

    @Test func deregistrationOnOrBeforeTodayRemovesSomeoneFromEveryCohort() throws {
        let people = [
            Person(["deregistered_on": "2026-11-01"]),
            Person(["deregistered_on": "2026-11-02"]),
            Person(["deregistered_on": "2026-11-03"]),
            Person(["deregistered_on": ""]),
        ]
        let run = try Scenario(Self.rules, asOf: "2026-11-02", people: people).run()
        #expect(Scenario.members(run)["everyone"] == [2, 3])
        #expect(run.eligible == 2)
    }

    @Test func aRunAsOfBeforeADeathStillHasTheMember() throws {
        let people = [Person(["date_of_death": "2026-06-01"])]
        #expect(try Scenario(Self.rules, asOf: "2026-05-31", people: people).members()["everyone"] == [0])
        #expect(try Scenario(Self.rules, asOf: "2026-06-01", people: people).members()["everyone"] == [])
    }

    @Test func membershipOfOneCohortDoesNotAffectAnother() throws {
        let rules = """
            codelist flu = ["1001"]
            cohort a "A"
              priority 1
              include if has(flu)
            end
            cohort b "B"
              priority 2
              include if not has(flu)
            end
            """
        let people = [Person.withEvent("1001", on: "2025-01-01"), Person()]
        #expect(try Scenario(rules, people: people).members() == ["a": [0], "b": [1]])
    }

    @Test func anyIncludeIsEnoughAndAnyExcludeIsEnough() throws {
        let rules = """
            codelist a = ["1"]
            codelist b = ["2"]
            codelist x = ["3"]
            codelist y = ["4"]
            cohort c "C"
              priority 1
              include if has(a)
              include if has(b)
              exclude if has(x)
              exclude if has(y)
            end
            """
        func person(_ codes: [String]) -> Person {
            Person(events: codes.map { TestEvent(code: $0, date: "2025-01-01") })
        }
        let people = [
            person(["1"]), person(["2"]), person(["1", "2"]), person(["1", "3"]), person(["2", "4"]), person([]),
        ]
        #expect(try Scenario(rules, people: people).members()["c"] == [0, 1, 2])
    }
}
