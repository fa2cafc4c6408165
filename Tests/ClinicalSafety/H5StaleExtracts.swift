import Foundation
import Testing
import Basics
import Operations
import Planning
import RuleLanguage
import TestSupport

/// H5: a practice that stops sending extracts must not go on being called from.
@Suite("H5 Stale extracts stop calls")
struct H5StaleExtracts {
    @Test func practiceWithAStaleExtractIsNotCalledAndScheduleSaysWhy() throws {
        try withTemporaryDirectory { root in
            // Extracts of 19 October; Monday 23 November is 35 days later.
            let home = try SafetyHome(root: root, extractDay: Day(year: 2026, month: 10, day: 19)!)
            let result = try home.publish()
            #expect(result.outcome == .published)
            #expect(result.lists.allSatisfy { $0.rows.isEmpty }, "no call for a stale practice's patients")
            #expect(result.staleExtracts.map(\.practice) == ["E82001", "E82002"])
            #expect(result.staleExtracts.allSatisfy { $0.ageDays == 35 })
            #expect(result.summary.contains("Not calling patients of E82001: newest extract 19 Oct 2026, 35 days old"))
            #expect(result.summary.contains("their practice's extract is stale"))
        }
    }

    @Test func aFreshExtractForOnePracticeBringsItsCallsBack() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root, extractDay: Day(year: 2026, month: 10, day: 19)!)
            let fresh = try FileIO.readAll(home.firstPatientsFile)
            let path = try home.write(
                "Run Date,20/11/2026\r\n" + String(decoding: fresh, as: UTF8.self), as: "practice-E82001.csv")
            _ = try home.ingest([path], on: SafetyHome.monday.adding(days: -2))
            let result = try home.publish()
            #expect(result.staleExtracts.map(\.practice) == ["E82002"])
            let practices = Set(result.lists.flatMap(\.rows).map(\.practice))
            #expect(practices == ["E82001"])
        }
    }

    @Test func runDateInThePreambleDatesTheExtract() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let bytes = try FileIO.readAll(home.firstPatientsFile)
            let path = try home.write("Run Date,02/11/2026\r\n" + String(decoding: bytes, as: UTF8.self), as: "p.csv")
            _ = try home.ingest([path])
            let latest = try #require(try home.history.extracts.last)
            #expect(latest.runDate == Day(year: 2026, month: 11, day: 2))
            #expect(latest.extractDate == Day(year: 2026, month: 11, day: 2), "not the day it arrived")
            let policy = Policy()
            #expect(policy.isStale(extractDate: latest.extractDate, on: Day(year: 2026, month: 11, day: 17)!))
            #expect(!policy.isStale(extractDate: latest.extractDate, on: Day(year: 2026, month: 11, day: 16)!))
        }
    }

    @Test func policyStatementIsCheckedAndDefaultsToFourteenDays() throws {
        #expect(Policy().extractsStaleAfter == .days(14))
        try withTemporaryDirectory { root in
            let rules = FileIO.join(root, "Rules")
            try FileManager.default.copyItem(atPath: Repository.rules, toPath: rules)
            let policyFile = FileIO.join(rules, "policy.rules")
            let original = String(decoding: try FileIO.readAll(policyFile), as: UTF8.self)
            try FileIO.writeAtomically(
                text: original.replacingOccurrences(
                    of: "\npolicy\n", with: "\npolicy\n  extracts go stale after 3 weeks\n"),
                to: policyFile)
            let ruleSet = try RuleSetLoader.checkedRuleSet(directory: rules)
            #expect(ruleSet.policy.extractsStaleAfter == Period(3, .weeks))

            let policy = FileIO.join(rules, "policy.rules")
            let text = String(decoding: try FileIO.readAll(policy), as: UTF8.self)
            try FileIO.writeAtomically(
                text: text.replacingOccurrences(of: "after 3 weeks", with: "after 0 days"), to: policy)
            #expect(throws: (any Error).self) { try RuleSetLoader.checkedRuleSet(directory: rules) }
        }
    }
}
