import Foundation
import Testing
import Basics
import Operations
import RuleLanguage
@testable import Service
import TestSupport

/// The copy of the rules in force is made when the rules change, not at every start: a start
/// under the rules already kept leaves the copy as it is, and new rules replace it whole.
@Suite struct LastGoodRulesTests {
    @Test func theCopyIsRemadeOnlyWhenTheRulesChange() throws {
        try withTemporaryDirectory { root in
            let home = try Home.create(at: FileIO.join(root, "home"), rulesFrom: Repository.rules)
            let kept = LastGoodRules(home: home)
            let first = try #require(RulesCheck.check(home.rules).ruleSet)
            try kept.keep(first)
            #expect(try FileIO.readText(kept.versionFile) == first.contentHash.hex)
            let marker = FileIO.join(kept.folder, "policy.rules")
            try FileIO.writeAtomically(text: "# not the copy's own line\n", to: marker)
            try kept.keep(first)
            #expect(try FileIO.readText(marker) == "# not the copy's own line\n", "the same rules: not copied again")

            let policy = FileIO.join(home.rules, "policy.rules")
            try FileIO.writeAtomically(
                text: try FileIO.readText(policy) + "\n# a comment changes the version\n", to: policy)
            let second = try #require(RulesCheck.check(home.rules).ruleSet)
            #expect(second.contentHash != first.contentHash)
            try kept.keep(second)
            #expect(try FileIO.readText(kept.versionFile) == second.contentHash.hex)
            #expect(try FileIO.readText(marker) == (try FileIO.readText(policy)))
            #expect(kept.load()?.contentHash == second.contentHash)
        }
    }
}
