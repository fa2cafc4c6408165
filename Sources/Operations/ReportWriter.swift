import Basics
import Cohorts
import Journal
import Planning
import Population
import Reports
import RuleLanguage

/// Builds the progress report of a home and writes it to `HOME/reports/`.
public enum ReportWriter {
    /// The HTML report's name in `HOME/reports/`.
    public static let reportFileName = "report.html"
    /// The forecast's name in `HOME/reports/`.
    public static let forecastFileName = "forecast.txt"
    /// How far ahead the report's forecast looks.
    public static let forecastWeeks = 12

    /// The day a report covers when none is asked for: `today`, or the home's last list day when
    /// the home is planned ahead of the calendar (a simulation), so the report shows its lists.
    public static func defaultDay(for history: JournalHistory, today: Day) -> Day {
        max(today, history.publishedDays.max() ?? today)
    }

    /// The report of a home as of `asOf` (or, when `nil`, ``defaultDay(for:today:)``), read without
    /// taking the home's lock, so it can run while the daemon does (the journal is read as it
    /// stands; an append in progress is ignored).
    /// - Throws: `OutreachError` 66 when `home` is not a home or has no population yet; 65 for
    ///   rule errors or a damaged journal; the reader's errors for unreadable extracts.
    public static func report(home: Home, asOf: Day?, today: Day) throws -> ProgressReport {
        let (ruleSet, history) = try readWithoutLock(home)
        let day = asOf ?? defaultDay(for: history, today: today)
        let run = try evaluate(ruleSet, home: home, history: history, asOf: day)
        return ProgressReport(
            run: run, history: history, roster: Roster(ruleSet), asOf: day, forecastWeeks: forecastWeeks)
    }

    /// The report of a home as of `asOf`; see ``report(home:asOf:today:)``.
    public static func report(home: Home, asOf: Day) throws -> ProgressReport {
        try report(home: home, asOf: asOf, today: asOf)
    }

    /// The home's checked rules and its journal's history, read without the lock (the journal as
    /// it stands; an append in progress is ignored).
    /// - Throws: `OutreachError` 66 when `home` is not a home; 65 for rule errors or a damaged journal.
    static func readWithoutLock(_ home: Home) throws -> (RuleSet, JournalHistory) {
        try home.requireExists()
        let ruleSet = try RuleSetLoader.checkedRuleSet(directory: home.rules)
        let history = FileIO.isFile(home.journal) ? try Journal.read(at: home.journal).history : JournalHistory()
        return (ruleSet, history)
    }

    /// Refreshes `HOME/reports/report.html` and `HOME/reports/forecast.txt` for an open session:
    /// what the daemon calls after each publish and each ingest.
    ///
    /// Most of its time goes on evaluating the cohorts (pass `run` to skip that), on building the
    /// cases and on the forecast.
    ///
    /// - Parameters:
    ///   - run: the cohorts already evaluated on `asOf`, when the caller has them (a publish
    ///     does), which saves reading the extracts again.
    ///   - cases: that run's cases, as the publish built them and noted what it recorded since
    ///     (only the people it recorded calls or texts for are built again); used only with `run`.
    /// - Returns: the report written.
    @discardableResult
    public static func refresh(session: HomeSession, asOf: Day, run: CohortRun? = nil, cases: BuiltCases? = nil)
        throws -> ProgressReport
    {
        let history = session.journal.history
        let cohorts = try run ?? session.evaluateCohorts(on: asOf)
        let report = ProgressReport(
            run: cohorts, history: history, roster: session.roster, asOf: asOf, forecastWeeks: forecastWeeks,
            cases: run == nil ? nil : cases)
        try write(report, to: session.home)
        return report
    }

    /// Writes the HTML report and the forecast into `HOME/reports/` (0600, atomically).
    public static func write(_ report: ProgressReport, to home: Home) throws {
        try FileIO.createDirectory(home.reports)
        try FileIO.writeAtomically([
            (FileIO.join(home.reports, reportFileName), Array(ReportHTML.page(report).utf8)),
            (FileIO.join(home.reports, forecastFileName), Array(Forecaster.render(report.forecast).utf8)),
        ])
    }

    /// Writes the HTML report to `path` (0600, atomically: a reader never sees half a report).
    /// - Throws: `OutreachError` 73 when the folder for `path` does not exist; `FileIOError` when writing fails.
    public static func writeHTML(_ report: ProgressReport, to path: String) throws {
        let folder = FileIO.parentDirectory(of: path)
        guard FileIO.isDirectory(folder) else {
            throw OutreachError("cannot write \(path): the folder \(folder) does not exist", exitCode: .cannotCreate)
        }
        try FileIO.writeAtomically(text: ReportHTML.page(report), to: path)
    }

    static func evaluate(_ ruleSet: RuleSet, home: Home, history: JournalHistory, asOf: Day) throws -> CohortRun {
        let inputs = ExtractStore(home: home).currentFiles(history: history).map(\.input)
        guard !inputs.isEmpty else {
            throw OutreachError(
                "\(home.path) has no population yet: put practice extracts in \(home.extractsInbox) "
                    + "or run 'outreach ingest --home \(home.path) FILE...'", exitCode: .noInput)
        }
        return try CohortEngine.run(ruleSet, inputs: inputs, asOf: asOf, maxRejectRate: 1)
    }
}
