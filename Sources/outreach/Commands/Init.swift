import Basics

extension Commands {
    static let initialise = Command(
        spec: CommandSpec(
            name: "init",
            summary: "Create a home folder with the example rules and the folder layout.",
            usage: "init DIR",
            examples: ["outreach init /srv/outreach"],
            positionalName: "DIR", minimumPositionals: 1, maximumPositionals: 1),
        run: notBuiltYet("init"))
}
