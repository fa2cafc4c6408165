import Foundation
import Testing
import Basics
import Journal
import Operations
import Service
import TestSupport

/// One bad entry in the inbox (a name too long to archive, a link, a pipe, a folder, a name that
/// is not UTF-8, a hard link to a file outside the home) never stops the service or the files
/// beside it, and never lies there unseen.
@Suite("Inbox entries that are not plain inputs")
struct InboxEntryTests {
    /// A name of `length` bytes for the practice's patients file, ending `.csv`.
    private func longName(_ length: Int) -> String {
        let start = "practice-E82001-"
        return start + String(repeating: "x", count: length - start.count - 4) + ".csv"
    }

    @Test("a long name is shortened to fit NAME_MAX, keeping its start, its extension, the stamp and hash")
    func shortenedNames() throws {
        #expect(FileIO.shortened("short.csv", toBytes: 40) == "short.csv")
        let cut = FileIO.shortened(String(repeating: "é", count: 200) + ".csv", toBytes: 101)
        #expect(cut.utf8.count <= 101 && cut.hasSuffix(".csv") && cut.hasPrefix("éé"))
        let suffix = Ingestor.archivedSuffix(longName(244))
        #expect(suffix.hasPrefix("-practice-E82001-xxx") && suffix.hasSuffix(".csv"))
        #expect(27 + suffix.utf8.count + ".error.txt".utf8.count <= FileIO.nameMax)
        #expect(27 + suffix.utf8.count - 4 + ".rejects.csv".utf8.count <= FileIO.nameMax)
        // A file whose own name is near the limit can still be written atomically.
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, String(repeating: "n", count: 251) + ".csv")
            try FileIO.writeAtomically(text: "a\n", to: path)
            #expect(try FileIO.readText(path) == "a\n")
        }
    }

    @Test("a 244-character extract name is archived under a shortened name, with the files beside it, in one cycle")
    func longExtractName() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            let daemon = try fixture.daemon()
            try fixture.dropExtract()
            let long = longName(244)
            try FileIO.move(
                FileIO.join(fixture.home.extractsInbox, "practice-E82001.csv"),
                to: FileIO.join(fixture.home.extractsInbox, long))
            daemon.cycle()
            daemon.cycle()
            #expect(try fixture.history.extracts.count == 4, "every file of the batch is ingested")
            #expect(try FileIO.listDirectory(fixture.home.extractsInbox).isEmpty)
            #expect(fixture.recorder.ingests == 1)
            let archived = try FileIO.listDirectory(fixture.home.archive)
            let kept = try #require(archived.first { $0.contains("-practice-E82001-xxx") && !$0.contains(".rejects") })
            #expect(kept.hasPrefix("20261123-0700-") && kept.hasSuffix(".csv") && kept.utf8.count <= FileIO.nameMax)
            #expect(!daemon.currentStatus.errors.contains { $0.step == "ingest" })
            daemon.shutDown()
        }
    }

    @Test("a returned list with a 244-character name is recorded and archived once, and the lists beside it too")
    func longReturnedListName() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            fixture.clock.now = LocalDateTime(day: Fixture.monday, minuteOfDay: 7 * 60 + 31)
            let daemon = try fixture.daemon()
            try fixture.dropExtract()
            daemon.cycle()
            daemon.cycle()
            let files = try fixture.returnLists(of: Fixture.monday) { $0 % 3 == 0 ? "bogus" : "reached" }
            #expect(files.count > 1)
            let long = FileIO.join(fixture.home.outcomesInbox, String(repeating: "r", count: 240) + ".csv")
            try FileIO.move(files[0], to: long)
            fixture.clock.now = LocalDateTime(day: Fixture.monday, minuteOfDay: 15 * 60)
            daemon.cycle()
            daemon.cycle()
            #expect(try fixture.history.count(of: .outcomeFileIngested) == files.count)
            #expect(try FileIO.listDirectory(fixture.home.outcomesInbox).isEmpty)
            let archived = try FileIO.listDirectory(fixture.home.archive).filter { $0.contains("-rrrr") }
            #expect(archived.count == 2, "the list and its rejects")
            #expect(archived.allSatisfy { $0.utf8.count <= FileIO.nameMax })
            #expect(!daemon.currentStatus.errors.contains { $0.step == "ingest" })
            daemon.shutDown()
        }
    }

    @Test("a 244-character garbage file goes to failed/ with its reason, and the extract beside it is ingested")
    func longGarbageName() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            let daemon = try fixture.daemon()
            let long = String(repeating: "s", count: 240) + ".pdf"
            try FileIO.writeAtomically(
                (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 7919) },
                to: FileIO.join(fixture.home.extractsInbox, long))
            try fixture.dropExtract()
            daemon.cycle()
            daemon.cycle()
            #expect(try fixture.history.extracts.count == 4)
            #expect(try FileIO.listDirectory(fixture.home.extractsInbox).isEmpty)
            let failed = try FileIO.listDirectory(fixture.home.failed)
            #expect(failed.count == 2)
            let reason = try #require(failed.first { $0.hasSuffix(".pdf.error.txt") })
            #expect(reason.utf8.count <= FileIO.nameMax)
            #expect(
                try FileIO.readText(FileIO.join(fixture.home.failed, reason)).hasPrefix(long + " could not be ingested")
            )
            #expect(daemon.currentStatus.queues.failedFiles == 1)
            #expect(
                fixture.log.messages.contains { $0.contains("not ingested") && $0.contains(String(reason.prefix(40))) })
            daemon.shutDown()
        }
    }

    @Test(
        "a link, a pipe and a name that is not UTF-8 go to failed/; a folder is named in status and log; none stops the cycle"
    )
    func oddEntries() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            let daemon = try fixture.daemon()
            let inbox = fixture.home.extractsInbox
            let target = FileIO.join(root, "outside.csv")
            try FileIO.writeAtomically(text: "kept\n", to: target, mode: 0o644)
            #expect(symlink(target, FileIO.join(inbox, "link.csv")) == 0)
            #expect(mkfifo(FileIO.join(inbox, "pipe.csv"), 0o600) == 0)
            try FileIO.createDirectory(FileIO.join(inbox, "sub"))
            let badName: [UInt8] = Array("bad".utf8) + [0xFF, 0xFE] + Array(".csv".utf8)
            let badPath = Array(inbox.utf8) + [UInt8(ascii: "/")] + badName + [0]
            let fd = badPath.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT, 0o600) }
            }
            #expect(fd >= 0)
            _ = write(fd, "x,y\n", 4)
            close(fd)
            try fixture.dropExtract()
            daemon.cycle()
            daemon.cycle()
            #expect(try fixture.history.extracts.count == 4, "the extract beside them is ingested")
            #expect(try FileIO.listDirectory(inbox) == ["sub"], "only the folder stays")
            #expect(try FileIO.readText(target) == "kept\n", "the link's target is untouched")
            #expect(try FileIO.permissions(target) == 0o644)
            let failed = try FileIO.listDirectory(fixture.home.failed)
            for name in ["link.csv", "pipe.csv", "bad??.csv"] {
                #expect(failed.contains { $0.hasSuffix("-" + name) }, "\(name) moved to failed/")
                #expect(failed.contains { $0.hasSuffix("-" + name + ".error.txt") }, "\(name)'s reason beside it")
            }
            let status = daemon.currentStatus
            #expect(status.queues.failedFiles == 3)
            #expect(status.inboxLeft?.count == 1)
            #expect(status.inboxLeft?.first?.hasPrefix("inbox/extracts/sub: a folder") == true)
            #expect(status.rendered(running: true).contains("Left in inbox:  inbox/extracts/sub: a folder"))
            let messages = fixture.log.messages
            #expect(messages.filter { $0.contains("inbox/extracts/sub: a folder") }.count == 1, "logged once")
            #expect(messages.contains { $0.contains("link.csv: a symbolic link, not an input; moved to failed/") })
            #expect(messages.contains { $0.contains("pipe.csv: a named pipe (FIFO), not an input; moved to failed/") })
            #expect(messages.contains { $0.contains("bad??.csv: a file whose name is not UTF-8 text") })
            daemon.shutDown()
            let written = try #require(ServiceStatus.read(fixture.home.statusFile))
            #expect(written.inboxLeft == status.inboxLeft)
        }
    }

    @Test("a hard-linked input is copied into the archive: the other link keeps its mode and content")
    func hardLinkedInput() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            let daemon = try fixture.daemon()
            try fixture.dropExtract()
            let outside = FileIO.join(fixture.extractFolder, "practice-E82002.csv")
            #expect(chmod(outside, 0o644) == 0)
            let inboxPath = FileIO.join(fixture.home.extractsInbox, "practice-E82002.csv")
            try FileIO.remove(inboxPath)
            #expect(link(outside, inboxPath) == 0)
            let before = try FileIO.readAll(outside)
            daemon.cycle()
            daemon.cycle()
            #expect(try fixture.history.extracts.count == 4)
            #expect(try FileIO.listDirectory(fixture.home.extractsInbox).isEmpty)
            #expect(try FileIO.permissions(outside) == 0o644, "the file outside the home keeps its mode")
            #expect(try FileIO.readAll(outside) == before)
            let archived = try #require(
                try FileIO.listDirectory(fixture.home.archive).first { $0.hasSuffix("-practice-E82002.csv") })
            let archivedPath = FileIO.join(fixture.home.archive, archived)
            #expect(try FileIO.permissions(archivedPath) == 0o400, "the service's own read-only copy")
            #expect(try FileIO.readAll(archivedPath) == before)
            var info = stat()
            #expect(
                stat(outside, &info) == 0 && info.st_nlink == 1, "the archive holds a copy, not a link to the input")
            daemon.shutDown()
        }
    }
}
