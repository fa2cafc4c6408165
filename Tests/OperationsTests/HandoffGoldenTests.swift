import Basics
import Handoffs
import Testing
import TestSupport

@testable import Operations
@testable import Tooling

/// The layouts of the hand-offs, byte for byte, for a small simulated home (golden files in
/// `Snapshots/`; `RECORD_SNAPSHOTS=1` re-records them after a deliberate change).
@Suite struct HandoffGoldenTests {
    /// Every file of a folder, each under a `== NAME ==` line, CRLF shown as `\r`.
    static func rendered(_ folder: String) throws -> String {
        try FileIO.listDirectory(folder).sorted().map { name in
            let text = String(decoding: try FileIO.readAll(FileIO.join(folder, name)), as: UTF8.self)
            return "== \(name) ==\n" + text.replacingAll("\r\n", with: "\\r\n")
        }.joined()
    }

    @Test func codingTextsAndLettersKeepTheirLayouts() throws {
        let start = Day(iso: "2026-11-02")!
        try withTemporaryDirectory { root in
            let (session, _) = try homeWithPopulation("golden", patients: 400, seed: 7, asOf: start, in: root)
            _ = try Simulator.run(session, days: 8, from: start, model: OutcomeModel(answerRate: 0.5, seed: 9))
            let history = session.journal.history
            let days = history.publishedDays
            // The day with the most coded outcomes, so the file has rows to show.
            let coded = days.max { a, b in
                let count = { (day: Day) in
                    history.items(on: day).count { history.effectiveOutcome(of: $0.itemId)?.outcome == .declined }
                }
                return (count(a), b) < (count(b), a)
            }!
            let coding = try HandoffExports.coding(home: session.home, day: coded, out: FileIO.join(root, "coding"))
            #expect(!coding.files.isEmpty)
            assertSnapshot(try Self.rendered(coding.folder), named: "export-coding")

            let last = days.max()!
            let texts = FileIO.join(session.home.outbox(for: last), Publisher.textsFolder)
            assertSnapshot(try Self.rendered(texts), named: "export-texts")

            let letters = try HandoffExports.letters(home: session.home, day: last, out: FileIO.join(root, "letters"))
            #expect(letters.files.contains { $0.name.contains("-letters-") })
            assertSnapshot(try Self.rendered(letters.folder), named: "export-letters")
        }
    }
}
