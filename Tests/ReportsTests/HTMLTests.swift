import Foundation
import Testing
import Basics
@testable import Operations
@testable import Planning
import Population
@testable import Reports
import TestSupport

/// The HTML page: well-formed, accessible charts, nothing from the inputs left unescaped.
@Suite struct HTMLTests {
    @Test func theScenarioPagesAreWellFormedXML() throws {
        let scenario = try Scenario.shared.get()
        for html in [scenario.earlyHTML, scenario.lateHTML] {
            let root = try XMLTreeBuilder.parse(html)
            #expect(root.name == "html")
            #expect(root.descendants(named: "script").isEmpty, "the page needs no script")
            let external = root.descendants.filter { node in
                ["src", "href"].contains { key in node.attributes[key].map { !$0.hasPrefix("#") } ?? false }
            }
            #expect(external.isEmpty, "no external assets: \(external.map(\.name))")
        }
    }

    @Test func everyChartHasATitleADescriptionAxisLabelsAndATableOfItsNumbers() throws {
        let scenario = try Scenario.shared.get()
        let root = try XMLTreeBuilder.parse(scenario.lateHTML)
        let figures = root.descendants(named: "figure")
        let charts = figures.compactMap { figure in figure.descendants(named: "svg").first { $0.hasClass("chart") } }
        #expect(charts.count == 5, "progress, burn-down, two equity charts, workers")
        #expect(
            root.descendants(named: "svg").filter { $0.hasClass("chart") }.count == charts.count,
            "every chart is in a figure")
        for (figure, chart) in zip(figures, charts) {
            let id = figure.attributes["id"] ?? "?"
            let title = chart.children.first { $0.name == "title" }
            let desc = chart.children.first { $0.name == "desc" }
            #expect(!(title?.allText.isEmpty ?? true), "\(id) has a title")
            #expect((desc?.allText.count ?? 0) > 40, "\(id) has a description")
            #expect(chart.attributes["role"] == "img")
            let labelled = (chart.attributes["aria-labelledby"] ?? "").split(separator: " ").map(String.init)
            #expect(labelled == [title?.attributes["id"] ?? "-", desc?.attributes["id"] ?? "-"], "\(id)")
            let axisLabels = chart.descendants(named: "text").filter { $0.hasClass("axis-label") }
            #expect(axisLabels.count >= 2, "\(id) labels both axes")
            #expect(
                axisLabels.contains { ($0.attributes["transform"] ?? "").hasPrefix("rotate(-90") },
                "\(id) vertical axis")
            #expect(chart.descendants(named: "text").contains { $0.hasClass("tick-label") }, "\(id) has ticks")
            #expect(!(figure.descendants(named: "figcaption").first?.allText.isEmpty ?? true), "\(id) caption")
            let tables = figure.descendants(named: "table")
            #expect(tables.count == 1, "\(id) has a table of its numbers")
            #expect(tables.first.map { $0.descendants(named: "tbody").flatMap { $0.children }.count } ?? 0 > 0)
            #expect(
                tables.first.map { !$0.descendants(named: "th").filter { $0.attributes["scope"] == "col" }.isEmpty }
                    ?? false)
        }
    }

    @Test func chartsDoNotRelyOnColourAlone() throws {
        let scenario = try Scenario.shared.get()
        let root = try XMLTreeBuilder.parse(scenario.lateHTML)
        let patterns = root.descendants(named: "pattern")
        #expect(patterns.count == ProgressCategory.allCases.count + 4)
        let textured = patterns.filter { $0.children.count > 1 }
        #expect(textured.count >= patterns.count - 4, "all but the plainest fills carry a texture")
        // Every category's fill is unique, and every legend names what it shows.
        let ids = Set(patterns.compactMap { $0.attributes["id"] })
        #expect(ids.count == patterns.count)
        let legendLabels = root.descendants(named: "text").filter { $0.hasClass("legend-label") }.map(\.allText)
        for category in ProgressCategory.allCases { #expect(legendLabels.contains(category.description)) }
        let direct = root.descendants(named: "text").filter { $0.hasClass("direct-label") }
        #expect(!direct.isEmpty, "bars carry their numbers")
    }

    @Test func thePagePrintsOnA4AndKeepsChartsWhole() {
        let css = ReportHTML.stylesheet
        #expect(css.contains("@page { size: A4"))
        #expect(css.contains(".chart-block { break-inside: avoid; page-break-inside: avoid; }"))
        #expect(css.contains("max-width"))
        #expect(css.contains("@media print"))
    }

    @Test func everyTextFromTheInputsIsEscaped() throws {
        let hostile = "<script>alert('x')</script> & \"quoted\""
        let report = Self.report(hostile: hostile)
        let html = ReportHTML.page(report)
        let root = try XMLTreeBuilder.parse(html)
        #expect(root.descendants(named: "script").isEmpty)
        #expect(!html.contains("<script>"))
        #expect(html.contains(HTML.escape(hostile)))
        #expect(root.allText.contains(hostile), "escaped, the text still reads as written")
        #expect(!ReportText.summary(report).contains(NHSNumber.spaced(9_990_000_018)))
    }

    @Test func aReportWithNobodyInCohortsAndNoListsYetStillRendersEveryChart() throws {
        let empty = Self.empty()
        let root = try XMLTreeBuilder.parse(ReportHTML.page(empty))
        #expect(root.descendants(named: "svg").filter { $0.hasClass("chart") }.count == 5)
        let summary = ReportText.summary(empty)
        #expect(summary.contains("0 people in 0 cohorts"))
        #expect(summary.contains("Forecast: nobody in the cohorts can be called."))
        #expect(summary.contains("Equity: not enough people with a known deprivation decile to compare."))
    }

    /// A report of a home with no members, no lists and no workers.
    static func empty() -> ProgressReport {
        let start = day("2026-11-02")
        let nobody = { (label: String) in ReachRow(label: label, people: 0, called: 0, reached: 0) }
        return ProgressReport(
            asOf: start, teamName: nil, ruleVersion: "0", cohorts: [],
            people: PeopleCounts(inCohorts: 0, called: 0, reached: 0, overdue: 0, notYetCalled: 0),
            equity: Equity(
                deciles: (1...10).map { nobody(String($0)) } + [nobody("unknown")], practices: [],
                overall: nobody("everyone")),
            burnDown: BurnDown(
                start: start, counts: [0], floor: 0, completion: nil, horizonEnd: start.adding(days: 83)),
            workerDays: [], publishedDayCount: 0, workers: [],
            notAttempted: NotAttemptedCounts(
                returnedEmpty: 0, notReturned: 0, overdueReturns: 0, outToday: 0, published: 0, withOutcome: 0),
            noPhone: [], doNotContact: [], unreachable: [], noWorker: [],
            forecast: Forecast(
                start: start, end: start.adding(days: 83), answerRate: 0.6, workers: [], cohorts: [], weeks: []))
    }

    /// A report whose every input text is hostile markup: team, cohort, practice, worker, names, actions.
    static func report(hostile: String) -> ProgressReport {
        let start = day("2026-11-02")
        let cohort = CohortProgress(
            id: "c" + hostile, title: hostile, priority: 1, callWithin: .days(14), whenUnreachable: hostile, members: 3,
            called: 2, counts: [1, 0, 1, 0, 0, 1, 0], noWorker: 0)
        let person = ListedPerson(
            name: hostile, nhsNumber: 9_990_000_018, practice: hostile, cohorts: [hostile], reason: hostile,
            action: hostile, attempts: 3, lastAttempt: start)
        let row = ReachRow(label: hostile, people: 3, called: 2, reached: 1)
        let forecast = Forecast(
            start: start, end: start.adding(days: 83), answerRate: 0.6, workers: [hostile],
            cohorts: [
                Forecast.CohortOutlook(
                    id: "c" + hostile, title: hostile, members: 3, calledAlready: 2, cannotCall: 0,
                    everyoneCalledBy: start.adding(days: 3), calledByEnd: 3)
            ],
            weeks: [Forecast.Week(start: start, calls: [hostile: 1], capacity: 10)])
        return ProgressReport(
            asOf: start, teamName: hostile, ruleVersion: hostile, cohorts: [cohort],
            people: PeopleCounts(inCohorts: 3, called: 2, reached: 1, overdue: 0, notYetCalled: 1),
            equity: Equity(
                deciles: [row] + (2...10).map { ReachRow(label: String($0), people: 0, called: 0, reached: 0) }
                    + [row], practices: [row], overall: row),
            burnDown: BurnDown(
                start: start.adding(days: -3), counts: [3, 3, 2, 1], floor: 0, completion: start.adding(days: 3),
                horizonEnd: start.adding(days: 83)),
            workerDays: [start], publishedDayCount: 1,
            workers: [
                WorkerLoad(
                    id: hostile, name: hostile,
                    days: [
                        WorkerDay(day: start, published: 2, withOutcome: 1, notAttempted: 1, awaiting: 0, capacity: 10)
                    ])
            ],
            notAttempted: NotAttemptedCounts(
                returnedEmpty: 1, notReturned: 0, overdueReturns: 0, outToday: 0, published: 2, withOutcome: 1),
            noPhone: [person], doNotContact: [person], unreachable: [person], noWorker: [(hostile, 1)],
            forecast: forecast)
    }
}
