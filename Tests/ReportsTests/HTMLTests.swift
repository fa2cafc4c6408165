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
        let fills =
            ProgressCategory.allCases.map(ChartFill.category) + [
                .called, .withOutcome, .notAttempted, .awaiting,
            ]
        // Every fill is told apart by its texture, or else by being the one plain fill of its chart.
        let textured = fills.filter { $0.hatch != .none }
        #expect(textured.count >= fills.count - 4, "all but the plainest fills carry a hatch")
        #expect(
            Set(ProgressCategory.allCases.map { ChartFill.category($0).name }).count == ProgressCategory.allCases.count)
        let progressLooks = ProgressCategory.allCases.map {
            "\(ChartFill.category($0).colour) \(ChartFill.category($0).hatch)"
        }
        #expect(Set(progressLooks).count == progressLooks.count, "no two categories look alike")
        // Each legend swatch is its fill, followed by its hatch when it has one.
        for svg in root.descendants(named: "svg") where svg.hasClass("chart") {
            for legend in svg.descendants(named: "g") where legend.hasClass("legend") {
                for (index, node) in legend.children.enumerated() where node.hasClass("swatch") {
                    let fill = try #require(fills.first { node.hasClass("fill-\($0.name)") }, "\(node.attributes)")
                    #expect(node.attributes["fill"] == fill.colour)
                    let next = legend.children.indices.contains(index + 1) ? legend.children[index + 1] : nil
                    #expect((next?.hasClass("hatch") ?? false) == (fill.hatch != .none), "\(fill.name)")
                }
            }
        }
        let legendLabels = root.descendants(named: "text").filter { $0.hasClass("legend-label") }.map(\.allText)
        for category in ProgressCategory.allCases { #expect(legendLabels.contains(category.description)) }
        let direct = root.descendants(named: "text").filter { $0.hasClass("direct-label") }
        #expect(!direct.isEmpty, "bars carry their numbers")
    }

    /// Chromium prints an SVG `pattern` fill as a bitmap of the whole chart for every shape that
    /// uses it (the report was 8.4 MB as a PDF, one page 4.4 MB); hatches drawn as strokes print as
    /// vector (0.7 MB for the demo's 8 pages).
    @Test func thePagePrintsSmallNoPatternsAndABoundedSize() throws {
        let scenario = try Scenario.shared.get()
        for html in [scenario.earlyHTML, scenario.lateHTML] {
            let root = try XMLTreeBuilder.parse(html)
            #expect(root.descendants(named: "pattern").isEmpty, "no SVG pattern")
            #expect(!html.contains("url(#"), "no fill refers to a definition")
            #expect(html.utf8.count < 200_000, "\(html.utf8.count) bytes")
        }
    }

    @Test func everyProgressSegmentCarriesItsNumberInsideOrBelowTheBar() throws {
        let scenario = try Scenario.shared.get()
        let root = try XMLTreeBuilder.parse(scenario.lateHTML)
        let chart = try #require(
            root.descendants(named: "figure").first { $0.attributes["id"] == "progress-chart" }?
                .descendants(named: "svg").first)
        let segments = chart.descendants(named: "rect").filter { $0.hasClass("segment") }
        let labels = chart.descendants(named: "text").filter { $0.hasClass("direct-label") }
        #expect(labels.count == segments.count, "one number for every segment")
        let expected = scenario.late.cohorts.flatMap { cohort in
            ProgressCategory.allCases.filter { cohort.count($0) > 0 }.map { cohort.count($0) }
        }
        #expect(segments.count == expected.count)
        let numbers = labels.map { Int($0.allText.split(separator: " ").first ?? "") }
        #expect(numbers.compactMap { $0 }.sorted() == expected.sorted())
        // The scenario has segments too narrow for their number: those are labelled below, named.
        let outside = labels.filter { $0.hasClass("outside") }
        #expect(!outside.isEmpty)
        for label in outside {
            #expect(ProgressCategory.allCases.contains { label.allText.hasSuffix(" " + $0.description) })
        }
        #expect(chart.descendants(named: "line").filter { $0.hasClass("leader") }.count == outside.count)
    }

    @Test func notAttemptedItemsAreHatchedOutlinedAndCounted() throws {
        let scenario = try Scenario.shared.get()
        let root = try XMLTreeBuilder.parse(scenario.lateHTML)
        let chart = try #require(
            root.descendants(named: "figure").first { $0.attributes["id"] == "workers-chart" }?
                .descendants(named: "svg").first)
        let notAttempted = scenario.late.workers.flatMap(\.days).map(\.notAttempted).filter { $0 > 0 }
        #expect(!notAttempted.isEmpty, "the scenario has items not attempted")
        let segments = chart.descendants(named: "rect").filter {
            $0.hasClass("fill-not-attempted") && $0.hasClass("segment")
        }
        #expect(segments.count == notAttempted.count)
        let counts = chart.descendants(named: "text").filter { $0.hasClass("not-attempted-count") }.map(\.allText)
        #expect(counts.sorted() == notAttempted.map(String.init).sorted())
        #expect(ChartFill.notAttempted.hatch != .none && ChartFill.notAttempted.strokeWidth >= 1.5)
        #expect(ReportHTML.stylesheet.contains(".chart .fill-not-attempted { stroke: #a33b00; stroke-width: 1.5; }"))
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
