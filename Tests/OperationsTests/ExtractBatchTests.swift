import Foundation
import Testing
import Basics
import Cohorts
import Journal
@testable import Operations
@testable import Planning
import Population
import TestSupport
@testable import Tooling

/// Which extract files make the current population: a practice's newer file replaces its older
/// ones, in the journal's order, and an events file's practices come from its name or its batch.
@Suite struct ExtractBatchTests {
    static let day = Day(iso: "2026-11-02")!
    let at = LocalDateTime(day: ExtractBatchTests.day, minuteOfDay: 8 * 60)

    /// A synthetic extract of two practices: E82001's patients first, then E82002's files.
    private func extract(in root: String) throws -> (patients: [String], wholeEvents: String) {
        let folder = FileIO.join(root, "extract")
        _ = try Synthesizer.write(
            SynthOptions(patients: 300, practices: 2, seed: 3, asOf: Self.day, eventsPerPatient: 10), to: folder)
        let patients = ["practice-E82001.csv", "practice-E82002.csv", "practice-E82002-events.csv"].map {
            FileIO.join(folder, $0)
        }
        return (patients, FileIO.join(folder, "practice-E82001-events.csv"))
    }

    private func session(_ root: String) throws -> HomeSession {
        try HomeSession(home: try Home.create(at: FileIO.join(root, "home"), rulesFrom: Repository.rules))
    }

    private func memberships(_ session: HomeSession) throws -> Int {
        try session.evaluateCohorts(on: Self.day).results.reduce(0) { $0 + $1.members.count }
    }

