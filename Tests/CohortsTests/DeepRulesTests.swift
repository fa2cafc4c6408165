import Basics
import Cohorts
import Foundation
import RuleLanguage
import TestSupport
import Testing

/// Rules at the edge of what the checker accepts still evaluate, quickly and on a small stack
/// (hazard: a rules file stops the daemon).
@Suite struct DeepRulesTests {
    /// `define d0 = d1 and d1`, … `define d29 = d30 and d30`, `define d30 = f`: evaluated by
    /// inlining, d0 would evaluate `f` 2^30 times a patient; each define must be worked out once.
    static func chain(_ levels: Int, joinedBy op: String) -> String {
        var text = "field f as yes/no\ndefine d\(levels) = f\n"
        for level in (0..<levels).reversed() { text += "define d\(level) = d\(level + 1) \(op) d\(level + 1)\n" }
        return text
    }

    @Test func thirtyChainedDefinesEvaluateOnceEach() throws {
        let rules =
            Self.chain(30, joinedBy: "and") + """
                cohort c "Chained"
                  priority 1
                  include if d0
                  reason "d0 is {d0}, d15 is {d15}"
                end
                """
        let people = [Person(["f": "yes"]), Person(["f": "no"]), Person()]
        let scenario = try Scenario(rules, people: people)
        #expect(try scenario.members()["c"] == [0])
        let run = try scenario.run()
        // `explain` looks into each define once, too.
        let explanation = try #require(try Explanation.explain(TestNHS.numbers[0], in: run))
        #expect(explanation.render().contains("d0"))
        let d0 = try #require(scenario.ruleSet.defines["d0"])
        #expect(
            try run.evaluate(d0.expression, patient: try #require(run.population.index(of: TestNHS.numbers[1])))
                == .bool(false))
    }

    @Test func thirtyChainedOrsAndNotsEvaluate() throws {
        let rules =
            Self.chain(30, joinedBy: "or") + """
                cohort c "Chained"
                  priority 1
                  include if not d0
                end
                """
        let scenario = try Scenario(rules, people: [Person(["f": "yes"]), Person(["f": "no"]), Person()])
        #expect(try scenario.members()["c"] == [1])
    }

    @Test func aWindowThroughChainedDateDefinesIsWorkedOutOnce() throws {
        // Each level uses the next three times: 3^15 steps if worked out at every use.
        var declarations = "codelist flu = [\"1001\"]\ndefine a15 = 2026-01-01\n"
        for level in (0..<15).reversed() {
            declarations += "define a\(level) = a\(level + 1) + (a\(level + 1) - a\(level + 1))\n"
        }
        let values = try Probe.values(
            "has(flu, since a0)", declarations: declarations,
            people: [.withEvent("1001", on: "2026-01-01"), .withEvent("1001", on: "2025-12-31")])
        #expect(values == [.bool(true), .bool(false)])
    }

    @Test func theLargestAllowedExpressionEvaluatesOnASmallStack() throws {
        let nots = Parser.maximumNesting / 2
        let brackets = Parser.maximumNesting - nots - 1
        let chain = Array(repeating: "f", count: Parser.maximumTerms + 1).joined(separator: " and ")
        let expression =
            String(repeating: "not ", count: nots) + String(repeating: "(", count: brackets) + chain
            + String(repeating: ")", count: brackets)
        let values = try onSmallStack {
            try Probe.values(
                expression, declarations: "field f as yes/no\n",
                people: [Person(["f": "yes"]), Person(["f": "no"]), Person()])
        }
        // An even number of 'not's leaves the chain's value as it is.
        #expect(nots % 2 == 0)
        #expect(values == [.bool(true), .bool(false), .missing])
    }
}
