import Basics
import Cohorts

extension Commands {
    static let explain = Command(
        spec: CommandSpec(
            name: "explain",
            summary: "Why one person is, or is not, in each cohort: every condition with its value.",
            usage: "explain [--rules DIR] --extract PATH... --nhs NUMBER [--as-of DATE]",
            examples: ["outreach explain --extract extracts/*.csv --nhs 999 001 0013"],
            options: [
                .value("rules", "DIR", help: "The rules folder.", default: "./Rules"),
                .value("extract", "PATH", help: "Extract files (patients and events).", several: true),
                .value("nhs", "NUMBER", help: "The person's NHS number (spaces allowed).", several: true),
                .value("as-of", "DATE", help: "The day to evaluate on (YYYY-MM-DD).", default: "today"),
            ]),
        run: { arguments in
            let extracts = arguments.allValues("extract")
            guard !extracts.isEmpty else { throw UsageError("missing --extract PATH...", command: "explain") }
            let nhs = arguments.allValues("nhs").joined(separator: " ")
            guard !nhs.isEmpty else { throw UsageError("missing --nhs NUMBER", command: "explain") }
            let (rules, day) = (try arguments.required("rules"), try asOf(arguments))
            Terminal.write(
                try Progress.during("reading extracts") {
                    try CohortCommands.explain(rulesDirectory: rules, extracts: extracts, nhs: nhs, asOf: day)
                })
            return .success
        })
}
