import Basics

extension Commands {
    static let status = Command(
        spec: CommandSpec(
            name: "status",
            summary: "What the service did last, what is queued, and any errors.",
            usage: "status --home DIR",
            examples: ["outreach status --home /srv/outreach"],
            options: [.value("home", "DIR", help: "The home folder.")]),
        run: notBuiltYet("status"))
}
