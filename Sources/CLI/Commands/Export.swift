import Basics
import Operations
import Population

extension Commands {
    static let export = Command(
        spec: CommandSpec(
            name: "export",
            summary: "Hand work to the practices' systems: outcomes to code, texts before calls, letters.",
            usage: "export coding|messages|letters --home DIR [--as-of DATE] [--for DATE] [--out DIR]",
            discussion: """
                coding    the people whose outcome of a day's calls has a code in the policy ('code declined as
                          871711000000103 "Social prescribing declined"'), per practice: a CSV and one NHS-number
                          list per code to paste into a search or patient list. --as-of is the day of the calls.
                messages  the texts telling the people on a day's lists that we will ring: per practice an Accurx
                          batch file and a GOV.UK Notify file (policy 'text before calling: yes'). Each publish
                          writes them for the next working day into outbox/DAY/texts/; this writes the same files
                          again, or, for a day no publish announced, plans it and announces its calls. --for is
                          the day: only the next day to be published (the default). Everyone texted is kept on
                          that day's lists like a promise. Takes the home's lock.
                letters   the people the telephone cannot reach whose cohorts say 'write when unreachable: yes',
                          per practice in GOV.UK Notify's letter layout; those without an address Notify accepts
                          in a file apart, for the practice to post.
                Files go to HOME/exports/KIND/DAY/ (or --out): patient data, 0600. The layouts are described in
                Rules/REFERENCE.md. With --nhs NUMBER nothing is written or recorded: it says whether that person
                is in the export and why not, as 'explain' does for cohorts.
                """,
            examples: [
                "outreach export coding --home /srv/outreach --as-of 2026-11-23",
                "outreach export messages --home /srv/outreach --for 2026-11-24",
                "outreach export letters --home /srv/outreach",
            ],
            options: [
                .value("home", "DIR", help: "The home folder."),
                .value(
                    "as-of", "DATE", help: "coding: the day of the calls; letters: the day (YYYY-MM-DD).",
                    default: "today"),
                .value(
                    "for", "DATE", help: "messages: the day of the calls to announce.",
                    default: "the next day to publish"),
                .value("out", "DIR", help: "Write the files here.", default: "HOME/exports/KIND/DAY"),
                .value(
                    "nhs", "NUMBER",
                    help: "Write nothing: say whether this person is in the export, and why (patient data).",
                    default: "none"),
            ],
            positionalName: "KIND", minimumPositionals: 1, maximumPositionals: 1),
        run: { arguments in
            let home = Home(path: try arguments.required("home"))
            let out = arguments.has("out") ? try arguments.required("out") : nil
            var person: UInt64?
            if arguments.value("nhs") != "none" {
                let text = try arguments.required("nhs")
                guard case .success(let number) = NHSNumber.parse(text) else {
                    throw UsageError("--nhs needs a valid NHS number, not '\(text)'", command: "export")
                }
                person = number.value
            }
            let writes = person == nil
            let written: HandoffExports.Written
            switch arguments.positionals[0] {
            case "coding":
                written = try HandoffExports.coding(home: home, day: try asOf(arguments), out: out, write: writes)
            case "letters":
                written = try HandoffExports.letters(home: home, day: try asOf(arguments), out: out, write: writes)
            case "messages":
                let session = try HomeSession(home: home)
                let today = WallClock.today()
                let day =
                    arguments.value("for") == "the next day to publish"
                    ? HandoffExports.nextDayToAnnounce(session: session, today: today)
                    : try arguments.day("for") ?? today
                written = try HandoffExports.messages(
                    session: session, day: day, today: today, out: out, write: writes)
                if writes, written.announced > 0 {
                    Terminal.write("Announced \(written.announced) calls for \(day): they stay on that day's lists.\n")
                }
            case let kind:
                var message = "unknown export '\(kind)': coding, messages or letters"
                if let suggestion = Suggestions.closest(to: kind, among: ["coding", "messages", "letters"]) {
                    message += "; did you mean '\(suggestion)'?"
                }
                throw UsageError(message, command: "export")
            }
            if let person {
                Terminal.write(written.explanation(of: person))
                return .success
            }
            Terminal.write(written.summary)
            return .success
        })
}
