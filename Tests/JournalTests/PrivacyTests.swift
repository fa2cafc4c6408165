import Testing
import Basics
import Journal
@testable import Tooling

/// Logs must never hold patient data (daemon.md, quality.md). Records carry NHS numbers and
/// notes, so every way of turning one into text that a log line might use must leave them out.
@Suite("No patient data in descriptions")
struct PrivacyTests {
    /// Every way a record might end up in a log line.
    private func renderings(of record: JournalRecord) -> [String] {
        var texts = [
            "\(record)", String(describing: record), String(reflecting: record), "\([record])",
            String(describing: Optional(record)),
        ]
        switch record {
        case .ruleSetAdopted(let payload): texts += ["\(payload)", String(reflecting: payload)]
        case .extractIngested(let payload): texts += ["\(payload)", String(reflecting: payload)]
        case .outcomeFileIngested(let payload): texts += ["\(payload)", String(reflecting: payload)]
        case .cohortJoined(let payload), .cohortLeft(let payload): texts += ["\(payload)", String(reflecting: payload)]
        case .dayPublished(let payload): texts += ["\(payload)", String(reflecting: payload)]
        case .itemPublished(let payload): texts += ["\(payload)", String(reflecting: payload), "\([payload])"]
        case .outcomeRecorded(let payload): texts += ["\(payload)", String(reflecting: payload), "\([payload])"]
        case .itemNotAttempted(let payload): texts += ["\(payload)", String(reflecting: payload)]
        case .escalationHandled(let payload): texts += ["\(payload)", String(reflecting: payload)]
        case .callAnnounced(let payload): texts += ["\(payload)", String(reflecting: payload), "\([payload])"]
        }
        return texts
    }

    /// The patient data a record holds, as it could appear in text.
    private func secrets(of record: JournalRecord) -> [String] {
        switch record {
        case .cohortJoined(let change), .cohortLeft(let change): [String(change.nhsNumber)]
        case .itemPublished(let item):
            [String(item.nhsNumber)]
                + (item.phoneFingerprint > 0xFFFF_FFFF
                    ? [String(item.phoneFingerprint), String(item.phoneFingerprint, radix: 16)] : [])
        case .outcomeRecorded(let outcome):
            [String(outcome.nhsNumber), outcome.outcome.rawValue] + (outcome.notes.count >= 4 ? [outcome.notes] : [])
        case .callAnnounced(let call): [String(call.nhsNumber)]
        default: []
        }
    }

    @Test("descriptions name items, cohorts, days and files, never a person, an outcome or notes")
    func sampleRecords() {
        for record in Sample.records {
            for text in renderings(of: record) {
                for secret in secrets(of: record) {
                    #expect(!text.contains(secret), "\(record.kind) leaks patient data")
                }
            }
        }
        #expect(
            "\(Sample.records[8])"
                == "outcome_recorded item=k1-3fa9c2 file=\(Sample.returnedHash.shortHex) row=2 day=2026-03-04")
        #expect(
            "\(Sample.records[5])"
                == "item_published item=k1-3fa9c2 day=2026-03-03 worker=aisha practice=E82001 cohorts=high_risk,lives_alone attempt=1 band=morning priority=1"
        )
        #expect("\(Sample.records[1])" == "cohort_joined cohort=high_risk day=2026-03-02")
    }

    @Test("random records, awkward notes included, never leak either", arguments: 0..<5)
    func randomRecords(_ seed: UInt64) {
        var generator = SyntheticJournal(seed: seed, peopleCount: 20, variety: true)
        for record in generator.batches(recordCount: 300).joined() {
            for text in renderings(of: record) {
                for secret in secrets(of: record) {
                    #expect(!text.contains(secret), "seed \(seed): \(record.kind) leaks patient data")
                }
            }
        }
    }
}
