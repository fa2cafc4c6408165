import Basics
import Foundation
import TestSupport
import Testing

@testable import RuleLanguage

@Suite("outreach check")
struct CheckTests {
    @Test("the shipped Rules folder checks with no errors and no warnings")
    func shippedRulesAreClean() throws {
        let report = try RuleCheck.run(directory: Repository.rules, format: .text, today: Day(iso: "2026-11-02")!)
        #expect(report.exitCode == .success)
        #expect(report.diagnostics.isEmpty, "\(report.output)")
        #expect(report.output.hasSuffix("7 cohorts, 4 workers, 16 codelists (1,226 codes): no errors, no warnings\n"))
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
