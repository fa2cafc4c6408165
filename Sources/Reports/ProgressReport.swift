import Basics
import Cohorts
import Journal
import Planning
import RuleLanguage

/// One cohort's progress on the report's day.
public struct CohortProgress: Sendable {
    public let id: String
    public let title: String
    public let priority: Int
    /// The cohort's `call within` target, if it has one.
    public let callWithin: Period?
    /// What the team does when retries run out: the cohort's own `when unreachable`, else the policy's.
    public let whenUnreachable: String
    public let members: Int
    /// Members called at least once in their current spell.
    public let called: Int
    /// Members per category, indexed by ``ProgressCategory/rawValue``.
    public let counts: [Int]
    /// Members no worker of the team could ever take (nobody serves their practice or has the skill).
    public let noWorker: Int

    /// Members in one category.
    public func count(_ category: ProgressCategory) -> Int { counts[category.rawValue] }
}

/// Reach among the people of one group (a deprivation decile, a practice, everyone).
public struct ReachRow: Sendable, Equatable {
    public let label: String
    /// People in at least one cohort.
    public let people: Int
    /// Of them, called in the current spell of at least one of their cohorts.
    public let called: Int
    /// Of them, reached in the current spell of at least one of their cohorts.
    public let reached: Int
}

/// Reach by deprivation and by practice: is the most deprived decile reached as well as the least?
public struct Equity: Sendable {
    /// Deciles 1 (most deprived) to 10, then people whose decile is not known.
    public let deciles: [ReachRow]
    /// By practice code, in code order.
    public let practices: [ReachRow]
    public let overall: ReachRow

    /// The most and least deprived deciles that have people in cohorts (normally 1 and 10).
    public var extremes: (most: ReachRow, least: ReachRow)? {
        let known = deciles.prefix(10).filter { $0.people > 0 }
        guard let most = known.first, let least = known.last, known.count > 1 else { return nil }
        return (most, least)
    }
}

/// People not yet called, day by day, and where the forecast says the line will reach its floor.
public struct BurnDown: Sendable {
    /// The first day of ``counts``.
    public let start: Day
    /// For each calendar day from ``start`` to the report's day: people in a cohort on that day with
    /// at least one membership not yet called. Earlier days come from the journal's memberships and
    /// items; the report's day is the report's own count.
    public let counts: [Int]
    /// People who cannot be called at all: the line cannot fall below them.
    public let floor: Int
    /// The forecast's day by which everyone who can be called will have had a first call, or `nil`
    /// when that is beyond its horizon.
    public let completion: Day?
    /// The last day the forecast looked at.
    public let horizonEnd: Day

    /// The report's day (the last point of the line).
    public var end: Day { start.adding(days: counts.count - 1) }
    public var now: Int { counts.last ?? 0 }
}

/// What one worker did on one published day.
public struct WorkerDay: Sendable, Equatable {
    public let day: Day
    /// Items on the worker's list.
    public let published: Int
    /// Items with an outcome (attempts).
    public let withOutcome: Int
    /// Items returned empty, or not returned by the next morning: not attempted, back in the queue.
    public let notAttempted: Int
    /// Items of the report's own day still out (no outcome yet, not late).
    public let awaiting: Int
    /// Calls the worker can make that day under the current rules (0 when they do not work).
    public let capacity: Int
}

/// One worker's published days.
public struct WorkerLoad: Sendable {
    public let id: String
    public let name: String
    /// One entry per day of ``ProgressReport/workerDays``.
    public let days: [WorkerDay]

    public var published: Int { days.reduce(0) { $0 + $1.published } }
    public var capacity: Int { days.reduce(0) { $0 + $1.capacity } }
    public var notAttempted: Int { days.reduce(0) { $0 + $1.notAttempted } }
}

