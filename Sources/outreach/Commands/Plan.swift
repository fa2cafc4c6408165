import Basics

extension Commands {
    static let plan = Command(
        spec: CommandSpec(
            name: "plan",
            summary: "Capacity forecast: when each cohort will have had its first call, week by week.",
            usage: "plan [--rules DIR] --extract PATH... [--home DIR] [--as-of DATE] [--weeks N] [--add-worker N]",
            examples: ["outreach plan --extract extracts/*.csv --weeks 8 --add-worker 15"],
            options: [
                .value("rules", "DIR", help: "The rules folder.", default: "./Rules"),
                .value("extract", "PATH", help: "Extract files (patients and events).", several: true),
                .value("home", "DIR", help: "A home folder whose journal and population to plan from."),
                .value("as-of", "DATE", help: "The first day of the forecast (YYYY-MM-DD).", default: "today"),
                .value("weeks", "N", help: "How many weeks to forecast.", default: "12"),
                .value("add-worker", "N", help: "Add a worker with N calls a day, to compare."),
            ]),
        run: notBuiltYet("plan"))
}
