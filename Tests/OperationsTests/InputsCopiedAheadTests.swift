import Basics
import Foundation
import Synchronization
import Testing
import TestSupport
import Tooling
import Vocabulary

@testable import Operations

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon copies the extracts complete in its inbox while it checks the rules at start-up,
/// and its first ingest takes those copies. A copy made ahead must only ever be a head start: the
/// ingest records exactly what it would have recorded from copies of its own, never the old bytes
/// of an entry changed since, never copies of other inputs, and copies nobody took must not stay
/// in `state/` (they hold patient data).
@Suite struct InputsCopiedAheadTests {
    private static let asOf = Day(year: 2026, month: 11, day: 23)!
    private static let morning = LocalDateTime(day: asOf, minuteOfDay: 7 * 60)

    /// A new home in `folder` with a small synthetic extract in its inbox, and the inbox's files
    /// (by name, as the daemon ingests them).
    private func homeWithExtractInInbox(_ folder: String) throws -> (Home, [String]) {
        let home = try Home.create(at: folder, rulesFrom: Repository.rules)
        _ = try Synthesizer.write(
            SynthOptions(patients: 300, practices: 2, seed: 3, asOf: Self.asOf), to: home.extractsInbox)
        let paths = try FileIO.listDirectory(home.extractsInbox).filter {
            $0.hasSuffix(".csv") && !$0.hasPrefix(".")
        }.sorted().map { FileIO.join(home.extractsInbox, $0) }
        return (home, paths)
    }

    /// A check that checks nothing, under the key of no rules in particular.
    private static let noCheck = ExtractCheck(key: key(day: asOf)) { _ in nil }

    private static func key(day: Day) -> ExtractCheck.Key {
        ExtractCheck.Key(rules: ContentHash(of: [UInt8]()), day: day, confirmed: false)
    }

    private static func inode(_ path: String) -> UInt64? {
        var info = stat()
        return lstat(path, &info) == 0 ? UInt64(info.st_ino) : nil
    }

    /// Every file under `folder`, by its path below it, with its bytes.
    private static func contents(of folder: String) throws -> [String: [UInt8]] {
        var found: [String: [UInt8]] = [:]
        func walk(_ path: String, _ relative: String) throws {
            guard FileIO.isDirectory(path) else {
                found[relative] = try FileIO.readAll(path)
                return
            }
            for name in try FileIO.listDirectory(path) {
                try walk(FileIO.join(path, name), relative.isEmpty ? name : relative + "/" + name)
            }
        }
        if FileIO.exists(folder) { try walk(folder, "") }
        return found
    }

