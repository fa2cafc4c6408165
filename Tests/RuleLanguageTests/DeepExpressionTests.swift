import Basics
import Foundation
import TestSupport
import Testing

@testable import RuleLanguage

/// A rules file the daemon picks up must never crash it (hazard: a rules file stops the daemon).
/// Expressions are bounded in nesting and length, so every pass that recurses over them (parser,
/// checker, printer, compiler, explanation) has bounded stack use; past the bounds, a diagnostic.
@Suite struct DeepExpressionTests {
    static let fields = "field f as yes/no\nfield n as number\n"

    /// The first error's id, line and column, loading `expression` as a define after the fields.
    static func firstError(_ expression: String) throws -> (id: String, text: String, line: Int, column: Int) {
        let result = Support.load(fields + "define d = " + expression + "\n")
        #expect(result.ruleSet == nil)
        let first = try #require(result.diagnostics.first { $0.severity == .error })
        let location = result.sources[first.range.file].location(of: first.range.start)
        return (first.message.id, first.message.text, location.line, location.column)
    }

    @Test func tenThousandTermsGetADiagnostic() throws {
        let chain = Array(repeating: "f", count: 10_000).joined(separator: " and ")
        let error = try Self.firstError(chain)
        #expect(error.id == "expression-too-long")
        #expect(error.text.contains("more than \(Parser.maximumTerms) terms"))
        // At the operator that passes the limit: "define d = " is 11 columns, each "f and " 6.
        #expect(error.line == 3 && error.column == 12 + Parser.maximumTerms * 6 + 2)
    }

    @Test func tenThousandOrsAndPlusesGetADiagnostic() throws {
        let ors = try Self.firstError(Array(repeating: "f", count: 10_000).joined(separator: " or "))
        #expect(ors.id == "expression-too-long")
        let sum = try Self.firstError(Array(repeating: "n", count: 10_000).joined(separator: " + ") + " > 1")
        #expect(sum.id == "expression-too-long")
    }

    @Test func tenThousandNotsGetADiagnostic() throws {
        let error = try Self.firstError(String(repeating: "not ", count: 10_000) + "f")
        #expect(error.id == "expression-too-deep")
        #expect(error.text.contains("nested more than \(Parser.maximumNesting) deep"))
        #expect(error.line == 3)
    }

    @Test func tenThousandUnaryMinusesGetADiagnostic() throws {
        let bare = try Self.firstError(String(repeating: "- ", count: 10_000) + "1 > n")
        #expect(bare.line == 3)
        let bracketed = try Self.firstError(
            String(repeating: "-(", count: 10_000) + "1" + String(repeating: ")", count: 10_000) + " > n")
        #expect(bracketed.line == 3)
    }

    @Test func hundredThousandParenthesesGetADiagnostic() throws {
        let error = try Self.firstError(
            String(repeating: "(", count: 100_000) + "f" + String(repeating: ")", count: 100_000))
        #expect(error.id == "expression-too-deep")
        // At the bracket that passes the limit: the first is at column 12.
        #expect(error.line == 3 && error.column == 12 + Parser.maximumNesting)
    }

    @Test func deepListsCallsAndTextGetADiagnostic() throws {
        let lists = try Self.firstError(
            "n in " + String(repeating: "[", count: 10_000) + "1" + String(repeating: "]", count: 10_000))
        #expect(lists.id == "expression-too-deep")
        let calls = try Self.firstError(
            String(repeating: "age_at(", count: 10_000) + "today" + String(repeating: ")", count: 10_000) + " > 1")
        #expect(calls.id == "expression-too-deep")
        let result = Support.load(
            Self.fields + "cohort c \"C\"\n  priority 1\n  include if f\n  reason \"{"
                + String(repeating: "(", count: 100_000) + "n" + String(repeating: ")", count: 100_000)
                + "}\"\nend\n")
        #expect(result.diagnostics.contains { $0.message.id == "expression-too-deep" })
    }

    /// The largest expression the limits allow, checked and printed on a 512 KiB thread, as the
    /// daemon might: proof that the limits are below what the stack takes.
    @Test func theLargestAllowedExpressionChecksOnASmallStack() throws {
        let text = Self.largestAllowed
        let outcome = try onSmallStack {
            let result = Support.load(text)
            return (result.ruleSet != nil, result.files.map { PrettyPrinter.print($0) }.joined())
        }
        #expect(outcome.0)
        #expect(outcome.1.contains("define d ="))
    }

    /// `not` and brackets to just inside the nesting limit, around a chain of just under the term limit.
    static var largestAllowed: String {
        let nots = Parser.maximumNesting / 2
        let brackets = Parser.maximumNesting - nots - 1
        let chain = Array(repeating: "f", count: Parser.maximumTerms + 1).joined(separator: " and ")
        return fields + "define d = " + String(repeating: "not ", count: nots) + String(repeating: "(", count: brackets)
            + chain + String(repeating: ")", count: brackets) + "\n"
    }

    @Test func theShippedRulesStillCheckClean() throws {
        let result = try RuleSetLoader.load(directory: Repository.rules)
        #expect(!result.hasErrors)
    }

    @Test func thirtyChainedDefinesCheck() throws {
        var text = Self.fields + "define d30 = f\n"
        for level in (0..<30).reversed() { text += "define d\(level) = d\(level + 1) and d\(level + 1)\n" }
        text += "cohort c \"C\"\n  priority 1\n  include if d0\n  exclude if not d0\nend\n"
        let result = Support.load(text)
        #expect(result.ruleSet != nil)
        #expect(result.ruleSet?.defineOrder.count == 31)
    }
}

/// Chains of defines, each using the next: the checker recurses through them, and the engine
/// evaluates through them, so their total depth is bounded too.
@Suite struct DefineChainTests {
    static func chain(_ count: Int) -> String {
        var text = "field f as yes/no\n"
        for level in 0..<count { text += "define d\(level) = d\(level + 1) and f\n" }
        return text + "define d\(count) = f\ncohort c \"C\"\n  priority 1\n  include if d0\nend\n"
    }

    @Test func tenThousandChainedDefinesGetADiagnosticOnASmallStack() throws {
        let ids = try onSmallStack { Support.load(Self.chain(10_000)).diagnostics.map(\.message.id) }
        #expect(ids.contains("expression-too-deep"))
    }

    @Test func theSameChainWrittenBackwardsGetsTheSameAnswer() throws {
        // Checked in name order, from the other end of the chain: depths are remembered, not
        // only counted on the way down.
        var text = "field f as yes/no\ndefine z0 = f\n"
        for level in 1...200 { text += "define z\(level) = z\(level - 1) and f\n" }
        text += "cohort c \"C\"\n  priority 1\n  include if z200\nend\n"
        let result = Support.load(text)
        #expect(result.diagnostics.contains { $0.message.id == "expression-too-deep" })
    }

    @Test func aChainWithinTheLimitChecks() throws {
        let result = Support.load(Self.chain(20))
        #expect(result.ruleSet != nil)
    }
}
