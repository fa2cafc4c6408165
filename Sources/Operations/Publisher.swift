import Basics
import Cohorts
import Handoffs
import Journal
import Planning
import Population
import RuleLanguage

extension Day {
    /// `Tue 24 Nov`.
    var shortDescription: String {
        "\(weekday.fullName.prefix(3).capitalized) \(dayOfMonth) \(Day.monthAbbreviations[month - 1])"
    }
}

/// Plans a day from the home's population and journal and publishes its lists: CSV and HTML per
/// worker, written into `outbox/.DAY.partial/`, then the items and the day's seal in the journal,
/// then the folder renamed to `outbox/DAY/`. So a worker never sees a list the journal does not
/// hold: a crash before the seal leaves only the hidden folder (the next run rewrites it), and a
/// crash after it is finished by ``finishInterrupted(_:)``. A day is published once.
public enum Publisher {
    /// Publishes `day`'s lists, or says why not (published already, a later day published, the
    /// team closed). Records the unreturned items of earlier days and today's cohort changes first.
    /// - Throws: for the machine (I/O, the journal) and for a home with no population yet.
    public static func publish(_ session: HomeSession, day: Day) throws -> PublishResult {
        try finishInterrupted(session)
        let history = session.journal.history
        if history.isPublished(day) {
            return PublishResult(
                day: day, outcome: .alreadyPublished, plan: nil, lists: [], peopleInCohorts: 0, notReturned: 0)
        }
        if let last = history.publishedDays.max(), day < last {
            return PublishResult(
                day: day, outcome: .beforeLastPublished(last), plan: nil, lists: [], peopleInCohorts: 0, notReturned: 0)
        }
        let roster = session.roster
        if let closure = roster.closure(on: day) {
            return PublishResult(
                day: day, outcome: .closed(closure), plan: nil, lists: [], peopleInCohorts: 0, notReturned: 0)
        }
        let (run, membershipChanges) = try session.cohortsAndMembershipChanges(on: day)
        let unreturned = history.itemsAwaitingOutcome(publishedBefore: day).map {
            JournalRecord.itemNotAttempted(ItemNotAttempted(itemId: $0.itemId, reason: .notReturned, recordedOn: day))
        }
        try session.record(session.ruleAdoption(on: day) + unreturned + membershipChanges)

        let builder = CaseBuilder(run: run, history: session.journal.history)
        var built = builder.cases(reusing: nil, keepingPromisesUnder: session.ruleSet.policy, roster: roster)
        let (cases, patients) = (built.cases, built.patients)
        let policy = session.ruleSet.policy
        let stale = ExtractFreshness.stale(history: session.journal.history, policy: policy, on: day)
        let plan = Planner(roster: roster, policy: policy, stalePractices: Set(stale.map(\.practice))).plan(
            cases, from: day)
        let today = plan.days[0]
        // The next working day's plan, for the texts announcing its calls, on another core while
        // today's lists are made and written.
        let recorded = session.journal.history
        let planningNext =
            policy.textBeforeCalling
            ? BackgroundWork {
                nextDayPlan(after: today, cases: cases, roster: roster, policy: policy, history: recorded)
            } : nil
        let lists = CallListRows.lists(
            run: run, cases: cases, patients: patients, dayPlan: today, workers: roster.workers(on: day))
        let folder = session.home.outbox(for: day)
        let staging = stagingFolder(for: day, in: session.home)
        // A folder for an unsealed day is an earlier version's interrupted run: never seen by the
        // journal, so not a list (``finishInterrupted(_:)``, above, cleared any staged one).
        if FileIO.exists(folder) { try FileIO.removeTree(folder) }
        try FileIO.createDirectory(staging)
        var items: [JournalRecord] = []
        let fingerprints = Dictionary(
            today.calls.map { ($0.nhsNumber, cases[$0.caseIndex].phoneFingerprint) },
            uniquingKeysWith: { first, _ in first })
        try FileIO.writeAtomically(
            lists.flatMap { list in
                [
                    (FileIO.join(staging, "\(list.worker).csv"), Array(CallListFormat.csv(list.rows).utf8)),
                    (
                        FileIO.join(staging, "\(list.worker).html"),
                        Array(
                            CallListFormat.html(list.rows, workerName: list.name, worker: list.worker, date: day).utf8)
                    ),
                ]
            })
        for list in lists {
            for row in list.rows {
                items.append(
                    .itemPublished(
                        ItemPublished(
                            itemId: row.itemID, day: day, worker: row.worker, nhsNumber: row.nhsNumber,
                            practice: row.practice, cohorts: row.cohorts, attempt: row.attempt, timeBand: row.band,
                            priority: row.priority, phoneFingerprint: fingerprints[row.nhsNumber] ?? 0)))
            }
        }
        let itemCount = items.count
        // Texts for the next working day's planned calls, recorded in the same batch so a day is
        // never published without them (or they without it), and staged beside its lists.
        var texts: PublishResult.Texts?
        if let planningNext {
            let next = planningNext.wait()
            let (announced, left) = MessageExport.announcements(
                run: run, dayPlan: next, history: session.journal.history, recordedOn: day,
                onListsToday: Set(today.calls.map(\.nhsNumber)))
            let files = MessageExport.files(
                for: announced, day: next.day, population: run.population, workers: roster.workers(on: next.day))
            try HandoffExports.write(files, to: FileIO.join(staging, textsFolder))
            items += announced.map { .callAnnounced($0) }
            texts = PublishResult.Texts(day: next.day, announced: announced.count, files: files.count, left: left)
        }
        items.append(
            .dayPublished(DayPublished(day: day, itemCount: itemCount, ruleVersion: session.ruleSet.contentHash)))
        try session.record(items)
        built.note(items, journalNowAt: session.journal.history.recordCount)
        try reveal(staging, as: folder)
        var result = PublishResult(
            day: day, outcome: .published, plan: plan, lists: lists, peopleInCohorts: built.inCohorts,
            notReturned: unreturned.count)
        result.texts = texts
        result.run = run
        result.cases = built
        let listed = Set(today.calls.map(\.nhsNumber))
        result.announcedNotListed = session.journal.history.announcements(for: day).count {
            !listed.contains($0.nhsNumber)
        }
        result.staleExtracts = stale
        result.staleAfter = policy.extractsStaleAfter
        return result
    }

