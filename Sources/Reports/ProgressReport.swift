import Basics
import Cohorts
import Journal
import Planning
import RuleLanguage

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
    ///   - cases: the cases of `run` a publish built, with the records it noted since: only the
    ///     people those are about are built again here (else everyone is).
    public init(
        run: CohortRun, history: JournalHistory, roster: Roster, asOf: Day, forecastWeeks: Int = 12,
        cases handed: BuiltCases? = nil
    ) {
        let policy = run.ruleSet.policy
        // Built once: the progress counts the people with a cohort, the forecast also those owed a promise.
        let built = CaseBuilder(run: run, history: history).cases(
            reusing: handed, keepingPromisesUnder: policy, roster: roster)
        let (cases, patients, inCohorts) = (built.cases, built.patients, built.inCohorts)
        let forecastStart = history.isPublished(asOf) ? roster.workingDay(after: asOf) : asOf
        // The forecast (sixty days planned one after another) on another core, beside the counts.
        let forecasting = BackgroundWork {
            Forecaster.forecast(
                cases: cases, run: run, roster: roster, policy: policy, from: forecastStart, weeks: forecastWeeks)
        }
        var tally = ProgressTally(run: run, roster: roster, asOf: asOf)
        for (person, patient) in zip(cases[..<inCohorts], patients) { tally.add(person, patient: Int(patient)) }
        let activity = ListActivity(
            history: history, roster: roster, asOf: asOf, dayLimit: ProgressReport.workerDayLimit)
        let forecast = forecasting.wait()
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
                names[nhs] = population.name(of: index)
            }
            escalations = open.map {
                OpenEscalation(
                    itemId: $0.item.itemId, raisedOn: $0.outcome.recordedOn, worker: $0.item.worker,
                    practice: $0.item.practice, nhsNumber: $0.item.nhsNumber, name: names[$0.item.nhsNumber] ?? "")
            }
        }
    }
}
