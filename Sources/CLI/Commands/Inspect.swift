import Basics
import Cohorts
import Population
import RuleLanguage

extension Commands {
    static let inspect = Command(
        spec: CommandSpec(
            name: "inspect",
            summary: "Read extract files and show what was found: practices, patients, events, columns, rejects.",
            usage: "inspect PATH... [--rejects FILE] [--profile NAME] [--rules DIR] [--max-reject-rate PCT]",
            examples: ["outreach inspect extracts/*.csv --rejects rejects.csv"],
            options: [
                .value("rejects", "FILE", help: "Write every rejected row, with its reason, to this CSV file."),
                .value("profile", "NAME", help: "Read every file with this profile instead of detecting it."),
                .value(
                    "rules", "DIR", help: "Rules folder whose 'extract' profiles and fields apply.", default: "./Rules"),
                .value(
                    "max-reject-rate", "PCT", help: "Refuse a file with more rejected rows than this.", default: "5%"),
            ],
            positionalName: "PATH", minimumPositionals: 1, maximumPositionals: Int.max),
        run: { arguments in
            // The rules' `extract` profiles apply when the rules folder is there and has no errors.
            let rules = try arguments.required("rules")
            let profiles =
                FileIO.isDirectory(rules)
                ? ((try? RuleSetLoader.load(directory: rules))?.ruleSet?.extractProfiles ?? []) : []
            let options = ReadOptions(
                profile: arguments.value("profile"), customProfiles: profiles.map(CohortEngine.customProfile),
                maxRejectRate: try rejectRate(arguments), today: WallClock.today())
            let result: Inspection.Result
            do {
                result = try Progress.during("reading extracts") {
                    try Inspection.run(
                        paths: arguments.positionals, options: options, rejectsPath: arguments.value("rejects"))
                }
            } catch let usage as UsageError {
                throw UsageError(usage.message, command: "inspect")
            }
            Terminal.write(result.text)
            return .success
        })

    /// `--max-reject-rate` as a share: `5%`, `5` and `0.05` all mean 5%.
    static func rejectRate(_ arguments: ParsedArguments) throws(UsageError) -> Double {
        let text = arguments.value("max-reject-rate") ?? "5%"
        let number = Double(text.hasSuffix("%") ? String(text.dropLast()) : text)
        guard let number, number >= 0, number <= 100 else {
            throw UsageError("--max-reject-rate needs a percentage from 0 to 100, not '\(text)'", command: "inspect")
        }
        return text.hasSuffix("%") || number > 1 ? number / 100 : number
    }
}