    /// The next working day's plan as it would be if nobody on `today`'s lists answered: the
    /// retries that could then fall due take their room first, so the calls it announces by text
    /// leave room for them (announced calls are kept like promises). Practices whose extract is
    /// stale by then are left out, so nobody is told of a call their stale extract would stop.
    static func nextDayPlan(
        after today: DayPlan, cases: [CaseInput], roster: Roster, policy: Policy, history: JournalHistory
    ) -> DayPlan {
        var worstCase = cases
        for call in today.calls {
            let person = cases[call.caseIndex]
            worstCase[call.caseIndex] = person.adding(
                Attempt(
                    itemID: "", day: today.day, worker: call.worker, band: call.band, cohorts: call.cohorts,
                    outcome: .noAnswer, phoneFingerprint: person.phoneFingerprint))
        }
        let next = roster.workingDay(after: today.day)
        let stale = ExtractFreshness.stale(history: history, policy: policy, on: next)
        return Planner(roster: roster, policy: policy, stalePractices: Set(stale.map(\.practice))).plan(
            worstCase, from: next, days: 1
        ).days[0]
    }

    /// Finishes publishes that a crash interrupted after the journal sealed the day but before
    /// its lists were moved into place, and removes the staged lists of days never sealed (patient
    /// data that no worker should see). Run, holding the home's lock, before anything reads the outbox.
    public static func finishInterrupted(_ session: HomeSession) throws {
        guard let names = try? FileIO.listDirectory(session.home.outbox) else { return }
        for name in names where name.hasPrefix(".") && name.hasSuffix(".partial") {
            guard let day = Day(iso: String(name.dropFirst().dropLast(".partial".count))) else { continue }
            let staged = FileIO.join(session.home.outbox, name)
            if session.journal.history.isPublished(day), !FileIO.exists(session.home.outbox(for: day)) {
                try reveal(staged, as: session.home.outbox(for: day))
            } else {
                try FileIO.removeTree(staged)
            }
        }
    }

    /// The folder in a day's outbox for the texts announcing the next working day's calls.
    public static let textsFolder = "texts"

    /// `outbox/.YYYY-MM-DD.partial`: where a day's lists are written until the journal holds them.
    static func stagingFolder(for day: Day, in home: Home) -> String {
        FileIO.join(home.outbox, ".\(day).partial")
    }

    /// Renames the staged folder into place, durably.
    private static func reveal(_ staging: String, as folder: String) throws {
        try FileIO.move(staging, to: folder)
        try FileIO.syncDirectory(FileIO.parentDirectory(of: folder))
    }
}
