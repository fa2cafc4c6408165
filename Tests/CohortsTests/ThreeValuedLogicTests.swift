import Basics
import Cohorts
import TestSupport
import Testing

/// Missing values and Kleene logic (rules-language.md "Missing values"): a missing value makes
/// comparisons unknown, and a person is included or excluded only on a definite yes.
@Suite struct ThreeValuedLogicTests {
    static let declarations = """
        field f as yes/no
        field g as yes/no
        field n as number
        field lang as text
        field seen as date
        """

    /// The cell for a truth value: `yes`, `no`, or empty (missing).
    static func cell(_ truth: Bool?) -> String {
        truth.map { $0 ? "yes" : "no" } ?? ""
    }

    static func value(_ truth: Bool?) -> EvalValue {
        truth.map { .bool($0) } ?? .missing
    }

    static let truths: [Bool?] = [true, false, nil]
    static let pairs: [(Bool?, Bool?)] = truths.flatMap { a in truths.map { b in (a, b) } }

    static func table(_ expression: String) throws -> [EvalValue] {
        let people = pairs.map { Person(["f": cell($0.0), "g": cell($0.1)]) }
        return try Probe.values(expression, declarations: declarations, people: people)
    }

    @Test func andFollowsKleene() throws {
        // (yes,yes) (yes,no) (yes,?) (no,yes) (no,no) (no,?) (?,yes) (?,no) (?,?)
        let expected: [Bool?] = [true, false, nil, false, false, false, nil, false, nil]
        #expect(try Self.table("f and g") == expected.map(Self.value))
    }

    @Test func orFollowsKleene() throws {
        let expected: [Bool?] = [true, true, true, true, false, nil, true, nil, nil]
        #expect(try Self.table("f or g") == expected.map(Self.value))
    }

