import Basics

extension Commands {
    static let daemon = Command(
        spec: CommandSpec(
            name: "daemon",
            summary: "Run as a service: ingest the inbox, publish each working morning, refresh reports.",
            usage: "daemon --home DIR [--once] [--now YYYY-MM-DDTHH:MM]",
            examples: ["outreach daemon --home /srv/outreach", "outreach daemon --home /tmp/home --once --now 2026-11-23T07:31"],
            options: [
                .value("home", "DIR", help: "The home folder."),
                .flag("once", help: "Run one cycle and exit."),
                .value("now", "TIME", help: "Pin the current local time (Europe/London), for tests and catch-up."),
            ]),
        run: notBuiltYet("daemon"))
}
