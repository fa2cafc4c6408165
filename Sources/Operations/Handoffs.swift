import Basics
import Cohorts
import Handoffs
import Journal
import Planning
import RuleLanguage

/// Writes the hand-offs to the practices' systems into `HOME/exports/KIND/DAY/` (or a folder
/// given): the day's outcomes to code, the texts announcing the next calls, the letters for the
/// people the telephone cannot reach. Files are 0600 in 0700 folders, CSV with formulas
/// neutralised, one practice's patients each, the same bytes for the same home and day.
public enum HandoffExports {
    /// What an export wrote.
    public struct Written: Sendable {
        public let folder: String
        public let files: [ExportFile]
        public let left: ExportExclusions
        /// People the texts announced a call to (messages only).
        public let announced: Int
        /// Why nothing was written, when nothing was.
        public let note: String?

        /// Why one person is, or is not, in this export (patient data: for the terminal only).
        public func explanation(of nhsNumber: UInt64) -> String {
            ExportExplanation.lines(nhsNumber: nhsNumber, files: files, left: left).joined(separator: "\n") + "\n"
        }

        /// `E82001-coding-2026-11-23.csv (12)` lines, then who was left out and why.
        public var summary: String {
            var text = ""
            if let note { text += note + "\n" }
            for file in files { text += "  \(FileIO.join(folder, file.name)) (\(file.count))\n" }
            if files.isEmpty, note == nil { text += "  nobody to export\n" }
            text += "Left out: \(left.summary)\n"
            return text
        }
    }

