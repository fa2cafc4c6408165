import Basics
import TestSupport
import Testing

@testable import RuleLanguage

/// Random rule text from the grammar, for round-trip tests.
struct RuleGenerator {
    var random: SeededRandom

    private mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }
    private mutating func chance(_ p: Double) -> Bool { random.chance(p) }

    private let names = [
        "age", "today", "imd_decile", "lsoa", "sex", "efi", "lives_alone", "most_deprived", "date_of_birth",
    ]
    private let lists = ["diabetes", "dmres", "carer", "notcarer", "bereavement"]

    mutating func number() -> String {
        pick(["0", "2", "18", "75", "0.36", "1.5", "-3", "120"])
    }

    mutating func text() -> String {
        pick(["\"F\"", "\"Gujarati\"", "\"say \\\"hi\\\"\"", "\"back\\\\slash\"", "\"\"", "\"E01000001\""])
    }

    mutating func duration() -> String {
        "\(pick([1, 7, 14, 90, -2])) \(pick(["day", "days", "weeks", "month", "months", "years"]))"
    }

    mutating func positiveDuration() -> String {
        "\(pick([1, 7, 14, 90])) \(pick(["day", "days", "weeks", "month", "months", "years"]))"
    }

    mutating func date() -> String { pick(["2020-03-01", "2024-02-29", "2026-12-25", "1999-01-31"]) }

    mutating func primary(_ depth: Int) -> String {
        switch Int.random(in: 0..<(depth > 2 ? 6 : 9), using: &random) {
        case 0: return number()
        case 1: return text()
        case 2: return date()
        case 3: return duration()
        case 4: return pick(["yes", "no", "true", "false"])
        case 5: return pick(names)
        case 6: return call(depth)
        case 7: return "(" + expression(depth + 1) + ")"
        default: return pick(["age_at", "days_since", "imd"]) + "(" + additive(depth + 1) + ")"
        }
    }

    mutating func call(_ depth: Int) -> String {
        var arguments = [pick(lists)]
        if depth > 8 { return "has(" + arguments[0] + ")" }
        if chance(0.3) { arguments.append("resolved by " + pick(lists)) }
        if chance(0.5) {
            switch Int.random(in: 0..<4, using: &random) {
            case 0: arguments.append("within " + duration())
            case 1: arguments.append("since " + date())
            case 2: arguments.append("before " + additive(depth + 1))
            default: arguments.append("between " + date() + " and " + date())
            }
        }
        return pick(["has", "count", "first", "last", "last_value", "current"]) + "("
            + arguments.joined(separator: ", ") + ")"
    }

    mutating func additive(_ depth: Int) -> String {
        var out = primary(depth)
        while depth < 3, chance(0.25) { out += pick([" + ", " - "]) + primary(depth + 1) }
        return out
    }

    mutating func comparison(_ depth: Int) -> String {
        let left = additive(depth)
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return left + " " + pick(["=", "!=", "<", "<=", ">", ">="]) + " " + additive(depth)
        case 1:
            return left + pick([" in ", " not in "]) + "["
                + (0..<Int.random(in: 0..<3, using: &random)).map { _ in text() }.joined(separator: ", ") + "]"
        case 2: return left + " between " + additive(depth + 1) + " and " + additive(depth + 1)
        case 3: return left + pick([" is missing", " is present", " is not missing"])
        default: return left
        }
    }

    mutating func expression(_ depth: Int = 0) -> String {
        var out = chance(0.15) ? "not " + comparison(depth) : comparison(depth)
        while depth < 3, chance(0.3) { out += pick([" and ", " or "]) + comparison(depth + 1) }
        return out
    }

    mutating func declaration(_ index: Int) -> String {
        switch Int.random(in: 0..<10, using: &random) {
        case 0:
            return "codelist list\(index) = "
                + (chance(0.5)
                    ? "\"codelists/x.csv\"" + (chance(0.5) ? " column \"snomed\"" : "") : "[\"123\", \"456\"]")
        case 1: return "lookup table\(index) = \"reference/imd.csv\" key \"lsoa\" value \"imd_decile\""
        case 2:
            return "field f\(index) as \(pick(["yes/no", "number", "date", "text"]))"
                + (chance(0.5) ? " from \"Column \(index)\"" : "")
        case 3: return "define d\(index) = " + expression()
        case 4:
            var lines = ["cohort c\(index) \"Cohort \(index)\"", "  priority \(Int.random(in: 1...9, using: &random))"]
            for _ in 0..<Int.random(in: 1...3, using: &random) { lines.append("  include if " + expression()) }
            if chance(0.5) { lines.append("  exclude if " + expression()) }
            if chance(0.5) {
                lines.append(
                    "  reason \"Since {" + pick(["age", "last(carer)", "imd(lsoa)", "today - 2 days"]) + "}, and {"
                        + call(9) + "}\"")
            }
            if chance(0.3) { lines.append("  talk about \"Food {first(carer)}\"") }
            if chance(0.5) { lines.append("  call within " + positiveDuration()) }
            if chance(0.5) { lines.append("  recall every " + positiveDuration()) }
            if chance(0.3) { lines.append("  needs skill bereavement") }
            if chance(0.3) { lines.append("  when unreachable \"Ask the GP\"") }
            if chance(0.3) { lines.append("  retry no_answer after 1 day, at most 4 attempts") }
            if chance(0.3) { lines.append("  write when unreachable: " + pick(["yes", "no"])) }
            return (lines + ["end"]).joined(separator: "\n")
        case 5:
            return [
                "team \"T\"", "  working days " + pick(["mon to fri", "mon, tue, thu", "sat to mon"]),
                "  closed 2026-12-25, 2027-01-01", "end",
            ].joined(separator: "\n")
        case 6:
            var lines = [
                "worker w\(index) \"Worker \(index)\"", "  calls per day \(Int.random(in: 1...30, using: &random))",
            ]
            if chance(0.5) { lines.append("  works mon, wed to fri") }
            if chance(0.5) { lines.append("  practices E82001, E82004") }
            if chance(0.5) { lines.append("  speaks english, gujarati") }
            if chance(0.5) { lines.append("  skills bereavement") }
            if chance(0.5) { lines.append("  away 2026-12-21 to 2027-01-01") }
            return (lines + ["end"]).joined(separator: "\n")
        case 7:
            return [
                "policy", "  publish lists at 07:30", "  plan ahead 5 days",
                "  retry voicemail after 3 days, at most 3 attempts",
                "  follow up support after 2 weeks", "  rest 14 days between calls", "  keep the same worker: no",
                "  when unreachable \"Send a letter\"", "  assume 55% answer", "  favour the most deprived: no",
                "  code declined as 871711000000103 \"Social prescribing declined\"",
                "  text before calling: " + pick(["yes", "no"]), "  write when unreachable: " + pick(["yes", "no"]),
                "end",
            ].joined(separator: "\n")
        case 8 where chance(0.5):
            var lines = ["contact"]
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                lines.append(
                    "  "
                        + pick(["not by telephone if ", "no texts if ", "interpreter \"Polish\" if "])
                        + expression())
            }
            return (lines + ["end"]).joined(separator: "\n")
        case 8:
            return [
                "extract e\(index)", "  map \"Patient NHS No\" to nhs_number", "  map \"Lives alone?\" to lives_alone",
                "end",
            ].joined(separator: "\n")
        default:
            return [
                "example \"Example \(index)\"", "  as of 2026-11-02", "  age 70", "  sex F", "  lives_alone yes",
                "  efi 0.4",
                "  event bereavement 2026-10-01", "  event code \"74506000\" 2026-10-02 value 3", "  expect in c1",
                "  expect not in c2", "end",
            ].joined(separator: "\n")
        }
    }

    mutating func file() -> String {
        (0..<Int.random(in: 1...8, using: &random)).map { declaration($0) }.joined(separator: "\n\n") + "\n"
    }
}

