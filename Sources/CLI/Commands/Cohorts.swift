import Basics
import Cohorts

extension Commands {
    static let cohorts = Command(
        spec: CommandSpec(
            name: "cohorts",
            summary: "Who is in which cohort: counts, overlaps, unknowns, codelist matches.",
            usage: "cohorts [--rules DIR] --extract PATH... [--as-of DATE] [--out FILE] [--format table|csv|json]",
            discussion: "--format csv writes nhs_number,practice,cohort,priority: one row per membership. "
                + "Contact details (names, phones, postcode, language) are read only when the rules use them; "
                + "'outreach inspect' checks every column.",
            examples: ["outreach cohorts --extract extracts/*.csv --as-of 2026-11-02"],
            options: [
                .value("rules", "DIR", help: "The rules folder.", default: "./Rules"),
                .value("extract", "PATH", help: "Extract files (patients and events).", several: true),
                .value("as-of", "DATE", help: "The day to evaluate on (YYYY-MM-DD).", default: "today"),
                .value("out", "FILE", help: "Write the output to this file instead of standard output."),
                .value("format", "FORMAT", help: "table, csv or json.", default: "table"),
                .value(
                    "max-reject-rate", "PCT", help: "Refuse a file with more rejected rows than this.", default: "5%"),
            ]),
        run: { arguments in
            let extracts = arguments.allValues("extract")
            guard !extracts.isEmpty else { throw UsageError("missing --extract PATH...", command: "cohorts") }
            let format = try arguments.choice("format", from: CohortOutputFormat.allCases.map(\.rawValue)) ?? "table"
            let (rules, day, rate) = (try arguments.required("rules"), try asOf(arguments), try rejectRate(arguments))
            let output = try Progress.during("evaluating cohorts") {
                try CohortCommands.cohorts(
                    rulesDirectory: rules, extracts: extracts, asOf: day,
                    format: CohortOutputFormat(rawValue: format) ?? .table, maxRejectRate: rate)
            }
            try writeOutput(output, to: arguments.value("out"))
            return .success
        })
}
