import Basics
import Testing
import TestSupport
import Tooling

@testable import Operations

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon takes a morning's ingested extracts out of its inbox at once, by a rename, and
/// removes them on another thread while it publishes (freeing an ICB's 1.6 GB took 0.5 s of its
/// morning). An inbox name must be free as soon as the ingest returns, so a file dropped under it
/// next is never touched; the moved files must be gone once the removal is waited for; a removal
/// that fails must say so then, and only then; and a session must never end (and release its
/// lock) with a removal still under way.
@Suite struct InputRemovalTests {
    @Test func theInboxNamesAreFreeAtOnceAndAFileDroppedUnderOneIsKept() throws {
        try withTemporaryDirectory { root in
            let home = try Home.create(at: FileIO.join(root, "home"), rulesFrom: Repository.rules)
            let asOf = Day(year: 2026, month: 11, day: 23)!
            _ = try Synthesizer.write(
                SynthOptions(patients: 300, practices: 2, seed: 3, asOf: asOf), to: home.extractsInbox)
            let files = try FileIO.listDirectory(home.extractsInbox).filter {
                $0.hasSuffix(".csv") && !$0.hasPrefix(".")
            }.map { FileIO.join(home.extractsInbox, $0) }
            let session = try HomeSession(home: home)
            session.removesInputsInBackground = true
            let results = try Ingestor.ingest(
                session, paths: files, at: LocalDateTime(day: asOf, minuteOfDay: 7 * 60), moveInputs: true)
            #expect(results.count == files.count)
            #expect(results.allSatisfy { if case .ingested = $0.outcome { true } else { false } })
            // Out of the inbox before the removal is waited for.
            for file in files {
                #expect(!FileIO.exists(file), "\(FileIO.fileName(of: file)) is still in the inbox")
            }
            // The next extract, dropped under the same name while the removal goes on.
            try FileIO.writeAtomically(text: "tomorrow's extract\n", to: files[0])
            try session.finishRemovingInputs()
            #expect(try FileIO.readText(files[0]) == "tomorrow's extract\n")
            #expect(try FileIO.listDirectory(home.removing).isEmpty)
            let archived = try FileIO.listDirectory(home.archive)
            for file in files {
                #expect(archived.contains { $0.hasSuffix(Ingestor.archivedSuffix(FileIO.fileName(of: file))) })
            }
        }
    }

    @Test func aRemovalThatFailsSaysSoOnceWhenWaitedForAndNotBeforeTheNextBatch() throws {
        try withTemporaryDirectory { root in
            let (home, session) = try sessionRemovingInBackground(in: root)
            // A folder is moved out of the inbox like a file, but cannot be unlinked as one: the
            // removal on the other thread fails.
            let folder = FileIO.join(home.extractsInbox, "a folder.csv")
            try FileIO.createDirectory(folder)
            try session.removeInputs([(folder, nil)])
            // The next batch is not refused for the last one's failure.
            let next = FileIO.join(home.extractsInbox, "next.csv")
            try FileIO.writeAtomically(text: "next\n", to: next)
            try session.removeInputs([(next, nil)])
            #expect(!FileIO.exists(folder) && !FileIO.exists(next))
            #expect(throws: FileIOError.self) { try session.finishRemovingInputs() }
            // Said once: nothing is left to wait for.
            try session.finishRemovingInputs()
            #expect(try FileIO.listDirectory(home.removing).count == 1, "only the folder is left there")
        }
    }

    @Test func anEntryGoneAlreadyIsPassedOver() throws {
        try withTemporaryDirectory { root in
            let (home, session) = try sessionRemovingInBackground(in: root)
            let kept = FileIO.join(home.extractsInbox, "kept.csv")
            try FileIO.writeAtomically(text: "kept\n", to: kept)
            try session.removeInputs([(FileIO.join(home.extractsInbox, "gone.csv"), nil), (kept, nil)])
            try session.finishRemovingInputs()
            #expect(!FileIO.exists(kept))
            #expect(try FileIO.listDirectory(home.removing).isEmpty)
        }
    }

    /// A practice's file replaced under the same name (or rewritten) after its earlier version was
    /// copied is not the file ingested: it stays in the inbox, whether removed at once or later.
    @Test func anEntryReplacedSinceItWasCopiedStays() throws {
        for inBackground in [false, true] {
            try withTemporaryDirectory { root in
                let (home, session) = try sessionRemovingInBackground(in: root)
                session.removesInputsInBackground = inBackground
                let replaced = FileIO.join(home.extractsInbox, "replaced.csv")
                let rewritten = FileIO.join(home.extractsInbox, "rewritten.csv")
                let same = FileIO.join(home.extractsInbox, "same.csv")
                for path in [replaced, rewritten, same] { try FileIO.writeAtomically(text: "copied\n", to: path) }
                let identities = [replaced, rewritten, same].map { FileIdentity(path: $0) }
                try FileIO.writeAtomically(text: "the next extract\n", to: replaced)
                let fd = open(rewritten, O_WRONLY | O_APPEND)
                _ = write(fd, "more\n", 5)
                close(fd)
                try session.removeInputs(zip([replaced, rewritten, same], identities).map { ($0, $1) })
                try session.finishRemovingInputs()
                #expect(try FileIO.readText(replaced) == "the next extract\n", "in background: \(inBackground)")
                #expect(try FileIO.readText(rewritten) == "copied\nmore\n", "in background: \(inBackground)")
                #expect(!FileIO.exists(same), "in background: \(inBackground)")
            }
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
                try session.removeInputs(paths.map { ($0, nil) })
            }
            #expect(paths.allSatisfy { !FileIO.exists($0) })
            #expect(try FileIO.listDirectory(home.removing).isEmpty)
            // The lock went with the session: the home opens again.
            _ = try HomeSession(home: home)
        }
    }

    /// A new home, and a session on it that removes inputs as the daemon's do.
    private func sessionRemovingInBackground(in root: String) throws -> (Home, HomeSession) {
        let home = try Home.create(at: FileIO.join(root, "home"), rulesFrom: Repository.rules)
        let session = try HomeSession(home: home)
        session.removesInputsInBackground = true
        return (home, session)
    }
}