    /// With the checks begun before the ingest (as the daemon begins them once its rules are
    /// known), or left to the ingest.
    @Test(arguments: [true, false])
    func anIngestThatTakesTheCopiesRecordsWhatOneThatMakesItsOwnDoes(checkedAhead: Bool) throws {
        try withTemporaryDirectory { root in
            let (ahead, aheadPaths) = try homeWithExtractInInbox(FileIO.join(root, "ahead"))
            let (own, ownPaths) = try homeWithExtractInInbox(FileIO.join(root, "own"))
            let copying = InputsCopiedAhead(aheadPaths, home: ahead)
            let aheadSession = try HomeSession(home: ahead)
            if checkedAhead { copying.startChecking(under: aheadSession.ruleSet, on: Self.asOf) }
            let copies = try #require(try? copying.copies().get()).map { try $0.get() }
            // Held by a second name, so a copy made again could not be given a freed inode number.
            for (index, copy) in copies.enumerated() {
                try FileIO.hardLink(copy.path, to: FileIO.join(root, "held-\(index)"), syncing: false)
            }
            let copiedInodes = Set(copies.compactMap { Self.inode($0.path) })
            #expect(copiedInodes.count == aheadPaths.count)

            aheadSession.inputsCopiedAhead = copying
            let aheadResults = try Ingestor.ingest(aheadSession, paths: aheadPaths, at: Self.morning, moveInputs: true)
            let ownResults = try Ingestor.ingest(
                try HomeSession(home: own), paths: ownPaths, at: Self.morning, moveInputs: true)

            #expect(
                aheadResults.map { $0.line.replacingOccurrences(of: ahead.path, with: "HOME") }
                    == ownResults.map { $0.line.replacingOccurrences(of: own.path, with: "HOME") })
            #expect(aheadResults.allSatisfy { if case .ingested = $0.outcome { true } else { false } })
            #expect(try FileIO.readAll(ahead.journal) == FileIO.readAll(own.journal))
            #expect(
                try Self.contents(of: FileIO.join(ahead.state, "extracts"))
                    == Self.contents(of: FileIO.join(own.state, "extracts")))
            #expect(try Self.contents(of: ahead.archive) == Self.contents(of: own.archive))
            // The files stored are the copies made ahead, not copies made again.
            var stored = Set<UInt64>()
            for path in try Self.contents(of: FileIO.join(ahead.state, "extracts")).keys {
                if let inode = Self.inode(FileIO.join(FileIO.join(ahead.state, "extracts"), path)) {
                    stored.insert(inode)
                }
            }
            #expect(copiedInodes.isSubset(of: stored))
            #expect(try Self.contents(of: ahead.incoming).isEmpty)
        }
    }

    @Test func copiesAreHandedToTheirChecksAndTakenOnceForTheSameInputsOnly() throws {
        try withTemporaryDirectory { root in
            let (home, paths) = try homeWithExtractInInbox(FileIO.join(root, "home"))
            let checked = Mutex<[String]>([])
            let counting = ExtractCheck(key: Self.key(day: Self.asOf)) { staged in
                checked.withLock { $0.append(staged.source) }
                return nil
            }
            let copying = InputsCopiedAhead(paths, home: home)
            let copies = try #require(copying.take(paths, checking: counting)).copies
            #expect(checked.withLock { $0.sorted() } == paths, "each copy checked once")
            for (copy, path) in zip(copies, paths) {
                #expect(copy.source == path)
                #expect(try FileIO.readAll(copy.path) == FileIO.readAll(path))
                #expect(copy.hash.hex == SHA256.hexDigest(try FileIO.readAll(path)))
            }
            #expect(copying.take(paths, checking: counting) == nil, "taken once")
            #expect(copying.discard() == nil)
            #expect(FileIO.exists(copies[0].path), "a discard leaves copies an ingest took")

            let others = InputsCopiedAhead(paths, home: home)
            checked.withLock { $0 = [] }
            #expect(others.take(Array(paths.dropLast()), checking: counting) == nil)
            #expect(checked.withLock { $0.isEmpty }, "copies of other inputs are never checked")
        }
    }

    /// Checks begun at start-up are used only by an ingest that would have made them alike: under
    /// other rules, on another day or with a smaller population confirmed, it takes neither the
    /// copies nor the checks (and so copies and checks everything again).
    @Test func checksBegunAheadAreTakenOnlyByAnIngestThatChecksAlike() throws {
        try withTemporaryDirectory { root in
            let (home, paths) = try homeWithExtractInInbox(FileIO.join(root, "home"))
            let calls = Mutex<(ahead: Int, ingest: Int)>((0, 0))
            func check(_ key: ExtractCheck.Key, ahead: Bool) -> ExtractCheck {
                ExtractCheck(key: key) { _ in
                    calls.withLock { if ahead { $0.ahead += 1 } else { $0.ingest += 1 } }
                    return .failure(OutreachError("checked", exitCode: .dataError))
                }
            }
            let ruleSet = try HomeSession(home: home).ruleSet
            let ingests = ExtractCheck(ruleSet: ruleSet, home: home, day: Self.asOf, confirmed: false).key
            let copying = InputsCopiedAhead(paths, home: home)
            copying.startChecking(under: ruleSet, on: Self.asOf)
            let taken = try #require(copying.take(paths, checking: check(ingests, ahead: false)))
            #expect(calls.withLock { $0.ingest } == 0, "the checks begun ahead are the ones taken")
            for index in paths.indices {
                if paths[index].hasSuffix("-events.csv") {
                    #expect(try taken.checks.take(index)?.get().kind == .events)
                } else {
                    #expect(try taken.checks.take(index)?.get().patients ?? 0 > 0)
                }
            }

            let others = [
                ExtractCheck.Key(rules: ingests.rules, day: Self.asOf.adding(days: 1), confirmed: false),
                ExtractCheck.Key(rules: ContentHash(of: Array("other rules".utf8)), day: Self.asOf, confirmed: false),
                ExtractCheck.Key(rules: ingests.rules, day: Self.asOf, confirmed: true),
            ]
            for key in others {
                calls.withLock { $0 = (0, 0) }
                let begun = InputsCopiedAhead(paths, home: home)
                _ = begun.startChecking(check(ingests, ahead: true))
                #expect(begun.take(paths, checking: check(key, ahead: false)) == nil)
                #expect(calls.withLock { $0.ingest } == 0, "a take that refuses checks nothing")
            }
        }
    }

    /// Checks begun ahead that no ingest takes are let go of: a patients file's check holds the
    /// whole file parsed, which the ingest that checks it again would otherwise hold twice over.
    @Test func checksNoIngestTakesAreLetGo() throws {
        try withTemporaryDirectory { root in
            let (home, paths) = try homeWithExtractInInbox(FileIO.join(root, "home"))
            let ruleSet = try HomeSession(home: home).ruleSet
            let key = ExtractCheck(ruleSet: ruleSet, home: home, day: Self.asOf, confirmed: false).key
            let checked = DispatchSemaphore(value: 0)
            let ahead = ExtractCheck(key: key) { _ in
                defer { checked.signal() }
                return .failure(OutreachError("checked", exitCode: .dataError))
            }
            let nextDay = ExtractCheck(ruleSet: ruleSet, home: home, day: Self.asOf.adding(days: 1), confirmed: false)
            let endings: [(String, (InputsCopiedAhead) -> Bool)] = [
                ("an ingest on another day", { $0.take(paths, checking: nextDay) == nil }),
                ("an ingest of other inputs", { $0.take(Array(paths.dropLast()), checking: ahead) == nil }),
                ("no ingest at all", { $0.discard() == nil }),
            ]
            for (ending, end) in endings {
                let copying = InputsCopiedAhead(paths, home: home)
                let results = try #require(copying.startChecking(ahead))
                // Every copy checked, as at a daemon's start before its first ingest.
                for _ in paths { try #require(checked.wait(timeout: .now() + 60) == .success) }
                #expect(end(copying), "\(ending)")
                #expect(paths.indices.allSatisfy { results.take($0) == nil }, "\(ending)")
            }
        }
    }

    /// An inbox entry written again after its copy was made is not checked from that copy (the
    /// ingest then copies and checks it afresh).
    @Test func aCopyWhoseEntryChangedIsNeverChecked() throws {
        try withTemporaryDirectory { root in
            let (home, paths) = try homeWithExtractInInbox(FileIO.join(root, "home"))
            let patients = try #require(paths.first { !$0.hasSuffix("-events.csv") })
            let copying = InputsCopiedAhead(paths, home: home)
            _ = copying.copies()
            try FileIO.writeAtomically(text: try FileIO.readText(patients), to: patients)
            let checked = Mutex<[String]>([])
            let counting = ExtractCheck(key: Self.key(day: Self.asOf)) { staged in
                checked.withLock { $0.append(staged.source) }
                return nil
            }
            #expect(copying.take(paths, checking: counting) == nil)
            #expect(!checked.withLock { $0.contains(patients) })
        }
    }

    /// Copies given up are removed only once every check reading them has ended.
    @Test func copiesAreRemovedOnlyOnceTheirChecksHaveEnded() throws {
        try withTemporaryDirectory { root in
            let (home, paths) = try homeWithExtractInInbox(FileIO.join(root, "home"))
            let started = DispatchSemaphore(value: 0)
            let release = DispatchSemaphore(value: 0)
            let stillThere = Mutex<[Bool]>([])
            let slow = ExtractCheck(key: Self.key(day: Self.asOf)) { staged in
                started.signal()
                release.wait()
                stillThere.withLock { $0.append(FileIO.exists(staged.path)) }
                return nil
            }
            let copying = InputsCopiedAhead(paths, home: home)
            _ = copying.startChecking(slow)
            started.wait()
            let discarded = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                _ = copying.discard()
                discarded.signal()
            }
            // Time for a discard that did not wait to remove the copies under the check.
            usleep(100_000)
            for _ in paths { release.signal() }
            discarded.wait()
            #expect(!stillThere.withLock { $0.isEmpty })
            #expect(stillThere.withLock { $0.allSatisfy { $0 } }, "no copy removed while a check read it")
            #expect(try Self.contents(of: home.incoming).isEmpty)
        }
    }

    @Test func anEntryChangedSinceItWasCopiedIsCopiedAgainAndItsNewBytesIngested() throws {
        try withTemporaryDirectory { root in
            let (home, paths) = try homeWithExtractInInbox(FileIO.join(root, "home"))
            let events = try #require(paths.first { $0.hasSuffix("-events.csv") })
            let copying = InputsCopiedAhead(paths, home: home)
            _ = copying.copies()
            // A practice's system writes the file again, one row longer, after it was copied.
            let before = try FileIO.readText(events)
            let lastRow = try #require(before.split(separator: "\n").last)
            let after = before + lastRow + "\n"
            try FileIO.writeAtomically(text: after, to: events)
            #expect(copying.take(paths, checking: Self.noCheck) == nil)

            // Written again in place with the very same bytes: the same inode and size, but a new
            // modification time, so still not the file copied.
            let inPlace = InputsCopiedAhead(paths, home: home)
            _ = inPlace.copies()
            let bytes = Array(after.utf8)
            let fd = open(events, O_WRONLY)
            #expect(bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) } == bytes.count)
            close(fd)
            #expect(inPlace.take(paths, checking: Self.noCheck) == nil)

            let again = InputsCopiedAhead(paths, home: home)
            _ = again.copies()
            try FileIO.writeAtomically(text: after + lastRow + "\n", to: events)
            let session = try HomeSession(home: home)
            session.inputsCopiedAhead = again
            let results = try Ingestor.ingest(session, paths: paths, at: Self.morning, moveInputs: true)
            #expect(results.allSatisfy { if case .ingested = $0.outcome { true } else { false } })
            let archived = try #require(
                try FileIO.listDirectory(home.archive).first {
                    $0.hasSuffix(Ingestor.archivedSuffix(FileIO.fileName(of: events)))
                })
            #expect(try FileIO.readText(FileIO.join(home.archive, archived)) == after + lastRow + "\n")
        }
    }

    @Test func copiesNobodyTookAreRemoved() throws {
        try withTemporaryDirectory { root in
            let (home, paths) = try homeWithExtractInInbox(FileIO.join(root, "home"))
            let copying = InputsCopiedAhead(paths, home: home)
            #expect(copying.discard() == nil)
            #expect(try Self.contents(of: home.incoming).isEmpty)
            #expect(copying.take(paths, checking: Self.noCheck) == nil, "given up, never taken after")
        }
    }
}
