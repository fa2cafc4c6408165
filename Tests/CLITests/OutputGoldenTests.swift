import Basics
import Cohorts
import Operations
import RuleLanguage
import TestSupport
import Testing
import Tooling

@testable import CLI

/// A small synthetic PCN, always the same: two practices of 240 made-up patients (seed 12, NHS
/// numbers from the 999 test range), extracted on Friday 20 November 2026, with the shipped
/// rules; lists for Monday 23 November.
enum SmallPCN {
    static let extractDay = day("2026-11-20")
    static let monday = day("2026-11-23")

    /// Writes the extract into `folder` and returns its CSV files.
    static func extract(in folder: String) throws -> [String] {
        _ = try Synthesizer.write(
            SynthOptions(patients: 240, practices: 2, seed: 12, asOf: extractDay), to: folder)
        return try FileIO.listDirectory(folder).filter { $0.hasSuffix(".csv") && !$0.hasPrefix(".") }.sorted()
            .map { FileIO.join(folder, $0) }
    }
}

/// What commands print for fixed inputs, byte for byte, against golden files in Snapshots/: the
/// tables and lists people read, so a change to any of them is reviewed as a diff.
@Suite("command output (golden)")
struct OutputGoldenTests {
    @Test("outreach check on the shipped Rules/")
    func checkShippedRules() throws {
        // What `outreach check --rules Rules --as-of 2026-11-23` runs and prints.
        let report = try RuleCheck.run(
            directory: Repository.rules, format: .text, today: SmallPCN.monday, exampleRunner: CohortExampleRunner())
        #expect(report.exitCode == .success)
        assertSnapshot(report.output.replacingOccurrences(of: Repository.rules, with: "Rules"), named: "check-rules")
    }

    @Test("outreach cohorts: the table for a small extract and the shipped Rules/")
    func cohortsTable() throws {
        try withTemporaryDirectory { folder in
            let extract = FileIO.join(folder, "extract")
            _ = try SmallPCN.extract(in: extract)
            let out = FileIO.join(folder, "cohorts.txt")
            let status = CommandLineInterface.run([
                "cohorts", "--rules", Repository.rules, "--extract", extract, "--as-of", "\(SmallPCN.monday)",
                "--out", out,
            ])
            #expect(status == .success)
            let table = try FileIO.readText(out)
            assertSnapshot(table.replacingOccurrences(of: folder, with: "TMP"), named: "cohorts-table")
        }
    }

    /// Tom's list (Monday, practice E82001; two time bands, a person in two cohorts, a home phone,
    /// an interpreter) as `outreach schedule --home HOME --as-of 2026-11-23` publishes it after
    /// `outreach ingest --home HOME --as-of 2026-11-20 EXTRACT`.
    @Test("a published call list, CSV and HTML, for a small home")
    func callList() throws {
        let worker = "tom"
        try withTemporaryDirectory { folder in
            let home = try Home.create(at: FileIO.join(folder, "home"), rulesFrom: Repository.rules)
            let session = try HomeSession(home: home)
            _ = try Ingestor.ingest(
                session, paths: try SmallPCN.extract(in: FileIO.join(folder, "extract")),
                at: LocalDateTime(day: SmallPCN.extractDay, minuteOfDay: 16 * 60), moveInputs: false)
            let result = try Publisher.publish(session, day: SmallPCN.monday)
            #expect(result.outcome == .published)
            let outbox = home.outbox(for: SmallPCN.monday)

            // The CSV opens in Excel: a UTF-8 byte-order mark and CRLF line ends, checked here so
            // that the golden file can be plain text.
            let bytes = try FileIO.readAll(FileIO.join(outbox, "\(worker).csv"))
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
            let csv = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            #expect(csv.hasSuffix("\r\n"))
            #expect(
                !csv.replacingOccurrences(of: "\r\n", with: "").unicodeScalars.contains { $0 == "\n" || $0 == "\r" },
                "every line ends CRLF, and no other line break")
            assertSnapshot(csv.replacingOccurrences(of: "\r\n", with: "\n"), named: "call-list-\(worker).csv")

            let html = try FileIO.readText(FileIO.join(outbox, "\(worker).html"))
            assertSnapshot(html, named: "call-list-\(worker).html")
        }
    }
}
