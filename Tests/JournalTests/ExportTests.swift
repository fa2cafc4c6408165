import Testing
import Basics
import Journal
import TestSupport
@testable import Tooling

@Suite("CSV export for audit")
struct ExportTests {
    private func export(_ batches: [[JournalRecord]]) throws -> String {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            try write(batches, to: path)
            var text = ""
            try JournalExport.csv(journalAt: path) { text += $0 }
            return text
        }
    }

    @Test("one row per record under the documented header; outcomes say what they supersede")
    func golden() throws {
        let rules = Sample.rulesV1.hex
        let returned = Sample.returnedHash.hex
        let corrected = Sample.correctedHash.hex
        let expected = [
            "\u{FEFF}sequence,kind,day,time,item_id,nhs_number,worker,practice,cohorts,attempt,time_band,priority,outcome,call_back_on,notes,supersedes,reason,file,content_hash,source_row,patients,items,accepted,rejected,empty,rule_version,phone_fingerprint",
            "1,rule_set_adopted,2026-03-02,,,,,,,,,,,,,,,,,,,,,,,\(rules),",
            "2,cohort_joined,2026-03-02,,,9990000018,,,high_risk,,,,,,,,,,,,,,,,,,",
            "3,cohort_joined,2026-03-02,,,9990000018,,,lives_alone,,,,,,,,,,,,,,,,,,",
            "4,cohort_joined,2026-03-02,,,9990000026,,,carers,,,,,,,,,,,,,,,,,,",
            "5,extract_ingested,2026-03-02,06:05,,,,\"E82001; E82004\",,,,,,,,,,practice-E82001.csv,\(Sample.extractHash.hex),,10412,,,3,,,",
            "6,item_published,2026-03-03,,k1-3fa9c2,9990000018,aisha,E82001,\"high_risk; lives_alone\",1,morning,1,,,,,,,,,,,,,,,d3334ca116c566d2",
            "7,item_published,2026-03-03,,k2-77b0e1,9990000026,ben,E82004,carers,2,afternoon,3,,,,,,,,,,,,,,,0000000000000000",
            "8,day_published,2026-03-03,,,,,,,,,,,,,,,,,,,2,,,,\(rules),",
            "9,outcome_recorded,2026-03-04,,k1-3fa9c2,9990000018,,,,,,,reached_support,,Mrs Example said her son visits on Sundays,,,,\(returned),2,,,,,,,",
            "10,item_not_attempted,2026-03-04,,k2-77b0e1,,,,,,,,,,,,returned_empty,,,,,,,,,,",
            "11,outcome_file_ingested,2026-03-04,17:42,,,,,,,,,,,,,,2026-03-03-aisha.csv,\(returned),,,,1,0,1,,",
            "12,outcome_recorded,2026-03-05,,k1-3fa9c2,9990000018,,,,,,,call_back,2026-03-11,'=cmd|' /C calc'!A0,9,,,\(corrected),2,,,,,,,",
            "13,outcome_file_ingested,2026-03-05,09:00,,,,,,,,,,,,,,2026-03-03-aisha (2).csv,\(corrected),,,,1,0,0,,",
            "14,escalation_handled,2026-03-05,,k1-3fa9c2,,,,,,,,,,,,handled by Dr Example,,,,,,,,,,",
            "15,cohort_left,2026-03-06,,,9990000026,,,carers,,,,,,,,,,,,,,,,,,",
            "16,call_announced,2026-03-06,,,9990000034,aisha,,,,afternoon,,,,,,texted: we will ring on 2026-03-09,,,,,,,,,,",
        ].map { $0 + "\r\n" }.joined()
        #expect(try export(Sample.batches) == expected)
    }

    @Test("notes are quoted and neutralised: commas, quotes, line breaks and formulas are safe in Excel")
    func awkwardNotes() throws {
        let note = "=HYPERLINK(\"http://x.invalid\"), then\nmore"
        let outcome = with(Sample.firstOutcome) { $0.notes = note }
        let batches = Array(Sample.batches.prefix(3)) + [[.outcomeRecorded(outcome)]]
        let text = try export(batches)
        #expect(text.contains(",\"'=HYPERLINK(\"\"http://x.invalid\"\"), then\nmore\","))
    }

    @Test("a long history streams in chunks that join into one CSV: one header, one row per record")
    func longHistory() throws {
        var generator = SyntheticJournal(seed: 7, peopleCount: 300, variety: true)
        let batches = generator.batches(recordCount: 9000)
        let text = try export(batches)
        #expect(text.hasPrefix("\u{FEFF}sequence,kind,"))
        #expect(text.unicodeScalars.filter { $0 == "\u{FEFF}" }.count == 1)
        var writer = CSVWriter(byteOrderMark: true)
        writer.append(JournalExport.columns)
        var latest: [String: Int] = [:]
        for (index, record) in batches.flatMap({ $0 }).enumerated() {
            var supersedes: Int?
            if case .outcomeRecorded(let outcome) = record {
                supersedes = latest[outcome.itemId]
                latest[outcome.itemId] = index + 1
            }
            writer.append(
                JournalExport.row(
                    for: JournalEntry(sequence: index + 1, offset: 0, record: record), supersedes: supersedes))
        }
        #expect(text == writer.output)
    }
}
