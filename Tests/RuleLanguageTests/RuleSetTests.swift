import Basics
import TestSupport
import Testing

@testable import RuleLanguage

@Suite("the checked rule set")
struct RuleSetTests {
    static let loaded: RuleSetLoadResult? = try? RuleSetLoader.load(directory: Repository.rules)

    @Test("cohorts come sorted by priority with their statements checked")
    func cohorts() throws {
        let ruleSet = try #require(Self.loaded?.ruleSet)
        #expect(
            ruleSet.cohorts.map(\.id) == [
                "high_risk", "bereaved", "carers", "housebound_check", "older_alone", "ltc_deprived", "mental_health",
            ])
        let highRisk = try #require(ruleSet.cohort("high_risk"))
        #expect(highRisk.callWithin == .days(14))
        #expect(highRisk.recallEvery == .days(30))
        #expect(highRisk.whenUnreachable == "Ask the duty GP for a welfare check")
        #expect(highRisk.retries == [RetryRule(outcome: .noAnswer, after: .days(1), attempts: 4)])
        guard case .event(.current, let list, let resolvedBy, nil) = highRisk.includes[0].kind else {
            Issue.record("high_risk's include is not current(…)")
            return
        }
        #expect(list == "shielding" && resolvedBy == "not_shielding")
        #expect(ruleSet.sourceText(of: highRisk.includes[0].range) == "current(shielding, resolved by not_shielding)")
        #expect(ruleSet.cohort("bereaved")?.needsSkills == ["bereavement"])
        #expect(ruleSet.cohort("carers")?.recallEvery == Period(6, .months))
    }

    @Test("defines are typed and ordered so each comes after those it uses")
    func defines() throws {
        let ruleSet = try #require(Self.loaded?.ruleSet)
        #expect(ruleSet.defines["most_deprived"]?.expression.type == .yesNo)
        #expect(ruleSet.defines["most_deprived"]?.expression.description == "imd_decile <= 2 or imd(lsoa) <= 2")
        #expect(Set(ruleSet.defineOrder) == Set(ruleSet.defines.keys))
    }

    @Test("the patient columns the cohorts read are found in conditions, defines and reasons")
    func columnsUsed() throws {
        let shipped = try #require(Self.loaded?.ruleSet)
        #expect(shipped.patientColumnsUsed.isSuperset(of: [.imdDecile, .lsoa]), "through the define most_deprived")
        #expect(shipped.patientColumnsUsed.isDisjoint(with: [.phoneMobile, .phoneHome, .givenName, .postcode]))
        let text = """
            cohort gp_call "Call"
              priority 1
              include if interpreter_needed = yes and age >= 70
              reason "Speaks {preferred_language}"
            end
            """
        let ruleSet = try #require(Support.load(text).ruleSet)
        #expect(ruleSet.patientColumnsUsed == [.interpreterNeeded, .preferredLanguage])
    }

    @Test("codelists, the lookup and fields are loaded")
    func data() throws {
        let ruleSet = try #require(Self.loaded?.ruleSet)
        #expect(ruleSet.codelists.count == 29)
        #expect(ruleSet.codelists["carer"]?.codes.count == 32)
        #expect(ruleSet.codelists["carer"]?.looksSNOMED == true)
        #expect(ruleSet.codelists["carer"]?.sourcePath == "codelists/carer.csv")
        #expect(ruleSet.codelists["sp_declined"]?.codes == ["871711000000103"])
        let imd = try #require(ruleSet.lookups["imd"])
        #expect(imd.entries.count == 33_755)
        #expect(imd.valueType == .number)
        #expect(imd.entries["E01000061"] == .number(1))
        #expect(ruleSet.fields["lives_alone"]?.type == .yesNo)
        #expect(ruleSet.fields["frailty_index"]?.sourceHeader == nil)
    }

    @Test("team, workers and policy, with the spec's defaults where the rules are silent")
    func teamAndPolicy() throws {
        let ruleSet = try #require(Self.loaded?.ruleSet)
        #expect(ruleSet.team.workingDays == [.monday, .tuesday, .wednesday, .thursday, .friday])
        #expect(ruleSet.team.closed.first == Day(iso: "2026-12-25"))
        #expect(ruleSet.workers.map(\.id) == ["aisha", "gina", "sam", "tom"])
        let sam = try #require(ruleSet.workers.first { $0.id == "sam" })
        #expect(sam.works == nil && sam.practices == nil && sam.callsPerDay == 15)
        let gina = try #require(ruleSet.workers.first { $0.id == "gina" })
        #expect(gina.practices == ["E82001", "E82002"])
        #expect(gina.away == [Day(iso: "2026-12-21")!...Day(iso: "2026-12-31")!])
        #expect(ruleSet.policy.publishAt == 450)
        #expect(ruleSet.policy.retry(for: .voicemail) == RetryRule(outcome: .voicemail, after: .days(3), attempts: 3))
        #expect(ruleSet.policy.assumedAnswerRate == 0.6)
        let defaults = Policy()
        #expect(
            defaults.retries.count == 2 && defaults.rest == .days(14) && defaults.whenUnreachable == "Send a letter")
    }

    @Test("examples keep their settings, events and expectations")
    func examples() throws {
        let ruleSet = try #require(Self.loaded?.ruleSet)
        let example = try #require(ruleSet.examples.first { $0.title == "Bereaved last month, 70, lives alone" })
        #expect(example.asOf == Day(iso: "2026-11-02"))
        #expect(example.birth == .age(70))
        #expect(example.settings.map(\.value) == [.text("F"), .yesNo(true)])
        #expect(example.events.first?.code == .codelist("bereavement"))
        #expect(example.expectations.map(\.member) == [true, false])
        for cohort in ruleSet.cohorts {
            let expectations = ruleSet.examples.flatMap(\.expectations).filter { $0.cohort == cohort.id }
            #expect(
                expectations.contains { $0.member } && expectations.contains { !$0.member },
                "\(cohort.id) needs an in and an out example")
        }
    }

    @Test("the version is a stable content hash")
    func version() throws {
        let first = try #require(Self.loaded?.ruleSet)
        let again = try #require(try RuleSetLoader.load(directory: Repository.rules).ruleSet)
        #expect(first.contentHash.hex.count == 64)
        #expect(first.contentHash == again.contentHash)
        #expect(first.version == String(first.contentHash.hex.prefix(12)))
    }

    /// The daemon keeps a copy of the rules in force and trusts it when this hash of the copy is
    /// the rule set's: a copy that differs in any file the rules read must not match.
    @Test func aFoldersHashWithoutCheckingIsTheRuleSetsAndNoticesAnyChange() throws {
        let ruleSet = try #require(Self.loaded?.ruleSet)
        #expect(!ruleSet.dataFiles.isEmpty)
        #expect(
            try RuleSetLoader.contentHash(ofFolder: Repository.rules, dataFiles: ruleSet.dataFiles)
                == ruleSet.contentHash)
        try withTemporaryDirectory { folder in
            let copy = FileIO.join(folder, "Rules")
            try FileIO.copyTree(from: Repository.rules, to: copy)
            #expect(try RuleSetLoader.contentHash(ofFolder: copy, dataFiles: ruleSet.dataFiles) == ruleSet.contentHash)
            let data = FileIO.join(copy, ruleSet.dataFiles[0])
            try FileIO.writeAtomically(try FileIO.readAll(data) + Array("\n".utf8), to: data)
            #expect(try RuleSetLoader.contentHash(ofFolder: copy, dataFiles: ruleSet.dataFiles) != ruleSet.contentHash)
            try FileIO.writeAtomically(text: "", to: FileIO.join(copy, "extra.rules"))
            let withExtra = try RuleSetLoader.contentHash(ofFolder: copy, dataFiles: ruleSet.dataFiles)
            #expect(withExtra != ruleSet.contentHash)
        }
    }

    /// A lookup's values are numbers exactly when `Double` reads them so: the shortcut for plain
    /// digits never disagrees with it (seeded strings of digits, points, signs, exponents, spaces).
    @Test func aLookupValueIsANumberExactlyAsDoubleReadsIt() {
        var random = SeededRandom(seed: 20261206)
        let alphabet = Array("0123456789012345678901234567890123456789.-+e ")
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...18, using: &random)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &random)! })
            #expect(DataFileReader.number(text) == Double(text), "\(text)")
        }
        for text in ["0", "007", "10", "999999999999999", "9999999999999999", "1.5", "", " 3"] {
            #expect(DataFileReader.number(text) == Double(text), "\(text)")
        }
    }

    /// Of a lookup's keys that differ only in case, the one a case-blind match gives is the first
    /// in sorted order, whatever order the table holds them in: seeded tables of many case
    /// variants against folding the sorted keys.
    @Test func keysDifferingOnlyInCaseFoldToTheFirstInSortedOrder() {
        var random = SeededRandom(seed: 61)
        for _ in 0..<200 {
            var entries: [String: LookupValue] = [:]
            for _ in 0..<Int.random(in: 1...40, using: &random) {
                let word = ["abc", "e01000001", "polish", "x"].randomElement(using: &random)!
                let key = String(word.map { random.chance(0.5) ? Character($0.uppercased()) : $0 })
                entries[key] = .number(Double(Int.random(in: 0...1000, using: &random)))
            }
            var expected: [String: LookupValue] = [:]
            for key in entries.keys.sorted() where expected[key.lowercased()] == nil {
                expected[key.lowercased()] = entries[key]
            }
            let lookup = Lookup(
                name: "t", entries: entries, valueType: .number, keyColumn: "k", valueColumn: "v", sourcePath: "t.csv",
                range: SourceRange(file: SourceFileID(0), start: 0, end: 0))
            #expect(lookup.entriesIgnoringCase == expected)
        }
    }
}
