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
    /// The error a test's disk fails syncs with, once it is set.
    private final class Disk: Sendable {
        let failure = Mutex<Int32?>(nil)
    }

    /// A journal whose syncs fail, from when `disk` says so.
    private static func journal(at path: String, on disk: Disk) throws -> Journal {
        try Journal(path: path) { fd in
            guard let error = disk.failure.withLock({ $0 }) else { return fdatasync(fd) }
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

            disk.failure.withLock { $0 = error }
            for batch in unsynced { try journal.append(contentsOf: batch) }
            #expect(throws: JournalError.self) { try journal.sync() }
            #expect(try FileIO.sizeAndModification(path).size == length)
            // Its history still holds them: it takes nothing more until it is reopened.
            #expect(throws: JournalError.self) { try journal.append(contentsOf: Sample.batches[4]) }
            journal.close()

            let reopened = try Journal(path: path)
            defer { reopened.close() }
            #expect(reopened.recovered == nil)
            #expect(reopened.history.recordCount == synced.joined().count)
            #expect(try entries(at: path).map(\.record) == Array(synced.joined()))
        }
    }

    /// A sync that fails with nothing appended since the last one leaves the file as it was.
    @Test func aFailedSyncWithNothingNewLeavesTheFile() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            let disk = Disk()
            let journal = try Self.journal(at: path, on: disk)
            try journal.append(contentsOf: Sample.batches[0])
            try journal.sync()
            disk.failure.withLock { $0 = EIO }
            #expect(throws: JournalError.self) { try journal.sync() }
            journal.close()
            #expect(try entries(at: path).map(\.record) == Sample.batches[0])
        }
    }
}
