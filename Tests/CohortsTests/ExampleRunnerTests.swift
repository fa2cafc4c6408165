import Basics
import Cohorts
import RuleLanguage
import TestSupport
import Testing

/// `example` blocks run through the real engine (rules-language.md "Examples").
@Suite struct ExampleRunnerTests {
    static let rules = """
        codelist bereavement = ["74506000"]
        field lives_alone as yes/no
        cohort bereaved "Recently bereaved"
          priority 2
          include if has(bereavement, within 90 days)
        end
        cohort older_alone "Over 75, living alone"
          priority 3
          include if age >= 75 and lives_alone = yes
        end

        example "Bereaved last month, 70, lives alone"
          as of 2026-11-02
          age 70
          sex F
          lives_alone yes
          event bereavement 2026-10-01
          expect in bereaved
          expect not in older_alone
        end

        example "Bereaved six months ago, but the rule writer thought 90 days reached that far"
          as of 2026-11-02
          age 58
          event code "74506000" 2026-05-01
          expect in bereaved
        end

        example "Seventy-five today, lives alone"
          as of 2026-11-02
          born 1951-11-02
          lives_alone yes
          expect in older_alone
        end

        example "Lives alone not recorded"
          as of 2026-11-02
          age 80
          expect in older_alone
        end
        """

    static func failures(_ title: String) throws -> [ExampleFailure] {
        let ruleSet = try TestRules.load(rules)
        let example = try #require(ruleSet.examples.first { $0.title.hasPrefix(title) })
        return CohortExampleRunner().run(example, in: ruleSet, today: day("2030-01-01"))
    }

    @Test func aPassingExampleHasNoFailures() throws {
        #expect(try Self.failures("Bereaved last month").isEmpty)
        #expect(try Self.failures("Seventy-five today").isEmpty)
    }

    @Test func aFailingExampleNamesTheConditionAndTheFacts() throws {
        let failures = try Self.failures("Bereaved six months ago")
        try #require(failures.count == 1)
        #expect(failures[0].expectation.cohort == "bereaved")
        #expect(failures[0].expectation.member)
        #expect(
            failures[0].explanation
                == "they are not:\n  include if has(bereavement, within 90 days) → no (no bereavement events in the window)"
        )
    }

    @Test func aFailureBecauseOfAMissingValueSaysWhichValue() throws {
        let failures = try Self.failures("Lives alone not recorded")
        try #require(failures.count == 1)
        #expect(failures[0].explanation.contains("include if age >= 75 and lives_alone = yes → unknown"))
        #expect(failures[0].explanation.contains("lives_alone missing → unknown"))
    }

    @Test func theShippedExamplesAllPass() throws {
        let result = try RuleSetLoader.load(directory: Repository.rules)
        let ruleSet = try #require(result.ruleSet)
        #expect(!ruleSet.examples.isEmpty)
        for example in ruleSet.examples {
            let failures = CohortExampleRunner().run(example, in: ruleSet, today: day("2026-11-02"))
            #expect(failures.isEmpty, "\(example.title): \(failures.map(\.explanation))")
        }
    }
}
