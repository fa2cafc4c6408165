import Basics
import Testing

@testable import RuleLanguage

/// Rule files that crashed the checker under `Tests/Fuzz/run-fuzzers`; each now checks without
/// crashing (a rules file the daemon picks up must never stop it).
@Suite struct FuzzFindingTests {
    /// A number too large for an Int, in a cohort no one can be in: the "can never include anyone"
    /// warning printed the condition and crashed converting the number.
    @Test func aHugeNumberInAnImpossibleCohort() throws {
        let huge = String(repeating: "7", count: 76)
        let result = Support.load(
            """
            cohort impossible "No one"
              priority 5
              include if age >= \(huge) and age < 18
            end

            """)
        #expect(result.diagnostics.map(\.message.id).contains("cohort-always-empty"))
        // And the number prints as its exact digits, which parse back to the same number.
        let cohort = try #require(result.ruleSet?.cohorts.first)
        let printed = cohort.includes.map(\.description).joined()
        #expect(printed.contains("7777777777777777608155031326268004957225659203508734198149109488434360090624"))
    }
}
