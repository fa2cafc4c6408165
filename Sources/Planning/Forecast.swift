import Basics
import Cohorts
import Journal
import RuleLanguage

/// When, at the team's capacity, everyone will have had a call (scheduling.md "Forecast").
public struct Forecast: Sendable {
    /// One cohort's outlook.
    public struct CohortOutlook: Sendable {
        public let id: String
        public let title: String
        public let members: Int
        /// Members whose first call since joining the cohort happened before the forecast started.
        public let calledAlready: Int
        /// Members who cannot be called at all (no usable phone, stopped).
        public let cannotCall: Int
        /// The day the last callable member has had a first call, or `nil` when that is beyond the horizon.
        public let everyoneCalledBy: Day?
        /// Callable members who have had a first call by the end of the horizon.
        public let calledByEnd: Int
    }

    /// One week's use of the team.
    public struct Week: Sendable {
        public let start: Day
        /// Calls planned per worker id.
        public let calls: [String: Int]
        public let capacity: Int

        public var totalCalls: Int { calls.values.reduce(0, +) }
        public var idle: Int { capacity - totalCalls }
    }

    public let start: Day
    public let end: Day
    public let answerRate: Double
    public let workers: [String]
    public let cohorts: [CohortOutlook]
    public let weeks: [Week]
}

/// Runs the planner forward day by day with the policy's assumed answer rate.
public enum Forecaster {
    /// The first day a forecast covers when none is asked for: `today`, or the working day after
    /// the last published day when the home is planned ahead of the calendar (its lists up to then
    /// are fixed already).
    public static func defaultStart(history: JournalHistory, roster: Roster, today: Day) -> Day {
        guard let last = history.publishedDays.max() else { return today }
        return roster.workingDay(after: last)
    }

    /// Forecasts `weeks` weeks from `start` (answered calls reach the person; the rest are retried per policy).
    public static func forecast(
        run: CohortRun, history: JournalHistory, roster: Roster, policy: Policy, from start: Day, weeks: Int
    ) -> Forecast {
        let cases = CaseBuilder(run: run, history: history).cases(keepingPromisesUnder: policy, roster: roster).cases
        return forecast(cases: cases, run: run, roster: roster, policy: policy, from: start, weeks: weeks)
    }

    /// ``forecast(run:history:roster:policy:from:weeks:)`` of cases already built from `run` and
    /// the history, keeping promises under `policy` and `roster` (a report builds them once).
    public static func forecast(
        cases built: [CaseInput], run: CohortRun, roster: Roster, policy: Policy, from start: Day, weeks: Int
    ) -> Forecast {
        let end = start.adding(days: 7 * weeks - 1)
        let planner = Planner(roster: roster, policy: policy)
        var days = DayByDayPlanner(planner: planner, cases: built)
        var weekCalls: [Day: [String: Int]] = [:]
        var day = roster.workingDay(onOrAfter: start)
        while day <= end {
            let weekStart = day.adding(days: -(day.weekday.rawValue - 1))
            for call in days.plan(day) {
                weekCalls[weekStart, default: [:]][call.worker, default: 0] += 1
                let person = days.cases[call.caseIndex]
                let answered =
                    Double(Planner.stableHash(person.nhsNumber, day) % 10_000) / 10_000 < policy.assumedAnswerRate
                let attempt = Attempt(
                    itemID: "forecast", day: day, worker: call.worker, band: call.band, cohorts: call.cohorts,
                    outcome: answered ? .reached : .noAnswer, phoneFingerprint: person.phoneFingerprint)
                days.record(attempt, for: call.caseIndex)
            }
            day = roster.workingDay(after: day)
        }
        let cases = days.cases
        let statuses = planner.statuses(of: cases, on: start)
        var outlooks: [Forecast.CohortOutlook] = []
        for result in run.results {
            var members = 0
            var already = 0
            var cannot = 0
            var byEnd = 0
            var latest: Day?
            var allCalled = true
            for (index, person) in cases.enumerated() {
                guard let membership = person.memberships.first(where: { $0.cohort.id == result.cohort.id }) else {
                    continue
                }
                members += 1
                // A member's first call counts from joining, as `call within` does: a call before they
                // joined this cohort (for another one, or an earlier stay) leaves this one still to make.
                let firstCalled = person.history.first { $0.outcome != nil && $0.day >= membership.joinedOn }?.day
                if let first = firstCalled, first < start { already += 1 }
                if case .inactive(let reason) = statuses[index], firstCalled == nil, reason != .wrongNumber {
                    cannot += 1
                    continue
                }
                if let first = firstCalled {
                    byEnd += 1
                    latest = max(latest ?? first, first)
                } else {
                    allCalled = false
                }
            }
            outlooks.append(
                Forecast.CohortOutlook(
                    id: result.cohort.id, title: result.cohort.title, members: members, calledAlready: already,
                    cannotCall: cannot, everyoneCalledBy: allCalled ? latest : nil, calledByEnd: byEnd))
        }
        var weekLines: [Forecast.Week] = []
        var weekStart = start.adding(days: -(start.weekday.rawValue - 1))
        while weekStart <= end {
            let capacity = (0..<7).map { weekStart.adding(days: $0) }.filter { $0 >= start && $0 <= end }
                .reduce(0) { $0 + roster.capacity(on: $1) }
            weekLines.append(Forecast.Week(start: weekStart, calls: weekCalls[weekStart] ?? [:], capacity: capacity))
            weekStart = weekStart.adding(days: 7)
        }
        return Forecast(
            start: start, end: end, answerRate: policy.assumedAnswerRate, workers: roster.workers.map(\.id),
            cohorts: outlooks, weeks: weekLines)
    }

