import Basics

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
                .value("rules", "DIR", help: "Rules folder whose 'extract' profiles and fields apply.", default: "./Rules"),
                .value("max-reject-rate", "PCT", help: "Refuse a file with more rejected rows than this.", default: "5%"),
            ],
            positionalName: "PATH", minimumPositionals: 1, maximumPositionals: Int.max),
        run: notBuiltYet("inspect"))
}
