import Basics
import Operations
import Planning
import Service

extension Commands {
    static let status = Command(
        spec: CommandSpec(
            name: "status",
            summary: "What the service did last, what is queued, and any errors.",
            usage: "status --home DIR",
            discussion: "Prints HOME/state/status.json, which the daemon rewrites whenever something changes, with "
                + "the inbox counted afresh. Reads without the lock, so it works while the daemon runs.",
            examples: ["outreach status --home /srv/outreach"],
            options: [.value("home", "DIR", help: "The home folder.")]),
        run: { arguments in
            let home = Home(path: try arguments.required("home"))
            try home.requireExists()
            Terminal.write(try StatusReport.text(home: home))
            return .success
        })
}
