import Basics
import Planning

/// The report's text summary for a terminal: counts only, never a name or an NHS number, so it
/// can be printed, logged or pasted anywhere.
public enum ReportText {
    /// The summary `outreach report` prints.
    public static func summary(_ report: ProgressReport) -> String {
        var text = "Outreach progress"
        if let team = report.teamName { text += ", \(team)" }
        text += ", as of \(report.asOf.humanDescription)\n\n"
        if !report.escalations.isEmpty {
            text +=
                "URGENT: \(Formatting.count(report.escalations.count, "urgent concern")) open for the duty clinician "
            text += "(outbox/escalations/).\n"
        }
        for stale in report.staleExtracts {
            text += "Not calling patients of \(stale.description) (extracts go stale after \(report.staleAfter)).\n"
        }
        if !report.escalations.isEmpty || !report.staleExtracts.isEmpty { text += "\n" }
        text += peopleLine(report) + "\n\n"

        let categories = ProgressCategory.allCases
        var table = TextTable(
            header: ["cohort", "members", "called"] + categories.map(\.description),
            alignments: [.left] + Array(repeating: .right, count: 2 + categories.count))
        for cohort in report.cohorts {
            table.append(
                [cohort.id, Formatting.grouped(cohort.members), Formatting.grouped(cohort.called)]
                    + categories.map { Formatting.grouped(cohort.count($0)) })
        }
        text += table.render() + "\n\n"

        text += forecastLine(report) + "\n"
        text += equityLine(report.equity) + "\n"
        let lists = report.notAttempted
        text +=
            "Calls: \(Formatting.grouped(lists.published)) published on \(Formatting.count(report.publishedDayCount, "day")), "
        text += "\(Formatting.grouped(lists.withOutcome)) with an outcome; "
        text += "not attempted: \(Formatting.grouped(lists.returnedEmpty)) returned empty, "
        text += "\(Formatting.grouped(lists.notReturned + lists.overdueReturns)) not returned"
        if lists.outToday > 0 { text += "; \(Formatting.grouped(lists.outToday)) out today" }
        text += ".\n"
        text += "Cannot call: \(Formatting.grouped(report.noPhone.count)) with no usable phone (write or escalate), "
        text += "\(Formatting.grouped(report.doNotContact.count)) not to be contacted. "
        text += "Unreachable: \(Formatting.count(report.unreachable.count, "person", "people")).\n"
        for (reason, count) in report.noWorker {
            text += "Nobody on the team can call \(Formatting.count(count, "person", "people")): \(reason).\n"
        }
        return text
    }

    /// People counted once each: in cohorts, called, reached, not yet called, overdue.
    static func peopleLine(_ report: ProgressReport) -> String {
        let people = report.people
        var text =
            "\(Formatting.count(people.inCohorts, "person", "people")) in \(Formatting.count(report.cohorts.count, "cohort")): "
        text += "\(Formatting.grouped(people.called)) called (\(Formatting.percent(people.called, people.inCohorts))), "
        text +=
            "\(Formatting.grouped(people.reached)) reached (\(Formatting.percent(people.reached, people.inCohorts))), "
        text +=
            "\(Formatting.grouped(people.notYetCalled)) not yet called, \(Formatting.grouped(people.overdue)) overdue."
        return text
    }

    /// When everyone who can be called will have had a first call.
    static func forecastLine(_ report: ProgressReport) -> String {
        let forecast = report.forecast
        let assumption = "assuming \(Formatting.fixed(forecast.answerRate * 100, 0))% of calls are answered"
        switch report.completion {
        case .done(let last):
            return
                "Everyone in the cohorts who can be called has had a first call (the last on \(last.humanDescription))."
        case .by(let day):
            return "Forecast (\(assumption)): everyone who can be called will have had a first call by "
                + "\(day.weekday.fullName.capitalized) \(day.humanDescription)."
        case .beyondHorizon(let end):
            return "Forecast (\(assumption)): not everyone who can be called will have had a first call by "
                + "\(end.humanDescription), the end of the forecast."
        case .nobodyCallable:
            return "Forecast: nobody in the cohorts can be called."
        }
    }

    /// Is the most deprived decile reached as well as the least?
    static func equityLine(_ equity: Equity) -> String {
        guard let (most, least) = equity.extremes else {
            return "Equity: not enough people with a known deprivation decile to compare."
        }
        func share(_ row: ReachRow) -> String {
            "\(Formatting.percent(row.reached, row.people)) reached (\(Formatting.grouped(row.reached)) of \(Formatting.grouped(row.people)))"
        }
        var text = "Equity: most deprived decile (\(most.label)) \(share(most)); "
        text += "least deprived decile (\(least.label)) \(share(least))"
        if let gap = gap(most, least) { text += "; \(gap)" }
        return text + "."
    }

    /// The difference in reach between two groups in percentage points, in words.
    static func gap(_ most: ReachRow, _ least: ReachRow) -> String? {
        guard most.people > 0, least.people > 0 else { return nil }
        let difference =
            100 * (Double(most.reached) / Double(most.people) - Double(least.reached) / Double(least.people))
        let points = Formatting.fixed(abs(difference), 1)
        if points == "0.0" { return "no difference" }
        return "\(points) points \(difference > 0 ? "ahead" : "behind") for the most deprived"
    }
}
