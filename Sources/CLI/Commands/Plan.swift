import Basics
import Cohorts
import Journal
import Operations
import Planning
import Population
import RuleLanguage

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
                .value(
                    "as-of", "DATE",
                    help:
                        "The first day of the forecast (YYYY-MM-DD); 'today' means the working day after a --home's last list when it has one.",
                    default: "today"),
                .value("weeks", "N", help: "How many weeks to forecast.", default: "12"),
                .value("add-worker", "N", help: "Add a worker with N calls a day, to compare."),
            ]),
        run: { arguments in
            let home = arguments.value("home").map(Home.init(path:))
            if let home { try home.requireExists() }
            let rules = arguments.has("rules") || home == nil ? try arguments.required("rules") : home!.rules
            let ruleSet = try RuleSetLoader.checkedRuleSet(directory: rules)
            let history = try home.map { try Journal.read(at: $0.journal).history } ?? JournalHistory()
            var inputs = try ExtractReader.inputs(forPaths: arguments.allValues("extract"))
            if inputs.isEmpty, let home {
                inputs = ExtractStore(home: home).currentFiles(history: history).map(\.input)
            }
            guard !inputs.isEmpty else {
                throw UsageError("missing --extract PATH... (or a --home with a population)", command: "plan")
            }
            let roster = Roster(ruleSet)
            let start =
                arguments.value("as-of") == "today"
                ? Forecaster.defaultStart(history: history, roster: roster, today: WallClock.today())
                : try asOf(arguments)
            let weeks = try arguments.integer("weeks", in: 1...104) ?? 12
            let run = try CohortEngine.run(ruleSet, inputs: inputs, asOf: start, maxRejectRate: 1)
            let forecast = Forecaster.forecast(
                run: run, history: history, roster: roster, policy: ruleSet.policy, from: start, weeks: weeks)
            var compared: (String, Forecast)?
            if let extra = try arguments.integer("add-worker", in: 1...500) {
                let more = Roster(
                    team: ruleSet.team,
                    workers: ruleSet.workers + [Worker(id: "extra", name: "One more worker", callsPerDay: extra)])
                compared = (
                    "with one more worker at \(extra) a day",
                    Forecaster.forecast(
                        run: run, history: history, roster: more, policy: ruleSet.policy, from: start, weeks: weeks)
                )
            }
            Terminal.write(Forecaster.render(forecast, compared: compared))
            return .success
        })
}
