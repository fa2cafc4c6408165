import Basics
import Operations
import Planning
import Tooling

extension Commands {
    static let simulate = Command(
        spec: CommandSpec(
            name: "simulate",
            summary: "Play N working days: publish lists, fill them with simulated outcomes, record them.",
            usage: "simulate --home DIR --days N [--answer-rate 0.6] [--seed S] [--as-of DATE]",
            discussion:
                "Each day's lists are filled in with a seeded mix of outcomes (answered, voicemail, call-backs, "
                + "support, the odd wrong number) and returned through the inbox, exactly as workers would.",
            examples: ["outreach simulate --home /tmp/home --days 20 --seed 7"],
            options: [
                .value("home", "DIR", help: "The home folder."),
                .value("days", "N", help: "How many working days to play."),
                .value("answer-rate", "RATE", help: "Share of calls answered.", default: "0.6"),
                .value("seed", "S", help: "Seed for the simulated outcomes.", default: "1"),
                .value(
                    "as-of", "DATE", help: "The first day to play (default: the working day after the last published)."),
            ]),
        run: { arguments in
            let session = try HomeSession(home: Home(path: try arguments.required("home")))
            guard let days = try arguments.integer("days", in: 1...1000) else {
                throw UsageError("missing --days N", command: "simulate")
            }
            let model = OutcomeModel(
                answerRate: try arguments.number("answer-rate", in: 0...1) ?? 0.6,
                seed: UInt64(try arguments.integer("seed") ?? 1))
            let played = try Simulator.run(session, days: days, from: try arguments.day("as-of"), model: model)
            for day in played {
                let recorded = day.ingest.map(\.line).joined(separator: "; ")
                let calls = Formatting.count(day.published, "call")
                let lists = day.publishedEarlier ? "\(calls) on the lists published earlier" : "\(calls) published"
                Terminal.write("\(day.day): \(lists)\(recorded.isEmpty ? "" : "; ")\(recorded)\n")
            }
            return .success
        })
}
