import Testing
import Basics
@testable import Journal
@testable import Operations
@testable import Planning
@testable import Reports
import TestSupport
import Vocabulary

/// The burn-down's arithmetic and the small helpers the charts are drawn with.
@Suite struct ChartMathTests {
    /// A history in which A joins two cohorts on Monday and is called on Wednesday; B joins on
    /// Tuesday and is never called (one item left empty); C joins on Monday, leaves on Thursday.
    static func history() -> JournalHistory {
        let (a, b, c): (UInt64, UInt64, UInt64) = (9_990_000_018, 9_990_000_026, 9_990_000_034)
        let source = OutcomeSource(fileHash: ContentHash(of: Array("returned".utf8)), row: 2)
        func item(_ id: String, _ nhs: UInt64, _ on: String) -> JournalRecord {
            .itemPublished(
                ItemPublished(
                    itemId: id, day: day(on), worker: "amy", nhsNumber: nhs, practice: "E82001", cohorts: ["high_risk"],
                    attempt: 1, timeBand: .morning, priority: 1, phoneFingerprint: 0))
        }
        let records: [JournalRecord] = [
            .cohortJoined(CohortMembershipChange(nhsNumber: a, cohort: "high_risk", day: day("2026-11-02"))),
            .cohortJoined(CohortMembershipChange(nhsNumber: a, cohort: "carers", day: day("2026-11-02"))),
            .cohortJoined(CohortMembershipChange(nhsNumber: c, cohort: "carers", day: day("2026-11-02"))),
            .cohortJoined(CohortMembershipChange(nhsNumber: b, cohort: "carers", day: day("2026-11-03"))),
            item("i1", b, "2026-11-03"),
            .itemNotAttempted(ItemNotAttempted(itemId: "i1", reason: .returnedEmpty, recordedOn: day("2026-11-03"))),
            item("i2", a, "2026-11-04"),
            .outcomeRecorded(
                OutcomeRecorded(
                    itemId: "i2", nhsNumber: a, outcome: .noAnswer, source: source, recordedOn: day("2026-11-04"))),
            .cohortLeft(CohortMembershipChange(nhsNumber: c, cohort: "carers", day: day("2026-11-05"))),
        ]
        var history = JournalHistory()
        for record in records { history.apply(record) }
        return history
    }

    static func forecast(completion: Day?) -> Forecast {
        Forecast(
            start: day("2026-11-09"), end: day("2026-11-29"), answerRate: 0.6, workers: ["amy"],
            cohorts: [
                Forecast.CohortOutlook(
                    id: "carers", title: "Carers", members: 2, calledAlready: 1, cannotCall: 0,
                    everyoneCalledBy: completion,
                    calledByEnd: completion == nil ? 1 : 2)
            ], weeks: [])
    }

    @Test func theBurnDownCountsPeopleOnceADayUntilTheirFirstCallInTheSpell() {
        let burn = BurnDownBuilder.build(
            history: Self.history(), asOf: day("2026-11-06"), now: 1, floor: 0,
            forecast: Self.forecast(completion: day("2026-11-10")))
        #expect(burn.start == day("2026-11-02"))
        // Mon: A, C. Tue: A, B, C. Wed: A called (an unanswered call is a call), B, C. Thu: C left.
        // Fri: the report's own count.
        #expect(burn.counts == [2, 3, 2, 1, 1])
        #expect(burn.completion == day("2026-11-10"))
        #expect(burn.end == day("2026-11-06"))
    }

