import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@testable import Basics

@Suite(.serialized) struct FileIOTests {
    @Test func writesOwnerOnlyFilesWhateverTheUmask() throws {
        try withTemporaryDirectory { directory in
            let previous = umask(0)
            defer { umask(previous) }
            let path = directory + "/a/b/list.csv"
            try FileIO.createDirectory(FileIO.parentDirectory(of: path))
            try FileIO.writeAtomically(text: "secret", to: path)
            #expect(try FileIO.permissions(path) == 0o600)
            #expect(try FileIO.permissions(directory + "/a/b") == 0o700)
            #expect(try FileIO.permissions(directory + "/a") == 0o700)
            #expect(try FileIO.readText(path) == "secret")
        }
    }

    @Test func replacesAtomicallyAndLeavesNoTemporaryFiles() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/status.json"
            try FileIO.writeAtomically(text: "one", to: path)
            try FileIO.writeAtomically(text: "two", to: path)
            #expect(try FileIO.readText(path) == "two")
            #expect(try FileIO.listDirectory(directory) == ["status.json"])
        }
    }

    @Test func missingInputIsExitSixtySix() {
        #expect { try FileIO.readAll("/nonexistent/outreach/file.csv") } throws: { error in
            (error as? FileIOError)?.exitCode == .noInput
                && (error as? FileIOError)?.message.hasPrefix("/nonexistent/outreach/file.csv: no such file") == true
        }
    }

    @Test func pathHelpers() {
        #expect(FileIO.parentDirectory(of: "a/b/c.csv") == "a/b")
        #expect(FileIO.parentDirectory(of: "c.csv") == ".")
        #expect(FileIO.parentDirectory(of: "/c.csv") == "/")
        #expect(FileIO.fileName(of: "a/b/c.csv") == "c.csv")
        #expect(FileIO.join("home", "outbox", "2026-11-23") == "home/outbox/2026-11-23")
        #expect(FileIO.join("home/", "x") == "home/x")
    }
}
