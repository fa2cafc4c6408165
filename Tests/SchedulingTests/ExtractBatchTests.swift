import Basics
import Foundation
import Journal
import Population
import Testing

@testable import Scheduling

/// Which extract files make the current population: a practice's newer file replaces its older
/// ones, but files ingested together (a report split over several files) add to each other.
@Suite struct ExtractBatchTests {
    static let day = Day(iso: "2026-11-02")!
    let at = LocalDateTime(day: ExtractBatchTests.day, minuteOfDay: 8 * 60)

    /// A synthetic extract of two practices, with E82001's events split over two files.
    private func splitExtract(in root: String) throws -> (patients: [String], wholeEvents: String, halves: [String]) {
        let folder = FileIO.join(root, "extract")
        _ = try Synthesizer.write(
            SynthOptions(patients: 300, practices: 2, seed: 3, asOf: Self.day, eventsPerPatient: 10), to: folder)
        let whole = FileIO.join(folder, "practice-E82001-events.csv")
        let lines = try String(contentsOfFile: whole, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let header = lines[0]
        let rows = lines.dropFirst().filter { !$0.isEmpty }
        let split = FileIO.join(root, "split")
        try FileIO.createDirectory(split)
        var halves: [String] = []
        for (part, slice) in [rows.prefix(rows.count / 2), rows.dropFirst(rows.count / 2)].enumerated() {
            let path = FileIO.join(split, "practice-E82001-events-part\(part + 1).csv")
            try FileIO.writeAtomically(text: ([header] + slice).joined(separator: "\n") + "\n", to: path)
            halves.append(path)
        }
        let patients = ["practice-E82001.csv", "practice-E82002.csv", "practice-E82002-events.csv"].map { FileIO.join(folder, $0) }
        return (patients, whole, halves)
    }

    private func session(_ root: String) throws -> HomeSession {
        try HomeSession(home: try Home.create(at: FileIO.join(root, "home"), rulesFrom: shippedRules))
    }

    private func memberships(_ session: HomeSession) throws -> Int {
        try session.evaluateCohorts(on: Self.day).results.reduce(0) { $0 + $1.members.count }
    }

    @Test func filesIngestedTogetherAddUpAndALaterFileReplacesThemAll() throws {
        let root = temporaryFolder("extract-batch")
        defer { try? FileIO.removeTree(root) }
        let files = try splitExtract(in: root)

        let wholeRoot = FileIO.join(root, "whole")
        let whole = try session(wholeRoot)
        _ = try Ingestor.ingest(whole, paths: files.patients + [files.wholeEvents], at: at, moveInputs: false)
        let expected = try memberships(whole)
        #expect(expected > 0)

        let splitRoot = FileIO.join(root, "split-home")
        let split = try session(splitRoot)
        let results = try Ingestor.ingest(split, paths: files.patients + files.halves, at: at, moveInputs: false)
        #expect(results.allSatisfy { if case .ingested = $0.outcome { true } else { false } })
        #expect(split.currentExtracts().count == 5, "both halves stay current beside the other three files")
        #expect(try memberships(split) == expected, "the halves together are the whole report")

        // Read back from disk, the journal gives the same current files.
        let replayed = ExtractStore(home: split.home).currentFiles(history: try Journal.read(at: split.home.journal).history)
        #expect(replayed.map(\.path) == split.currentExtracts().map(\.name))

        // The next day's single events file replaces both halves.
        let nextDay = LocalDateTime(day: Self.day.adding(days: 1), minuteOfDay: 8 * 60)
        _ = try Ingestor.ingest(split, paths: [files.wholeEvents], at: nextDay, moveInputs: false)
        let current = split.currentExtracts().map { FileIO.fileName(of: $0.name) }.sorted()
        #expect(current == ["practice-E82001-events.csv", "practice-E82001.csv", "practice-E82002-events.csv", "practice-E82002.csv"])
    }

    @Test func anEventsFileThatNamesNoPracticeNeedsAPatientsFile() throws {
        let root = temporaryFolder("extract-unnamed")
        defer { try? FileIO.removeTree(root) }
        let files = try splitExtract(in: root)
        let unnamed = FileIO.join(root, "events.csv")
        try FileIO.writeAtomically(try FileIO.readAll(files.wholeEvents), to: unnamed)

        let alone = try session(FileIO.join(root, "alone"))
        let refused = try #require(try Ingestor.ingest(alone, paths: [unnamed], at: at, moveInputs: false).first)
        guard case .failed(let reason) = refused.outcome else {
            Issue.record("an unnamed events file with no patients was taken: \(refused.line)")
            return
        }
        #expect(reason.contains("no practice ODS code"))
        #expect(alone.journal.history.extracts.isEmpty)
        #expect(try FileIO.listDirectory(alone.home.failed).contains { $0.hasSuffix("events.csv.error.txt") })

        let together = try session(FileIO.join(root, "together"))
        let results = try Ingestor.ingest(together, paths: [unnamed, files.patients[0]], at: at, moveInputs: false)
        #expect(results.map(\.line).allSatisfy { !$0.contains("not ingested") })
        #expect(together.journal.history.extracts.first?.practices == ["E82001"], "the batch's patients file says whose events")
    }

    @Test func rejectsAreKeptBesideTheArchivedCopy() throws {
        let root = temporaryFolder("extract-rejects")
        defer { try? FileIO.removeTree(root) }
        let files = try splitExtract(in: root)
        let home = try session(FileIO.join(root, "home"))
        let results = try Ingestor.ingest(home, paths: files.patients, at: at, moveInputs: false)
        let withRejects = results.compactMap(\.rejectsFile)
        #expect(!withRejects.isEmpty, "the synthetic extract has broken rows")
        for path in withRejects {
            #expect(FileIO.isFile(path))
            #expect(path.hasPrefix(home.home.archive))
            #expect(FileIO.isFile(String(path.dropLast(".rejects.csv".count)) + ".csv"), "beside the archived input")
        }
    }
}
