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
            // An escalation file an earlier run could not write (or was stopped before writing) is
            // caught up here too, as the daemon does each cycle.
            var unwritten = false
            do {
                if let path = try Escalations.rewriteIfStale(session, on: now.day) {
                    Terminal.write("outbox/escalations/\(FileIO.fileName(of: path)) written again from the journal\n")
                }
            } catch {
                // An extract's error may quote the file: only a file error's message is shown.
                let reason = (error as? FileIOError)?.message ?? "the current patients files could not be read"
                Terminal.write("the escalation file could not be written: \(reason)\n")
                unwritten = true
            }
            let failed = results.contains { if case .failed = $0.outcome { return true } else { return false } }
            let deferred = results.contains { if case .deferred = $0.outcome { return true } else { return false } }
            return failed ? .dataError : deferred || unwritten ? .ioError : .success
        })
}
