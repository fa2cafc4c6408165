import Foundation
import Testing
import Basics
import Operations
import Planning
import RuleLanguage
import TestSupport
import Vocabulary

/// The printed call list (`outbox/DAY/WORKER.html`), as a link worker uses it on the phone: every
/// outcome a box beside its own words, cohorts by title, labelled numbers, every page headed.
/// How it looks printed is checked by eye (see the README); what a test can hold is here.
@Suite struct PrintedCallListTests {
    static let monday = Day(year: 2026, month: 11, day: 23)!

    static func row(
        _ sequence: Int, mobile: String = "07700 900123", home: String = "", cohorts: [String] = ["ltc_deprived"],
        titles: [String]? = ["Long-term condition in the most deprived areas"]
    ) -> CallListRow {
        CallListRow(
            itemID: "20261123-gina-00\(sequence)", date: monday, worker: "gina", band: .morning, practice: "E82001",
            nhsNumber: 9_990_000_018, name: "Person \(sequence)", age: 80, dateOfBirth: Day(iso: "1946-05-01"),
            phoneMobile: mobile, phoneHome: home, preferredLanguage: "English", interpreterNeeded: false,
            cohorts: cohorts, cohortTitles: titles, priority: 4, reasons: ["A reason"], talkAbout: ["Something"],
            attempt: 1, kind: .first, lastOutcome: nil, lastCalledOn: nil, lastWorker: nil)
    }

    static func html(_ rows: [CallListRow], workerName: String = "Gina Patel") -> String {
        CallListFormat.html(rows, workerName: workerName, worker: "gina", date: monday)
    }

    /// The markup of each `outcome` unit: the text after `<span class="outcome"` up to its
    /// closing tag (the second `</span>`: the box's, then the unit's).
    static func units(_ html: String) -> [String] {
        html.components(separatedBy: "<span class=\"outcome\"").dropFirst().map { tail in
            let parts = tail.components(separatedBy: "</span>")
            return parts.count > 2 ? parts[0] + "</span>" + parts[1] + "</span>" : tail
        }
    }

    @Test func everyOutcomeAWorkerCanRecordHasABoxInEveryBlock() {
        #expect(CallListFormat.printedOutcomes.count == OutcomeCode.allCases.count)
        #expect(Set(CallListFormat.printedOutcomes) == Set(OutcomeCode.allCases))
        #expect(CallListFormat.printedOutcomes.last == .urgentConcern, "urgent concern last, on its own line")
        let html = Self.html([Self.row(1), Self.row(2), Self.row(3)])
        for code in OutcomeCode.allCases {
            let boxes = html.components(separatedBy: "data-outcome=\"\(code.rawValue)\"").count - 1
            #expect(boxes == 3, "\(code) has one box in each of the 3 blocks")
        }
        #expect(html.components(separatedBy: "<span class=\"box\"></span>").count - 1 == 3 * OutcomeCode.allCases.count)
    }

    @Test func eachBoxAndItsWordsAreOneUnitThatNeverWraps() {
        let html = Self.html([Self.row(1)])
        #expect(html.contains(".outcome { display: block; white-space: nowrap;"))
        let units = Self.units(html)
        #expect(units.count == OutcomeCode.allCases.count)
        for (unit, code) in zip(units, CallListFormat.printedOutcomes) {
            let words = code.rawValue.replacingOccurrences(of: "_", with: " ")
            // The box, then its own words, then the unit's end: nothing between them.
            #expect(
                unit == " data-outcome=\"\(code.rawValue)\"><span class=\"box\"></span>\(words)</span>",
                "\(code): \(unit)")
            #expect((try? OutcomeCode.parse(words)) == code, "the printed words type back as the code")
        }
    }

    @Test func urgentConcernIsMarkedWithWhatToDo() {
        let html = Self.html([Self.row(1)])
        #expect(
            html.contains(
                "<div class=\"urgent\"><span class=\"outcome\" data-outcome=\"urgent_concern\"><span class=\"box\"></span>"
                    + "urgent concern</span> — tell the duty clinician today</div>"))
        #expect(html.contains(".urgent { border: 2pt solid #000;"))
        #expect(html.contains("Notes (required for an urgent concern)"))
    }

    @Test func theListShowsCohortTitlesAndTheCSVKeepsTheIds() {
        let row = Self.row(
            1, cohorts: ["older_alone", "ltc_deprived"],
            titles: ["Over 75 and living alone", "Long-term condition in the most deprived areas"])
        let html = Self.html([row])
        #expect(
            html.contains(
                "<dt>Cohorts</dt> <dd>Over 75 and living alone; Long-term condition in the most deprived areas"))
        #expect(!html.contains("ltc_deprived"))
        let csv = CallListFormat.csv([row])
        #expect(csv.contains("older_alone; ltc_deprived"), "returned lists are matched on the ids")
        #expect(!csv.contains("Over 75"))
        #expect(Self.row(2, titles: nil).cohortTitles == ["ltc_deprived"], "without titles, the ids")
    }

    @Test func publishedRowsCarryTheRuleSetsCohortTitles() throws {
        let ruleSet = try #require(try RuleSetLoader.load(directory: Repository.rules).ruleSet)
        let titles = Dictionary(uniqueKeysWithValues: ruleSet.cohorts.map { ($0.id, $0.title) })
        try withTemporaryDirectory { root in
            let (session, _) = try homeWithPopulation(
                "titles", patients: 400, asOf: Self.monday.adding(days: -3), in: root)
            let result = try Publisher.publish(session, day: Self.monday)
            let rows = result.lists.flatMap(\.rows)
            #expect(!rows.isEmpty)
            for row in rows {
                #expect(row.cohortTitles == row.cohorts.map { titles[$0] ?? "?" }, "\(row.itemID)")
            }
        }
    }

    @Test func bothNumbersAreLabelled() {
        let html = Self.html([Self.row(1, mobile: "07700 900123", home: "01632 960019"), Self.row(2, mobile: "")])
        #expect(html.contains("<span class=\"phone\">07700 900123 (mobile)</span>"))
        #expect(html.contains("<span class=\"phone\">01632 960019 (home)</span>"))
        #expect(html.contains("no phone number on record"))
    }

    @Test func everyPrintedPageIsHeadedAndEveryBlockKeptWhole() {
        let html = Self.html([Self.row(1), Self.row(2)])
        #expect(html.contains("@top-left { content: \"Call list: Gina Patel (gina)\";"))
        #expect(
            html.contains(
                "@top-right { content: \"Monday 23 Nov 2026 · page \" counter(page) \" of \" counter(pages);"))
        #expect(
            html.contains("<span class=\"number\">1 of 2</span>"), "a browser without page margins still numbers calls")
        #expect(html.contains("<span class=\"number\">2 of 2</span>"))
        #expect(html.contains("break-inside: avoid; page-break-inside: avoid;"))
        #expect(html.contains("@page {\n  size: A4;"))
    }

    @Test func aWorkerNameCannotEndTheHeadersStringOrTheStyleSheet() {
        let hostile = "Gi\"na\\ </style><script>x</script>"
        let html = Self.html([Self.row(1)], workerName: hostile)
        #expect(html.components(separatedBy: "</style>").count == 2, "one style sheet, closed once")
        #expect(!html.contains("<script>"))
        #expect(html.contains("Call list: Gi\\22 na\\5C  \\3C \\2F style\\3E \\3C script\\3E x"))
        #expect(html.contains("Call list for Gi&quot;na\\ &lt;/style&gt;"))
    }
}
