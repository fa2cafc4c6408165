import Basics
import Service
import Tooling

extension Commands {
    static let demo = Command(
        spec: CommandSpec(
            name: "demo",
            summary: "Run the whole job on built-in synthetic data and say which files to open.",
            usage: "demo [--out DIR] [--seed S]",
            discussion: """
                Synthesises a PCN of three practices, applies the example rules, schedules and simulates
                several weeks of calls, and writes the call lists and the progress report.
                """,
            examples: ["outreach demo", "outreach demo --out /tmp/outreach-demo"],
            options: [
                .value("out", "DIR", help: "Folder for the demo (replaced on each run).", default: "./outreach-demo"),
                .value("seed", "S", help: "Seed for the synthetic data and simulated outcomes.", default: "1"),
            ]),
        run: { arguments in
            let options = Demo.Options(
                folder: arguments.value("out") ?? "outreach-demo", seed: UInt64(try arguments.integer("seed") ?? 1))
            Terminal.write(try Progress.during("running the demo") { try Demo.run(options) })
            return .success
        })
}
