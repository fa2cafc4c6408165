import Testing
import Basics
import Journal
import Operations
import Planning
import RuleLanguage
import TestSupport
import Vocabulary

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
            #expect(OutcomeCode.allCases.allSatisfy { !$0.rawValue.contains("referral") })
        }
    }
}
