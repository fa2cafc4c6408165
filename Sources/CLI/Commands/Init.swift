import Basics
import Operations
import Planning
import Service
import Tooling

extension Commands {
    static let initialise = Command(
        spec: CommandSpec(
            name: "init",
            summary: "Create a home folder with the example rules and the folder layout.",
            usage: "init DIR",
            discussion:
                "Copies the example rules (or those of --rules) into DIR/Rules; edit them, then 'outreach check --rules DIR/Rules'.",
            examples: ["outreach init /srv/outreach"],
            options: [
                .value("rules", "DIR", help: "Rules to copy in (default: the example rules that ship with Outreach).")
            ],
            positionalName: "DIR", minimumPositionals: 1, maximumPositionals: 1),
        run: { arguments in
            let home = try Home.create(
                at: arguments.positionals[0], rulesFrom: arguments.value("rules") ?? ExampleRulesLocation.directory)
            Terminal.write(
                """
                Created the home \(home.path):
                  Rules/             the rules (check them with 'outreach check --rules \(home.rules)')
                  inbox/extracts/    practices drop extract files here
                  inbox/outcomes/    workers return their filled-in call lists here
                  outbox/            each working day's call lists
                  reports/, archive/, failed/, state/, logs/
                """ + "\n")
            return .success
        })
}
