import Basics
import Journal
import Operations
import Population
import Testing
import TestSupport

@testable import Tooling

/// H8 and the loop the coding closes: people who declined are coded 871711000000103 by the
/// practice from the export's list; the next extract brings the code back, and the shipped
/// `declined_recently` rule keeps them out of every cohort, so nobody rings them again about it.
@Suite("H8 The coding loop")
struct H8CodingLoop {
    @Test func whatTheExportCodesTheNextExtractBringsBackAndTheRulesRespect() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root, patients: 900)
            let session = try HomeSession(home: home.home)
            _ = try Simulator.run(session, days: 5, from: SafetyHome.monday, model: OutcomeModel(seed: 6))
            let history = session.journal.history
            var coded: [String: Day] = [:]
            for day in history.publishedDays {
                let written = try HandoffExports.coding(
                    home: home.home, day: day, out: FileIO.join(root, "coding-\(day)"))
                for file in written.files where file.name.hasSuffix(".txt") {
                    let text = try FileIO.readText(FileIO.join(written.folder, file.name))
                    for number in text.split(whereSeparator: \.isNewline) { coded[String(number)] = day }
                }
            }
            #expect(!coded.isEmpty, "some people declined")
            let before = try session.evaluateCohorts(on: SafetyHome.monday.adding(days: 8))
            let members = Set(
                before.cohortsByPatient().keys.map { NHSNumber.digits(before.population.nhsNumbers[Int($0)]) })
            #expect(!Set(coded.keys).isDisjoint(with: members), "declined people are still in their cohorts")

            // The practice codes them from the lists; its next extract carries the codes.
            for file in home.extractFiles where file.contains("events") {
                var text = try FileIO.readText(file)
                for (number, day) in coded.sorted(by: { $0.key < $1.key }) {
                    text += "\(number),871711000000103,Social prescribing declined,\(day),\r\n"
                }
                try FileIO.writeAtomically(text: text, to: file)
            }
            _ = try Ingestor.ingest(
                session, paths: home.extractFiles,
                at: LocalDateTime(day: SafetyHome.monday.adding(days: 7), minuteOfDay: 17 * 60), moveInputs: false)
            let after = try session.evaluateCohorts(on: SafetyHome.monday.adding(days: 8))
            let stillIn = after.cohortsByPatient().keys.map { NHSNumber.digits(after.population.nhsNumbers[Int($0)]) }
            #expect(Set(stillIn).isDisjoint(with: coded.keys), "no one coded as declined is in a cohort")
        }
    }
}
