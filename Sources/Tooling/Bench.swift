import Foundation
import Basics
import Cohorts
import Journal
import Operations
import Planning
import Population
import RuleLanguage
import Service

/// `outreach bench`: generates data and times each stage on its own, with throughput and memory,
/// at the scales of quality.md. Meant for release builds (`swift run -c release outreach bench`).
public enum Bench {
    /// One scale to measure.
    public struct Scale: Sendable {
        public let name: String
        public let patients: Int
        public let eventsPerPatient: Int

        public init(name: String, patients: Int, eventsPerPatient: Int) {
            self.name = name
            self.patients = patients
            self.eventsPerPatient = eventsPerPatient
        }

        /// The practice, PCN and ICB scales of quality.md.
        public static let standard = [
            Scale(name: "practice", patients: 10_000, eventsPerPatient: 30),
            Scale(name: "PCN", patients: 50_000, eventsPerPatient: 30),
            Scale(name: "ICB", patients: 900_000, eventsPerPatient: 20),
        ]
    }

    /// Measures one scale: read, evaluate, plan, write lists, end to end, then a morning beside one
    /// `cohorts` run (``MorningBenchmark``), each a process of `executable` (or, when `nil`, run in
    /// this process). `progress` is told what is happening.
    public static func measure(
        _ scale: Scale, rules: String, executable: String?, progress: (String) -> Void
    ) throws -> String {
        let folder = NSTemporaryDirectory() + "outreach-bench-\(getpid())-\(scale.patients)"
        defer { try? FileIO.removeTree(folder) }
        let asOf = Day(year: 2026, month: 11, day: 2)!
        progress("\(scale.name): generating \(Formatting.grouped(scale.patients)) patients")
        let synthetic = try Synthesizer.write(
            SynthOptions(
                patients: scale.patients, practices: max(1, scale.patients / 10_000), seed: 1, asOf: asOf,
                eventsPerPatient: scale.eventsPerPatient),
            to: folder)
        let files = try FileIO.listDirectory(folder).filter { $0.hasSuffix(".csv") && !$0.hasPrefix(".") }.map {
            FileIO.join(folder, $0)
        }
        let bytes = try files.reduce(0) { $0 + (try FileIO.sizeAndModification($1).size) }
        let ruleSet = try RuleSetLoader.checkedRuleSet(directory: rules)
        let inputs = files.map { ExtractInput.file($0) }

        progress("\(scale.name): reading and evaluating")
        let readClock = Stopwatch()
        let extract = try ExtractReader.read(inputs, options: ReadOptions(maxRejectRate: 1, today: asOf))
        let patientsRead = readClock.seconds
        let run = try CohortEngine.run(ruleSet, extract: extract, asOf: asOf)
        let cohortsTotal = readClock.seconds
        let scan = run.scan
        let read = patientsRead + run.timings.eventScan
        let evaluation = max(0.000_001, run.timings.evaluation)

        progress("\(scale.name): planning")
        let planClock = Stopwatch()
        let (cases, patients, _) = CaseBuilder(run: run, history: JournalHistory()).cases()
        let roster = Roster(ruleSet)
        let plan = Planner(roster: roster, policy: ruleSet.policy).plan(cases, from: asOf)
        let planning = planClock.seconds

        progress("\(scale.name): writing lists")
        let writeClock = Stopwatch()
        let lists = CallListRows.lists(
            run: run, cases: cases, patients: patients, dayPlan: plan.days[0],
            workers: roster.workers(on: plan.days[0].day))
        let listFolder = FileIO.join(folder, "outbox")
        try FileIO.createDirectory(listFolder)
        var rowsWritten = 0
        for list in lists {
            try FileIO.writeAtomically(
                text: CallListFormat.csv(list.rows), to: FileIO.join(listFolder, list.worker + ".csv"))
            try FileIO.writeAtomically(
                text: CallListFormat.html(list.rows, workerName: list.name, worker: list.worker, date: asOf),
                to: FileIO.join(listFolder, list.worker + ".html"))
            rowsWritten += list.rows.count
        }
        let writing = writeClock.seconds
        let rows = scan.total.rows + extract.population.count
        var table = TextTable(header: ["stage", "time", "throughput"], alignments: [.left, .right, .left])
        table.append([
            "read extracts", seconds(read),
            "\(rate(Double(rows) / read)) rows/s, \(rate(Double(bytes) / 1e6 / read)) MB/s "
                + "(patients \(seconds(patientsRead)), events \(seconds(run.timings.eventScan)))",
        ])
        table.append([
            "evaluate cohorts", seconds(evaluation),
            "\(rate(Double(extract.population.count) / evaluation)) patients/s",
        ])
        table.append([
            "plan \(plan.days.count) days", seconds(planning), "\(rate(Double(cases.count) / planning)) cases/s",
        ])
        table.append([
            "write lists", seconds(writing),
            "\(Formatting.count(rowsWritten, "call")) on \(Formatting.count(lists.count, "list"))",
        ])
        table.append(["end to end", seconds(cohortsTotal + planning + writing), "read, evaluate, plan, write"])

        progress("\(scale.name): a morning's daemon cycle beside one cohorts run")
        let morning = try MorningBenchmark.run(
            files: files, rules: rules, day: asOf, runs: scale.patients <= 100_000 ? 5 : 1,
            in: FileIO.join(folder, "morning"), executable: executable)
        let runs = morning.cohortsRuns.count == 1 ? "" : " (median of \(morning.cohortsRuns.count) runs)"
        table.append([
            "cohorts (one run)", seconds(morning.cohorts), "outreach cohorts over the same files and rules" + runs,
        ])
        table.append([
            "morning (daemon --once)", seconds(morning.morning),
            "ingest, publish \(Formatting.count(morning.calls, "call")), report: "
                + "\(Formatting.fixed(morning.ratio, 1))x one cohorts run"
                + (runs.isEmpty ? "" : " (median of the runs' ratios)"),
        ])
        return """
            \(scale.name): \(Formatting.count(synthetic.patientCount, "patient")), \(Formatting.count(scan.total.events, "event")), \
            \(Formatting.fixed(Double(bytes) / 1e6, 0)) MB, \(Formatting.count(cases.count, "person", "people")) in cohorts
            \(table.render(indent: "  "))
              peak RSS so far: \(Formatting.fixed(Double(ResourceUsage.peakResidentBytes) / 1e6, 0)) MB

            """
    }

