import Testing
import TestSupport

@testable import Cohorts

/// H13: a codelist in another coding system than the extracts' (Read/CTV3 beside SNOMED CT)
/// matches nothing, and its cohort is silently empty. The cohorts table counts the events each
/// codelist matched and warns on exactly the lists that matched none.
struct CodelistMatchWarningTests {
    @Test func aCodelistThatMatchedNoEventsIsWarnedAboutAndOnlyThatOne() throws {
        let rules = """
            codelist bereavement = ["74506000"]
            codelist bereavement_ctv3 = ["1461."]
            cohort bereaved "Recently bereaved"
              priority 1
              include if has(bereavement) or has(bereavement_ctv3)
            end
            """
        let people = [
            Person(events: [TestEvent(code: "74506000", date: "2026-01-05")]),
            Person(events: [
                TestEvent(code: "74506000", date: "2026-02-05"), TestEvent(code: "271649006", date: "2026-02-05"),
            ]),
        ]
        let table = CohortReport.table(try Scenario(rules, people: people).run())
        let lines = table.split(separator: "\n").map(String.init)
        let snomed = try #require(lines.first { $0.hasPrefix("bereavement ") })
        let ctv3 = try #require(lines.first { $0.hasPrefix("bereavement_ctv3 ") })
        #expect(snomed.split(separator: " ").map(String.init) == ["bereavement", "1", "2"])
        #expect(ctv3.contains("0  warning: matched no events; is it in the coding system the extracts use?"))
        #expect(lines.filter { $0.contains("matched no events") }.count == 1)
    }
}
