import Basics
import Operations
import Planning
import Service

extension Commands {
    static let schedule = Command(
        spec: CommandSpec(
            name: "schedule",
            summary: "Plan and publish one day's call lists (once per day) and print the plan summary.",
            usage: "schedule --home DIR [--as-of DATE]",
            examples: ["outreach schedule --home /srv/outreach --as-of 2026-11-23"],
            options: [
                .value("home", "DIR", help: "The home folder."),
                .value("as-of", "DATE", help: "The day to publish (YYYY-MM-DD).", default: "today"),
            ]),
        run: { arguments in
            let session = try HomeSession(home: Home(path: try arguments.required("home")))
            let day = try asOf(arguments)
            let result = try Progress.during("planning") { try Publisher.publish(session, day: day) }
            Terminal.write(result.summary)
            // A day published after today stops every earlier day: say so loudly, each time.
            if let note = PublishSchedule.aheadOfClockNote(
                lastPublished: session.journal.history.publishedDays.max(), today: WallClock.today())
            {
                Terminal.write("\n" + note)
            }
            return .success
        })
}
