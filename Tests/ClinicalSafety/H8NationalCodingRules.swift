import Testing
import Basics
import Journal
import Operations
import Planning
import RuleLanguage
import TestSupport
import Vocabulary
@testable import Tooling

/// H8: nothing Outreach writes may carry the social prescribing referral code, which national
/// guidance reserves for an accepted referral (never a welfare or outreach call).
@Suite("H8 National coding rules")
struct H8NationalCodingRules {
    @Test func noOutputCarriesTheReferralCode() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let result = try home.publish()
            var outputs = result.lists.map { CallListFormat.csv($0.rows) }
            outputs += result.lists.map {
                CallListFormat.html($0.rows, workerName: $0.name, worker: $0.worker, date: result.day)
            }
            let export = FileIO.join(root, "history.csv")
            _ = try JournalExport.writeCSV(journalAt: home.home.journal, to: export)
            outputs.append(String(decoding: try FileIO.readAll(export), as: UTF8.self))
            #expect(outputs.allSatisfy { !$0.contains("871731000000106") })
        }
    }

    /// Rules that map an outcome to the referral code: `check` warns, and the coding export
    /// leaves those people out (counted), writing only the other outcomes' codes.
    @Test func theCodingExportNeverWritesTheReferralCode() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let policy = FileIO.join(home.home.rules, "policy.rules")
            let text = String(decoding: try FileIO.readAll(policy), as: UTF8.self)
            try FileIO.writeAtomically(
                text: text.replacingAll(
                    "  code declined as", with: "  code reached as 871731000000106 \"Referral\"\n  code declined as"),
                to: policy)
            let checked = try RuleSetLoader.load(directory: home.home.rules)
            #expect(checked.diagnostics.contains { $0.message.id == "referral-code-for-outreach" })
            let session = try HomeSession(home: home.home)
            _ = try Simulator.run(session, days: 3, from: SafetyHome.monday, model: OutcomeModel(seed: 2))
            var skipped = 0
            for day in session.journal.history.publishedDays {
                let written = try HandoffExports.coding(
                    home: home.home, day: day, out: FileIO.join(root, "coding-\(day)"))
                for file in written.files {
                    let bytes = try FileIO.readAll(FileIO.join(written.folder, file.name))
                    #expect(!String(decoding: bytes, as: UTF8.self).contains("871731000000106"))
                }
                skipped += written.left.counts.filter { $0.key.contains("871731000000106") }.values.reduce(0, +)
            }
            #expect(skipped > 0, "people reached were left out, not coded as referred")
            #expect(OutcomeCode.allCases.allSatisfy { !$0.rawValue.contains("referral") })
        }
    }
}
