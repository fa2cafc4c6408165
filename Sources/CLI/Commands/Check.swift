import Basics
import Cohorts
import RuleLanguage

extension Commands {
    static let check = Command(
        spec: CommandSpec(
            name: "check",
            summary: "Check every rule file and run the rule set's examples; exit 65 on any error.",
            usage: "check [--rules DIR] [--format text|json] [--as-of DATE]",
            discussion: "Reports every mistake it finds, each as FILE:LINE:COL with the line and a caret under it. "
                + "--format json is for editors and CI (see Rules/README.md).",
            examples: ["outreach check", "outreach check --rules /srv/outreach/Rules --format json"],
            options: [
                .value("rules", "DIR", help: "The rules folder.", default: "./Rules"),
                .value("format", "FORMAT", help: "text for people, json for editors and CI.", default: "text"),
                .value("as-of", "DATE", help: "The day examples without 'as of' are run on (YYYY-MM-DD)."),
            ]),
        run: { arguments in
            let format =
                CheckFormat(
                    rawValue: try arguments.choice("format", from: CheckFormat.allCases.map(\.rawValue)) ?? "text")
                ?? .text
            let today = try arguments.day("as-of") ?? WallClock.today()
            let report = try RuleCheck.run(
                directory: try arguments.required("rules"), format: format, today: today,
                exampleRunner: CohortExampleRunner())
            Terminal.write(report.output)
            return report.exitCode
        })
}
