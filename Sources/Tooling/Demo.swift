import Basics
import Cohorts
import Journal
import Operations
import Planning
import Population
import Reports
import RuleLanguage
import Vocabulary

/// `outreach demo`: the whole job on built-in synthetic data, in one folder a newcomer can open.
///
/// It synthesises three practices, creates a home with the example rules, ingests the extract,
/// plays several weeks of calls with simulated outcomes, publishes the next morning's lists and
/// writes the progress report, then says what happened and which files to open.
public enum Demo {
    /// What to run.
    public struct Options: Sendable {
        public var folder: String
        public var seed: UInt64
        /// The first day of calls (a Monday); the extract is dated the Friday before.
        public var start: Day
        public var patients: Int
        public var workingDays: Int

        public init(
            folder: String = "outreach-demo", seed: UInt64 = 1, start: Day = Day(year: 2026, month: 11, day: 2)!,
            patients: Int = 3000, workingDays: Int = 15
        ) {
            self.folder = folder
            self.seed = seed
            self.start = start
            self.patients = patients
            self.workingDays = workingDays
        }
    }

    /// The marker that says a folder was made by the demo and may be replaced by the next run.
    static let marker = ".outreach-demo"

    /// Runs the demo and returns the summary to print.
    /// - Throws: `OutreachError` (73) when the folder exists and was not made by the demo.
    public static func run(_ options: Options) throws -> String {
        try prepare(options.folder)
        let extractFolder = FileIO.join(options.folder, "extract")
        let extractDay = options.start.adding(days: -3)
        let synthetic = try Synthesizer.write(
            SynthOptions(
                patients: options.patients, practices: 3, seed: options.seed, asOf: extractDay, eventsPerPatient: 8),
            to: extractFolder)
        let home = try Home.create(at: FileIO.join(options.folder, "home"), rulesFrom: ExampleRulesLocation.directory)
        let session = try HomeSession(home: home)
        let extractFiles = try FileIO.listDirectory(extractFolder).filter { $0.hasSuffix(".csv") && !$0.hasPrefix(".") }
            .map { FileIO.join(extractFolder, $0) }
        _ = try Ingestor.ingest(
            session, paths: extractFiles, at: LocalDateTime(day: extractDay, minuteOfDay: 16 * 60), moveInputs: false)
        // The simulator has each practice send a fresh extract every week, as practices do.
        let played = try Simulator.run(
            session, days: options.workingDays, from: options.start,
            model: OutcomeModel(answerRate: 0.6, seed: options.seed))
        let tomorrow = session.roster.workingDay(after: played.last?.day ?? options.start)
        let next = try Publisher.publish(session, day: tomorrow)
        _ = try ReportWriter.refresh(session: session, asOf: tomorrow)
        let reportFiles = [FileIO.join(home.reports, ReportWriter.reportFileName)]
        return summary(
            options: options, synthetic: synthetic, session: session, played: played, next: next,
            reportFiles: reportFiles)
    }

    /// Makes sure the folder is new or a previous demo's, and empties it.
    private static func prepare(_ folder: String) throws {
        if FileIO.exists(folder) {
            let entries = try FileIO.listDirectory(folder)
            guard entries.isEmpty || entries.contains(marker) else {
                throw OutreachError(
                    "\(folder) exists and was not made by 'outreach demo'; give another folder with --out",
                    exitCode: .cannotCreate)
            }
            try FileIO.removeTree(folder)
        }
        try FileIO.createDirectory(folder)
        try FileIO.writeAtomically(text: "made by outreach demo; safe to delete\n", to: FileIO.join(folder, marker))
    }

    private static func summary(
        options: Options, synthetic: SyntheticExtract, session: HomeSession, played: [SimulatedDay],
        next: PublishResult,
        reportFiles: [String]
    ) -> String {
        let history = session.journal.history
        var outcomes: [OutcomeCode: Int] = [:]
        for day in history.publishedDays {
            for item in history.items(on: day) {
                if let outcome = history.effectiveOutcome(of: item.itemId)?.outcome {
                    outcomes[outcome, default: 0] += 1
                }
            }
        }
        let calls = outcomes.values.reduce(0, +)
        let reached = (outcomes[.reached] ?? 0) + (outcomes[.reachedSupport] ?? 0) + (outcomes[.callBack] ?? 0)
        let home = session.home
        let firstList = next.lists.first { !$0.rows.isEmpty }
        var text = """
            Outreach demo: a primary care network of 3 practices, \(Formatting.grouped(synthetic.patientCount)) synthetic patients.

            What happened
              1. Synthesised practice extracts (test NHS numbers only) in \(FileIO.join(options.folder, "extract"))/,
                 with a few broken rows on purpose: they were reported, not lost.
              2. Created a home with the example rules and ingested the extracts (each practice sends a
                 fresh one every week, as practices do).
              3. Played \(played.count) working days from \(options.start.humanDescription): each morning's call lists were
                 published, filled in with simulated outcomes and returned through the inbox.
              4. \(Formatting.count(calls, "call")) made: \(Formatting.grouped(reached)) reached the person, \
            \(Formatting.grouped(outcomes[.noAnswer, default: 0] + outcomes[.voicemail, default: 0])) went unanswered
                 (and were retried), \(Formatting.grouped(outcomes[.callBack, default: 0])) booked a call-back.
              5. Published \(next.day.weekday.fullName.capitalized) \(next.day.humanDescription)'s lists and wrote the report.

            Open these
            """
        text += "\n"
        if let firstList {
            text += "  a worker's call list    \(FileIO.join(home.outbox(for: next.day), firstList.worker + ".html"))"
            text += " (and .csv, the return form)\n"
        }
        for file in reportFiles { text += "  the progress report     \(file)\n" }
        text += "  the journal, for audit  swift run outreach journal --home \(home.path) --csv\n"
        text +=
            "\nTry next: 'swift run outreach plan --home \(home.path) --add-worker 15', 'swift run outreach check', "
        let someone = firstList?.rows.first.map { NHSNumber.spaced($0.nhsNumber) } ?? "NUMBER"
        text +=
            "'swift run outreach explain --extract \(FileIO.join(options.folder, "extract")) --as-of \(next.day) --nhs \(someone)'.\n"
        return text
    }
}
