import Basics
import Testing
import TestSupport
import Tooling

@testable import Operations

/// The daemon removes a morning's ingested extracts from its inbox on another thread while it
/// publishes (freeing an ICB's 1.6 GB took 0.5 s of its morning). The entries must be gone once
/// the removal is waited for, a removal that fails must say so then, and a session must never
/// end (and release its lock) with a removal still under way.
@Suite struct InputRemovalTests {
    @Test func extractsRemovedInTheBackgroundAreGoneOnceWaitedForAndArchived() throws {
        try withTemporaryDirectory { root in
            let home = try Home.create(at: FileIO.join(root, "home"), rulesFrom: Repository.rules)
            let asOf = Day(year: 2026, month: 11, day: 23)!
            _ = try Synthesizer.write(
                SynthOptions(patients: 300, practices: 2, seed: 3, asOf: asOf), to: home.extractsInbox)
            let files = try FileIO.listDirectory(home.extractsInbox).filter {
                $0.hasSuffix(".csv") && !$0.hasPrefix(".")
            }
            .map { FileIO.join(home.extractsInbox, $0) }
            let session = try HomeSession(home: home)
            session.removesInputsInBackground = true
            let results = try Ingestor.ingest(
                session, paths: files, at: LocalDateTime(day: asOf, minuteOfDay: 7 * 60), moveInputs: true)
            #expect(results.count == files.count)
            #expect(results.allSatisfy { if case .ingested = $0.outcome { true } else { false } })
            try session.finishRemovingInputs()
            for file in files {
                #expect(!FileIO.exists(file), "\(FileIO.fileName(of: file)) is still in the inbox")
            }
            let archived = try FileIO.listDirectory(home.archive)
            for file in files {
                #expect(archived.contains { $0.hasSuffix(Ingestor.archivedSuffix(FileIO.fileName(of: file))) })
            }
        }
    }

    @Test func aRemovalThatFailsSaysSoWhenWaitedForOnce() throws {
        try withTemporaryDirectory { root in
            let home = try Home.create(at: FileIO.join(root, "home"), rulesFrom: Repository.rules)
            let session = try HomeSession(home: home)
            session.removesInputsInBackground = true
            // A folder cannot be unlinked as a file: the removal fails.
            let folder = FileIO.join(home.extractsInbox, "a folder.csv")
            try FileIO.createDirectory(folder)
            try session.removeInputs([folder])
            #expect(throws: FileIOError.self) { try session.finishRemovingInputs() }
            // Said once: nothing is left to wait for.
            try session.finishRemovingInputs()
        }
    }

    @Test func aSessionEndsOnlyOnceItsRemovalHasFinished() throws {
        try withTemporaryDirectory { root in
            let home = try Home.create(at: FileIO.join(root, "home"), rulesFrom: Repository.rules)
            let paths = (0..<300).map { FileIO.join(home.extractsInbox, "file \($0).csv") }
            for path in paths { try FileIO.writeAtomically(text: "nhs_number\n", to: path) }
            do {
                let session = try HomeSession(home: home)
                session.removesInputsInBackground = true
                try session.removeInputs(paths)
            }
            #expect(paths.allSatisfy { !FileIO.exists($0) })
            // The lock went with the session: the home opens again.
            _ = try HomeSession(home: home)
        }
    }
}