    /// The outcomes of the calls of `day` that the policy maps to a code, per practice. Reads the
    /// home without its lock, so it can run while the daemon does.
    /// With `write: false`, nothing is written (to explain one person).
    public static func coding(home: Home, day: Day, out: String?, write writes: Bool = true) throws -> Written {
        let (ruleSet, history) = try ReportWriter.readWithoutLock(home)
        let run = try ReportWriter.evaluate(ruleSet, home: home, history: history, asOf: day)
        let names = Dictionary(ruleSet.workers.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let (files, left) = CodingExport.files(
            day: day, history: history, population: run.population, policy: ruleSet.policy, workerNames: names)
        let folder = out ?? home.exports("coding", for: day)
        if writes { try write(files, to: folder) }
        let note =
            ruleSet.policy.codings.isEmpty
            ? "The policy maps no outcome to a code ('code OUTCOME as CODE \"TERM\"')." : nil
        return Written(folder: folder, files: files, left: left, announced: 0, note: note)
    }

    /// The letters for everyone the telephone cannot reach on `day` whose cohorts say to write.
    /// Reads the home without its lock.
    public static func letters(home: Home, day: Day, out: String?, write writes: Bool = true) throws -> Written {
        let (ruleSet, history) = try ReportWriter.readWithoutLock(home)
        let run = try ReportWriter.evaluate(ruleSet, home: home, history: history, asOf: day)
        let roster = Roster(ruleSet)
        let policy = ruleSet.policy
        let (cases, patients, _) = CaseBuilder(run: run, history: history).cases(
            keepingPromisesUnder: policy, roster: roster)
        let statuses = cases.map { CaseTimeline.status(of: $0, on: day, policy: policy, roster: roster) }
        let stale = Set(ExtractFreshness.stale(history: history, policy: policy, on: day).map(\.practice))
        let (files, left) = LetterExport.files(
            run: run, cases: cases, patients: patients, statuses: statuses, day: day, policy: policy,
            stalePractices: stale)
        let folder = out ?? home.exports("letters", for: day)
        if writes { try write(files, to: folder) }
        return Written(folder: folder, files: files, left: left, announced: 0, note: nil)
    }

    /// The day `export messages` announces by default: the working day after the last published
    /// one (today's, or the next, when nothing is published yet).
    public static func nextDayToAnnounce(session: HomeSession, today: Day) -> Day {
        guard let last = session.journal.history.publishedDays.max() else {
            return session.roster.workingDay(onOrAfter: today)
        }
        return session.roster.workingDay(after: last)
    }

    /// The texts for the calls planned for `day`, the next day to be published. When a publish
    /// already announced that day's calls (`outbox/DAY/texts/`), the same files again from the
    /// journal, less anyone who can no longer be texted or called; otherwise the day is planned
    /// now and its texts recorded as announced, so that day's lists keep them. Only the next day
    /// to be published: announcing a later one would hold back calls due before it. Needs the
    /// session (the lock): it may write to the journal.
    /// With `write: false`, nothing is written or recorded (to explain one person).
    public static func messages(session: HomeSession, day: Day, today: Day, out: String?, write writes: Bool = true)
        throws -> Written
    {
        let policy = session.ruleSet.policy
        let folder = out ?? session.home.exports("messages", for: day)
        func nothing(_ note: String) -> Written {
            Written(folder: folder, files: [], left: ExportExclusions(), announced: 0, note: note)
        }
        guard policy.textBeforeCalling else {
            return nothing("The policy does not say 'text before calling: yes': no texts written.")
        }
        let history = session.journal.history
        if history.isPublished(day) { return nothing("\(day) is already published: too late to announce its calls.") }
        if let last = history.publishedDays.max(), day < last {
            return nothing("\(day) is before the last published day (\(last)): it will never have lists.")
        }
        if let closure = session.roster.closure(on: day) { return nothing("No lists on \(day): \(closure).") }
        let next = nextDayToAnnounce(session: session, today: today)
        guard day == next else {
            return nothing(
                "Only the next day to be published (\(next)) can be announced: texts for a later day would "
                    + "hold back calls due before it.")
        }
        let run = try session.evaluateCohorts(on: day)
        let workers = session.roster.workers(on: day)
        let recorded = history.announcements(for: day)
        if !recorded.isEmpty {
            var left = ExportExclusions()
            let still = recorded.filter { call in
                guard let reason = MessageExport.reasonNotToText(call.nhsNumber, run: run, history: history, on: day)
                else { return true }
                left.add(reason, nhsNumber: call.nhsNumber)
                return false
            }
            let files = MessageExport.files(for: still, day: day, population: run.population, workers: workers)
            if writes { try write(files, to: folder) }
            return Written(
                folder: folder, files: files, left: left, announced: 0,
                note: "\(recorded.count) calls on \(day) were announced when the day before was published: those texts."
            )
        }
        let cases = CaseBuilder(run: run, history: history).cases(
            keepingPromisesUnder: policy, roster: session.roster
        ).cases
        let stale = ExtractFreshness.stale(history: history, policy: policy, on: day)
        let plan = Planner(roster: session.roster, policy: policy, stalePractices: Set(stale.map(\.practice))).plan(
            cases, from: day)
        let (announcements, left) = MessageExport.announcements(
            run: run, dayPlan: plan.days[0], history: history, recordedOn: today)
        let files = MessageExport.files(for: announcements, day: day, population: run.population, workers: workers)
        // The promises first, then the texts: a failure between leaves calls kept that nobody was
        // told of (harmless), never a text whose call is not kept. A second run writes the same files.
        if writes {
            try session.record(announcements.map { .callAnnounced($0) })
            try write(files, to: folder)
        }
        return Written(folder: folder, files: files, left: left, announced: announcements.count, note: nil)
    }

    /// Writes `files` into `folder` (created 0700), each 0600 and atomically; CSV with CRLF line
    /// ends and formulas neutralised, lists one line each.
    static func write(_ files: [ExportFile], to folder: String) throws {
        guard !files.isEmpty else { return }
        try FileIO.createDirectory(folder)
        try FileIO.writeAtomically(
            files.map { file in
                let text: String
                switch file.content {
                case .csv(let rows):
                    var writer = CSVWriter(lineEnd: "\r\n", neutraliseFormulas: true)
                    for row in rows { writer.append(row) }
                    text = writer.output
                case .lines(let lines):
                    text = lines.map { $0 + "\r\n" }.joined()
                }
                return (FileIO.join(folder, file.name), Array(text.utf8))
            })
    }
}
