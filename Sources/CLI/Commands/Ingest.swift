import Basics
import Operations
import Planning

extension Commands {
    static let ingest = Command(
        spec: CommandSpec(
            name: "ingest",
            summary: "Ingest extracts and returned call lists into a home, exactly as the daemon does.",
            usage: "ingest --home DIR FILE...",
            examples: ["outreach ingest --home /srv/outreach returned/2026-11-23-gina.csv"],
            options: [
                .value("home", "DIR", help: "The home folder."),
                .value("as-of", "DATE", help: "The day to record the ingest on (YYYY-MM-DD).", default: "today"),
                .flag(
                    "confirm-smaller-population",
                    help: "Take a patients file even though it leaves a practice under half its previous patients, "
                        + "or rejects more than 5% of its rows (refused otherwise, and the previous extract stays)."),
            ],
            positionalName: "FILE", minimumPositionals: 1, maximumPositionals: Int.max),
        run: { arguments in
            let session = try HomeSession(home: Home(path: try arguments.required("home")))
            let now =
                arguments.value("as-of") == "today"
                ? WallClock.now() : LocalDateTime(day: try asOf(arguments), minuteOfDay: 0)
            for path in arguments.positionals where !FileIO.isFile(path) {
                throw OutreachError("\(path): no such file", exitCode: .noInput)
            }
            let results = try Progress.during("ingesting") {
                try Ingestor.ingest(
                    session, paths: arguments.positionals, at: now, moveInputs: false,
                    confirmSmallerPopulation: arguments.has("confirm-smaller-population"))
            }
            for result in results { Terminal.write(result.line + "\n") }
            let failed = results.contains { if case .failed = $0.outcome { return true } else { return false } }
            let deferred = results.contains { if case .deferred = $0.outcome { return true } else { return false } }
            let unwritten = results.contains { $0.escalationFileFailure != nil }
            return failed ? .dataError : deferred || unwritten ? .ioError : .success
        })
}
