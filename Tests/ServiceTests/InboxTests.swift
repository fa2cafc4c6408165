import Basics
import Foundation
import Population
import Testing

@testable import Service
import TestSupport

@Suite("Inbox")
struct InboxTests {
    private func listing(_ files: [String: (Int, Int)], markers: Set<String> = []) -> InboxListing {
        InboxListing(files: files.mapValues { FileObservation(size: $0.0, modified: $0.1) }, markers: markers)
    }

    @Test("a file is taken once its size and time are the same on two polls in a row")
    func stableAcrossTwoPolls() {
        var tracker = InboxTracker()
        #expect(tracker.poll(listing(["a.csv": (100, 1)])) == .init(ready: [], waiting: ["a.csv"]))
        #expect(tracker.poll(listing(["a.csv": (100, 1)])).ready == ["a.csv"])
    }

    @Test("a file still growing, or touched, waits")
    func growing() {
        var tracker = InboxTracker()
        _ = tracker.poll(listing(["a.csv": (100, 1)]))
        #expect(tracker.poll(listing(["a.csv": (200, 2)])).waiting == ["a.csv"])
        #expect(tracker.poll(listing(["a.csv": (200, 3)])).waiting == ["a.csv"])
        #expect(tracker.poll(listing(["a.csv": (200, 3)])).ready == ["a.csv"])
    }

    @Test("a NAME.done marker makes a file ready at first sight; an empty file waits for one")
    func markers() {
        var tracker = InboxTracker()
        #expect(tracker.poll(listing(["a.csv": (10, 1)], markers: ["a.csv"])).ready == ["a.csv"])
        var empty = InboxTracker()
        _ = empty.poll(listing(["b.csv": (0, 1)]))
        #expect(empty.poll(listing(["b.csv": (0, 1)])).waiting == ["b.csv"])
        #expect(empty.poll(listing(["b.csv": (0, 1)], markers: ["b.csv"])).ready == ["b.csv"])
    }

    @Test("a marker whose file has been gone for two polls is stale")
    func staleMarkers() {
        var tracker = InboxTracker()
        #expect(tracker.poll(listing([:], markers: ["gone.csv"])).staleMarkers == [])
        #expect(tracker.poll(listing([:], markers: ["gone.csv"])).staleMarkers == ["gone.csv.done"])
        // A marker that arrives before its file is not removed once the file appears.
        var early = InboxTracker()
        _ = early.poll(listing([:], markers: ["late.csv"]))
        #expect(early.poll(listing(["late.csv": (5, 1)], markers: ["late.csv"])) == .init(ready: ["late.csv"]))
    }

    @Test("a forgotten file must look complete afresh")
    func forget() {
        var tracker = InboxTracker()
        _ = tracker.poll(listing(["a.csv": (100, 1)]))
        tracker.forget("a.csv")
        #expect(tracker.poll(listing(["a.csv": (100, 1)])).waiting == ["a.csv"])
    }

    @Test(
        "temporary and hidden names are never inputs",
        arguments: [
            ("practice-E82001.csv", true), ("returned gina.CSV", true), (".hidden.csv", false),
            ("a.csv.done", false), ("a.csv.tmp", false), ("a.csv.part", false), ("a.csv~", false),
            ("a.csv.tmp-1234", false), ("a.csv.filepart", false), ("a.crdownload", false), ("", false),
        ])
    func candidates(name: String, expected: Bool) {
        #expect(InboxFolder.isCandidate(name) == expected)
    }

    @Test("listing a folder finds regular files and markers, and skips links and folders")
    func listing() throws {
        try withTemporaryDirectory { folder in
            try FileIO.writeAtomically(text: "a,b\n", to: FileIO.join(folder, "a.csv"))
            try FileIO.writeAtomically(text: "", to: FileIO.join(folder, "a.csv.done"))
            try FileIO.writeAtomically(text: "x", to: FileIO.join(folder, ".a.csv.swp"))
            try FileIO.createDirectory(FileIO.join(folder, "sub"))
            symlink("/etc/passwd", FileIO.join(folder, "link.csv"))
            let found = try InboxFolder.list(folder)
            #expect(found.files.keys.sorted() == ["a.csv"])
            #expect(found.files["a.csv"]?.size == 4)
            #expect(found.markers == ["a.csv"])
        }
    }
}

@Suite("Temporary files")
struct TemporaryFileTests {
    @Test(
        "the temporary names of interrupted writes are recognised, nothing else",
        arguments: [
            ("status.json.tmp-1234", true), ("journal.new-99", true), ("gina.csv.tmp-7", true),
            ("gina.csv", false), ("a.tmp-", false), ("a.tmp-12x", false), (".tmp-12", false), ("tmp-12", false),
        ])
    func names(name: String, expected: Bool) {
        #expect(Daemon.isTemporaryName(name) == expected)
    }

    @Test("only a temporary file whose writer has gone is swept; a running command's is left alone")
    func writerAlive() {
        #expect(Daemon.writer(ofTemporaryName: "report.html.tmp-4242") == 4242)
        #expect(Daemon.isAlive(getpid()))
        #expect(!Daemon.isAlive(0))
        #expect(!Daemon.isAlive(Int32.max), "no such process")
        #expect(
            Daemon.isLeftOver("status.json.tmp-\(getpid())"), "an earlier run with the same pid (pid 1 in a container)")
        #expect(!Daemon.isLeftOver("report.html.tmp-\(getppid())"), "a running command's")
    }
}

@Suite("Log text")
struct LogTextTests {
    @Test("an extract's reason is kept out of the log, which names only the file and line")
    func extractErrorsAreNotQuoted() {
        let error = ExtractError(
            file: "/home/x/inbox/extracts/practice-E82001.csv", line: 3,
            "no recognisable header row (headers seen: 9990000018, Jane Smith, 07700 900123)")
        let text = Daemon.logText(error)
        #expect(text.hasPrefix("practice-E82001.csv:3: the extract cannot be read"))
        #expect(!text.contains("Jane") && !text.contains("9990000018") && !text.contains("07700"))
        #expect(Daemon.describe(error).contains("Jane Smith"), "the .error.txt beside the file keeps the whole reason")
    }
}
