import Basics
import Cohorts
import Handoffs
import Journal
import Operations
import Planning
import Population
import Testing
import TestSupport

@testable import Tooling

/// H38: a person whose record says how they must be contacted is rung, texted or spoken to in a
/// language they do not speak. The shipped `contact.rules` read the Reasonable Adjustment,
/// SMS-consent and interpreter codes; the planner and the exports obey them.
@Suite("H38 Contact preferences route the work")
struct H38ContactPreferences {
    /// A home whose extract gives `codes` (code, term) to the first `count` members of cohorts
    /// that write when unreachable; returns the session and those members' NHS numbers.
    static func home(_ root: String, codes: [(String, String)], count: Int = 12) throws -> (HomeSession, [UInt64]) {
        let home = try Home.create(at: FileIO.join(root, "home"), rulesFrom: Repository.rules)
        let folder = FileIO.join(root, "extract")
        _ = try Synthesizer.write(
            SynthOptions(patients: 900, practices: 2, seed: 12, asOf: SafetyHome.friday), to: folder)
        let files = try FileIO.listDirectory(folder).filter { $0.hasSuffix(".csv") }.sorted().map {
            FileIO.join(folder, $0)
        }
        let session = try HomeSession(home: home)
        let at = LocalDateTime(day: SafetyHome.friday, minuteOfDay: 16 * 60)
        _ = try Ingestor.ingest(session, paths: files, at: at, moveInputs: false)
        let run = try session.evaluateCohorts(on: SafetyHome.monday)
        let writing = run.cohortsByPatient().filter { _, cohorts in
            cohorts.contains { run.results[$0].cohort.writes(when: session.ruleSet.policy) }
        }.keys.sorted().prefix(count).map { run.population.nhsNumbers[Int($0)] }
        // The practice records the codes: the next extract's events carry them.
        for file in files where file.contains("events") {
            var text = String(decoding: try FileIO.readAll(file), as: UTF8.self)
            for nhs in writing {
                for (code, term) in codes { text += "\(NHSNumber.digits(nhs)),\(code),\(term),2026-06-01,\r\n" }
            }
            try FileIO.writeAtomically(text: text, to: file)
        }
        _ = try Ingestor.ingest(
            session, paths: files, at: LocalDateTime(day: SafetyHome.friday, minuteOfDay: 16 * 60 + 5),
            moveInputs: false)
        return (session, Array(writing))
    }

    @Test func someoneWhoNeedsLettersIsOnNoCallListIn20DaysAndIsWrittenTo() throws {
        try withTemporaryDirectory { root in
            let (session, people) = try Self.home(
                root, codes: [("936721000000107", "Requires contact by letter")])
            #expect(people.count == 12)
            let played = try Simulator.run(
                session, days: 20, from: SafetyHome.monday, model: OutcomeModel(answerRate: 0.6, seed: 4))
            #expect(played.count == 20)
            let history = session.journal.history
            #expect(history.count(of: .itemPublished) > 300, "the others are called")
            for nhs in people {
                #expect(history.items(of: nhs).isEmpty, "\(NHSNumber.digits(nhs)) was put on a call list")
            }
            let last = history.publishedDays.max()!
            let written = try HandoffExports.letters(home: session.home, day: last, out: nil)
            var inLetters: Set<String> = []
            for file in written.files {
                let rows = try ReferenceCSV.records(try FileIO.readAll(FileIO.join(written.folder, file.name)))
                let column = file.name.contains("by-hand") ? 0 : 7
                for row in rows.dropFirst() { inLetters.insert(String(decoding: row[column], as: UTF8.self)) }
            }
            #expect(Set(people.map(NHSNumber.digits)).isSubset(of: inLetters), "each is written to")
        }
    }

    @Test func someoneWhoDeclinedTextsIsNeverTexted() throws {
        try withTemporaryDirectory { root in
            let (session, people) = try Self.home(
                root, codes: [("513631000000106", "Declined consent for short message service text messaging")],
                count: 200)
            _ = try Simulator.run(
                session, days: 8, from: SafetyHome.monday, model: OutcomeModel(answerRate: 0.6, seed: 4))
            let history = session.journal.history
            let called = people.filter { !history.items(of: $0).isEmpty }
            #expect(!called.isEmpty, "they are still rung")
            for nhs in people { #expect(history.announcedCall(of: nhs) == nil, "texted despite declining") }
            var texted = 0
            for nhs in history.people where history.announcedCall(of: nhs) != nil { texted += 1 }
            #expect(texted > 0, "others are texted")
        }
    }

    @Test func anInterpretersLanguageIsOnTheListAndMatchesTheWorker() throws {
        try withTemporaryDirectory { root in
            let (session, people) = try Self.home(
                root, codes: [("203901000000102", "Polish interpreter needed")], count: 60)
            let result = try Publisher.publish(session, day: SafetyHome.monday)
            let rows = result.lists.flatMap(\.rows).filter { people.contains($0.nhsNumber) }
            #expect(!rows.isEmpty)
            for row in rows {
                #expect(row.preferredLanguage == "Polish" && row.interpreterNeeded == true)
                // Tom speaks Polish and works Mondays for E82001: he takes the E82001 calls he has room for.
                if row.practice == "E82001", row.worker != "tom" {
                    #expect(result.lists.first { $0.worker == "tom" }!.rows.count >= 12, "Tom was full")
                }
            }
        }
    }
}
