import Basics
import Cohorts
import Journal
import Planning
import Population
import RuleLanguage

/// What publishing a day did.
public struct PublishResult: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// The lists were published.
        case published
        /// The day was published before: a published day is never planned again.
        case alreadyPublished
        /// The team does not work that day (the reason in words).
        case closed(String)
        /// A later day is published already: lists are published forward only, since each day's
        /// plan builds on the calls of the days before it.
        case beforeLastPublished(Day)
    }

    public let day: Day
    public let outcome: Outcome
    /// The plan behind the lists (`nil` when nothing was planned).
    public let plan: Plan?
    /// The lists written, by worker id.
    public let lists: [(worker: String, name: String, rows: [CallListRow])]
    /// How many people are in at least one cohort.
    public let peopleInCohorts: Int
    /// Items of earlier days marked not returned this morning.
    public let notReturned: Int
    /// Practices not called from because their newest extract is stale.
    public var staleExtracts: [StaleExtract] = []
    /// The policy's words for staleness, for the summary.
    var staleAfter: Period = .days(14)

    /// The plan summary printed by `outreach schedule`.
    public var summary: String {
        switch outcome {
        case .alreadyPublished: return "\(day) was published already; nothing to do (a published day is never re-planned).\n"
        case .closed(let reason): return "\(day) is \(reason); no lists to publish.\n"
        case .beforeLastPublished(let last):
            return "\(day) comes before \(last), which is published already; lists are published forward only.\n"
        case .published: break
        }
        let total = lists.reduce(0) { $0 + $1.rows.count }
        var stale = ""
        if !staleExtracts.isEmpty {
            var policy = Policy()
            policy.extractsStaleAfter = staleAfter
            stale = ExtractFreshness.explanation(staleExtracts, policy: policy).joined(separator: ".\n") + ".\n\n"
        }
        var text = "Published \(Formatting.count(total, "call")) for \(day.weekday.fullName.capitalized) \(day.humanDescription) "
        text += "from \(Formatting.count(peopleInCohorts, "person", "people")) in cohorts.\n\n" + stale
        var table = TextTable(header: ["worker", "name", "calls", "list"], alignments: [.left, .left, .right, .left])
        for list in lists {
            table.append([list.worker, list.name, String(list.rows.count), "outbox/\(day)/\(list.worker).csv"])
        }
        text += table.render(indent: "  ") + "\n"
        if let plan {
            var reasons: [String: Int] = [:]
            for case let reason? in plan.notListed { reasons[reason.description, default: 0] += 1 }
            if !reasons.isEmpty {
                text += "\nNot on today's lists:\n"
                var why = TextTable(columns: 2, alignments: [.right, .left])
                for (reason, count) in reasons.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                    why.append([Formatting.grouped(count), reason])
                }
                text += why.render(indent: "  ") + "\n"
            }
            let ahead = plan.days.dropFirst().map { "\($0.day.shortDescription) \($0.calls.count)" }
            if !ahead.isEmpty { text += "\nProvisional: " + ahead.joined(separator: ", ") + " calls.\n" }
        }
        if notReturned > 0 {
            text += "\n\(Formatting.count(notReturned, "item")) from earlier lists did not come back: back in the queue.\n"
        }
        return text
    }
}

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
            return PublishResult(day: day, outcome: .alreadyPublished, plan: nil, lists: [], peopleInCohorts: 0, notReturned: 0)
        }
        if let last = history.publishedDays.max(), day < last {
            return PublishResult(
                day: day, outcome: .beforeLastPublished(last), plan: nil, lists: [], peopleInCohorts: 0, notReturned: 0)
        }
        let roster = session.roster
        if let closure = roster.closure(on: day) {
            return PublishResult(day: day, outcome: .closed(closure), plan: nil, lists: [], peopleInCohorts: 0, notReturned: 0)
        }
        let run = try session.evaluateCohorts(on: day)
        let unreturned = history.itemsAwaitingOutcome(publishedBefore: day).map {
            JournalRecord.itemNotAttempted(ItemNotAttempted(itemId: $0.itemId, reason: .notReturned, recordedOn: day))
        }
        try session.record(
            session.ruleAdoption(on: day) + unreturned
                + MembershipSync.records(for: run, history: session.journal.history, on: day))

        let builder = CaseBuilder(run: run, history: session.journal.history)
        let (cases, patients) = builder.cases(keepingPromisesUnder: session.ruleSet.policy, roster: roster)
        let policy = session.ruleSet.policy
        let stale = ExtractFreshness.stale(history: session.journal.history, policy: policy, on: day)
        let plan = Planner(roster: roster, policy: policy, stalePractices: Set(stale.map(\.practice))).plan(cases, from: day)
        let today = plan.days[0]
        let lists = CallListRows.lists(run: run, cases: cases, patients: patients, dayPlan: today, workers: roster.workers(on: day))

        let folder = session.home.outbox(for: day)
        let staging = stagingFolder(for: day, in: session.home)
        // A folder for an unsealed day is an earlier version's interrupted run: never seen by the
        // journal, so not a list (``finishInterrupted(_:)``, above, cleared any staged one).
        if FileIO.exists(folder) { try FileIO.removeTree(folder) }
        try FileIO.createDirectory(staging)
        var items: [JournalRecord] = []
        let fingerprints = Dictionary(
            today.calls.map { ($0.nhsNumber, cases[$0.caseIndex].phoneFingerprint) }, uniquingKeysWith: { first, _ in first })
        for list in lists {
            try FileIO.writeAtomically(text: CallListFormat.csv(list.rows), to: FileIO.join(staging, "\(list.worker).csv"))
            try FileIO.writeAtomically(
                text: CallListFormat.html(list.rows, workerName: list.name, worker: list.worker, date: day),
                to: FileIO.join(staging, "\(list.worker).html"))
            for row in list.rows {
                items.append(
                    .itemPublished(
                        ItemPublished(
                            itemId: row.itemID, day: day, worker: row.worker, nhsNumber: row.nhsNumber,
                            practice: row.practice, cohorts: row.cohorts, attempt: row.attempt, timeBand: row.band,
                            priority: row.priority, phoneFingerprint: fingerprints[row.nhsNumber] ?? 0)))
            }
        }
        items.append(.dayPublished(DayPublished(day: day, itemCount: items.count, ruleVersion: session.ruleVersion)))
        try session.record(items)
        try reveal(staging, as: folder)
        var result = PublishResult(
            day: day, outcome: .published, plan: plan, lists: lists, peopleInCohorts: run.cohortsByPatient().count,
            notReturned: unreturned.count)
        result.staleExtracts = stale
        result.staleAfter = policy.extractsStaleAfter
        return result
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

