import Basics
import Population
import Cohorts
import TestSupport
import Foundation
import Testing

/// `outreach explain` and the `cohorts` CSV: what a PCN lead reads (rules-language.md "Explaining",
/// README.md "Command line").
@Suite struct ExplanationTests {
    static let rules = """
        codelist bereavement = ["161041000000106", "74506000"]
        field lives_alone as yes/no
        field efi as number from "Electronic frailty index"
        cohort bereaved "Recently bereaved"
          priority 2
          include if has(bereavement, within 90 days)
        end
        cohort older_alone "Over 75, living alone"
          priority 3
          include if age >= 75 and lives_alone = yes
          include if age >= 85 and efi >= 0.36
          exclude if age < 18
        end
        """

    static let people = [
        // 71, bereaved on 2 October (and earlier in the year): in bereaved, not in older_alone.
        Person(
            born: "1955-06-01", ["lives_alone": "yes", "Electronic frailty index": ""],
            events: [
                TestEvent(code: "74506000", date: "2026-03-02"), TestEvent(code: "161041000000106", date: "2026-10-02"),
                TestEvent(code: "74506000", date: "2026-11-20"),
            ]),
        // 88, frail, lives with family, bereaved too long ago.
        Person(
            born: "1938-01-15", ["lives_alone": "no", "Electronic frailty index": "0.41"],
            events: [TestEvent(code: "74506000", date: "2026-03-02")]),
        // Died last month.
        Person(born: "1930-01-01", ["lives_alone": "yes", "date_of_death": "2026-10-01"]),
    ]

