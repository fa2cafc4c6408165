import Basics
import Operations
import Planning
import Service

extension Commands {
    static let daemon = Command(
        spec: CommandSpec(
            name: "daemon",
            summary: "Run as a service: ingest the inbox, publish each working morning, refresh reports.",
            usage: "daemon --home DIR [--once] [--now YYYY-MM-DDTHH:MM]",
            discussion: "Polls HOME/inbox/extracts and HOME/inbox/outcomes every few seconds (a file is taken once its "
                + "size and time stop changing, or when NAME.done appears beside it), publishes each working day's "
                + "lists at the policy's time (Europe/London; on start-up if that time has passed), and logs to "
                + "HOME/logs. SIGHUP re-checks the rules; SIGTERM or SIGINT stops it after the current step. "
                + "A second daemon on the same home exits 75.",
            examples: [
                "outreach daemon --home /srv/outreach",
                "outreach daemon --home /tmp/home --once --now 2026-11-23T07:31",
            ],
            options: [
                .value("home", "DIR", help: "The home folder."),
                .flag("once", help: "Run one cycle and exit."),
                .value("now", "TIME", help: "Pin the current local time (Europe/London), for tests and catch-up."),
            ]),
        run: { arguments in
            // Signal sources first, before any other thread starts (style guide, section (c)).
            let signals = DaemonSignals()
            var pinned: LocalDateTime?
            if let text = arguments.value("now") {
                guard let instant = LocalDateTime(iso: text) else {
                    throw UsageError("--now needs a local time like 2026-11-23T07:31, not '\(text)'", command: "daemon")
                }
                pinned = instant
            }
            let options = DaemonOptions(
                home: Home(path: try arguments.required("home")), once: arguments.has("once"), pinnedNow: pinned)
            return try DaemonService.run(options, signals: signals)
        })
}
