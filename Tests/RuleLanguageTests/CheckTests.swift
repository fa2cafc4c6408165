import Basics
import Foundation
import TestSupport
import Testing

@testable import RuleLanguage

/// Rule text with several mistakes, and every diagnostic `check` must give for it, as `id@line`.
struct AllAtOnceCase: Sendable, CustomStringConvertible {
    let name: String
    let source: String
    let expected: [String]
    var description: String { name }
}

@Suite("outreach check")
struct CheckTests {
    /// Each reproduces a place where one mistake used to hide another (or, for the misspelt
    /// statements, where a missing statement must still not be added to a misspelling).
    /// `no-workers` is left out: most of these have no worker.
    static let allAtOnce: [AllAtOnceCase] = [
        AllAtOnceCase(
            name: "a cohort with no priority and a type error in its include",
            source: "cohort a \"A\"\n  include if age >= \"old\"\nend",
            expected: ["missing-priority@1", "type-mismatch@2"]),
        AllAtOnceCase(
            name: "a cohort with no priority, no include and a bad reason",
            source: "cohort a \"A\"\n  reason \"{imd_decle}\"\nend",
            expected: ["missing-include@1", "missing-priority@1", "unknown-name@2"]),
        AllAtOnceCase(
            name: "a misspelt statement still adds no 'no priority', and the rest is checked",
            source: "cohort a \"A\"\n  prority 1\n  include if age >= \"old\"\nend",
            expected: ["type-mismatch@3", "unknown-statement@2"]),
        AllAtOnceCase(
            name: "an 'exclude' without 'if' is kept, so it does not hide a missing priority",
            source: "cohort a \"A\"\n  include if yes\n  exclude sex = \"M\"\nend",
            expected: ["missing-if@3", "missing-priority@1"]),
        AllAtOnceCase(
            name: "a statement given twice has its second copy checked too",
            source: """
                cohort a "A"
                  priority 1
                  include if yes
                  reason "first"
                  reason "{imd_decle}"
                  recall every 3 months
                  recall every 0 days
                end
                """,
            expected: ["duration-too-short@7", "statement-twice@5", "statement-twice@7", "unknown-name@5"]),
        AllAtOnceCase(
            name: "a retry's outcome, delay and repetition are each checked",
            source: """
                cohort a "A"
                  priority 1
                  include if yes
                  retry no_anser after 0 days, at most 3 attempts
                  retry voicemail after 0 days, at most 3 attempts
                  retry voicemail after 2 days, at most 3 attempts
                end
                """,
            expected: ["duration-too-short@4", "duration-too-short@5", "not-retryable@4", "retry-twice@6"]),
        AllAtOnceCase(
            name: "a cohort whose name is taken has its body checked",
            source: """
                cohort a "A"
                  priority 1
                  include if yes
                end
                cohort a "Again"
                  include if age >= "old"
                  needs skill nobody
                end
                """,
            expected: ["duplicate-name@5", "missing-priority@5", "skill-nobody-has@7", "type-mismatch@6"]),
        AllAtOnceCase(
            name: "a cohort with no name has its body checked",
            source: "cohort \"No name\"\n  priority 1\n  include if age >= \"old\"\nend",
            expected: ["expected@1", "type-mismatch@3"]),
        AllAtOnceCase(
            name: "a cohort no one could be in is found though its priority is missing",
            source: "cohort a \"A\"\n  include if age >= 75 and age < 18\nend",
            expected: ["cohort-always-empty@1", "missing-priority@1"]),
        AllAtOnceCase(
            name: "an exclude always yes empties a cohort whatever else is wrong in it",
            source: "cohort a \"A\"\n  include if imd_decle <= 2\n  exclude if yes\nend",
            expected: ["cohort-always-empty@1", "missing-priority@1", "unknown-name@2"]),
        AllAtOnceCase(
            name: "but the includes are not judged while one of them is wrong: it may let people in",
            source: """
                cohort a "A"
                  priority 1
                  include if age >= 75 and age < 18
                  include if imd_decle <= 2
                end
                """,
            expected: ["unknown-name@4"]),
        AllAtOnceCase(
            name: "a worker whose name is taken has its body checked",
            source: """
                worker w "W"
                  calls per day 3
                end
                worker w "Again"
                  practices X1
                end
                """,
            expected: ["duplicate-name@4", "not-ods-code@5", "worker-no-capacity@4"]),
        AllAtOnceCase(
            name: "a misspelt 'calls per day' is one mistake, not two",
            source: "worker w \"W\"\n  cals per day 3\nend",
            expected: ["unknown-statement@2"]),
        AllAtOnceCase(
            name: "a policy statement given twice, and a second policy block, are still checked",
            source: """
                policy
                  extracts go stale after 14 days
                  extracts go stale after 0 days
                end
                policy
                  follow up support after 0 days
                end
                """,
            expected: ["duration-too-short@3", "duration-too-short@6", "second-block@5", "statement-twice@3"]),
        AllAtOnceCase(
            name: "a header mapped twice, and an extract profile whose name is taken, are still checked",
            source: """
                extract e
                  map "A" to nhs_number
                  map "A" to nhs_numbr
                end
                extract e
                  map "B" to sexx
                end
                """,
            expected: ["duplicate-name@5", "header-mapped-twice@3", "unknown-map-target@3", "unknown-map-target@6"]),
        AllAtOnceCase(
            name: "an example that expects nothing is reported beside its other mistakes",
            source: "example \"E\"\n  age 70\n  date_of_birth yes\nend",
            expected: ["example-expects-nothing@1", "example-value-type@3"]),
        AllAtOnceCase(
            name: "a misspelt 'expect' is one mistake, not two",
            source: "example \"E\"\n  expcet a\nend",
            expected: ["unknown-example-field@2"]),
        AllAtOnceCase(
            name: "a define whose name is taken or built in still has its expression checked",
            source: """
                define x = age > 3
                define x = age >= "3"
                define today = imd_decle
                cohort a "A"
                  priority 1
                  include if x
                end
                """,
            expected: ["built-in-name@3", "duplicate-name@2", "type-mismatch@2", "unknown-name@3"]),
        AllAtOnceCase(
            name: "a codelist whose name is taken still has its file read",
            source: """
                codelist l = ["74506000"]
                codelist l = "codelists/nothing.csv"
                cohort a "A"
                  priority 1
                  include if has(l)
                end
                """,
            expected: ["duplicate-name@2", "file-missing@2"]),
        AllAtOnceCase(
            name: "each side of 'and' must be yes/no on its own",
            source: condition("age and sex"), expected: ["needs-yes-no-operand@1", "needs-yes-no-operand@1"]),
        AllAtOnceCase(
            name: "a side of 'or' that is not yes/no is reported when the other side is wrong",
            source: condition("imd_decle or 3"), expected: ["needs-yes-no-operand@1", "unknown-name@1"]),
        AllAtOnceCase(
            name: "each bound of 'between' is compared with the subject",
            source: condition("age between \"1\" and \"9\""), expected: ["type-mismatch@1", "type-mismatch@1"]),
        AllAtOnceCase(
            name: "every item of a list is checked",
            source: condition("age in [\"1\", 2, imd_decle]"), expected: ["list-item-type@1", "unknown-name@1"]),
        AllAtOnceCase(
            name: "an event call with a bad window still says its codelist is missing",
            source: condition("has(within 2026-01-01)"), expected: ["needs-codelist@1", "within-needs-duration@1"]),
        AllAtOnceCase(
            name: "current() with an unknown codelist still says it needs 'resolved by'",
            source: condition("current(dementa)"), expected: ["current-needs-resolved-by@1", "unknown-codelist@1"]),
        AllAtOnceCase(
            name: "a date function given a window still has its argument checked",
            source: condition("age_at(dob, within 3 days) > 3"), expected: ["unknown-name@1", "window-not-allowed@1"]),
        AllAtOnceCase(
            name: "an unknown function is reported as such, not as one that takes no window",
            source: condition("hass(bereavement, within 90 days)"), expected: ["unknown-function@1"]),
    ]

