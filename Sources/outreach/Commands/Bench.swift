import Basics

extension Commands {
    static let bench = Command(
        spec: CommandSpec(
            name: "bench",
            summary: "Time each stage on generated data and print throughput and memory (build with -c release).",
            usage: "bench [--patients N] [--events-per-patient K]",
            examples: ["swift run -c release outreach bench", "outreach bench --patients 50000"],
            options: [
                .value("patients", "N", help: "Patients to generate (default: the practice, PCN and ICB scales)."),
                .value("events-per-patient", "K", help: "Coded events per patient.", default: "30"),
            ]),
        run: notBuiltYet("bench"))
}
