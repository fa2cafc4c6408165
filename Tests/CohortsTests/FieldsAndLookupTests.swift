import Basics
import Cohorts
import TestSupport
import Testing

/// Declared fields, canonical columns, lookups and defines (rules-language.md "Declarations").
@Suite struct FieldsAndLookupTests {
    static let imdFiles = [
        "reference/imd.csv": """
        lsoa,imd_decile
        E01000001,1
        E01000002,2
        E01000003,9
        """
    ]

    @Test func aLookupGivesTheValueForTheKeyAndMissingWhenAbsent() throws {
        let people = [
            Person(["lsoa": "E01000001"]), Person(["lsoa": "e01000003"]), Person(["lsoa": "E01999999"]),
            Person(["lsoa": ""]),
        ]
        let values = try Probe.values(
            "imd(lsoa)", declarations: "lookup imd = \"reference/imd.csv\" key \"lsoa\" value \"imd_decile\"",
            files: Self.imdFiles, people: people)
        #expect(values == [.number(1), .number(9), .missing, .missing])
    }

    /// A key whose value is empty is not in the table (missing, not 0), and does not make the
    /// other values text.
    @Test func aKeyWithAnEmptyValueIsMissingAndTheRestStayNumbers() throws {
        let files = ["reference/imd.csv": "lsoa,imd_decile\nE01000001,1\nE01000002,\nE01000003, 9 \n"]
        let people = ["E01000001", "E01000002", "E01000003"].map { Person(["lsoa": $0]) }
        let values = try Probe.values(
            "imd(lsoa)", declarations: "lookup imd = \"reference/imd.csv\" key \"lsoa\" value \"imd_decile\"",
            files: files, people: people)
        #expect(values == [.number(1), .missing, .number(9)])
    }

    @Test func mostDeprivedFromTheDecileOrTheLookup() throws {
        let rules = """
            lookup imd = "reference/imd.csv" key "lsoa" value "imd_decile"
            define most_deprived = imd_decile <= 2 or imd(lsoa) <= 2
            cohort deprived "Most deprived"
              priority 1
              include if most_deprived
            end
            """
        let people = [
            Person(["imd_decile": "2", "lsoa": ""]),  // the decile says so
            Person(["imd_decile": "", "lsoa": "E01000002"]),  // the lookup says so
            Person(["imd_decile": "7", "lsoa": "E01000001"]),  // either is enough
            Person(["imd_decile": "7", "lsoa": "E01000003"]),  // neither
            Person(["imd_decile": "", "lsoa": "E01999999"]),  // unknown both ways
            Person(["imd_decile": "9", "lsoa": ""]),  // no or unknown: unknown
        ]
        let run = try Scenario(rules, files: Self.imdFiles, people: people).run()
        #expect(Scenario.members(run)["deprived"] == [0, 1, 2])
        #expect(run.results[0].unknownOnly == 2)
    }