/// Published items that were not attempted, over every published day up to the report's day.
public struct NotAttemptedCounts: Sendable, Equatable {
    /// Returned with the outcome left empty.
    public let returnedEmpty: Int
    /// Not returned by the next morning's run.
    public let notReturned: Int
    /// Items of earlier days still without an outcome that the next morning's run has not marked yet.
    public let overdueReturns: Int
    /// Items published on the report's day without an outcome yet.
    public let outToday: Int
    /// Items published up to the report's day.
    public let published: Int
    /// Of them, with an outcome.
    public let withOutcome: Int

    /// Flagged not attempted: returned empty, not returned, or late.
    public var flagged: Int { returnedEmpty + notReturned + overdueReturns }
}

/// One person on a list of the report: the cannot-call and the unreachable lists.
///
/// - Important: patient-identifiable. Only the HTML report (0600, for the PCN lead) shows these.
public struct ListedPerson: Sendable, Equatable {
    public let name: String
    public let nhsNumber: UInt64
    public let practice: String
    /// Cohort ids, most urgent first.
    public let cohorts: [String]
    public let reason: String
    /// What the team does: a letter, an escalation, or nothing.
    public let action: String
    /// For the unreachable: unanswered attempts in the exhausted episode, and the last one's day.
    public let attempts: Int
    public let lastAttempt: Day?
}

/// People counted once each, however many cohorts they are in.
public struct PeopleCounts: Sendable, Equatable {
    public let inCohorts: Int
    /// Called in the current spell of at least one of their cohorts.
    public let called: Int
    /// Reached in the current spell of at least one of their cohorts.
    public let reached: Int
    /// With at least one overdue membership.
    public let overdue: Int
    /// With at least one membership not yet called (the burn-down's count).
    public let notYetCalled: Int
}

/// Everything the progress and equity report says, worked out once for the text summary and the
/// HTML page (which only lay it out).
///
/// Built from a cohort run of the report's day (today's memberships and the population's names),
/// the journal's history (who joined when, what was published, what came back), the team, and a
/// forecast. Only calls published up to the report's day count; the forecast starts on the first
/// working day not yet published.
public struct ProgressReport: Sendable {
    public let asOf: Day
    /// The team's name from the rules, if given.
    public let teamName: String?
    /// The rule set's short version, so two reports can be told apart.
    public let ruleVersion: String
    /// In the rule set's order (priority, then id).
    public let cohorts: [CohortProgress]
    public let people: PeopleCounts
    public let equity: Equity
    public let burnDown: BurnDown
    /// The published days the worker chart shows (at most ``workerDayLimit``, the latest).
    public let workerDays: [Day]
    /// Published days up to the report's day, in all.
    public let publishedDayCount: Int
    public let workers: [WorkerLoad]
    public let notAttempted: NotAttemptedCounts
    /// People who cannot be called by phone (no usable number, a wrong number), with what their
    /// cohorts say to do instead: a letter, or an escalation.
    public let noPhone: [ListedPerson]
    /// People who must not be contacted (deceased, moved away, opted out) though still in a cohort.
    public let doNotContact: [ListedPerson]
    /// People whose retries are used up, with their cohorts' `when unreachable` actions.
    public let unreachable: [ListedPerson]
    /// People nobody on the team can ever call, by reason ("no worker serves the practice", …).
    public let noWorker: [(reason: String, people: Int)]
    public let forecast: Forecast
    /// Urgent concerns the duty clinician has not yet dealt with, oldest first.
    public var escalations: [OpenEscalation] = []
    /// Practices not called from because their newest extract is stale.
    public var staleExtracts: [StaleExtract] = []
    /// The policy's `extracts go stale after`.
    public var staleAfter: Period = .days(14)

    /// How many published days the worker chart shows.
    public static let workerDayLimit = 20

    /// When everyone who can be called will have had a first call, by the forecast.
    public var completion: ForecastCompletion { ForecastCompletion(forecast) }
}

