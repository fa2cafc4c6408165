import Basics

extension Commands {
    static let synth = Command(
        spec: CommandSpec(
            name: "synth",
            summary: "Write a realistic synthetic extract (test NHS numbers only).",
            usage: "synth --patients N [--practices K] [--profile canonical|emis|systmone] [--seed S] [--as-of DATE] --out DIR",
            examples: ["outreach synth --patients 30000 --practices 3 --profile emis --seed 1 --out /tmp/x"],
            options: [
                .value("patients", "N", help: "How many patients in all."),
                .value("practices", "K", help: "How many practices.", default: "3"),
                .value("profile", "NAME", help: "canonical, emis or systmone layout.", default: "canonical"),
                .value("seed", "S", help: "Seed: the same seed writes the same bytes.", default: "1"),
                .value("as-of", "DATE", help: "The extract's run date (YYYY-MM-DD).", default: "today"),
                .value("out", "DIR", help: "Folder to write the files into."),
            ]),
        run: notBuiltYet("synth"))
}