    /// The explanation's lines with runs of spaces collapsed (the table's alignment is not the point).
    static func explain(_ index: Int) throws -> [String] {
        let run = try Scenario(rules, people: people).run(witness: index)
        let explanation = try #require(try Explanation.explain(TestNHS.numbers[index], in: run))
        return explanation.render().split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        }
    }

    @Test func aMemberSeesTheEventThatPutThemInAndTheMissingValue() throws {
        let lines = try Self.explain(0)
        #expect(lines[0] == "999 000 0018 · practice E82001 · as of 2026-11-02")
        #expect(
            lines.contains(
                "bereaved IN include if has(bereavement, within 90 days) → yes (last 2026-10-02, code 161041000000106)")
        )
        #expect(
            lines.contains("older_alone OUT include if age >= 75 and lives_alone = yes → no (age 71; lives_alone yes)"))
        #expect(lines.contains("include if age >= 85 and efi >= 0.36 → no (age 71; efi missing → unknown)"))
        #expect(lines.contains("exclude if age < 18 → no (age 71)"))
        #expect(!lines.contains { $0.contains("2026-11-20") }, "an event after today is not evidence")
    }

    @Test func aNonMemberSeesWhyNot() throws {
        let lines = try Self.explain(1)
        #expect(
            lines.contains(
                "bereaved OUT include if has(bereavement, within 90 days) → no (no bereavement events in the window)"))
        #expect(
            lines.contains("older_alone IN include if age >= 75 and lives_alone = yes → no (age 88; lives_alone no)"))
        #expect(lines.contains("include if age >= 85 and efi >= 0.36 → yes (age 88; efi 0.41)"))
    }

    @Test func someoneWhoDiedIsToldWhyTheyAreInNoCohort() throws {
        let lines = try Self.explain(2)
        #expect(
            lines[1]
                == "Not in any cohort: died on 2026-10-01 (only people alive and registered on 2026-11-02 can be members)."
        )
        #expect(lines.filter { $0.contains(" IN ") }.isEmpty)
        // The conditions are still shown: yes for the age, but they were never a member.
        #expect(
            lines.contains("older_alone OUT include if age >= 75 and lives_alone = yes → yes (age 96; lives_alone yes)")
        )
    }

    @Test func anUnknownConditionShowsWhichValueWasMissing() throws {
        let rules = """
            field efi as number
            cohort frail "Frail"
              priority 1
              include if efi >= 0.36
            end
            """
        let run = try Scenario(rules, people: [Person()]).run(witness: 0)
        let text = try #require(try Explanation.explain(TestNHS.numbers[0], in: run)).render()
        #expect(text.contains("include if efi >= 0.36"))
        #expect(text.contains("→ unknown (efi missing → unknown)"))
    }

    /// With more than one event function in a condition, a bare "last 2022-08-25, code 195967001"
    /// next to "no copd events" reads as a COPD event; each event fact then names its codelist.
    @Test func factsNameTheirCodelistWhenAConditionHasSeveral() throws {
        let rules = """
            codelist copd = ["13645005"]
            codelist asthma = ["195967001"]
            define long_term_condition = has(copd) or has(asthma)
            cohort ltc "Long-term condition"
              priority 1
              include if long_term_condition and age >= 18
              include if first(asthma) < 2000-01-01 or last_value(asthma) > 3
            end
            cohort asthma_only "Asthma"
              priority 2
              include if has(asthma)
            end
            """
        let person = Person(
            born: "1962-01-01", events: [TestEvent(code: "195967001", date: "2022-08-25", value: "2")])
        let run = try Scenario(rules, people: [person]).run(witness: 0)
        let lines = try #require(try Explanation.explain(TestNHS.numbers[0], in: run)).render()
            .split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(
            lines.contains(
                "ltc IN include if long_term_condition and age >= 18 → yes (no copd events; asthma last 2022-08-25, code 195967001; age 64)"
            ))
        #expect(
            lines.contains(
                "include if first(asthma) < 2000-01-01 or … → no (asthma first 2022-08-25, code 195967001; asthma last value 2)"
            ))
        // One event function: the spec's own form, without the name.
        #expect(lines.contains("asthma_only IN include if has(asthma) → yes (last 2022-08-25, code 195967001)"))
    }

    @Test func explainingSomeoneNotInTheExtractGivesNothing() throws {
        let run = try Scenario(Self.rules, people: Self.people).run()
        #expect(try Explanation.explain(TestNHS.numbers[999], in: run) == nil)
    }

    // MARK: - The commands

    @Test func explainNamesABadCheckDigit() throws {
        let disk = try Self.diskFixture()
        defer { try? FileManager.default.removeItem(atPath: disk.folder) }
        let error = #expect(throws: OutreachError.self) {
            try CohortCommands.explain(
                rulesDirectory: disk.rules, extracts: disk.extracts, nhs: "999 000 0019", asOf: day("2026-11-02"))
        }
        #expect(error?.message.contains("NHS number '999 000 0019'") == true)
        #expect(error?.message.contains("check digit") == true)
        #expect(error?.exitCode == .dataError)
    }

    @Test func explainNamesANumberThatIsNotInTheExtracts() throws {
        let disk = try Self.diskFixture()
        defer { try? FileManager.default.removeItem(atPath: disk.folder) }
        let error = #expect(throws: OutreachError.self) {
            try CohortCommands.explain(
                rulesDirectory: disk.rules, extracts: disk.extracts, nhs: String(TestNHS.numbers[999]),
                asOf: day("2026-11-02"))
        }
        #expect(
            error?.message
                == "NHS number \(NHSNumber.spaced(TestNHS.numbers[999])) is not in the extracts (3 patients read from 2 files); check the number and the files given"
        )
        #expect(error?.exitCode == .dataError)
    }

    @Test func explainAcceptsSpacedAndDashedNumbers() throws {
        let disk = try Self.diskFixture()
        defer { try? FileManager.default.removeItem(atPath: disk.folder) }
        let spaced = try CohortCommands.explain(
            rulesDirectory: disk.rules, extracts: disk.extracts, nhs: "999 000 0018", asOf: day("2026-11-02"))
        let dashed = try CohortCommands.explain(
            rulesDirectory: disk.rules, extracts: disk.extracts, nhs: "999-000-0018", asOf: day("2026-11-02"))
        #expect(spaced == dashed)
        #expect(spaced.hasPrefix("999 000 0018 · practice E82001 · as of 2026-11-02\n"))
    }

    /// The rules and the extract (as canonical CSV files) in a fresh folder.
    static func diskFixture() throws -> (folder: String, rules: String, extracts: [String]) {
        var files = ["Rules/cohorts.rules": rules]
        let (patients, events) = Scenario.csv(people)
        files["extract/patients.csv"] = patients
        files["extract/events.csv"] = events
        let folder = try TestRules.folder(with: files)
        return (folder, folder + "/Rules", [folder + "/extract"])
    }
}

