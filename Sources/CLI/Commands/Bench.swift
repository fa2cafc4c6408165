import Foundation
import Basics
import Service
import Tooling

extension Commands {
    static let bench = Command(
        spec: CommandSpec(
            name: "bench",
            summary: "Time each stage on generated data and print throughput and memory (build with -c release).",
            usage: "bench [--patients N] [--events-per-patient K]",
            discussion: """
                Without --patients, measures the practice (10,000), PCN (50,000) and ICB (900,000) scales of the spec,
                each with a morning's daemon cycle (ingest, publish, report) beside one cohorts run over the same files,
                then the planner on 1,000,000 cases, daemon start-up on a 500,000-record journal, and peak memory at 1x and
                10x the events. Generating the ICB extract takes a few minutes.
                """,
            examples: ["swift run -c release outreach bench", "outreach bench --patients 50000"],
            options: [
                .value("patients", "N", help: "Patients to generate (default: the practice, PCN and ICB scales)."),
                .value("events-per-patient", "K", help: "Coded events per patient.", default: "30"),
                .value("rules", "DIR", help: "The rules folder.", default: "the example rules"),
                .value(
                    "only", "PART", help: "Measure only these: practice, pcn, icb, planner, journal, memory.",
                    several: true),
                .value(
                    "memory-probe", "DIR",
                    help: "Internal: evaluate the extract in DIR and print this process's peak memory."),
            ]),
        run: { arguments in
            let rules =
                arguments.value("rules") == "the example rules"
                ? ExampleRulesLocation.directory : try arguments.required("rules")
            let events = try arguments.integer("events-per-patient", in: 1...10_000) ?? 30
            if let folder = arguments.value("memory-probe") {
                Terminal.write("\(try Bench.memoryProbe(extract: folder, rules: rules))\n")
                return .success
            }
            let parts = Set(arguments.allValues("only").map { $0.lowercased() })
            let known: Set<String> = ["practice", "pcn", "icb", "planner", "journal", "memory"]
            if let unknown = parts.subtracting(known).sorted().first {
                throw UsageError(
                    "--only takes \(known.sorted().joined(separator: ", ")), not '\(unknown)'", command: "bench")
            }
            func wanted(_ part: String) -> Bool { parts.isEmpty || parts.contains(part) }
            #if DEBUG
                Terminal.writeError(
                    "warning: this is a debug build; for real figures run 'swift run -c release outreach bench'\n")
            #endif
            let progress = Progress()
            let scales =
                try arguments.integer("patients", in: 1...909_000).map {
                    [Bench.Scale(name: "custom", patients: $0, eventsPerPatient: events)]
                } ?? Bench.Scale.standard.filter { wanted($0.name.lowercased()) }
            for scale in scales {
                let report = try Bench.measure(scale, rules: rules, executable: "/proc/self/exe") {
                    progress.update($0)
                }
                progress.finish()
                Terminal.write(report + "\n")
            }
            guard !arguments.has("patients") else { return .success }
            if wanted("planner") { Terminal.write(Bench.planner(cases: 1_000_000, workers: 50, days: 60)) }
            if wanted("journal") { Terminal.write(try Bench.journal(records: 500_000)) }
            if wanted("memory") {
                let (small, large) = try Bench.withExtracts(patients: 10_000, events: [30, 300]) { folders in
                    (try probe(folders[0], rules: rules), try probe(folders[1], rules: rules))
                }
                Terminal.write(
                    "memory: 10,000 patients, peak RSS \(Formatting.fixed(Double(small) / 1e6, 0)) MB with 30 events each, "
                        + "\(Formatting.fixed(Double(large) / 1e6, 0)) MB with 300 (\(Formatting.fixed(Double(large) / Double(small), 2))x)\n"
                )
            }
            return .success
        })

    /// Evaluates an extract in a fresh process (this executable with `--memory-probe`), so its peak
    /// memory is measured on its own.
    private static func probe(_ folder: String, rules: String) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = ["bench", "--memory-probe", folder, "--rules", rules]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let bytes = Int(String(decoding: output, as: UTF8.self).trimmed) else {
            throw OutreachError("the memory probe failed (exit \(process.terminationStatus))", exitCode: .ioError)
        }
        return bytes
    }
}
