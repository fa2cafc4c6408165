import Basics

extension Commands {
    static let ingest = Command(
        spec: CommandSpec(
            name: "ingest",
            summary: "Ingest extracts and returned call lists into a home, exactly as the daemon does.",
            usage: "ingest --home DIR FILE...",
            examples: ["outreach ingest --home /srv/outreach returned/2026-11-23-gina.csv"],
            options: [.value("home", "DIR", help: "The home folder.")],
            positionalName: "FILE", minimumPositionals: 1, maximumPositionals: Int.max),
        run: notBuiltYet("ingest"))
}
