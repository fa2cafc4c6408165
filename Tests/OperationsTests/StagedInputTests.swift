import Basics
import Foundation
import Synchronization
import Testing
import TestSupport

@testable import Operations

/// An ingest's inputs are copied and hashed two at a time when they are of about the same size:
/// each copy must still hold its own input's bytes under its own input's hash, whatever its
/// partner's length, and an input that cannot be read must not take its partner with it.
@Suite struct StagedInputTests {
    /// Bytes that differ from one input to the next, not all one value.
    private static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }

    @Test func inputsOfAboutTheSameSizeAreCopiedTogetherAndTheRestAlone() {
        let megabyte = 1 << 20
        let sizes = [
            17 * megabyte, 3 * megabyte / 2, 17 * megabyte + 5, 3 * megabyte / 2 + 9, 500_000, 0, 9 * megabyte,
        ]
        // 17 MB + 5 with 17 MB; 9 MB alone (the next largest is under half its size); the two
        // 1.5 MB files together; those under a chunk alone.
        #expect(StagedInput.copyUnits(sizes: sizes, pairing: true, cores: 2) == [[2, 0], [6], [3, 1], [4], [5]])
        #expect(StagedInput.copyUnits(sizes: [], pairing: true, cores: 2) == [])
        #expect(StagedInput.copyUnits(sizes: [megabyte, megabyte], pairing: true, cores: 1) == [[0, 1]])
        #expect(StagedInput.copyUnits(sizes: [megabyte - 1, megabyte - 1], pairing: true, cores: 1) == [[0], [1]])
        // Never fewer units than cores (two inputs on two cores go one a core), and none paired
        // where the processor cannot hash two faster than one after the other.
        #expect(StagedInput.copyUnits(sizes: [megabyte, megabyte], pairing: true, cores: 2) == [[0], [1]])
        #expect(StagedInput.copyUnits(sizes: sizes, pairing: true, cores: 6) == [[2, 0], [6], [3], [1], [4], [5]])
        #expect(StagedInput.copyUnits(sizes: sizes, pairing: false, cores: 2).count == sizes.count)
    }

    @Test func eachCopyHoldsItsOwnBytesUnderItsOwnHash() throws {
        try withTemporaryDirectory { root in
            // Lengths on and off the 64-byte blocks and the 1 MB chunks, one pair of each kind.
            let lengths = [(1 << 20) * 3 + 17, (1 << 20) * 2 + 64, (1 << 20) + 1, 1 << 20, 0, 100]
            var paths: [String] = []
            var contents: [[UInt8]] = []
            for (index, length) in lengths.enumerated() {
                let bytes = Self.bytes(length, seed: UInt64(index + 1))
                let path = FileIO.join(root, "input-\(index).csv")
                try FileIO.writeAtomically(bytes, to: path)
                paths.append(path)
                contents.append(bytes)
            }
            // Paired as an ingest pairs them where the processor hashes two at once: here always.
            let units = StagedInput.copyUnits(sizes: lengths, pairing: true, cores: 2)
            #expect(units.filter { $0.count == 2 }.count == 2, "the test copies some inputs two at a time")
            let handedOver = Mutex<[Int]>([])
            let staged = try StagedInput.stage(
                paths, in: FileIO.join(root, "incoming"), units: units,
                then: { index, _ in handedOver.withLock { $0.append(index) } })
            #expect(handedOver.withLock { $0.sorted() } == Array(paths.indices), "each copy handed on once")
            for (index, result) in staged.enumerated() {
                let copy = try result.get()
                try copy.makeDurable()
                #expect(copy.source == paths[index])
                #expect(try FileIO.readAll(copy.path) == contents[index])
                #expect(copy.hash.hex == SHA256.hexDigest(contents[index]))
            }
        }
    }

    @Test func anInputThatCannotBeReadLeavesTheOneCopiedBesideItCopied() throws {
        try withTemporaryDirectory { root in
            let bytes = Self.bytes((1 << 20) * 2 + 3, seed: 9)
            let readable = FileIO.join(root, "practice-E82001.csv")
            try FileIO.writeAtomically(bytes, to: readable)
            // Reading a folder fails even for root, as a file without permission would.
            let unreadable = FileIO.join(root, "practice-E82002.csv")
            try FileIO.createDirectory(unreadable)
            for units in [[[0, 1]], [[1, 0]]] {
                let handedOver = Mutex<[Int]>([])
                let staged = try StagedInput.stage(
                    [unreadable, readable], in: FileIO.join(root, "incoming"), units: units,
                    then: { index, _ in handedOver.withLock { $0.append(index) } })
                #expect(handedOver.withLock { $0 } == [1], "only the copy made is handed on")
                guard case .failure = staged[0] else {
                    Issue.record("a folder was copied as an input")
                    continue
                }
                let copy = try staged[1].get()
                try copy.makeDurable()
                #expect(try FileIO.readAll(copy.path) == bytes)
                #expect(copy.hash.hex == SHA256.hexDigest(bytes))
                #expect(try FileIO.listDirectory(FileIO.join(root, "incoming")) == ["1.incoming"])
            }
        }
    }

    /// An input written while it is being copied (a sender still writing it, or writing it again
    /// in place) is not staged: its copy would hold no one moment of the file, whatever its hash.
    /// It fails alone, as changed (the ingest leaves it where it is, to be read again once it has
    /// stopped changing), and the input copied beside it is copied.
    @Test func anInputWrittenWhileItIsCopiedIsNotStaged() throws {
        try withTemporaryDirectory { root in
            let changing = FileIO.join(root, "practice-E82001-events.csv")
            let still = FileIO.join(root, "practice-E82002-events.csv")
            try FileIO.writeAtomically(Self.bytes((1 << 20) * 3 + 7, seed: 14), to: changing)
            try FileIO.writeAtomically(Self.bytes((1 << 20) * 3, seed: 16), to: still)
            let folder = FileIO.join(root, "incoming")
            let chunks = Mutex(0)
            let staged = try StagedInput.stage(
                [changing, still], in: folder, units: [[0, 1]],
                isCancelled: {
                    // Before the second chunk is read, the sender writes more.
                    if chunks.withLock({ count in
                        count += 1
                        return count
                    }) == 2 {
                        let fd = open(changing, O_WRONLY | O_APPEND)
                        defer { close(fd) }
                        try? FileIO.writeAll(fd: fd, bytes: Self.bytes(500, seed: 15), path: changing)
                    }
                    return false
                })
            guard case .failure(let error) = staged[0] else {
                Issue.record("an input written while it was copied was staged")
                return
            }
            #expect(StagedInput.changedWhileRead(error))
            #expect(try FileIO.readAll(try staged[1].get().path) == FileIO.readAll(still))
            #expect(try FileIO.listDirectory(folder) == ["1.incoming"], "no copy of the changed input is left")

            // Left alone, it is copied whole.
            let copy = try #require(try StagedInput.stage([changing], in: folder).first).get()
            #expect(try FileIO.readAll(copy.path) == FileIO.readAll(changing))
        }
    }

    /// A file filed in `failed/` as unreadable is one that would fail the same way again (no
    /// permission, not a regular file); a machine out of file descriptors or memory, or an I/O
    /// error, leaves it where it is, to be copied again: a good extract is never refused for it.
    @Test func onlyTheInputsOwnFailuresFileItAsUnreadable() {
        for own in [EACCES, EPERM, EISDIR, ENOENT] { #expect(StagedInput.isTheInputsOwn(own), "\(own)") }
        for machine in [EMFILE, ENFILE, ENOMEM, EIO, EAGAIN, ENOSPC] {
            #expect(!StagedInput.isTheInputsOwn(machine), "\(machine)")
        }
    }

    /// The copy is the service's own file, never a second name of the inbox's: after a sender
    /// writes the input again in place, as `cp` over it does, the copy still holds the bytes its
    /// hash was taken of (H41).
    @Test func aCopyIsItsOwnFileSoAnInputWrittenAgainInPlaceLeavesItAsCopied() throws {
        try withTemporaryDirectory { root in
            let original = Self.bytes((1 << 20) * 2 + 5, seed: 11)
            let input = FileIO.join(root, "practice-E82001.csv")
            try FileIO.writeAtomically(original, to: input)
            let copy = try #require(try StagedInput.stage([input], in: FileIO.join(root, "incoming")).first).get()
            try copy.makeDurable()
            var copied = stat()
            var entry = stat()
            #expect(stat(copy.path, &copied) == 0 && stat(input, &entry) == 0)
            #expect(copied.st_ino != entry.st_ino, "the copy is a file of its own")
            #expect(copied.st_mode & 0o077 == 0, "the copy is the owner's alone")
            #expect(copy.hash.hex == SHA256.hexDigest(original))
            // Written again through the same inode, shorter and then longer.
            for rewrite in [Self.bytes(1000, seed: 12), Self.bytes((1 << 20) * 3, seed: 13)] {
                let fd = open(input, O_WRONLY | O_TRUNC)
                try #require(fd >= 0)
                defer { close(fd) }
                try FileIO.writeAll(fd: fd, bytes: rewrite, path: input)
                #expect(try FileIO.readAll(copy.path) == original)
                #expect(!copy.sourceIsUnchanged, "an entry written since it was copied is never taken away")
            }
        }
    }
}