    /// The forecast as text: per cohort when everyone will have been called, per week the calls
    /// per worker and the capacity left idle; with a comparison when `compared` is given.
    public static func render(_ forecast: Forecast, compared: (label: String, forecast: Forecast)? = nil) -> String {
        var text = "Forecast from \(forecast.start.humanDescription) to \(forecast.end.humanDescription), "
        text += "assuming \(Formatting.fixed(forecast.answerRate * 100, 0))% of calls are answered.\n\n"
        var header = ["cohort", "members", "called already", "cannot call", "everyone called by"]
        if let compared { header.append(compared.label) }
        var table = TextTable(header: header, alignments: [.left, .right, .right, .right, .left, .left])
        var sameCount = 0
        func when(_ outlook: Forecast.CohortOutlook, _ forecast: Forecast) -> String {
            if outlook.members == outlook.cannotCall { return "—" }
            guard let day = outlook.everyoneCalledBy else {
                return
                    "after \(forecast.end.humanDescription) (\(Formatting.percent(outlook.calledByEnd, outlook.members - outlook.cannotCall)) by then)"
            }
            // Everyone had a first call before the forecast starts: there is no week to count.
            if day < forecast.start { return "already (\(day.humanDescription))" }
            let week = day.days(since: forecast.start) / 7 + 1
            return "week \(week) (\(day.humanDescription))"
        }
        for (index, outlook) in forecast.cohorts.enumerated() {
            var row = [
                outlook.id, Formatting.grouped(outlook.members), Formatting.grouped(outlook.calledAlready),
                Formatting.grouped(outlook.cannotCall), when(outlook, forecast),
            ]
            if let compared {
                let other = when(compared.forecast.cohorts[index], compared.forecast)
                let unchanged = other == row[4] && outlook.everyoneCalledBy.map { $0 >= forecast.start } == true
                if unchanged { sameCount += 1 }
                row.append(unchanged ? "same" : other)
            }
            table.append(row)
        }
        text += table.render() + "\n\n"
        if sameCount > 0, let compared {
            text += "'same': \(compared.label), \(Formatting.count(sameCount, "cohort")) get"
            text += sameCount == 1 ? "s" : ""
            text += " no sooner: their last first calls wait on something other than the number of calls a\n"
            text +=
                "day (retry gaps, a skill or a practice the extra worker does not cover, or spare capacity already).\n\n"
        }
        var weeks = TextTable(
            header: ["week of"] + forecast.workers + ["calls", "capacity", "idle"],
            alignments: [.left] + forecast.workers.map { _ in .right } + [.right, .right, .right])
        for week in forecast.weeks {
            weeks.append(
                [week.start.humanDescription] + forecast.workers.map { String(week.calls[$0] ?? 0) }
                    + [String(week.totalCalls), String(week.capacity), String(week.idle)])
        }
        text += weeks.render() + "\n"
        return text
    }
}

extension CaseInput {
    /// The same person with one more call in their history.
    public func adding(_ attempt: Attempt) -> CaseInput {
        CaseInput(
            nhsNumber: nhsNumber, practice: practice, imdDecile: imdDecile, preferredLanguage: preferredLanguage,
            hasUsablePhone: hasUsablePhone, notByTelephone: notByTelephone, phoneFingerprint: phoneFingerprint,
            memberships: memberships, history: history + [attempt], announced: announced)
    }
}
