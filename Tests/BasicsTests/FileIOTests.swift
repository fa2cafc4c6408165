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

    /// Files written together (a day's lists, a batch's rejects) are each written whole, owner
    /// only, with no temporary file left; and when one cannot be written, none of the targets
    /// is touched.
    @Test func writesSeveralFilesTogetherOrTouchesNone() throws {
        try withTemporaryDirectory { directory in
            try FileIO.createDirectory(directory + "/a")
            try FileIO.createDirectory(directory + "/b")
            let files = (0..<9).map { index in
                (
                    path: directory + (index % 2 == 0 ? "/a/" : "/b/") + "file \(index).csv",
                    bytes: Array("file \(index)\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: index * 1000)
                )
            }
            try FileIO.writeAtomically(files)
            for file in files {
                #expect(try FileIO.readAll(file.path) == file.bytes)
                #expect(try FileIO.permissions(file.path) == 0o600)
            }
            #expect(try FileIO.listDirectory(directory + "/a").count == 5)
            #expect(try FileIO.listDirectory(directory + "/b").count == 4)

            // The last file's folder does not exist: nothing is written, the earlier files keep
            // their contents, and no temporary file is left.
            let again = files.map { ($0.path, Array("new".utf8)) } + [(directory + "/missing/x.csv", Array("x".utf8))]
            #expect(throws: FileIOError.self) { try FileIO.writeAtomically(again) }
            for file in files { #expect(try FileIO.readAll(file.path) == file.bytes) }
            #expect(try FileIO.listDirectory(directory + "/a").count == 5)
            #expect(try FileIO.listDirectory(directory + "/b").count == 4)
        }
    }

    /// A target that cannot be replaced (a folder) stops the batch at its turn: the files before
    /// it hold their new contents, the rest their old, and no temporary file is left.
    @Test func aBatchStoppedAtARenameLeavesNoTemporaryFile() throws {
        try withTemporaryDirectory { directory in
            let paths = ["first.csv", "a folder", "last.csv"].map { directory + "/" + $0 }
            try FileIO.writeAtomically(text: "old", to: paths[0])
            try FileIO.createDirectory(paths[1])
            try FileIO.createDirectory(paths[1] + "/inside")
            try FileIO.writeAtomically(text: "old", to: paths[2])
            #expect(throws: FileIOError.self) {
                try FileIO.writeAtomically(paths.map { ($0, Array("new".utf8)) })
            }
            #expect(try FileIO.readText(paths[0]) == "new")
            #expect(FileIO.isDirectory(paths[1]))
            #expect(try FileIO.readText(paths[2]) == "old")
            #expect(try FileIO.listDirectory(directory).sorted() == ["a folder", "first.csv", "last.csv"])
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