/// The tree with every source range removed, so trees parsed from different text compare.
func shape(_ file: FileSyntax) -> String {
    let full = String(describing: file.declarations)
    let pattern = /RuleLanguage\.SourceRange\(file: RuleLanguage\.SourceFileID\(index: \d+\), start: \d+, end: \d+\)/
    return full.replacing(pattern, with: "_")
}

func parse(_ text: String) -> (FileSyntax, [Diagnostic]) {
    var diagnostics = DiagnosticCollector()
    let file = Parser.parse(SourceFile(path: "p.rules", text: text), id: SourceFileID(0), diagnostics: &diagnostics)
    return (file, diagnostics.diagnostics)
}

@Suite("properties")
struct PropertyTests {
    @Test(
        "pretty-printing a parsed rule file and parsing it again gives the same tree",
        arguments: [1, 2, 3, 4] as [UInt64])
    func roundTrip(seed: UInt64) {
        var generator = RuleGenerator(random: SeededRandom(seed: seed))
        for iteration in 0..<150 {
            let text = generator.file()
            let (first, firstDiagnostics) = parse(text)
            guard firstDiagnostics.isEmpty else {
                Issue.record(
                    "seed \(seed), iteration \(iteration): generated text has syntax errors: \(firstDiagnostics.map(\.message.text))\n\(text)"
                )
                return
            }
            let printed = PrettyPrinter.print(first)
            let (second, secondDiagnostics) = parse(printed)
            #expect(
                secondDiagnostics.isEmpty, "seed \(seed), iteration \(iteration): printed text has errors\n\(printed)")
            guard shape(first) == shape(second) else {
                Issue.record(
                    "seed \(seed), iteration \(iteration): trees differ\n--- source\n\(text)\n--- printed\n\(printed)")
                return
            }
            #expect(PrettyPrinter.print(second) == printed, "printing is not stable; seed \(seed)")
        }
    }

    @Test("each catalogued mistake, made alone in a clean rule set, gives exactly its one diagnostic")
    func eachMistakeAlone() {
        #expect(MistakeCatalogue.found(Support.load(MistakeCatalogue.base)) == [], "the base is not clean")
        for mistake in MistakeCatalogue.mistakes {
            let result = Support.load(MistakeCatalogue.make([mistake]))
            #expect(MistakeCatalogue.found(result) == [mistake.expected], "\(mistake.name)")
        }
    }

    @Test(
        "independent mistakes made together are all reported, each once: no error hides another",
        arguments: [31, 32, 33] as [UInt64])
    func independentMistakesAllReported(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let catalogue = MistakeCatalogue.mistakes
        for iteration in 0..<60 {
            var chosen: [Mistake] = []
            for mistake in catalogue.shuffled(using: &random)
            where random.chance(0.5) && chosen.allSatisfy({ MistakeCatalogue.compatible($0, mistake) }) {
                chosen.append(mistake)
            }
            let text = MistakeCatalogue.make(chosen)
            let found = MistakeCatalogue.found(Support.load(text))
            let expected = chosen.map(\.expected).sorted()
            guard found == expected else {
                let missing = expected.filter { !found.contains($0) }
                let extra = found.filter { !expected.contains($0) }
                Issue.record(
                    """
                    seed \(seed), iteration \(iteration): \(chosen.map(\.name))
                    missing \(missing), extra or repeated \(extra.isEmpty ? found : extra)
                    \(text)
                    """)
                return
            }
        }
    }

    @Test("random token sequences never crash or hang the parser or checker", arguments: [11, 12, 13] as [UInt64])
    func randomTokens(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let vocabulary = [
            "cohort", "end", "priority", "include", "if", "exclude", "define", "codelist", "lookup", "field", "team",
            "worker",
            "policy", "extract", "example", "expect", "in", "not", "and", "or", "is", "missing", "between", "has", "(",
            ")",
            "[", "]", ",", "=", "!=", "<", ">=", "+", "-", "\"text", "\"{age}\"", "\"{\"", "{", "}", "90", "days",
            "2026-02-30",
            "07:30", "%", "/", "yes", "no", "age", "x", "\n", "\n", "\n", "#", "“", "!", "resolved", "by", "within",
            "reason",
            "calls", "per", "day", "works", "mon", "to", "fri", "map", "as", "of", "event", "0.5", "-", "\\",
        ]
        for _ in 0..<400 {
            let count = Int.random(in: 0..<60, using: &random)
            let text = (0..<count).map { _ in vocabulary[Int.random(in: 0..<vocabulary.count, using: &random)] }.joined(
                separator: " ")
            let result = Support.load(text)
            #expect(result.ruleSet != nil || result.hasErrors || !result.diagnostics.isEmpty || text.isEmpty || true)
            for diagnostic in result.diagnostics {
                #expect(diagnostic.range.start >= 0 && diagnostic.range.end <= text.utf8.count)
            }
        }
    }

    @Test(
        "mutated copies of the shipped rules always end in a result or a diagnostic", arguments: [21, 22] as [UInt64])
    func mutatedRules(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let original = Array(try FileIO.readAll(Repository.rules + "/cohorts.rules"))
        let withoutLookup = String(decoding: original, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("lookup") }.joined(separator: "\n")
        let base = Array(withoutLookup.utf8)
        let inserts = Array("(){}[]\"#,=<>-+ \n".utf8) + [0xE2, 0x80, 0x9C, 0xFF, 0x00]
        for _ in 0..<120 {
            var bytes = base
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(inserts[Int.random(in: 0..<inserts.count, using: &random)], at: at)
                default: bytes.swapAt(at, Int.random(in: 0..<bytes.count, using: &random))
                }
            }
            let result = RuleSetLoader.load(
                files: [SourceFile(path: "cohorts.rules", relativePath: "cohorts.rules", bytes: bytes)],
                directory: Repository.rules)
            for diagnostic in result.diagnostics {
                _ = DiagnosticRenderer.render(diagnostic, in: result.sources)
            }
            #expect(result.ruleSet != nil || result.hasErrors)
        }
    }
}