    @Test func theForecastsCompletionIsTheLastCohortsAndOnlyWithinItsHorizon() {
        #expect(ForecastCompletion(Self.forecast(completion: day("2026-11-12"))) == .by(day("2026-11-12")))
        #expect(
            ForecastCompletion(Self.forecast(completion: day("2026-11-04"))) == .done(lastFirstCall: day("2026-11-04")))
        #expect(ForecastCompletion(Self.forecast(completion: nil)) == .beyondHorizon(end: day("2026-11-29")))
        let empty = Forecast(
            start: day("2026-11-09"), end: day("2026-11-29"), answerRate: 0.6, workers: [],
            cohorts: [
                Forecast.CohortOutlook(
                    id: "carers", title: "Carers", members: 2, calledAlready: 0, cannotCall: 2, everyoneCalledBy: nil,
                    calledByEnd: 0)
            ], weeks: [])
        #expect(ForecastCompletion(empty) == .nobodyCallable)
    }

    @Test(arguments: [
        (0, [0, 1]), (1, [0, 1]), (4, [0, 1, 2, 3, 4]), (7, [0, 2, 4, 6, 8]), (23, [0, 5, 10, 15, 20, 25]),
        (180, [0, 50, 100, 150, 200]),
    ])
    func countTicksAreRoundAndReachTheMaximum(_ maximum: Int, _ expected: [Int]) {
        #expect(Ticks.counts(upTo: maximum, steps: 5) == expected)
    }

    @Test func dayTicksAreDailyForShortSpansAndMondaysForLongOnes() {
        #expect(Ticks.days(from: day("2026-11-02"), to: day("2026-11-06")).count == 5)
        let weekly = Ticks.days(from: day("2026-10-26"), to: day("2026-11-30"))
        #expect(weekly.allSatisfy { $0.weekday == .monday })
        #expect(weekly.first == day("2026-10-26") && weekly.count <= 8)
        let long = Ticks.days(from: day("2026-01-07"), to: day("2026-12-20"))
        #expect(long.count <= 8 && long.allSatisfy { $0.weekday == .monday })
    }

    @Test func numbersInTheSVGAreShortAndTheSameEverywhere() {
        #expect(SVGWriter.number(12) == "12")
        #expect(SVGWriter.number(12.345) == "12.3")
        #expect(SVGWriter.number(-0.01) == "0")
        #expect(SVGWriter.number(1.0 / 3.0 * 300) == "100")
    }

    @Test func longTitlesWrapOnWordsIntoAtMostTwoLines() {
        #expect(
            Charts.wrap("Long-term condition in the most deprived areas", maxCharacters: 34, maxLines: 2)
                == ["Long-term condition in the most", "deprived areas"])
        let lines = Charts.wrap(String(repeating: "word ", count: 30), maxCharacters: 20, maxLines: 2)
        #expect(lines.count == 2 && lines.allSatisfy { $0.count <= 20 } && lines[1].hasSuffix("…"))
    }

    /// The points of a hatch's path data (`M x,y L x,y` pairs).
    static func points(_ d: String) -> [(Double, Double)] {
        d.split(whereSeparator: { $0 == "M" || $0 == "L" }).map { pair in
            let xy = pair.split(separator: ",").map { Double($0)! }
            return (xy[0], xy[1])
        }
    }

    @Test(arguments: [
        ChartFill.category(.declined), ChartFill.category(.unreachable), ChartFill.category(.cannotCall),
        ChartFill.category(.inProgress), ChartFill.category(.overdue), ChartFill.called, ChartFill.notAttempted,
    ])
    func hatchStrokesStayInsideTheirShape(fill: ChartFill) {
        for (x, y, width, height) in [(236.0, 40.0, 408.0, 22.0), (300.5, 17.3, 3.1, 22.0), (100.0, 93.6, 25.6, 3.6)] {
            let d = fill.hatchPath(x: x, y: y, width: width, height: height)
            let points = Self.points(d)
            #expect(points.count % 2 == 0)
            for (px, py) in points {
                #expect(px >= x - 0.06 && px <= x + width + 0.06, "\(fill.name) x \(px) in \(x)+\(width)")
                #expect(py >= y - 0.06 && py <= y + height + 0.06, "\(fill.name) y \(py) in \(y)+\(height)")
            }
        }
        #expect(!fill.hatchPath(x: 0, y: 0, width: 100, height: 20).isEmpty, "a bar-sized shape shows its hatch")
        #expect(fill.hatchPath(x: 5, y: 5, width: 0, height: 20).isEmpty)
    }

    @Test func aHatchIsAFewStrokesAndPlainFillsHaveNone() {
        #expect(ChartFill.reached.hatchPath(x: 0, y: 0, width: 400, height: 22).isEmpty)
        // A full-width progress bar: one stroke every 8 units along about 430 units of diagonals.
        let d = ChartFill.category(.declined).hatchPath(x: 236, y: 40, width: 408, height: 22)
        #expect(Self.points(d).count / 2 <= 60)
        #expect(d.utf8.count < 2_000)
    }

    @Test func neighbouringSegmentsHatchesLineUp() {
        let fill = ChartFill.category(.declined)
        // Two halves of one rectangle: together, the same strokes' ends as the whole has.
        let whole = Set(Self.points(fill.hatchPath(x: 0, y: 0, width: 80, height: 20)).map { "\($0.0),\($0.1)" })
        let left = Self.points(fill.hatchPath(x: 0, y: 0, width: 40, height: 20))
        for (x, y) in left where x > 1 && x < 39 && y > 1 && y < 19 {
            Issue.record("a stroke ends inside the shape at \(x),\(y)")
        }
        #expect(!whole.isEmpty)
        // Strokes are on one grid: x + y is a multiple of the spacing at every end inside the shape.
        for (x, y) in left where y > 0.6 && y < 19.4 && x > 0.6 && x < 39.4 {
            #expect(((x + y) / fill.spacing).rounded() * fill.spacing - (x + y) < 0.11)
        }
    }

    @Test func labelsBelowABarKeepApartInsideTheirLine() {
        // No conflict: every label where it was wanted.
        #expect(Charts.spread([100, 200], widths: [20, 20], from: 0, to: 300, gap: 10) == [100, 200])
        // Crowded: pushed right in order, never overlapping.
        let crowded = Charts.spread([100, 102, 104], widths: [40, 40, 40], from: 0, to: 300, gap: 10)
        for index in 1..<crowded.count { #expect(crowded[index] - crowded[index - 1] >= 50 - 0.001) }
        #expect(crowded[0] == 100)
        // At the end of the line: pulled back left to fit.
        let atEnd = Charts.spread([290, 295], widths: [40, 40], from: 0, to: 300, gap: 10)
        #expect(atEnd[1] + 20 <= 300 && atEnd[1] - atEnd[0] >= 50 - 0.001)
    }
}
