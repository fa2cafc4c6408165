import Basics
import Journal
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("File permissions and the writer's lock", .serialized)
struct PermissionsTests {
    @Test("the journal and the CSV export are 0600 even with a umask of 0")
    func ownerOnlyWhateverTheUmask() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            let csv = FileIO.join(folder, "history.csv")
            let previous = umask(0)
            defer { umask(previous) }
            try write(Sample.batches, to: path)
            try JournalExport.writeCSV(journalAt: path, to: csv)
            #expect(try FileIO.permissions(path) == 0o600)
            #expect(try FileIO.permissions(csv) == 0o600)
        }
    }

    @Test("an existing journal with looser permissions is made 0600 when opened for writing")
    func tightensExistingFile() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            try write(Sample.batches, to: path)
            chmod(path, 0o644)
            let journal = try Journal(path: path)
            #expect(try FileIO.permissions(path) == 0o600)
            journal.close()
        }
    }

    @Test("only one writer at a time: a second open waits for the first to close")
    func oneWriter() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            let first = try Journal(path: path)
            let error = try #require(throws: JournalError.self) { try Journal(path: path) }
            #expect(error.code == .locked)
            #expect(error.exitCode == .locked)
            #expect(
                error.message
                    == "\(path): error: the journal is open in another process (a running daemon?); try again when it has finished"
            )
            #expect(try Journal.read(at: path).history.recordCount == 0, "readers need no lock")
            first.close()
            let second = try Journal(path: path)
            second.close()
        }
    }

    @Test("creating a journal in a missing folder fails with the folder's error, not a crash")
    func missingFolder() throws {
        let error = try #require(throws: JournalError.self) { try Journal(path: "/nonexistent-outreach/state/journal") }
        #expect(error.code == .ioFailure)
        #expect(error.errno == ENOENT)
    }
}
