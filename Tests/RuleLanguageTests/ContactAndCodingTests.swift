import Basics
import TestSupport
import Testing

@testable import RuleLanguage

/// The policy's `code`, `text before calling` and `write when unreachable`, a cohort's own
/// `write when unreachable`, and the `contact` block (issue 13): read, checked, printed back.
@Suite("contact rules and outcome codings")
struct ContactAndCodingTests {
    static let rules = """
        codelist sms_declined = ["513631000000106"]
        codelist sms_given = ["699237001"]
        codelist by_letter = ["936721000000107"]
        codelist polish = ["203901000000102"]
        cohort welfare "Welfare"
          priority 1
          include if age >= 90
          write when unreachable: no
        end
        cohort older "Older"
          priority 2
          include if age >= 80
        end
        worker ann "Ann"
          calls per day 5
        end
        policy
          code declined as 871711000000103 "Social prescribing declined"
          code reached_support as 123456789012345678 "Eighteen digits"
          text before calling: yes
          write when unreachable
        end
        contact
          not by telephone if has(by_letter)
          no texts if current(sms_declined, resolved by sms_given)
          no texts if interpreter_needed = yes
          interpreter "Polish" if has(polish)
          interpreter "British Sign Language" if preferred_language = "BSL"
        end
        """

    /// `id@line` of every diagnostic of `text`, sorted, leaving out "no workers".
    static func found(_ text: String) -> [String] {
        MistakeCatalogue.found(Support.load(text)).filter { !$0.hasPrefix("no-workers@") }
    }

