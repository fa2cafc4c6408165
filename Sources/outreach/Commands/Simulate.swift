import Basics

extension Commands {
    static let simulate = Command(
        spec: CommandSpec(
            name: "simulate",
            summary: "Play N working days: publish lists, fill them with simulated outcomes, record them.",
            usage: "simulate --home DIR --days N [--answer-rate 0.6] [--seed S] [--as-of DATE]",
            examples: ["outreach simulate --home /tmp/home --days 20 --seed 7"],
            options: [
                .value("home", "DIR", help: "The home folder."),
                .value("days", "N", help: "How many working days to play."),
                .value("answer-rate", "RATE", help: "Share of calls answered.", default: "0.6"),
                .value("seed", "S", help: "Seed for the simulated outcomes.", default: "1"),
                .value("as-of", "DATE", help: "The first day to play (YYYY-MM-DD).", default: "the day after the last published"),
            ]),
        run: notBuiltYet("simulate"))
}