    /// Line 1 defines `x` as `expression`; a cohort uses it.
    static func condition(_ expression: String) -> String {
        "define x = \(expression)\ncohort a \"A\"\n  priority 1\n  include if x\nend"
    }

    @Test("every mistake is reported in one run: none hides another, none is reported twice", arguments: allAtOnce)
    func everyMistakeAtOnce(_ testCase: AllAtOnceCase) {
        let found = MistakeCatalogue.found(Support.load(testCase.source)).filter { !$0.hasPrefix("no-workers@") }
        #expect(found == testCase.expected.sorted())
    }

    @Test("the shipped Rules folder checks with no errors and no warnings")
    func shippedRulesAreClean() throws {
        let report = try RuleCheck.run(directory: Repository.rules, format: .text, today: Day(iso: "2026-11-02")!)
        #expect(report.exitCode == .success)
        #expect(report.diagnostics.isEmpty, "\(report.output)")
        #expect(report.output.hasSuffix("7 cohorts, 4 workers, 29 codelists (1,239 codes): no errors, no warnings\n"))
    }

    @Test("a folder full of mistakes reports every one, with place, caret and message (golden)")
    func brokenFolderGolden() throws {
        let folder = Support.fixtures + "/broken"
        let report = try RuleCheck.run(directory: folder, format: .text, today: Day(iso: "2026-11-02")!)
        #expect(report.exitCode == .dataError)
        let output = report.output.replacingOccurrences(of: folder + "/", with: "Rules/")
        assertSnapshot(output, named: "broken-check")
        let distinct = Set(report.diagnostics.map(\.message.text))
        #expect(distinct.count >= 30)
        #expect(report.result.ruleSet == nil)
    }