    /// The planner at scale: `cases` people over `workers` workers and `days` working days.
    public static func planner(cases count: Int, workers: Int, days: Int) -> String {
        var random = SeededRandom(seed: 7)
        let practices = (1...20).map { "E8\(2000 + $0)" }
        let cohorts = (1...5).map { index in
            CohortCallRules(id: "c\(index)", title: "Cohort \(index)", priority: index, callWithin: .days(14 * index))
        }
        let start = Day(year: 2026, month: 11, day: 2)!
        var cases: [CaseInput] = []
        cases.reserveCapacity(count)
        for index in 0..<count {
            let cohort = cohorts[Int(random.next() % 5)]
            cases.append(
                CaseInput(
                    nhsNumber: 9_000_000_000 + UInt64(index), practice: practices[Int(random.next() % 20)],
                    imdDecile: Int(random.next() % 10) + 1,
                    memberships: [
                        Membership(cohort: cohort, joinedOn: start.adding(days: -Int(random.next() % 60)), reason: "")
                    ]))
        }
        let team = (0..<workers).map { index in
            Worker(
                id: "w\(index)", name: "Worker \(index)", callsPerDay: 20,
                practices: index % 3 == 0 ? nil : [practices[index % 20], practices[(index + 7) % 20]])
        }
        let clock = Stopwatch()
        let plan = Planner(roster: Roster(workers: team), policy: Policy()).plan(cases, from: start, days: days)
        let elapsed = clock.seconds
        let calls = plan.days.reduce(0) { $0 + $1.calls.count }
        return "planner: \(Formatting.grouped(count)) cases, \(workers) workers, \(days) working days: "
            + "\(seconds(elapsed)) (\(rate(Double(count) / elapsed)) cases/s), \(Formatting.count(calls, "call")) placed\n"
    }

    /// Daemon start-up on a journal of `records` records.
    public static func journal(records: Int) throws -> String {
        let timings = try JournalBenchmark.run(records: records)
        return
            "journal: \(Formatting.count(timings.records, "record")) (\(Formatting.fixed(Double(timings.bytes) / 1e6, 0)) MB): "
            + "start-up (open, verify, replay) \(seconds(timings.openSeconds)); append all + sync \(seconds(timings.appendSeconds))\n"
    }

    /// Writes synthetic extracts of `patients` patients with each of `events` events per patient,
    /// runs `body` with their folders, and removes them.
    public static func withExtracts<T>(patients: Int, events: [Int], _ body: ([String]) throws -> T) throws -> T {
        let asOf = Day(year: 2026, month: 11, day: 2)!
        var folders: [String] = []
        defer { for folder in folders { try? FileIO.removeTree(folder) } }
        for count in events {
            let folder = NSTemporaryDirectory() + "outreach-probe-\(getpid())-\(count)"
            folders.append(folder)
            _ = try Synthesizer.write(
                SynthOptions(
                    patients: patients, practices: max(1, patients / 10_000), seed: 1, asOf: asOf,
                    eventsPerPatient: count),
                to: folder)
        }
        return try body(folders)
    }

    /// Reads and evaluates the extract in `folder` and returns this process's peak memory, in bytes.
    public static func memoryProbe(extract folder: String, rules: String) throws -> Int {
        let inputs = try ExtractReader.inputs(forPaths: [folder])
        _ = try CohortEngine.run(
            try RuleSetLoader.checkedRuleSet(directory: rules), inputs: inputs,
            asOf: Day(year: 2026, month: 11, day: 2)!,
            maxRejectRate: 1)
        return ResourceUsage.peakResidentBytes
    }

    private static func seconds(_ value: Double) -> String { Formatting.fixed(value, 3) + " s" }

    private static func rate(_ value: Double) -> String { Formatting.grouped(Int(value.rounded())) }
}
