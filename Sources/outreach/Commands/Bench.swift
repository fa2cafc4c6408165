import Basics
import Foundation
import Service

extension Commands {
    static let bench = Command(
        spec: CommandSpec(
            name: "bench",
            summary: "Time each stage on generated data and print throughput and memory (build with -c release).",
            usage: "bench [--patients N] [--events-per-patient K]",
            discussion: """
                Without --patients, measures the practice (10,000), PCN (50,000) and ICB (900,000) scales of the spec,
                then the planner on 1,000,000 cases, daemon start-up on a 500,000-record journal, and peak memory at 1x and
                10x the events. Generating the ICB extract takes a few minutes.
                """,
            examples: ["swift run -c release outreach bench", "outreach bench --patients 50000"],
            options: [
                .value("patients", "N", help: "Patients to generate (default: the practice, PCN and ICB scales)."),
                .value("events-per-patient", "K", help: "Coded events per patient.", default: "30"),
                .value("rules", "DIR", help: "The rules folder.", default: "the example rules"),
                .flag("memory-probe", help: "Internal: print the peak RSS of one read-and-evaluate and exit."),
            ]),
        run: { arguments in
            let rules = arguments.value("rules") == "the example rules" ? ExampleRulesLocation.directory : try arguments.required("rules")
            let events = try arguments.integer("events-per-patient", in: 1...10_000) ?? 30
            if arguments.has("memory-probe") {
                let patients = try arguments.integer("patients", in: 1...909_000) ?? 10_000
                Terminal.write("\(try Bench.memoryProbe(patients: patients, eventsPerPatient: events, rules: rules))\n")
                return .success
            }
            #if DEBUG
                Terminal.writeError("warning: this is a debug build; for real figures run 'swift run -c release outreach bench'\n")
            #endif
            let progress = Progress()
            let scales = try arguments.integer("patients", in: 1...909_000).map {
                [Bench.Scale(name: "custom", patients: $0, eventsPerPatient: events)]
            } ?? Bench.Scale.standard
            for scale in scales {
                let report = try Bench.measure(scale, rules: rules) { progress.update($0) }
                progress.finish()
                Terminal.write(report + "\n")
            }
            guard !arguments.has("patients") else { return .success }
            Terminal.write(Bench.planner(cases: 1_000_000, workers: 50, days: 60))
            Terminal.write(try Bench.journal(records: 500_000))
            let small = try probe(patients: 10_000, events: 30, rules: rules)
            let large = try probe(patients: 10_000, events: 300, rules: rules)
            Terminal.write(
                "memory: 10,000 patients, peak RSS \(Formatting.fixed(Double(small) / 1e6, 0)) MB with 30 events each, "
                    + "\(Formatting.fixed(Double(large) / 1e6, 0)) MB with 300 (\(Formatting.fixed(Double(large) / Double(small), 2))x)\n")
            return .success
        })

    /// Runs this executable again with `--memory-probe`, so each measurement has a fresh process.
    private static func probe(patients: Int, events: Int, rules: String) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = ["bench", "--memory-probe", "--patients", String(patients), "--events-per-patient", String(events), "--rules", rules]
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
