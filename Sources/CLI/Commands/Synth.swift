import Basics
import Population
import Tooling

extension Commands {
    static let synth = Command(
        spec: CommandSpec(
            name: "synth",
            summary: "Write a realistic synthetic extract (test NHS numbers only).",
            usage:
                "synth --patients N [--practices K] [--profile canonical|emis|systmone] [--seed S] [--as-of DATE] --out DIR",
            examples: ["outreach synth --patients 30000 --practices 3 --profile emis --seed 1 --out /tmp/x"],
            options: [
                .value("patients", "N", help: "How many patients in all."),
                .value("practices", "K", help: "How many practices.", default: "3"),
                .value("profile", "NAME", help: "canonical, emis or systmone layout.", default: "canonical"),
                .value("seed", "S", help: "Seed: the same seed writes the same bytes.", default: "1"),
                .value("as-of", "DATE", help: "The extract's run date (YYYY-MM-DD).", default: "today"),
                .value("out", "DIR", help: "Folder to write the files into."),
            ]),
        run: { arguments in
            guard let patients = try arguments.integer("patients", in: 1...900_000) else {
                throw UsageError("missing --patients", command: "synth")
            }
            let practices = try arguments.integer("practices", in: 1...200) ?? 3
            let layout = SynthLayout(
                rawValue: try arguments.choice("profile", from: SynthLayout.allCases.map(\.rawValue)) ?? "canonical")!
            guard let seed = UInt64(arguments.value("seed") ?? "1") else {
                throw UsageError(
                    "--seed needs a whole number, not '\(arguments.value("seed") ?? "")'", command: "synth")
            }
            let asOf = arguments.value("as-of") == "today" ? WallClock.today() : try arguments.day("as-of")!
            let out = try arguments.required("out")
            let options = SynthOptions(patients: patients, practices: practices, layout: layout, seed: seed, asOf: asOf)
            let result = try Progress.during("writing the synthetic extract") {
                try Synthesizer.write(options, to: out)
            }
            Terminal.write(result.summary(options: options, directory: out))
            return .success
        })
}