    @Test func notFollowsKleene() throws {
        let people = Self.truths.map { Person(["f": Self.cell($0)]) }
        #expect(
            try Probe.values("not f", declarations: Self.declarations, people: people) == [
                .bool(false), .bool(true), .missing,
            ])
    }

    @Test func deMorganHoldsWithUnknowns() throws {
        #expect(try Self.table("not (f and g)") == Self.table("not f or not g"))
        #expect(try Self.table("not (f or g)") == Self.table("not f and not g"))
    }

    @Test func comparisonsWithAMissingValueAreUnknown() throws {
        let people = [Person(["n": "3", "seen": "2026-01-01", "lang": "Polish"]), Person()]
        for expression in [
            "n > 1", "n = 3", "n != 1", "n <= 3", "n + 1 > 0", "n - n = 0", "seen < today", "seen + 1 year > today",
            "today - seen > 30 days", "lang = \"polish\"", "lang != \"english\"", "age_at(seen) > 0", "f = yes",
            "f != yes",
        ] {
            let values = try Probe.values(expression, declarations: Self.declarations, people: people)
            #expect(values[1] == .missing, "\(expression) must be unknown when its value is missing")
            if !expression.hasPrefix("f ") { #expect(values[0] == .bool(true), "\(expression) for known values") }
        }
    }

    @Test func arithmeticWithAMissingValueIsMissing() throws {
        let people = [Person(["n": "3", "seen": "2026-01-31"]), Person()]
        #expect(try Probe.values("n + 1", declarations: Self.declarations, people: people) == [.number(4), .missing])
        #expect(
            try Probe.values("seen + 1 month", declarations: Self.declarations, people: people)
                == [.date(day("2026-02-28").ordinal), .missing])
        #expect(try Probe.values("today - seen", declarations: Self.declarations, people: people)[1] == .missing)
    }

    @Test func isMissingAndIsPresentAreNeverUnknown() throws {
        let people = [Person(["n": "0"]), Person(["n": ""]), Person(["n": "N/A"])]
        #expect(
            try Probe.values("n is missing", declarations: Self.declarations, people: people)
                == [.bool(false), .bool(true), .bool(true)])
        #expect(
            try Probe.values("n is present", declarations: Self.declarations, people: people)
                == [.bool(true), .bool(false), .bool(false)])
        #expect(
            try Probe.values("(n > 5) is missing", declarations: Self.declarations, people: people)
                == [.bool(false), .bool(true), .bool(true)])
    }

    @Test func inAndNotInMatchTextIgnoringCaseAndAreUnknownWhenMissing() throws {
        let people = [Person(["lang": "English"]), Person(["lang": "GUJARATI "]), Person(["lang": "Polish"]), Person()]
        #expect(
            try Probe.values("lang in [\"english\", \"Gujarati\"]", declarations: Self.declarations, people: people)
                == [.bool(true), .bool(true), .bool(false), .missing])
        #expect(
            try Probe.values("lang not in [\"english\", \"Gujarati\"]", declarations: Self.declarations, people: people)
                == [.bool(false), .bool(false), .bool(true), .missing])
    }

    @Test func inWorksForNumbersAndDates() throws {
        let people = [Person(["n": "2"]), Person(["n": "2.5"]), Person()]
        #expect(
            try Probe.values("n in [1, 2]", declarations: Self.declarations, people: people)
                == [.bool(true), .bool(false), .missing])
        let dated = [Person(["seen": "2026-01-01"]), Person(["seen": "2026-01-02"])]
        #expect(
            try Probe.values("seen in [2026-01-01]", declarations: Self.declarations, people: dated)
                == [.bool(true), .bool(false)])
    }

    @Test func betweenIncludesBothEnds() throws {
        let people = ["1", "2", "3", "4", "5", ""].map { Person(["n": $0]) }
        #expect(
            try Probe.values("n between 2 and 4", declarations: Self.declarations, people: people)
                == [.bool(false), .bool(true), .bool(true), .bool(true), .bool(false), .missing])
        let dated = ["2025-12-31", "2026-01-01", "2026-03-31", "2026-04-01"].map { Person(["seen": $0]) }
        #expect(
            try Probe.values("seen between 2026-01-01 and 2026-03-31", declarations: Self.declarations, people: dated)
                == [.bool(false), .bool(true), .bool(true), .bool(false)])
    }

    @Test func betweenWithAMissingBoundIsUnknown() throws {
        let people = [Person(["n": "3", "seen": "2026-01-01"]), Person(["n": "3"])]
        #expect(
            try Probe.values("today between seen and today + 1 day", declarations: Self.declarations, people: people)
                == [.bool(true), .missing])
    }

    @Test func includeOnlyWhenDefinitelyYesExcludeOnlyWhenDefinitelyYes() throws {
        let rules =
            Self.declarations + """

                cohort c "Both"
                  priority 1
                  include if f
                  exclude if g
                end
                """
        // (f, g) for people 0…8 as in `pairs`: members only where f is yes and g is not yes.
        let people = Self.pairs.map { Person(["f": Self.cell($0.0), "g": Self.cell($0.1)]) }
        let run = try Scenario(rules, people: people).run()
        #expect(Scenario.members(run)["c"] == [1, 2])
        // Left out only because a value was unknown: f unknown and g not yes (people 7 and 8).
        #expect(run.results[0].unknownOnly == 2)
    }

    @Test func unknownOnlyCountsPeopleWhoseIncludesWereNoOrUnknown() throws {
        let rules =
            Self.declarations + """

                cohort c "Two includes"
                  priority 1
                  include if f
                  include if n > 5
                end
                """
        let people = [
            Person(["f": "yes", "n": ""]),  // member: one include is yes
            Person(["f": "no", "n": ""]),  // unknown only
            Person(["f": "", "n": ""]),  // unknown only
            Person(["f": "no", "n": "1"]),  // simply no
            Person(["f": "", "n": "9"]),  // member
        ]
        let run = try Scenario(rules, people: people).run()
        #expect(Scenario.members(run)["c"] == [0, 4])
        #expect(run.results[0].unknownOnly == 2)
    }

    @Test func anUnknownIncludeThatIsDefinitelyExcludedIsNotCountedAsUnknownOnly() throws {
        let rules =
            Self.declarations + """

                cohort c "Excluded anyway"
                  priority 1
                  include if f
                  exclude if g
                end
                """
        let run = try Scenario(rules, people: [Person(["f": "", "g": "yes"])]).run()
        #expect(run.results[0].members.isEmpty)
        #expect(run.results[0].unknownOnly == 0)
    }
}