/// Turns a day's planned calls into the rows workers see.
public enum CallListRows {
    /// One list per worker who works that day (empty lists too, so nobody wonders), in id order.
    /// `patients[i]` is the population index of `cases[i]`.
    public static func lists(run: CohortRun, cases: [CaseInput], patients: [Int32], dayPlan: DayPlan, workers: [Worker])
        -> [(worker: String, name: String, rows: [CallListRow])]
    {
        let population = run.population
        return workers.map { worker in
            let calls = dayPlan.calls(for: worker.id)
            let rows = calls.enumerated().map { sequence, call -> CallListRow in
                let person = cases[call.caseIndex]
                let p = Int(patients[call.caseIndex])
                let last = person.history.last { $0.outcome != nil }
                let name = [population.givenNames[p], population.familyNames[p]].compactMap { $0 }.joined(separator: " ")
                return CallListRow(
                    itemID: CallListRows.itemID(day: dayPlan.day, worker: worker.id, sequence: sequence + 1),
                    date: dayPlan.day, worker: worker.id, band: call.band, practice: call.practice,
                    nhsNumber: call.nhsNumber, name: name.isEmpty ? "(no name in the extract)" : name,
                    age: population.datesOfBirth[p].map { dayPlan.day.wholeYears(since: $0) },
                    dateOfBirth: population.datesOfBirth[p],
                    phoneMobile: population.mobilePhones[p] ?? "", phoneHome: population.homePhones[p] ?? "",
                    preferredLanguage: population.preferredLanguages[p] ?? "",
                    interpreterNeeded: population.interpreterNeeded[p], cohorts: call.cohorts, priority: call.priority,
                    reasons: person.memberships.map(\.reason), talkAbout: person.memberships.compactMap(\.talkAbout),
                    attempt: call.attempt, kind: call.kind, lastOutcome: last?.outcome, lastCalledOn: last?.day,
                    lastWorker: last?.worker)
            }
            return (worker.id, worker.name, rows)
        }
    }

    /// `20261123-gina-007`: unique, readable, and not guessable from the NHS number.
    static func itemID(day: Day, worker: String, sequence: Int) -> String {
        let compact = day.description.replacingAll("-", with: "")
        let number = String(sequence)
        return "\(compact)-\(worker)-\(String(repeating: "0", count: max(0, 3 - number.count)))\(number)"
    }
}