/// When, by the forecast, everyone in the cohorts who can be called will have had a first call.
public enum ForecastCompletion: Sendable, Equatable {
    /// They all have already: the last first call was on that day, before the forecast began.
    case done(lastFirstCall: Day)
    /// On that day, within the forecast.
    case by(Day)
    /// Not within the forecast, which ends on that day.
    case beyondHorizon(end: Day)
    /// Nobody in the cohorts can be called (or nobody is in them).
    case nobodyCallable

    /// Reads the forecast: the day the last cohort with callable members is done.
    public init(_ forecast: Forecast) {
        var latest: Day?
        for cohort in forecast.cohorts where cohort.members > cohort.cannotCall {
            guard let day = cohort.everyoneCalledBy else {
                self = .beyondHorizon(end: forecast.end)
                return
            }
            latest = max(latest ?? day, day)
        }
        guard let latest else {
            self = .nobodyCallable
            return
        }
        self = latest < forecast.start ? .done(lastFirstCall: latest) : .by(latest)
    }

    /// The forecast day to draw the burn-down's projection to, if there is one.
    public var day: Day? {
        if case .by(let day) = self { return day }
        return nil
    }
}

extension ProgressReport {
    /// Works out the report for `asOf`.
    ///
    /// - Parameters:
    ///   - run: the cohorts evaluated on `asOf`.
    ///   - history: the journal's history.
    ///   - roster: the team (capacity per worker per day, the calendar).
    ///   - forecastWeeks: how far ahead the forecast looks.
    public init(run: CohortRun, history: JournalHistory, roster: Roster, asOf: Day, forecastWeeks: Int = 12) {
        let policy = run.ruleSet.policy
        let (cases, patients) = CaseBuilder(run: run, history: history).cases()
        var tally = ProgressTally(run: run, roster: roster, asOf: asOf)
        for (person, patient) in zip(cases, patients) { tally.add(person, patient: Int(patient)) }
        let forecastStart = history.isPublished(asOf) ? roster.workingDay(after: asOf) : asOf
        let forecast = Forecaster.forecast(
            run: run, history: history, roster: roster, policy: policy, from: forecastStart, weeks: forecastWeeks)
        let activity = ListActivity(
            history: history, roster: roster, asOf: asOf, dayLimit: ProgressReport.workerDayLimit)
        self.init(
            asOf: asOf, teamName: run.ruleSet.team.name, ruleVersion: run.ruleSet.version,
            cohorts: tally.cohortProgress,
            people: tally.people, equity: tally.equity,
            burnDown: BurnDownBuilder.build(
                history: history, asOf: asOf, now: tally.people.notYetCalled, floor: tally.neverCallable,
                forecast: forecast),
            workerDays: activity.days, publishedDayCount: activity.publishedDayCount, workers: activity.workers,
            notAttempted: activity.notAttempted, noPhone: tally.sorted(tally.noPhone),
            doNotContact: tally.sorted(tally.doNotContact),
            unreachable: tally.unreachable.sorted {
                ($0.action, $0.practice, $0.nhsNumber) < ($1.action, $1.practice, $1.nhsNumber)
            },
            noWorker: tally.noWorker.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, forecast: forecast)
        staleExtracts = ExtractFreshness.stale(history: history, policy: policy, on: asOf)
        staleAfter = policy.extractsStaleAfter
        let open = history.openEscalations
        if !open.isEmpty {
            let wanted = Set(open.map(\.item.nhsNumber))
            let population = run.population
            var names: [UInt64: String] = [:]
            for (index, nhs) in population.nhsNumbers.enumerated() where wanted.contains(nhs) {
                names[nhs] = [population.givenNames[index], population.familyNames[index]].compactMap { $0 }
                    .joined(separator: " ")
            }
            escalations = open.map {
                OpenEscalation(
                    itemId: $0.item.itemId, raisedOn: $0.outcome.recordedOn, worker: $0.item.worker,
                    practice: $0.item.practice, nhsNumber: $0.item.nhsNumber, name: names[$0.item.nhsNumber] ?? "")
            }
        }
    }
}