    @Test("every new statement is read and checked into the model")
    func model() throws {
        let result = Support.load(Self.rules)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message.text))")
        let ruleSet = try #require(result.ruleSet)
        let policy = ruleSet.policy
        #expect(
            policy.codings == [
                OutcomeCoding(outcome: .declined, code: "871711000000103", term: "Social prescribing declined"),
                OutcomeCoding(outcome: .reachedSupport, code: "123456789012345678", term: "Eighteen digits"),
            ])
        #expect(policy.coding(for: .declined)?.code == "871711000000103")
        #expect(policy.coding(for: .reachedSupport)?.code == "123456789012345678", "every digit kept")
        #expect(policy.coding(for: .noAnswer) == nil)
        #expect(policy.textBeforeCalling && policy.writeWhenUnreachable)
        let welfare = try #require(ruleSet.cohort("welfare"))
        let older = try #require(ruleSet.cohort("older"))
        #expect(welfare.writeWhenUnreachable == false && older.writeWhenUnreachable == nil)
        #expect(!welfare.writes(when: policy) && older.writes(when: policy))
        let contact = ruleSet.contact
        #expect(!contact.isEmpty)
        #expect(contact.notByTelephone.map(PrettyPrinter.print) == ["has(by_letter)"])
        #expect(
            contact.noTexts.map(PrettyPrinter.print) == [
                "current(sms_declined, resolved by sms_given)", "interpreter_needed = yes",
            ])
        #expect(contact.interpreters.map(\.language) == ["Polish", "British Sign Language"])
        #expect(ruleSet.patientColumnsUsed == [.interpreterNeeded, .preferredLanguage], "contact conditions count")
    }

    @Test("without the new statements: no codings, no texts, no letters, no contact rules")
    func defaults() throws {
        let policy = Policy()
        #expect(policy.codings.isEmpty && !policy.textBeforeCalling && !policy.writeWhenUnreachable)
        let ruleSet = try #require(Support.load("cohort a \"A\"\n  priority 1\n  include if age > 1\nend\n").ruleSet)
        #expect(ruleSet.contact.isEmpty && ruleSet.contact == ContactRules())
        #expect(ruleSet.cohorts[0].writeWhenUnreachable == nil)
        #expect(!ruleSet.cohorts[0].writes(when: ruleSet.policy))
    }

    @Test("printing and reading again gives the same tree, and printing is stable")
    func roundTrip() {
        let (first, diagnostics) = parse(Self.rules)
        #expect(diagnostics.isEmpty)
        let printed = PrettyPrinter.print(first)
        for line in [
            "  code declined as 871711000000103 \"Social prescribing declined\"",
            "  code reached_support as 123456789012345678 \"Eighteen digits\"", "  text before calling: yes",
            "  write when unreachable: yes", "  write when unreachable: no", "contact",
            "  not by telephone if has(by_letter)", "  no texts if current(sms_declined, resolved by sms_given)",
            "  interpreter \"British Sign Language\" if preferred_language = \"BSL\"",
        ] {
            #expect(printed.contains(line + "\n"), "missing: \(line)")
        }
        let (second, again) = parse(printed)
        #expect(again.isEmpty)
        #expect(shape(first) == shape(second))
        #expect(PrettyPrinter.print(second) == printed)
        // `no` as well as `yes`, and a quoted code, print back to the same tree.
        let other =
            "policy\n  text before calling: no\n  write when unreachable: no\n  code declined as \"12345x\" \"T\"\nend\n"
        let (third, _) = parse(other)
        let (fourth, _) = parse(PrettyPrinter.print(third))
        #expect(shape(third) == shape(fourth))
    }

    @Test("each mistake gives its own message, with a suggestion where one helps")
    func mistakes() {
        let policy = { (line: String) in "policy\n  \(line)\nend\n" }
        let unknown = Support.load(policy("code declind as 871711000000103 \"Declined\""))
        #expect(unknown.diagnostics.map(\.message.text) == ["unknown outcome 'declind'; did you mean 'declined'?"])
        #expect(Self.found(policy("code declined as 12345 \"Too short\"")) == ["not-snomed-code@2"])
        #expect(Self.found(policy("code declined as 1234567890123456789 \"Too long\"")) == ["not-snomed-code@2"])
        #expect(Self.found(policy("code declined as \"87171100000010x\" \"Letters\"")) == ["not-snomed-code@2"])
        #expect(Self.found(policy("code declined as 8717.5 \"Decimal\"")) == ["not-snomed-code@2"])
        #expect(Self.found(policy("code declined as 871711000000103")) == ["expected@2"], "the term is required")
        #expect(
            Self.found(
                "policy\n  code declined as 871711000000103 \"A\"\n  code declined as 871711000000104 \"B\"\nend")
                == ["coding-twice@3"])
        #expect(
            Self.found("policy\n  text before calling: yes\n  text before calling: no\nend") == ["statement-twice@3"])
        #expect(Self.found(policy("write when unreachable: maybe")) == ["needs-yes-no@2"])
        #expect(
            Self.found(
                "cohort a \"A\"\n  priority 1\n  include if age > 1\n  write when unreachable: no\n"
                    + "  write when unreachable: yes\nend") == ["statement-twice@5"])
        #expect(Self.found("contact\n  no texts if age\nend") == ["condition-not-yes-no@2"])
        #expect(Self.found("contact\n  not by telephone if has(letters)\nend") == ["unknown-codelist@2"])
        #expect(Self.found("contact\n  interpreter Polish if yes\nend") == ["expected@2"])
        #expect(Self.found("contact\n  not by phone if yes\nend") == ["statement-shape@2"])
        #expect(Self.found("contact\nend\ncontact\n  no texts if yes\nend") == ["second-block@3"])
        #expect(Self.found("no texts if yes") == ["statement-outside-block@1"])
    }

    @Test("the social prescribing referral code is allowed, with a warning saying the national rule")
    func referralCode() throws {
        let result = Support.load(
            "policy\n  code reached as 871731000000106 \"Referral to social prescribing service\"\nend")
        #expect(result.ruleSet?.policy.coding(for: .reached)?.code == "871731000000106")
        let warning = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1)
        #expect(warning.message.id == "referral-code-for-outreach" && warning.severity == .warning)
        #expect(warning.message.text.contains("first interaction only"))
        #expect(warning.message.text.contains("never writes it back"))
    }

    @Test("a codelist used only in the contact block is used")
    func usedOnlyInContact() {
        let text = """
            codelist letters = ["936721000000107"]
            codelist unused = ["699237001"]
            cohort a "A"
              priority 1
              include if age > 1
            end
            contact
              not by telephone if has(letters)
            end
            """
        #expect(Self.found(text) == ["never-used@2"])
    }

    @Test("the shipped rules code 'declined', text first, and write unless the cohort says not")
    func shipped() throws {
        let ruleSet = try #require(try RuleSetLoader.load(directory: Repository.rules).ruleSet)
        #expect(
            ruleSet.policy.codings == [
                OutcomeCoding(outcome: .declined, code: "871711000000103", term: "Social prescribing declined")
            ])
        #expect(ruleSet.policy.textBeforeCalling && ruleSet.policy.writeWhenUnreachable)
        #expect(ruleSet.cohorts.filter { !$0.writes(when: ruleSet.policy) }.map(\.id) == ["high_risk"])
        #expect(ruleSet.contact.notByTelephone.count == 3 && ruleSet.contact.noTexts.count == 6)
        #expect(
            ruleSet.contact.interpreters.map(\.language) == [
                "British Sign Language", "Arabic", "Bengali", "Polish", "Urdu",
            ])
    }
}