    /// A file of a batch written while it was read defers the whole batch, left where it is, so
    /// that it does not split a practice's patients and events files dropped together (an events
    /// file named without a practice would be refused for want of its patients file). Only a
    /// change does: another failure, even one with the same error number, is the file's own.
    @Test func aFileChangedWhileReadDefersItsWholeBatch() throws {
        let paths = ["/inbox/practice-E82001.csv", "/inbox/events.csv", "/inbox/practice-E82002.csv"]
        let unreadable = Result<StagedInput, FileIOError>.failure(
            FileIOError(call: "open", path: paths[2], errno: EACCES))
        let changed = Ingestor.deferredWhileChanging(
            paths, [.failure(StagedInput.changed(paths[0])), unreadable, unreadable], moveInputs: true)
        #expect(changed?.map(\.fileName) == ["practice-E82001.csv", "events.csv", "practice-E82002.csv"])
        for result in changed ?? [] {
            guard case .deferred(let reason) = result.outcome else {
                Issue.record("\(result.line)")
                continue
            }
            #expect(reason.hasPrefix("practice-E82001.csv changed while it was read"))
            #expect(reason.contains("the 3 files given together"))
        }
        let again = FileIOError(call: "read", path: paths[0], errno: EAGAIN)
        #expect(
            Ingestor.deferredWhileChanging(paths, [.failure(again), unreadable, unreadable], moveInputs: true) == nil)
        #expect(Ingestor.deferredWhileChanging(paths, [unreadable, unreadable, unreadable], moveInputs: false) == nil)
    }

    @Test func aLaterFileReplacesAnEarlierOneAlsoWithinOneBatch() throws {
        try withTemporaryDirectory { root in
            let files = try extract(in: root)
            // A backlog after the service was down: Monday's and Tuesday's extracts of one practice together.
            let monday = files.patients[0]
            let tuesday = FileIO.join(root, "practice-E82001-tuesday.csv")
            let lines = try String(contentsOfFile: monday, encoding: .utf8).split(separator: "\n")
            try FileIO.writeAtomically(text: lines.dropLast(40).joined(separator: "\n") + "\n", to: tuesday)

            let home = try session(root)
            let results = try Ingestor.ingest(
                home, paths: [monday, tuesday, files.wholeEvents], at: at, moveInputs: false)
            #expect(results.allSatisfy { if case .ingested = $0.outcome { true } else { false } })
            let current = home.currentExtracts().map { FileIO.fileName(of: $0.name) }.sorted()
            #expect(
                current == ["practice-E82001-events.csv", "practice-E82001-tuesday.csv"],
                "Tuesday's list is the practice's list")

            // Read back from disk, the journal gives the same current files.
            let replayed = ExtractStore(home: home.home).currentFiles(
                history: try Journal.read(at: home.home.journal).history)
            #expect(replayed.map(\.path) == home.currentExtracts().map(\.name))
        }
    }

    @Test func anEventsFileThatNamesNoPracticeNeedsAPatientsFile() throws {
        try withTemporaryDirectory { root in
            let files = try extract(in: root)
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
            let events = try #require(together.journal.history.extracts.first { $0.fileName == "events.csv" })
            #expect(events.practices == ["E82001"], "the batch's patients file says whose events")

            // With a second practice already current, an unnamed events file dropped with one
            // practice's patients file is that practice's alone: the other keeps its events.
            let both = try session(FileIO.join(root, "both"))
            _ = try Ingestor.ingest(both, paths: files.patients + [files.wholeEvents], at: at, moveInputs: false)
            let nextDay = LocalDateTime(day: Self.day.adding(days: 1), minuteOfDay: 8 * 60)
            _ = try Ingestor.ingest(both, paths: [unnamed, files.patients[0]], at: nextDay, moveInputs: false)
            #expect(both.currentExtracts().map { FileIO.fileName(of: $0.name) }.contains("practice-E82002-events.csv"))
        }
    }

    @Test func rejectsAreKeptBesideTheArchivedCopy() throws {
        try withTemporaryDirectory { root in
            let files = try extract(in: root)
            let home = try session(FileIO.join(root, "home"))
            let results = try Ingestor.ingest(home, paths: files.patients, at: at, moveInputs: false)
            let withRejects = results.compactMap(\.rejectsFile)
            #expect(!withRejects.isEmpty, "the synthetic extract has broken rows")
            for path in withRejects {
                #expect(FileIO.isFile(path))
                #expect(path.hasPrefix(home.home.archive))
                #expect(
                    FileIO.isFile(String(path.dropLast(".rejects.csv".count)) + ".csv"), "beside the archived input")
            }
        }
    }

    @Test func aRepeatedRowAndAConflictingRowAreInTheRejectsBesideTheArchivedFile() throws {
        try withTemporaryDirectory { root in
            let numbers = (999_001_000..<999_001_060).compactMap { first in
                NHSNumber.checkDigit(forFirstNine: UInt64(first)).map { "\(first)\($0)" }
            }.prefix(30)
            var text = "nhs_number,practice,date_of_birth,given_name,phone_mobile\n"
            for number in numbers { text += "\(number),E82005,1950-01-02,Ann,07700 900123\n" }
            text += "\(numbers.first!),E82005,1950-01-02,Ann,07700 900123\n"
            text += "\(numbers.last!),E82005,1950-01-02,Bob,07700 900999\n"
            func spaced(_ number: String) -> String { NHSNumber(UInt64(number)!)!.description }
            let path = FileIO.join(root, "practice-E82005.csv")
            try FileIO.writeAtomically(text: text, to: path)
            let home = try session(FileIO.join(root, "home"))
            let result = try #require(try Ingestor.ingest(home, paths: [path], at: at, moveInputs: false).first)
            let rejects = String(decoding: try FileIO.readAll(try #require(result.rejectsFile)), as: UTF8.self)
            #expect(
                rejects.split(whereSeparator: \.isNewline).dropFirst().map(String.init) == [
                    "practice-E82005.csv,32,nhs_number,\(spaced(numbers.first!)),duplicate: the same row is earlier in this file "
                        + "(kept practice-E82005.csv:2),duplicate dropped",
                    "practice-E82005.csv,33,nhs_number,\(spaced(numbers.last!)),\"NHS number "
                        + "already used earlier in this file, by a row with different details: this row not used "
                        + "(given_name, phone_mobile differ; kept practice-E82005.csv:31)\",row rejected",
                ])
            let record = try #require(home.journal.history.extracts.last)
            #expect(record.patientCount == 30)
            #expect(record.rejectedRowCount == 1, "the conflict is a rejected row; the exact repeat is not")
        }
    }

    @Test func aFileThatCannotBeReadFailsAloneAndTheOthersAreIngested() throws {
        try withTemporaryDirectory { root in
            let files = try extract(in: root)
            let home = try session(root)
            let inbox = home.home.extractsInbox
            var paths: [String] = []
            for path in files.patients + [files.wholeEvents] {
                let copy = FileIO.join(inbox, FileIO.fileName(of: path))
                try FileIO.writeAtomically(try FileIO.readAll(path), to: copy)
                paths.append(copy)
            }
            let unreadable = FileIO.join(inbox, "practice-E82003.csv")
            // Reading a folder fails even for root, as a file without permission would.
            try FileIO.createDirectory(unreadable)
            let results = try Ingestor.ingest(home, paths: [unreadable] + paths, at: at, moveInputs: true)
            #expect(results.count == 5)
            let failed = try #require(results.first { $0.fileName == "practice-E82003.csv" })
            guard case .failed(let reason) = failed.outcome else {
                Issue.record("an unreadable file was taken: \(failed.line)")
                return
            }
            #expect(reason.hasPrefix("the file cannot be read"))
            #expect(home.journal.history.extracts.count == 4, "the readable files beside it are ingested")
            #expect(try FileIO.listDirectory(inbox).isEmpty)
            #expect(
                try FileIO.listDirectory(home.home.failed).contains { $0.hasSuffix("practice-E82003.csv.error.txt") })
        }
    }

    /// One copy of each extract's bytes, read-only: the archived file is a second name of the copy
    /// the cohorts are read from, and the journal says which kind each file is, so a copy gone
    /// missing is an error when the cohorts are read, never a practice silently left out.
    @Test func theArchiveAndTheStoreShareOneReadOnlyCopyAndTheJournalKeepsEachFilesKind() throws {
        try withTemporaryDirectory { root in
            let files = try extract(in: root)
            let home = try session(root)
            _ = try Ingestor.ingest(home, paths: files.patients + [files.wholeEvents], at: at, moveInputs: false)
            let history = try Journal.read(at: home.home.journal).history
            #expect(history.extracts.map(\.fileKind) == [.patients, .patients, .events, .events])
            let stored = ExtractStore(home: home.home).currentFiles(history: history)
            #expect(stored.count == 4)
            let archived = try FileIO.listDirectory(home.home.archive).filter { !$0.contains(".rejects.") }
            for file in stored {
                var store = stat()
                #expect(stat(file.path, &store) == 0)
                #expect(store.st_mode & 0o777 == 0o400, "read-only: \(file.path)")
                #expect(store.st_nlink == 2, "its archived name is the same file: \(file.path)")
                let name = try #require(archived.first { $0.hasSuffix("-" + FileIO.fileName(of: file.path)) })
                var copy = stat()
                #expect(stat(FileIO.join(home.home.archive, name), &copy) == 0)
                #expect(copy.st_ino == store.st_ino)
            }

            let events = try #require(stored.first { $0.kind == .events })
            try FileIO.remove(events.path)
            let later = ExtractStore(home: home.home).currentFiles(history: history)
            #expect(later.map(\.path) == stored.map(\.path), "the recorded kind stands; nothing is left out")
            #expect(throws: (any Error).self) { try home.evaluateCohorts(on: Self.day.adding(days: 1)) }
        }
    }

    /// The run a session keeps (an ingest's, for its publish and report) is the run a fresh read
    /// of the same files gives; after another ingest, or for another day, it is evaluated again.
    @Test func theKeptRunIsTheRunAFreshReadGives() throws {
        try withTemporaryDirectory { root in
            let files = try extract(in: root)
            let home = try session(root)
            _ = try Ingestor.ingest(home, paths: files.patients, at: at, moveInputs: false)
            func fresh(_ day: Day) throws -> [[Int32]] {
                try CohortEngine.run(home.ruleSet, inputs: home.currentExtracts(), asOf: day, maxRejectRate: 1)
                    .results.map(\.members)
            }
            #expect(try home.evaluateCohorts(on: Self.day).results.map(\.members) == fresh(Self.day))
            let later = Self.day.adding(days: 200)
            #expect(try home.evaluateCohorts(on: later).results.map(\.members) == fresh(later))

            let before = try home.evaluateCohorts(on: Self.day).results.map(\.members)
            _ = try Ingestor.ingest(home, paths: [files.wholeEvents], at: at, moveInputs: false)
            let after = try home.evaluateCohorts(on: Self.day).results.map(\.members)
            #expect(after == (try fresh(Self.day)))
            #expect(after != before, "E82001's events change its cohorts")
        }
    }

    /// Inputs are copied as they are hashed, and the copy is what is checked, stored and filed: a
    /// refused file's copy is in failed/ byte for byte (0600), the others are stored, nothing
    /// stays in state/incoming/, and what a stopped run left there is cleared by the next ingest.
    @Test func inputsAreCopiedOnceAndFiledWhereTheyBelong() throws {
        try withTemporaryDirectory { root in
            let files = try extract(in: root)
            let home = try session(root)
            let leftover = FileIO.join(home.home.incoming, "0.incoming")
            try FileIO.createDirectory(home.home.incoming)
            try FileIO.writeAtomically(text: "left by a run that was stopped", to: leftover)
            let empty = FileIO.join(root, "practice-E82009.csv")
            try FileIO.writeAtomically(text: "nhs_number,date_of_birth,practice\n", to: empty)

            let results = try Ingestor.ingest(home, paths: files.patients + [empty], at: at, moveInputs: false)
            #expect(results.count == 4)
            let refused = try #require(results.first { $0.fileName == "practice-E82009.csv" })
            guard case .failed = refused.outcome else {
                Issue.record("an empty patients file was taken: \(refused.line)")
                return
            }
            let failed = try #require(
                try FileIO.listDirectory(home.home.failed).first { $0.hasSuffix("-practice-E82009.csv") })
            let failedPath = FileIO.join(home.home.failed, failed)
            #expect(try FileIO.readAll(failedPath) == (try FileIO.readAll(empty)))
            #expect(try FileIO.permissions(failedPath) == 0o600)
            #expect(FileIO.isFile(failedPath + ".error.txt"))
            #expect(try FileIO.listDirectory(home.home.incoming).isEmpty, "nothing left half-filed")
            for path in files.patients {
                let stored = try #require(
                    home.currentExtracts().first { FileIO.fileName(of: $0.name) == FileIO.fileName(of: path) })
                #expect(try FileIO.readAll(stored.name) == (try FileIO.readAll(path)))
            }
            #expect(files.patients.allSatisfy(FileIO.isFile), "without --move the inputs stay where they were")
        }
    }

    /// An events file that a later file of its own batch replaces is not read with the cohorts,
    /// so it is checked on its own: its rows are counted, and too many rejects refuse it.
    @Test func anEventsFileReplacedWithinItsBatchIsStillChecked() throws {
        try withTemporaryDirectory { root in
            let files = try extract(in: root)
            let lines = try String(contentsOfFile: files.wholeEvents, encoding: .utf8).split(separator: "\n")
                .map(String.init)
            let earlier = FileIO.join(root, "practice-E82001-events-a.csv")
            let later = FileIO.join(root, "practice-E82001-events-b.csv")
            try FileIO.writeAtomically(text: lines.joined(separator: "\n") + "\n", to: earlier)
            try FileIO.writeAtomically(text: lines.dropLast(5).joined(separator: "\n") + "\n", to: later)
            let home = try session(root)
            let results = try Ingestor.ingest(
                home, paths: files.patients + [earlier, later], at: at, moveInputs: false)
            #expect(results.allSatisfy { if case .ingested = $0.outcome { true } else { false } })
            let recorded = try Journal.read(at: home.home.journal).history.extracts
            let rows = try #require(results.first { $0.fileName == "practice-E82001-events-a.csv" })
            #expect(rows.line.contains("\(Formatting.grouped(lines.count - 1)) event rows"), "\(rows.line)")
            #expect(recorded.map(\.fileName).last == "practice-E82001-events-b.csv")

            // The same again with the earlier file damaged: refused, though it never became current.
            let damagedRoot = FileIO.join(root, "again")
            try FileIO.createDirectory(damagedRoot)
            let again = try session(damagedRoot)
            var damaged = lines
            let date = try #require(damaged[0].split(separator: ",").map(String.init).firstIndex(of: "date"))
            for index in stride(from: 1, to: damaged.count, by: 5) {
                var cells = damaged[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                cells[date] = "31/02/2026"
                damaged[index] = cells.joined(separator: ",")
            }
            try FileIO.writeAtomically(text: damaged.joined(separator: "\n") + "\n", to: earlier)
            let second = try Ingestor.ingest(
                again, paths: files.patients + [earlier, later], at: at, moveInputs: false)
            let refused = try #require(second.first { $0.fileName == "practice-E82001-events-a.csv" })
            guard case .failed(let reason) = refused.outcome else {
                Issue.record("a damaged file was recorded: \(refused.line)")
                return
            }
            #expect(reason.contains("rows rejected"))
        }
    }

    /// A stored copy the journal records that has gone missing stops the ingest as a failure of
    /// the home (retried, the inputs left where they are), not as a fault of the new files.
    @Test func aMissingStoredCopyStopsTheIngestWithoutRefusingTheNewFiles() throws {
        try withTemporaryDirectory { root in
            let files = try extract(in: root)
            let home = try session(root)
            _ = try Ingestor.ingest(home, paths: Array(files.patients.prefix(2)), at: at, moveInputs: false)
            let stored = try #require(home.currentExtracts().first)
            try FileIO.remove(stored.name)
            #expect(throws: FileIOError.self) {
                try Ingestor.ingest(home, paths: [files.wholeEvents], at: at, moveInputs: false)
            }
            let failed = FileIO.exists(home.home.failed) ? try FileIO.listDirectory(home.home.failed) : []
            #expect(failed.isEmpty)
            #expect(try Journal.read(at: home.home.journal).history.extracts.count == 2)
        }
    }
}
