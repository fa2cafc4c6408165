import Basics
import Synchronization
import TestSupport
import Testing

@testable import Journal

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A sync the disk fails (an I/O error, or a full disk found only as the data is written).
@Suite("Failed syncs")
struct SyncFailureTests {
    /// A test's disk: it fails the next `count` syncs with `error`, once told to.
    private final class Disk: Sendable {
        let failures = Mutex<(error: Int32, count: Int)>((0, 0))

        func fail(_ count: Int, with error: Int32) {
            failures.withLock { $0 = (error, count) }
        }
    }

    /// A journal on `disk` at `path` holding `Sample.batches[0]`, synced.
    private static func journalWithOneBatch(at path: String, on disk: Disk) throws -> Journal {
        let journal = try Self.journal(at: path, on: disk)
        try journal.append(contentsOf: Sample.batches[0])
        try journal.sync()
        return journal
    }

    /// A journal on `disk`.
    private static func journal(at path: String, on disk: Disk) throws -> Journal {
        try Journal(path: path) { fd in
            let error = disk.failures.withLock { failures -> Int32? in
                guard failures.count > 0 else { return nil }
                failures.count -= 1
                return failures.error
            }
            guard let error else { return fdatasync(fd) }
            errno = error
            return -1
        }
    }

    /// What was appended since the last sync is taken off when a sync fails: the caller, told the
    /// records were not made durable, takes them as not recorded (an ingest leaves its inputs in
    /// the inbox and removes their rejects reports), and reopening must agree, not replay them
    /// from a file that may lose them in a power cut.
    @Test(arguments: [EIO, ENOSPC])
    func aFailedSyncTakesBackWhatItDidNotMakeDurable(error: Int32) throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            let disk = Disk()
            let journal = try Self.journal(at: path, on: disk)
            let (synced, unsynced) = (Array(Sample.batches.prefix(2)), Array(Sample.batches[2..<4]))
            for batch in synced { try journal.append(contentsOf: batch) }
            try journal.sync()
            let length = journal.byteCount

            disk.fail(1, with: error)
            for batch in unsynced { try journal.append(contentsOf: batch) }
            #expect { try journal.sync() } throws: { thrown in
                guard let thrown = thrown as? JournalError else { return false }
                return thrown.code == .ioFailure && thrown.errno == error && thrown.message.contains("taken off")
            }
            #expect(try FileIO.sizeAndModification(path).size == length)
            #expect(journal.byteCount == length)
            // Its history still holds them: it takes nothing more until it is reopened.
            #expect { try journal.append(contentsOf: Sample.batches[4]) } throws: {
                ($0 as? JournalError)?.code == .unusable
            }
            journal.close()

            let reopened = try Journal(path: path)
            defer { reopened.close() }
            #expect(reopened.recovered == nil)
            #expect(reopened.history.recordCount == synced.joined().count)
            #expect(try entries(at: path).map(\.record) == Array(synced.joined()))
        }
    }

    /// A disk that fails the cut's sync too: the cut may not last, and the journal says so.
    @Test func aCutTheDiskFailsTooIsReported() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            let disk = Disk()
            let journal = try Self.journalWithOneBatch(at: path, on: disk)
            try journal.append(contentsOf: Sample.batches[1])
            disk.fail(2, with: EIO)
            #expect { try journal.sync() } throws: { error in
                guard let error = error as? JournalError else { return false }
                return error.code == .ioFailure && error.message.contains("may be kept")
            }
            #expect { try journal.append(contentsOf: Sample.batches[2]) } throws: {
                ($0 as? JournalError)?.code == .unusable
            }
            journal.close()
        }
    }

    /// A sync that fails with nothing appended since the last one leaves the file as it was, and
    /// the journal takes nothing more until it is reopened.
    @Test func aFailedSyncWithNothingNewLeavesTheFile() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            let disk = Disk()
            let journal = try Self.journalWithOneBatch(at: path, on: disk)
            disk.fail(1, with: EIO)
            #expect { try journal.sync() } throws: { ($0 as? JournalError)?.code == .ioFailure }
            #expect { try journal.append(contentsOf: Sample.batches[1]) } throws: {
                ($0 as? JournalError)?.code == .unusable
            }
            journal.close()
            #expect(try entries(at: path).map(\.record) == Sample.batches[0])
        }
    }
}
