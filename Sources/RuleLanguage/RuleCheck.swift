import Basics

/// Runs an example person through the cohort engine. The `Cohorts` module provides one; without
/// it, `check` only checks that examples are well-formed.
public protocol ExampleRunner: Sendable {
    /// Evaluates `example` on `today` (its own `as of`, else the run's) and returns one failure
    /// for each expectation that does not hold.
    func run(_ example: RuleExample, in ruleSet: RuleSet, today: Day) -> [ExampleFailure]
}

/// An expectation of an example that did not hold, and why.
public struct ExampleFailure: Sendable, Hashable {
    public let expectation: RuleExample.Expectation
    /// Why the person was or was not included, for the person who wrote the example
    /// (e.g. "they are not: include if has(bereavement, within 90 days) → no").
    public let explanation: String

    public init(expectation: RuleExample.Expectation, explanation: String) {
        self.expectation = expectation
        self.explanation = explanation
    }
}

/// How `check` prints its findings.
public enum CheckFormat: String, Sendable, CaseIterable {
    /// For people: diagnostics with carets, then a summary line.
    case text
    /// For editors and CI: one JSON object (see Rules/README.md, "Checking from an editor or CI").
    case json
}

/// What `outreach check` prints and the exit status it ends with.
public struct CheckReport: Sendable {
    public let output: String
    public let exitCode: ExitCode
    /// Everything found, for callers that want more than the text.
    public let result: RuleSetLoadResult
    /// The diagnostics printed: the load's plus failed examples.
    public let diagnostics: [Diagnostic]
}

/// `outreach check`: load, check, run examples when a runner is given, render.
public enum RuleCheck {
    /// Checks the rules folder and renders the findings.
    /// - Parameters:
    ///   - directory: the rules folder.
    ///   - format: text or JSON.
    ///   - today: the day examples without `as of` are run on.
    ///   - exampleRunner: runs examples through the cohort engine; `nil` checks them only.
    /// - Throws: `RuleFolderError` when the folder cannot be read at all (exit 66).
    public static func run(
        directory: String, format: CheckFormat, today: Day, exampleRunner: (any ExampleRunner)? = nil
    ) throws(RuleFolderError) -> CheckReport {
        let result = try RuleSetLoader.load(directory: directory)
        return report(result, format: format, today: today, exampleRunner: exampleRunner)
    }

    /// Runs the examples (if there is a runner and no error) and renders a loaded rule set's findings.
    public static func report(
        _ result: RuleSetLoadResult, format: CheckFormat, today: Day, exampleRunner: (any ExampleRunner)? = nil
    ) -> CheckReport {
        var diagnostics = result.diagnostics
        if let ruleSet = result.ruleSet, let exampleRunner {
            for example in ruleSet.examples {
                for failure in exampleRunner.run(example, in: ruleSet, today: example.asOf ?? today) {
                    let cohortName = failure.expectation.cohort
                    diagnostics.append(
                        Diagnostic(
                            Messages.exampleFailed(
                                example.title, cohort: cohortName, member: failure.expectation.member,
                                explanation: failure.explanation),
                            at: failure.expectation.range))
                }
            }
            var collector = DiagnosticCollector()
            collector.append(contentsOf: diagnostics)
            diagnostics = collector.sorted()
        }
        var summary = result.summary
        summary.errors = diagnostics.count { $0.severity == .error }
        summary.warnings = diagnostics.count { $0.severity == .warning }
        let output: String
        switch format {
        case .text: output = renderText(diagnostics, sources: result.sources, summary: summary)
        case .json: output = renderJSON(diagnostics, result: result, summary: summary)
        }
        return CheckReport(
            output: output, exitCode: summary.errors > 0 ? .dataError : .success, result: result,
            diagnostics: diagnostics)
    }

    /// `5 cohorts, 3 workers, 12 codelists (1,406 codes): no errors, 1 warning`.
    public static func summaryLine(_ summary: CheckSummary) -> String {
        let errors = summary.errors == 0 ? "no errors" : Formatting.count(summary.errors, "error")
        let warnings = summary.warnings == 0 ? "no warnings" : Formatting.count(summary.warnings, "warning")
        return "\(Formatting.count(summary.cohorts, "cohort")), \(Formatting.count(summary.workers, "worker")), "
            + "\(Formatting.count(summary.codelists, "codelist")) (\(Formatting.count(summary.codes, "code"))): "
            + "\(errors), \(warnings)"
    }

    static func renderText(_ diagnostics: [Diagnostic], sources: SourceFiles, summary: CheckSummary) -> String {
        var out = ""
        for diagnostic in diagnostics {
            out += DiagnosticRenderer.render(diagnostic, in: sources)
        }
        return out + summaryLine(summary) + "\n"
    }

    static func renderJSON(_ diagnostics: [Diagnostic], result: RuleSetLoadResult, summary: CheckSummary) -> String {
        var lines: [String] = []
        for diagnostic in diagnostics {
            let file = result.sources[diagnostic.range.file]
            let start = file.location(of: diagnostic.range.start)
            let end = file.location(of: diagnostic.range.end)
            let fields = [
                "\"severity\": \(json(diagnostic.severity.rawValue))",
                "\"id\": \(json(diagnostic.message.id))",
                "\"file\": \(json(file.path))",
                "\"line\": \(start.line)",
                "\"column\": \(start.column)",
                "\"endLine\": \(end.line)",
                "\"endColumn\": \(end.column)",
                "\"message\": \(json(diagnostic.message.text))",
            ]
            lines.append("    {" + fields.joined(separator: ", ") + "}")
        }
        let version = result.ruleSet.map { json($0.version) } ?? "null"
        return """
            {
              "format": "outreach-check/1",
              "rules": \(json(result.directory)),
              "version": \(version),
              "summary": {"cohorts": \(summary.cohorts), "workers": \(summary.workers), "codelists": \(summary.codelists), "codes": \(summary.codes), "errors": \(summary.errors), "warnings": \(summary.warnings)},
              "diagnostics": [\(lines.isEmpty ? "" : "\n" + lines.joined(separator: ",\n") + "\n  ")]
            }

            """
    }

    /// A JSON string literal.
    static func json(_ text: String) -> String { JSONValue.quote(text) }
}
