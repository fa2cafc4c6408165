import Basics

extension Commands {
    static let check = Command(
        spec: CommandSpec(
            name: "check",
            summary: "Check every rule file and run the rule set's examples; exit 65 on any error.",
            usage: "check [--rules DIR] [--format text|json]",
            examples: ["outreach check", "outreach check --rules /srv/outreach/Rules --format json"],
            options: [
                .value("rules", "DIR", help: "The rules folder.", default: "./Rules"),
                .value("format", "FORMAT", help: "text for people, json for editors and CI.", default: "text"),
                .value("as-of", "DATE", help: "The day examples without 'as of' are run on (YYYY-MM-DD)."),
            ]),
        run: notBuiltYet("check"))
}
