import Basics
import Testing

@testable import RuleLanguage

/// One mistake, marked with ⏵ where its diagnostic must start, and words its message must hold.
struct MarkedCase: Sendable, CustomStringConvertible {
    let source: String
    let message: String
    var description: String { message }
}

@Suite("rule language")
struct LanguageTests {
    static let cases: [MarkedCase] = [
        MarkedCase(
            source: "cohort a \"A\"\n  ⏵prority 1\n  include if age > 3\nend", message: "did you mean 'priority'?"),
        MarkedCase(
            source: "cohort a \"A\"\n  priority 1\n  include if age > ⏵\"65\"\nend", message: "write 65 without quotes"),
        MarkedCase(
            source: "define x = ⏵imd_decle <= 2", message: "unknown name 'imd_decle'; did you mean 'imd_decile'?"),
        MarkedCase(source: "define x = has(⏵age)", message: "has() needs a codelist"),
        MarkedCase(
            source: "define x = date_of_birth < ⏵1950", message: "is a date, so it cannot be compared with a number"),
        MarkedCase(
            source: "cohort a \"A\"\n  priority ⏵high\n  include if yes\nend",
            message: "'priority' needs a whole number from 1 upwards"),
        MarkedCase(
            source: "define x = has(l, since ⏵2026-02-30)\ncodelist l = [\"74506000\"]",
            message: "February 2026 has 28 days"),
        MarkedCase(source: "define x = ⏵\"open text", message: "no closing"),
        MarkedCase(source: "⏵end", message: "'end' with no block to end"),
        MarkedCase(source: "⏵cohort a \"A\"\n  priority 1\n  include if yes\n", message: "has no 'end'"),
        MarkedCase(
            source: "worker w \"W\"\n  calls per day 3\n  works mon, ⏵wedn\nend", message: "did you mean 'wed'?"),
        MarkedCase(
            source: "worker w \"W\"\n  calls per day 3\n  practices ⏵X1\nend", message: "not a GP practice ODS code"),
        MarkedCase(source: "define ⏵a = b\ndefine b = a", message: "'a' is defined in terms of itself: a → b → a"),
        MarkedCase(source: "⏵polcy\nend", message: "did you mean 'policy'?"),
        MarkedCase(source: "define x = age > 3 ⏵adn age < 9", message: "did you mean 'and'?"),
        MarkedCase(source: "define x = (age > 3 ⏵\n", message: "expected ')'"),
        MarkedCase(
            source: "codelist l = ⏵\"../../etc/passwd\"\ndefine x = has(l)", message: "outside the rules folder"),
        MarkedCase(source: "define x = ⏵today + today", message: "cannot use '+' with a date and a date"),
        MarkedCase(
            source: "codelist l = [\"74506000\"]\ndefine x = has(l, since ⏵date_of_birth)",
            message: "must be the same for everyone"),
        MarkedCase(
            source:
                "codelist l = [\"74506000\"]\ndefine start = today - 1 year\ndefine x = has(l, since start) or count(l, before ⏵first(l)) > 1",
            message: "must be the same for everyone"),
    ]

    @Test("each mistake is reported where it is, with a useful message", arguments: cases)
    func markedMistake(_ testCase: MarkedCase) throws {
        let marked = Marked(testCase.source)
        let result = Support.load(marked.text)
        let first = try #require(result.diagnostics.first { $0.severity == .error })
        let file = result.sources[first.range.file]
        let location = file.location(of: first.range.start)
        #expect(
            location.line == marked.line && location.column == marked.column, "\(first.message.text) at \(location)")
        #expect(first.message.text.contains(testCase.message), "\(first.message.text)")
    }

    @Test("a syntax error does not cascade: one slip gives one message")
    func noCascade() {
        let result = Support.load(
            """
            cohort a "A"
              priority 1
              include if (age > 3 and and or
              include if age > 80
            end
            """)
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1, "\(errors.map(\.message.text))")
    }

    @Test("precedence: or < and < not < comparisons < + and -")
    func precedence() {
        let (file, diagnostics) = parse("define x = not a = 1 or b and c + 1 - 2 > d\n")
        #expect(diagnostics.isEmpty)
        guard case .define(let define)? = file.declarations.first else {
            Issue.record("no define")
            return
        }
        guard case .binary(.or, let left, let right) = define.expression.kind else {
            Issue.record("top is not 'or'")
            return
        }
        guard case .not = left.kind, case .binary(.and, _, let comparison) = right.kind,
            case .binary(.greater, let sum, _) = comparison.kind, case .binary(.minus, let inner, _) = sum.kind,
            case .binary(.plus, _, _) = inner.kind
        else {
            Issue.record("unexpected shape: \(PrettyPrinter.print(define.expression))")
            return
        }
    }

    @Test("keywords and names are case-insensitive")
    func caseInsensitive() throws {
        let result = Support.load(
            """
            Codelist Carer = ["1186934000"]
            COHORT Carers "Carers"
              Priority 1
              Include If HAS(carer) AND Age >= 18
            END
            """)
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.message.text))")
        let cohort = try #require(result.ruleSet?.cohort("carers"))
        #expect(cohort.priority == 1)
    }

    @Test("templates keep text and embedded expressions, with true source ranges")
    func templates() throws {
        let text = """
            codelist bereavement = ["74506000"]
            cohort b "Bereaved"
              priority 2
              include if has(bereavement)
              reason "Recorded {last(bereavement)} at age {age}"
            end
            """
        let result = Support.load(text)
        let ruleSet = try #require(result.ruleSet, "\(result.diagnostics.map(\.message.text))")
        let reason = try #require(ruleSet.cohort("b")?.reason)
        #expect(reason.segments.count == 4)
        guard case .expression(let last) = reason.segments[1] else {
            Issue.record("second segment is not an expression")
            return
        }
        #expect(ruleSet.sourceText(of: last.range) == "last(bereavement)")
        #expect(last.type == .date)
    }

    @Test("codes that are SNOMED CT concept ids, and codes that are not")
    func snomed() {
        for code in ["74506000", "871711000000103", "1300561000000107", "315051004", "138079003"] {
            #expect(SNOMEDIdentifier.isConceptID(code), "\(code)")
        }
        for code in ["1461.", "74506001", "0745060", "Eu02z", "12345", "74506010"] {
            #expect(!SNOMEDIdentifier.isConceptID(code), "\(code)")
        }
        #expect(SNOMEDIdentifier.looksLikeRead("1461."))
        #expect(SNOMEDIdentifier.looksLikeRead("XE1Xt"))
        #expect(!SNOMEDIdentifier.looksLikeRead("12345"))
    }

    @Test("diagnostics render with the caret under the span, counting characters not bytes")
    func caretCountsCharacters() throws {
        let result = Support.load("define x = \"café\" = unknwn\n")
        let diagnostic = try #require(result.diagnostics.first { $0.severity == .error })
        let rendered = DiagnosticRenderer.render(diagnostic, in: result.sources)
        #expect(
            rendered == """
                test.rules:1:21: error: unknown name 'unknwn'
                  define x = "café" = unknwn
                                      ^~~~~~

                """)
    }
}
