import Foundation
import Testing
import Basics
import Journal
import Operations
import Planning
import Population
@testable import Reports
import RuleLanguage
import TestSupport

/// The report of a simulated PCN, read as its users would: the PCN lead's summary, the HTML page,
/// the files the daemon refreshes.
@Suite struct ScenarioTests {
    @Test func earlySummaryMatchesItsGoldenFile() throws {
        let scenario = try Scenario.shared.get()
        assertSnapshot(ReportText.summary(scenario.early), named: "summary-early")
    }

    @Test func lateSummaryMatchesItsGoldenFile() throws {
        let scenario = try Scenario.shared.get()
        assertSnapshot(ReportText.summary(scenario.late), named: "summary-late")
    }

    @Test func withoutADateReportAndPlanFollowAHomePlannedAheadOfTheCalendar() throws {
        let scenario = try Scenario.shared.get()
        // The simulation published lists up to Friday 20 November.
        let history = try Journal.read(at: scenario.home.journal).history
        #expect(ReportWriter.defaultDay(for: history, today: day("2026-11-04")) == day("2026-11-20"))
        #expect(ReportWriter.defaultDay(for: history, today: day("2026-12-01")) == day("2026-12-01"))
        let roster = Roster(try RuleSetLoader.checkedRuleSet(directory: scenario.home.rules))
        #expect(
            Forecaster.defaultStart(history: history, roster: roster, today: day("2026-11-04")) == day("2026-11-23"))
        // A home behind the calendar is planned from its own days: the forecast starts where its
        // lists stop, never weeks after, which made cohorts look done "in week -3".
        #expect(
            Forecaster.defaultStart(history: history, roster: roster, today: day("2026-12-01")) == day("2026-11-23"))
    }

    @Test func everyCohortsCategoriesAddUpToItsMembers() throws {
        let scenario = try Scenario.shared.get()
        for report in [scenario.early, scenario.late] {
            for cohort in report.cohorts {
                #expect(cohort.counts.reduce(0, +) == cohort.members, "\(cohort.id)")
                let spokenOrClosed = cohort.count(.reached) + cohort.count(.declined) + cohort.count(.unreachable)
                #expect(cohort.called >= spokenOrClosed + cohort.count(.inProgress), "\(cohort.id)")
                #expect(cohort.called <= cohort.members - cohort.count(.pending), "\(cohort.id)")
            }
            let people = report.people
            #expect(people.reached <= people.called && people.called <= people.inCohorts)
            #expect(people.notYetCalled + people.called >= people.inCohorts)
            #expect(
                report.equity.overall
                    == ReachRow(
                        label: "everyone", people: people.inCohorts, called: people.called, reached: people.reached))
            #expect(report.equity.deciles.map(\.people).reduce(0, +) == people.inCohorts)
            #expect(report.equity.practices.map(\.people).reduce(0, +) == people.inCohorts)
        }
    }

    @Test func theScenarioShowsWorkInProgressEarlyAndClosedEpisodesLate() throws {
        let scenario = try Scenario.shared.get()
        let early = scenario.early.cohorts.reduce(into: [Int](repeating: 0, count: 7)) { totals, cohort in
            for category in ProgressCategory.allCases { totals[category.rawValue] += cohort.count(category) }
        }
        #expect(early[ProgressCategory.pending.rawValue] > 0)
        #expect(early[ProgressCategory.overdue.rawValue] > 0, "bereaved members joined on 26 Oct are past 7 days")
        #expect(early[ProgressCategory.inProgress.rawValue] > 0)
        #expect(scenario.late.unreachable.count > 0)
        #expect(scenario.late.people.called > scenario.early.people.called)
    }

    @Test func theBurnDownEndsAtTheReportsOwnCountAndNeverExceedsThePeopleInCohorts() throws {
        let scenario = try Scenario.shared.get()
        let burn = scenario.late.burnDown
        #expect(burn.start == day("2026-10-26"), "memberships began when the extract was ingested")
        #expect(burn.end == Scenario.lateDay)
        #expect(burn.now == scenario.late.people.notYetCalled)
        #expect(burn.counts.max() ?? 0 <= scenario.late.people.inCohorts + 10)
        // Before any list was published nobody had been called.
        #expect(burn.counts[0] > burn.now)
        let early = scenario.early.burnDown
        #expect(Array(burn.counts.prefix(early.counts.count - 1)) == Array(early.counts.dropLast()))
        #expect(early.completion != nil, "the forecast sees everyone called within twelve weeks")
    }

    @Test func theForecastCountsCallsFromJoiningAsTheReportDoes() throws {
        let scenario = try Scenario.shared.get()
        for report in [scenario.early, scenario.late] {
            // Both report days are published, so the forecast starts the next working day.
            #expect(report.forecast.start > report.asOf)
            #expect(report.forecast.cohorts.map(\.id) == report.cohorts.map(\.id))
            for (outlook, cohort) in zip(report.forecast.cohorts, report.cohorts) {
                #expect(outlook.members == cohort.members, "\(cohort.id)")
                #expect(outlook.calledAlready == cohort.called, "\(cohort.id)")
            }
        }
        guard case .done = scenario.late.completion else {
            Issue.record("after fifteen days everyone who can be called has been")
            return
        }
        #expect(
            scenario.late.people.notYetCalled == scenario.late.burnDown.floor,
            "only those who cannot be called are left")
    }

    @Test func workerDaysAddUpToThePublishedItemsAndStayWithinCapacity() throws {
        let scenario = try Scenario.shared.get()
        for report in [scenario.early, scenario.late] {
            let published = report.workers.flatMap(\.days).reduce(0) { $0 + $1.published }
            #expect(published == report.notAttempted.published)
            #expect(report.workerDays.count == report.publishedDayCount)
            for worker in report.workers {
                for day in worker.days {
                    #expect(day.published <= day.capacity, "\(worker.id) on \(day.day)")
                    #expect(day.withOutcome + day.notAttempted + day.awaiting == day.published)
                }
            }
            #expect(
                report.notAttempted.withOutcome + report.notAttempted.flagged + report.notAttempted.outToday
                    == report.notAttempted.published)
        }
        #expect(scenario.late.notAttempted.returnedEmpty > 0, "the simulation leaves about one item in fifty empty")
    }

    @Test func theReportIsTheSameBytesForTheSameHomeAndDay() throws {
        let scenario = try Scenario.shared.get()
        let first = ReportHTML.page(try ReportWriter.report(home: scenario.home, asOf: Scenario.lateDay))
        let second = ReportHTML.page(try ReportWriter.report(home: scenario.home, asOf: Scenario.lateDay))
        #expect(first == second)
        #expect(first == scenario.lateHTML, "reading the home without its lock gives what the daemon's refresh wrote")
    }

    @Test func theReportFilesArePrivate() throws {
        let scenario = try Scenario.shared.get()
        let reports = scenario.home.reports
        #expect(try FileIO.permissions(reports) == 0o700)
        #expect(try FileIO.permissions(reports + "/report.html") == 0o600)
        #expect(try FileIO.permissions(reports + "/forecast.txt") == 0o600)
        #expect(try FileIO.readText(reports + "/forecast.txt") == Forecaster.render(scenario.late.forecast))
        #expect(
            try FileIO.listDirectory(reports).sorted() == ["forecast.txt", "report.html"], "no temporary files left")
    }

    @Test func theSummaryHoldsNoPatientDataButThePageListsThePeopleToActOn() throws {
        let scenario = try Scenario.shared.get()
        for (report, html) in [(scenario.early, scenario.earlyHTML), (scenario.late, scenario.lateHTML)] {
            let summary = ReportText.summary(report)
            let listed = report.noPhone + report.doNotContact + report.unreachable
            #expect(!listed.isEmpty)
            for person in listed {
                let spaced = NHSNumber.spaced(person.nhsNumber)
                #expect(!summary.contains(spaced) && !summary.contains(String(person.nhsNumber)))
                #expect(!summary.contains(person.name))
                #expect(html.contains(spaced))
                #expect(html.contains(HTML.escape(person.name)))
            }
        }
    }

    @Test func writingIntoAFolderThatDoesNotExistIsAClearError() throws {
        let scenario = try Scenario.shared.get()
        try withTemporaryDirectory { root in
            let path = FileIO.join(root, "missing", "report.html")
            do {
                try ReportWriter.writeHTML(scenario.late, to: path)
                Issue.record("expected an error")
            } catch let error as OutreachError {
                #expect(error.exitCode == .cannotCreate)
                #expect(error.message.contains("does not exist"))
            }
        }
    }

    @Test func aHomeWithoutAPopulationIsAClearError() throws {
        try withTemporaryDirectory { root in
            let home = try Home.create(at: FileIO.join(root, "home"), rulesFrom: Repository.rules)
            do {
                _ = try ReportWriter.report(home: home, asOf: Scenario.lateDay)
                Issue.record("expected an error")
            } catch let error as OutreachError {
                #expect(error.exitCode == .noInput)
                #expect(error.message.contains("no population yet"))
            }
        }
    }
}