    @Test("the JSON form is stable and names file, line, column and id (golden)")
    func brokenFolderJSON() throws {
        let folder = Support.fixtures + "/broken"
        let report = try RuleCheck.run(directory: folder, format: .json, today: Day(iso: "2026-11-02")!)
        let output = report.output.replacingOccurrences(of: folder, with: "Rules")
        assertSnapshot(output, named: "broken-check-json")
        let parsed = try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: Any]
        let diagnostics = parsed?["diagnostics"] as? [[String: Any]]
        #expect(diagnostics?.count == report.diagnostics.count)
        #expect((parsed?["summary"] as? [String: Any])?["errors"] as? Int == report.result.summary.errors)
    }

    @Test("a missing rules folder is a clear error with exit status 66")
    func missingFolder() {
        #expect(throws: RuleFolderError.self) {
            _ = try RuleCheck.run(directory: "/nonexistent/Rules", format: .text, today: Day(iso: "2026-11-02")!)
        }
        do {
            _ = try RuleSetLoader.load(directory: "/nonexistent/Rules")
        } catch {
            #expect(error.exitCode == .noInput)
            #expect(error.message.contains("/nonexistent/Rules"))
        }
    }

    @Test("an example runner's failures are errors at the expect line")
    func exampleRunnerFailures() throws {
        struct AlwaysWrong: ExampleRunner {
            func run(_ example: RuleExample, in ruleSet: RuleSet, today: Day) -> [ExampleFailure] {
                example.expectations.prefix(1).map {
                    ExampleFailure(expectation: $0, explanation: "they are not: include if … → no (age 69)")
                }
            }
        }
        let result = try RuleSetLoader.load(directory: Repository.rules)
        let report = RuleCheck.report(
            result, format: .text, today: Day(iso: "2026-11-02")!, exampleRunner: AlwaysWrong())
        #expect(report.exitCode == .dataError)
        let failures = report.diagnostics.filter { $0.message.id == "example-failed" }
        #expect(failures.count == result.ruleSet?.examples.count)
        let first = try #require(failures.first)
        #expect(result.sources.text(first.range).hasPrefix("expect "))
        #expect(
            report.output.contains(
                "error: example \"Shielding since 2020, never moved off the list\" expected the person in 'high_risk', but they are not"
            ))
    }

    @Test("the summary line counts cohorts, workers, codelists and codes")
    func summaryLine() {
        var summary = CheckSummary()
        (summary.cohorts, summary.workers, summary.codelists, summary.codes, summary.warnings) = (5, 3, 12, 1406, 1)
        #expect(
            RuleCheck.summaryLine(summary) == "5 cohorts, 3 workers, 12 codelists (1,406 codes): no errors, 1 warning")
        summary.errors = 2
        summary.warnings = 0
        summary.cohorts = 1
        #expect(
            RuleCheck.summaryLine(summary) == "1 cohort, 3 workers, 12 codelists (1,406 codes): 2 errors, no warnings")
    }
}
