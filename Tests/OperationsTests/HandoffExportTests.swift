import Basics
import Handoffs
import Population
import Journal
import Testing
import TestSupport
import Vocabulary

@testable import Operations
@testable import Planning
@testable import Tooling

/// The hand-offs on a simulated home with the shipped rules (which map `declined` to
/// 871711000000103, text before calling, and write to the unreachable): each export holds exactly
/// who it should, in layouts the receiving systems take.
@Suite struct HandoffExportTests {
    static let start = Day(iso: "2026-11-02")!

    /// A home after 12 simulated working days.
    static func simulatedHome(_ root: String) throws -> HomeSession {
        let (session, _) = try homeWithPopulation("handoffs", patients: 1200, asOf: start, in: root)
        _ = try Simulator.run(session, days: 12, from: start, model: OutcomeModel(answerRate: 0.55, seed: 3))
        return session
    }

    static func rows(_ path: String) throws -> [[String]] {
        try ReferenceCSV.records(try FileIO.readAll(path)).map { $0.map { String(decoding: $0, as: UTF8.self) } }
    }

    @Test func everyoneTextedIsOnTheListOfTheDayTheTextNamed() throws {
        try withTemporaryDirectory { root in
            let session = try Self.simulatedHome(root)
            let history = session.journal.history
            var announced = 0
            var kept = 0
            for nhs in history.people {
                // Each person's announcements, from the journal export's point of view: the latest.
                guard let call = history.announcedCall(of: nhs), call.day <= history.publishedDays.max()! else {
                    continue
                }
                announced += 1
                let items = history.items(of: nhs).filter { $0.day == call.day }
                #expect(items.count == 1, "texted for \(call.day) but not on that day's list")
                if let item = items.first, item.worker == call.worker, item.timeBand == call.timeBand { kept += 1 }
            }
            #expect(announced > 20)
            #expect(kept == announced, "the worker and band the text named")
        }
    }

    @Test func messagesListOnlyPeopleOnTheDaysListsWithAMobile() throws {
        try withTemporaryDirectory { root in
            let session = try Self.simulatedHome(root)
            let last = session.journal.history.publishedDays.max()!
            let next = session.roster.workingDay(after: last)
            let written = try HandoffExports.messages(session: session, day: next, today: last, out: nil)
            let accurx = try written.files.filter { $0.name.contains("-accurx-") }.flatMap {
                try Self.rows(FileIO.join(written.folder, $0.name)).dropFirst()
            }
            #expect(!accurx.isEmpty)
            for row in accurx {
                #expect(row[2].hasPrefix("07") && row[2].count == 11, "a UK mobile")
            }
            let texted = Set(accurx.map { UInt64($0[0])! })
            for nhs in texted { #expect(session.journal.history.announcedCall(of: nhs)?.day == next) }
            let result = try Publisher.publish(session, day: next)
            let listed = Set(result.lists.flatMap(\.rows).map(\.nhsNumber))
            #expect(texted.isSubset(of: listed), "everyone texted is on the day's lists")
            // Each practice's files hold only its own patients.
            for file in written.files where file.name.contains("-accurx-") {
                for row in try Self.rows(FileIO.join(written.folder, file.name)).dropFirst() {
                    let item = result.lists.flatMap(\.rows).first { $0.nhsNumber == UInt64(row[0])! }
                    #expect(item?.practice == file.practice)
                }
            }
        }
    }

    @Test func onlyTheNextDayToBePublishedIsAnnounced() throws {
        try withTemporaryDirectory { root in
            let session = try Self.simulatedHome(root)
            let history = session.journal.history
            let last = history.publishedDays.max()!
            let later = session.roster.workingDay(after: session.roster.workingDay(after: last))
            let records = history.recordCount
            let written = try HandoffExports.messages(session: session, day: later, today: last, out: nil)
            #expect(written.files.isEmpty && written.announced == 0)
            #expect(written.note?.contains("Only the next day to be published") == true)
            #expect(session.journal.history.recordCount == records, "nothing recorded")
            #expect(
                HandoffExports.nextDayToAnnounce(session: session, today: last)
                    == session.roster.workingDay(after: last))
        }
    }

    @Test func codingHoldsExactlyTheDaysMappedOutcomes() throws {
        try withTemporaryDirectory { root in
            let session = try Self.simulatedHome(root)
            let history = session.journal.history
            let day = history.publishedDays[3]
            let written = try HandoffExports.coding(home: session.home, day: day, out: nil)
            var expected: Set<String> = []
            for item in history.items(on: day) where history.effectiveOutcome(of: item.itemId)?.outcome == .declined {
                expected.insert(NHSNumber.digits(item.nhsNumber))
            }
            #expect(!expected.isEmpty)
            var coded: Set<String> = []
            for file in written.files where file.name.hasSuffix(".csv") {
                let rows = try Self.rows(FileIO.join(written.folder, file.name))
                #expect(rows[0] == CodingExport.columns)
                for row in rows.dropFirst() {
                    #expect(row[4] == "871711000000103" && row[5] == "Social prescribing declined")
                    #expect(row[6] == day.description && row[7] == "declined")
                    coded.insert(row[0])
                }
            }
            #expect(coded == expected)
            let lists = written.files.filter { $0.name.hasSuffix(".txt") }
            let listed = try lists.flatMap {
                String(decoding: try FileIO.readAll(FileIO.join(written.folder, $0.name)), as: UTF8.self).split(
                    whereSeparator: \.isNewline
                ).map(String.init)
            }
            #expect(Set(listed) == expected)
            for file in written.files {
                let text = String(decoding: try FileIO.readAll(FileIO.join(written.folder, file.name)), as: UTF8.self)
                #expect(!text.contains(CodingExport.referralCode))
                #expect(try FileIO.permissions(FileIO.join(written.folder, file.name)) == 0o600)
            }
            // The same day again: the same bytes.
            let again = try HandoffExports.coding(home: session.home, day: day, out: FileIO.join(root, "again"))
            for file in again.files {
                #expect(
                    try FileIO.readAll(FileIO.join(again.folder, file.name))
                        == FileIO.readAll(FileIO.join(written.folder, file.name)))
            }
        }
    }

    @Test func everyLetterPassesNotifysAddressRules() throws {
        try withTemporaryDirectory { root in
            let session = try Self.simulatedHome(root)
            let day = session.journal.history.publishedDays.max()!
            let written = try HandoffExports.letters(home: session.home, day: day, out: nil)
            var letters = 0
            for file in written.files where !file.name.contains("by-hand") {
                let rows = try Self.rows(FileIO.join(written.folder, file.name))
                #expect(rows[0] == LetterExport.columns)
                for row in rows.dropFirst() {
                    letters += 1
                    let checked = NotifyLetterAddress.check(
                        recipient: row[0], addressLines: Array(row[1...5]), postcode: row[6])
                    #expect((try? checked.get())?.lines == Array(row[0...5]), "\(row)")
                }
            }
            #expect(letters > 0)
        }
    }
}
