import Basics
import Cohorts
import Population
import RuleLanguage
import TestSupport
import Testing

/// `CohortRun.contactNeeds(patient:)`: what the `contact` block says about reaching each person
/// (Rules/README.md "Contact").
@Suite struct ContactNeedsTests {
    static let rules = """
        codelist sms_given    = ["699237001"]
        codelist sms_declined = ["513631000000106"]
        codelist by_letter    = ["936721000000107"]
        codelist polish       = ["203901000000102"]
        codelist urdu         = ["204211000000109"]
        field lives_alone as yes/no
        cohort everyone "Everyone"
          priority 1
          include if age >= 0
        end
        contact
          not by telephone if has(by_letter)
          no texts if current(sms_declined, resolved by sms_given)
          interpreter "Polish" if has(polish)
          interpreter "Urdu" if has(urdu)
          no texts if lives_alone = yes
        end
        """

    static let people = [
        // 0: nothing recorded.
        Person(["lives_alone": "no"]),
        // 1: declined texts, then consented later: the consent is the latest, so texts are fine.
        Person(
            ["lives_alone": "no"],
            events: [
                TestEvent(code: "513631000000106", date: "2026-01-05"),
                TestEvent(code: "699237001", date: "2026-06-01"),
            ]),
        // 2: consented, then declined: no texts.
        Person(
            ["lives_alone": "no"],
            events: [
                TestEvent(code: "699237001", date: "2026-01-05"),
                TestEvent(code: "513631000000106", date: "2026-06-01"),
            ]),
        // 3: needs Polish and Urdu interpreters recorded: the first statement that holds wins.
        Person(
            ["lives_alone": "no"],
            events: [
                TestEvent(code: "204211000000109", date: "2025-01-05"),
                TestEvent(code: "203901000000102", date: "2026-01-05"),
            ]),
        // 4: whether they live alone is missing: the condition is unknown and does not hold.
        Person(["lives_alone": ""]),
        // 5: needs letters, and lives alone.
        Person(["lives_alone": "yes"], events: [TestEvent(code: "936721000000107", date: "2024-03-01")]),
        // 6: declined texts after the day of the run: not known yet.
        Person(["lives_alone": "no"], events: [TestEvent(code: "513631000000106", date: "2026-11-20")]),
    ]

    static func needs() throws -> [ContactNeeds] {
        let run = try Scenario(rules, people: people).run()
        return people.indices.map { run.contactNeeds(patient: Int32(run.population.index(of: TestNHS.numbers[$0])!)) }
    }

    @Test func nothingRecordedSaysNothing() throws {
        let needs = try Self.needs()
        #expect(needs[0] == .none)
        #expect(needs[6] == .none, "an event after the day of the run is not counted")
    }

    @Test func theLatestOfSMSConsentAndRefusalWins() throws {
        let needs = try Self.needs()
        #expect(needs[1] == .none)
        #expect(
            needs[2]
                == ContactNeeds(noTexts: true, because: ["no texts if current(sms_declined, resolved by sms_given)"]))
    }

    @Test func theFirstInterpreterThatHoldsWins() throws {
        let needs = try Self.needs()
        #expect(needs[3] == ContactNeeds(interpreter: "Polish", because: ["interpreter \"Polish\" if has(polish)"]))
    }

    @Test func anUnknownConditionDoesNotHold() throws {
        #expect(try Self.needs()[4] == .none)
    }

    @Test func everyStatementThatHoldsIsGiven() throws {
        let needs = try Self.needs()[5]
        #expect(needs.notByTelephone && needs.noTexts && needs.interpreter == nil)
        #expect(needs.because == ["not by telephone if has(by_letter)", "no texts if lives_alone = yes"])
        #expect(needs.summary == "not by telephone; no texts")
    }

    @Test func withoutAContactBlockEveryoneMayBeRungAndTexted() throws {
        let rules = """
            codelist by_letter = ["936721000000107"]
            cohort letters "Letters"
              priority 1
              include if has(by_letter)
            end
            """
        let run = try Scenario(rules, people: Self.people).run()
        #expect(run.ruleSet.contact.isEmpty)
        for patient in 0..<Int32(run.population.count) { #expect(run.contactNeeds(patient: patient) == .none) }
    }

    @Test func explainShowsAContactLineOnlyWhenSomethingHolds() throws {
        let scenario = try Scenario(Self.rules, people: Self.people)
        let held = try #require(try Explanation.explain(TestNHS.numbers[3], in: scenario.run(witness: 3)))
        #expect(held.render().contains("\nContact: interpreter: Polish (interpreter \"Polish\" if has(polish))\n"))
        let none = try #require(try Explanation.explain(TestNHS.numbers[0], in: scenario.run(witness: 0)))
        #expect(!none.render().contains("Contact:"))
    }

    @Test func theShippedContactRulesReadTheirCodes() throws {
        let ruleSet = try RuleSetLoader.checkedRuleSet(directory: Repository.rules)
        let person = Person(events: [
            TestEvent(code: "936721000000107", date: "2025-01-05"),  // requires contact by letter
            TestEvent(code: "203901000000102", date: "2025-01-05"),  // Polish interpreter needed
        ])
        let run = try CohortEngine.run(
            ruleSet, inputs: Scenario.inputs([person]), asOf: day("2026-11-02"), maxRejectRate: 1)
        let needs = run.contactNeeds(patient: 0)
        #expect(needs.notByTelephone && needs.noTexts && needs.interpreter == "Polish")
    }
}
