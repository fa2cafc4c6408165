import Basics

extension Commands {
    static let journal = Command(
        spec: CommandSpec(
            name: "journal",
            summary: "The whole call history, for audit.",
            usage: "journal --home DIR --csv",
            examples: ["outreach journal --home /srv/outreach --csv > history.csv"],
            options: [
                .value("home", "DIR", help: "The home folder."),
                .flag("csv", help: "Write the history as CSV."),
            ]),
        run: notBuiltYet("journal"))
}