/// `outreach cohorts --format csv`: `nhs_number,practice,cohort,priority`, by cohort in priority
/// order, then NHS number.
@Suite struct CohortCSVTests {
    @Test func csvIsSortedByCohortPriorityThenNHSNumber() throws {
        let rules = """
            codelist flu = ["1001"]
            cohort zeta "Listed first in the file, least urgent"
              priority 3
              include if has(flu)
            end
            cohort beta "Same priority as alpha"
              priority 2
              include if age >= 80
            end
            cohort alpha "Most urgent"
              priority 1
              include if age >= 70
            end
            cohort alpha2 "Same priority as beta, later id"
              priority 2
              include if age >= 90
            end
            """
        // People are listed out of NHS-number order, across two practices.
        let people = [
            Person(born: "1930-01-01", ["practice": "E82004"]),
            Person(born: "1950-01-01", events: [TestEvent(code: "1001", date: "2026-01-01")]),
            Person(born: "1945-01-01", ["practice": "E82004"], events: [TestEvent(code: "1001", date: "2026-01-01")]),
        ]
        let order = [2, 0, 1]  // person i gets NHS number TestNHS.numbers[order[i]]
        let scenario = try Scenario(rules, people: people)
        let run = try CohortEngine.run(
            scenario.ruleSet, inputs: Scenario.inputs(people, nhs: { TestNHS.numbers[order[$0]] }), asOf: scenario.asOf,
            maxRejectRate: 1)
        let n = TestNHS.numbers
        #expect(
            CohortReport.csv(run) == """
                nhs_number,practice,cohort,priority
                \(n[0]),E82001,alpha,1
                \(n[1]),E82004,alpha,1
                \(n[2]),E82004,alpha,1
                \(n[2]),E82004,alpha2,2
                \(n[1]),E82004,beta,2
                \(n[2]),E82004,beta,2
                \(n[0]),E82001,zeta,3
                \(n[1]),E82004,zeta,3

                """)
    }

    @Test func csvOfNoMembersIsJustTheHeader() throws {
        let rules = """
            codelist flu = ["1001"]
            cohort a "A"
              priority 1
              include if has(flu)
            end
            """
        let run = try Scenario(rules, people: [Person()]).run()
        #expect(CohortReport.csv(run) == "nhs_number,practice,cohort,priority\n")
    }
}

/// `reason` and `talk about` as the call list shows them (rules-language.md "Lexical rules").
@Suite struct ReasonTests {
    @Test func reasonsRenderDatesForPeopleAndNumbersShort() throws {
        let rules = """
            codelist bereavement = ["74506000"]
            field efi as number
            cohort bereaved "Recently bereaved"
              priority 1
              include if has(bereavement, within 90 days)
              reason "Bereavement recorded {last(bereavement)}, aged {age}"
              talk about "Frailty {efi}"
            end
            cohort everyone "Everyone"
              priority 2
              include if age >= 0
            end
            """
        let people = [
            Person(born: "1950-03-03", ["efi": "0.360"], events: [TestEvent(code: "74506000", date: "2026-10-02")]),
            Person(born: "1950-03-03", ["efi": ""], events: [TestEvent(code: "74506000", date: "2026-09-03")]),
        ]
        let run = try Scenario(rules, people: people).run()
        let members = run.results[0].members
        try #require(members.count == 2)
        #expect(run.reason(cohort: 0, patient: members[0]) == "Bereavement recorded 2 Oct 2026, aged 76")
        #expect(run.talkAbout(cohort: 0, patient: members[0]) == "Frailty 0.36")
        #expect(run.talkAbout(cohort: 0, patient: members[1]) == "Frailty unknown")
        // Without a reason, the title.
        #expect(run.reason(cohort: 1, patient: members[0]) == "Everyone")
        #expect(run.talkAbout(cohort: 1, patient: members[0]) == nil)
    }
}