    /// Keys match as `=` compares text (ignoring case and surrounding spaces), so a table written
    /// in lower case, or a column in another case, does not silently give "missing" for everyone.
    @Test func lookupKeysMatchIgnoringCaseAsTextComparisonsDo() throws {
        let files = ["reference/languages.csv": "language,group\nGujarati,1\npolish,2\n"]
        let people = ["gujarati", "GUJARATI", "Gujarati", "Polish", " POLISH ", "Welsh"].map {
            Person(["preferred_language": $0])
        }
        let values = try Probe.values(
            "group(preferred_language)",
            declarations: "lookup group = \"reference/languages.csv\" key \"language\" value \"group\"", files: files,
            people: people)
        #expect(values == [.number(1), .number(1), .number(1), .number(2), .number(2), .missing])
        let lowerCaseTable = ["reference/imd.csv": "lsoa,imd_decile\ne01000001,3\n"]
        #expect(
            try Probe.value(
                "imd(lsoa)", declarations: "lookup imd = \"reference/imd.csv\" key \"lsoa\" value \"imd_decile\"",
                files: lowerCaseTable, person: Person(["lsoa": "E01000001"])) == .number(3))
    }

    /// A table with keys that differ only in case is read the same way every run: an exact match
    /// wins, then the first key in sorted order.
    @Test func lookupKeysDifferingOnlyInCaseAreDeterministic() throws {
        let files = ["t.csv": "key,value\nabc,1\nABC,2\n"]
        let declarations = "lookup t = \"t.csv\" key \"key\" value \"value\"\nfield k as text"
        let people = ["abc", "ABC", "Abc"].map { Person(["k": $0]) }
        for _ in 0..<3 {
            #expect(
                try Probe.values("t(k)", declarations: declarations, files: files, people: people)
                    == [.number(1), .number(2), .number(2)])
        }
    }

    @Test func aLookupWithTextValuesGivesText() throws {
        let files = ["reference/region.csv": "practice,region\nE82001,North\nE82002,South\n"]
        let people = [Person(["practice": "E82001"]), Person(["practice": "E82002"]), Person(["practice": "E82003"])]
        let values = try Probe.values(
            "region(practice) = \"north\"",
            declarations: "lookup region = \"reference/region.csv\" key \"practice\" value \"region\"", files: files,
            people: people)
        #expect(values == [.bool(true), .bool(false), .missing])
    }

    @Test func fieldsOfEachTypeAreReadFromTheirColumns() throws {
        let declarations = """
            field lives_alone as yes/no from "Lives alone"
            field efi as number from "Electronic frailty index"
            field reviewed as date
            field carer_name as text
            """
        let person = Person([
            "Lives alone": "Yes", "Electronic frailty index": "0.36", "reviewed": "01/03/2024", "carer_name": " Sam ",
        ])
        #expect(try Probe.value("lives_alone", declarations: declarations, person: person) == .bool(true))
        #expect(try Probe.value("efi", declarations: declarations, person: person) == .number(0.36))
        #expect(try Probe.value("efi >= 0.36", declarations: declarations, person: person) == .bool(true))
        #expect(
            try Probe.value("reviewed", declarations: declarations, person: person) == .date(day("2024-03-01").ordinal))
        #expect(try Probe.value("carer_name = \"sam\"", declarations: declarations, person: person) == .bool(true))
    }

    @Test func aFieldNoExtractHasIsUnknownForEveryoneAndReported() throws {
        let rules = """
            field lives_alone as yes/no
            field efi as number
            cohort older_alone "Older, alone"
              priority 1
              include if age >= 75 and lives_alone = yes
              include if age >= 85 and efi >= 0.36
            end
            """
        let people = [
            Person(born: "1940-01-01", ["efi": "0.5"]),  // 86 and frail: in by the second include
            Person(born: "1930-01-01", ["efi": "0.1"]),  // 96, not frail: out only because lives_alone is unknown
            Person(born: "1990-01-01"),  // 36: out whatever lives_alone says
        ]
        let run = try Scenario(rules, people: people).run()
        #expect(run.missingFields == ["lives_alone"])
        #expect(Scenario.members(run)["older_alone"] == [0])
        #expect(run.results[0].unknownOnly == 1)
        #expect(
            CohortReport.table(run).contains(
                "warning: field 'lives_alone' is in no extract file: every value is unknown"))
    }

    @Test func valuesThatDoNotParseAreUnknownAndReported() throws {
        let declarations = """
            field efi as number
            field alone as yes/no
            field reviewed as date
            """
        let people = [
            Person(["efi": "high", "alone": "maybe", "reviewed": "31/02/2024"]),
            Person(["efi": "0.2", "alone": "no", "reviewed": "2024-02-29"]),
        ]
        let rules =
            declarations + """

                cohort c "C"
                  priority 1
                  include if efi > 0.1 or alone or reviewed < today
                end
                """
        let scenario = try Scenario(rules, people: people)
        let run = try scenario.run()
        #expect(Scenario.members(run)["c"] == [1])
        #expect(run.results[0].unknownOnly == 1)
        let problems = run.fieldProblems.map { "\($0.column) \($0.value)" }.sorted()
        #expect(problems == ["alone maybe", "efi high", "reviewed 31/02/2024"])
        #expect(run.fieldProblems.allSatisfy { $0.line == 2 && $0.file == "patients.csv" })
        for expression in ["efi", "alone", "reviewed"] {
            #expect(try Probe.value(expression, declarations: declarations, person: people[0]) == .missing)
        }
    }

    @Test func textComparisonsIgnoreCaseAndSurroundingSpaces() throws {
        let people = ["Gujarati", "GUJARATI", " gujarati ", "Gujarati Indian", ""].map {
            Person(["preferred_language": $0])
        }
        #expect(
            try Probe.values("preferred_language = \"gujarati\"", people: people)
                == [.bool(true), .bool(true), .bool(true), .bool(false), .missing])
        #expect(
            try Probe.values("preferred_language != \"Gujarati\"", people: people)
                == [.bool(false), .bool(false), .bool(false), .bool(true), .missing])
    }

    @Test func canonicalColumnsAreTypedAsTheSpecSays() throws {
        let person = Person(
            born: "1950-05-06",
            [
                "sex": "female", "imd_decile": "3", "interpreter_needed": "Y", "postcode": "sg1 1aa",
                "registered_on": "2001-02-03",
            ])
        #expect(try Probe.value("sex = \"F\"", person: person) == .bool(true))
        #expect(try Probe.value("imd_decile", person: person) == .number(3))
        #expect(try Probe.value("interpreter_needed", person: person) == .bool(true))
        #expect(try Probe.value("postcode = \"SG1 1AA\"", person: person) == .bool(true))
        #expect(try Probe.value("registered_on", person: person) == .date(day("2001-02-03").ordinal))
        #expect(try Probe.value("date_of_birth", person: person) == .date(day("1950-05-06").ordinal))
        #expect(try Probe.value("practice = \"e82001\"", person: person) == .bool(true))
        #expect(try Probe.value("imd_decile", person: Person(["imd_decile": "11"])) == .missing)
    }

    @Test func aDefineUsedInSeveralCohortsMeansTheSameInEach() throws {
        let rules = """
            codelist sp_declined = ["871711000000103"]
            codelist flu = ["1001"]
            define declined_recently = has(sp_declined, within 6 months)
            define flu_and_declined = has(flu) and declined_recently
            cohort a "A"
              priority 1
              include if has(flu)
              exclude if declined_recently
            end
            cohort b "B"
              priority 2
              include if age >= 0
              exclude if declined_recently
            end
            cohort c "C"
              priority 3
              include if flu_and_declined
            end
            """
        let people = [
            Person(events: [
                TestEvent(code: "1001", date: "2026-01-01"), TestEvent(code: "871711000000103", date: "2026-05-02"),
            ]),
            Person(events: [
                TestEvent(code: "1001", date: "2026-01-01"), TestEvent(code: "871711000000103", date: "2026-05-01"),
            ]),
            Person(events: [TestEvent(code: "871711000000103", date: "2026-10-01")]),
        ]
        #expect(try Scenario(rules, people: people).members() == ["a": [1], "b": [1], "c": [0]])
    }
}
