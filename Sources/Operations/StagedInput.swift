import Basics
import Dispatch
import Vocabulary

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An input copied into `state/incoming/` as it was hashed: the service's own copy (0600, synced
/// before anything records it), which is what is read, checked, stored and filed away from then
/// on. No input is held whole in memory (a morning's extracts reach hundreds of megabytes at ICB scale), the bytes
/// checked are the bytes kept (whatever happens to the inbox entry meanwhile), and the inbox
/// entry goes only once the copy is where it belongs.
///
/// A copy, never a hard link to the inbox's file, though a link would skip most of a morning's
/// writing (measured 2026-12-06: a PCN's morning 0.274 s → 0.249 s): with one file under two
/// names, a sender still writing it, or writing it again in place as `cp` over it does, would
/// change the bytes after they were hashed and checked, the stored extract with them.
struct StagedInput: Sendable {
    /// The inbox entry, or the file given to `outreach ingest`.
    let source: String
    /// The copy.
    let path: String
    /// The SHA-256 of the bytes copied.
    let hash: ContentHash
    /// The inbox entry as it was when it was opened to be copied (`nil` if it could not be looked at).
    let sourceIdentity: FileIdentity?
    /// The sync of the copy, under way since it was written (see ``makeDurable()``).
    private let syncer: CopySyncer
    private let index: Int

    /// The name the input was dropped with.
    var fileName: String { FileIO.fileName(of: source) }

    /// Whether the inbox entry is still the file that was copied: not written, replaced or
    /// changed since it was opened. One that is not must not be taken away unread.
    var sourceIsUnchanged: Bool {
        guard let sourceIdentity else { return true }
        return FileIdentity(path: source) == sourceIdentity
    }

    /// Waits until the copy is on disk (synced): before the journal records it, and before its
    /// inbox entry is removed. The sync runs from when the copy was written, beside the checks.
    /// - Throws: `FileIOError` when the sync failed (a full disk, an I/O error): a failure of the
    ///   machine, and the input stays in the inbox.
    func makeDurable() throws(FileIOError) {
        try syncer.wait(index)
    }

    /// What became of one input.
    private enum Outcome: Sendable {
        case staged(StagedInput)
        /// The input itself cannot be read (no permission, not a regular file: see
        /// ``isTheInputsOwn(_:)``).
        case unreadable(FileIOError)
        /// The copy cannot be written (a full disk, say): a failure of the machine, not the input's.
        case machine(FileIOError)
        /// The input was written while it was read (see ``changedWhileRead(_:)``).
        case changed(FileIOError)
    }

    /// Whether an input's failure is that it was written while it was being copied (a sender not
    /// yet finished, or writing it again in place): its copy would hold no one moment of it,
    /// whatever its hash, so it is not copied this time and stays where it is, to be read again
    /// once it stays the same.
    static func changedWhileRead(_ error: FileIOError) -> Bool {
        error.errno == EAGAIN && error.call == changedCall
    }

    /// Whether a failure to open or read an input is the input's own, the same however often it is
    /// tried (no permission, not a regular file), so that it is filed in `failed/`; any other
    /// (out of file descriptors or memory, an I/O error) is the machine's, and leaves the input
    /// where it is, to be copied again later.
    static func isTheInputsOwn(_ errno: Int32) -> Bool {
        [EACCES, EPERM, EISDIR, ENOENT, ENOTDIR, ELOOP, ENXIO, ENODEV, ENAMETOOLONG, EINVAL, EFBIG, EOVERFLOW]
            .contains(errno)
    }

    /// The failure of an input at `path` that changed while it was read.
    static func changed(_ path: String) -> FileIOError {
        FileIOError(call: changedCall, path: path, errno: EAGAIN)
    }

    /// The call a changed input's error names (``changedWhileRead(_:)``): no system call
    /// fails with it, so no other failure is taken for a change.
    private static let changedCall = "copy: it changed while it was read"

    /// Copies and hashes each input on every core, in chunks, into `folder` (emptied first: what
    /// it holds was left by a run that was stopped, and nothing refers to it). Inputs of about the
    /// same size go two at a time, their hashes computed together (``SHA256/update(_:with:_:with:)``):
    /// the hash is most of a copy's work, and two side by side take little more than one.
    /// - Parameter then: called on the thread that made each input's copy, with its index and the
    ///   copy, as soon as it is made (as soon as the other input copied beside it is): for work on
    ///   the copy that need not wait for the others (checking an extract). It must not wait on
    ///   other threads of the pool.
    /// - Parameter units: which inputs are copied together, each in one unit
    ///   (``copyUnits(for:)`` by default; the tests choose their own).
    /// - Parameter isCancelled: asked before each chunk: once it says yes, the copies not yet made
    ///   stop, are removed, and `stage` throws (`ECANCELED`).
    /// - Returns: each input's copy, or why the input itself could not be read, or that it changed
    ///   while it was read (``changedWhileRead(_:)``).
    /// - Throws: `FileIOError` when a copy cannot be written: the inputs stay where they are, to be
    ///   tried again, never filed as unreadable for want of disk space.
    static func stage(
        _ paths: [String], in folder: String, units: [[Int]]? = nil,
        isCancelled: @Sendable () -> Bool = { false }, then: @Sendable (Int, StagedInput) -> Void = { _, _ in }
    ) throws -> [Result<StagedInput, FileIOError>] {
        if FileIO.exists(folder) { try FileIO.removeTree(folder) }
        try FileIO.createDirectory(folder)
        let results = ChunkResults<Outcome>(count: paths.count)
        let syncer = CopySyncer()
        defer { syncer.addedAll() }
        let units = units ?? copyUnits(for: paths)
        precondition(units.joined().sorted() == Array(paths.indices), "each input is in one unit")
        DispatchQueue.concurrentPerform(iterations: units.count) { unit in
            let inputs = units[unit].map {
                (source: paths[$0], destination: FileIO.join(folder, "\($0).incoming"), index: $0)
            }
            for (index, outcome) in zip(
                units[unit], copyHashing(inputs, syncer: syncer, isCancelled: isCancelled))
            {
                results.set(index, outcome)
                if case .staged(let staged) = outcome { then(index, staged) }
            }
        }
        try FileIO.syncDirectory(folder)
        return try results.values().map { outcome throws(FileIOError) in
            switch outcome {
            case .staged(let staged): return .success(staged)
            case .unreadable(let error), .changed(let error): return .failure(error)
            case .machine(let error): throw error
            }
        }
    }

    /// ``copyUnits(sizes:pairing:cores:)`` for the files at `paths`, on this processor.
    static func copyUnits(for paths: [String]) -> [[Int]] {
        copyUnits(
            sizes: paths.map { (try? FileIO.sizeAndModification($0))?.size ?? 0 },
            pairing: SHA256.hashesTwoAtOnce, cores: Processors.active)
    }

    /// The inputs (by index) copied together: the largest first, each with the next largest when
    /// that is at least a chunk and at least half its size (two hashes side by side gain only
    /// while both last); the rest alone. Only with `pairing` (the processor hashes two messages
    /// faster together than one after the other), and never into fewer units than `cores`.
    static func copyUnits(sizes: [Int], pairing: Bool, cores: Int) -> [[Int]] {
        let bySize = sizes.indices.sorted { (sizes[$0], $1) > (sizes[$1], $0) }
        var pairsLeft = pairing ? max(0, sizes.count - cores) : 0
        var units: [[Int]] = []
        var position = 0
        while position < bySize.count {
            let index = bySize[position]
            if pairsLeft > 0, position + 1 < bySize.count {
                let next = bySize[position + 1]
                if sizes[next] >= Copy.chunkSize, 2 * sizes[next] >= sizes[index] {
                    pairsLeft -= 1
                    units.append([index, next])
                    position += 2
                    continue
                }
            }
            units.append([index])
            position += 1
        }
        return units
    }

    /// Copies each of one or two inputs to its destination (new, 0600) a chunk at a time, hashing
    /// as it goes (two inputs' chunks hashed together), and hands each copy to `syncer` to be
    /// synced under its index. One input's failure leaves the other's copy going.
    private static func copyHashing(
        _ inputs: [(source: String, destination: String, index: Int)], syncer: CopySyncer,
        isCancelled: () -> Bool
    ) -> [Outcome] {
        var outcomes = [Outcome?](repeating: nil, count: inputs.count)
        var copies: [(slot: Int, copy: Copy)] = []
        for (slot, input) in inputs.enumerated() {
            switch Copy.start(input.source, to: input.destination, index: input.index) {
            case .success(let copy): copies.append((slot, copy))
            case .failure(let failure): outcomes[slot] = failure.outcome
            }
        }
        while !copies.isEmpty {
            if isCancelled() {
                // Each unfinished copy is closed and removed as it goes.
                for (slot, copy) in copies {
                    outcomes[slot] = .machine(FileIOError(call: "copy", path: copy.destination, errno: ECANCELED))
                }
                copies.removeAll()
                break
            }
            copies.removeAll { slot, copy in
                if let failure = copy.read() {
                    outcomes[slot] = failure
                } else if copy.count == 0 {
                    outcomes[slot] = copy.inputIsUnchanged ? copy.finish(syncer: syncer) : copy.changedOutcome
                } else {
                    return false
                }
                return true
            }
            if copies.count == 2 {
                let (first, second) = (copies[0].copy, copies[1].copy)
                first.chunk.withUnsafeBytes { a in
                    second.chunk.withUnsafeBytes { b in
                        SHA256.update(
                            &first.hasher, with: UnsafeRawBufferPointer(rebasing: a[0..<first.count]),
                            &second.hasher, with: UnsafeRawBufferPointer(rebasing: b[0..<second.count]))
                    }
                }
            } else if let only = copies.first?.copy {
                only.chunk.withUnsafeBytes { only.hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<only.count])) }
            }
            copies.removeAll { slot, copy in
                guard let failure = copy.write() else { return false }
                outcomes[slot] = failure
                return true
            }
        }
        return outcomes.map { $0! }
    }

    /// A failure to start a copy, as an `Error` for `Result`.
    private struct StartFailure: Error {
        let outcome: Outcome
    }

    /// One input being copied and hashed, a chunk at a time.
    private final class Copy {
        static let chunkSize = 1 << 20
        let source: String
        let destination: String
        let index: Int
        private let input: Int32
        private var output: Int32
        private let identity: FileIdentity?
        var hasher = SHA256()
        var chunk = [UInt8](repeating: 0, count: Copy.chunkSize)
        /// The bytes of ``chunk`` read last; 0 at the end of the input.
        private(set) var count = 0

        private init(source: String, destination: String, index: Int, input: Int32, output: Int32) {
            (self.source, self.destination, self.index, self.input, self.output) =
                (source, destination, index, input, output)
            identity = FileIdentity(fd: input)
        }

        deinit {
            close(input)
            if output >= 0 {
                close(output)
                unlink(destination)
            }
        }

        /// Opens `source` and creates `destination`: the input cannot be read, or the copy
        /// cannot be made (a failure of the machine).
        static func start(_ source: String, to destination: String, index: Int) -> Result<Copy, StartFailure> {
            let input: Int32
            do throws(FileIOError) {
                input = try FileIO.call("open", path: source) { open(source, O_RDONLY | O_CLOEXEC) }
            } catch {
                return .failure(
                    StartFailure(
                        outcome: StagedInput.isTheInputsOwn(error.errno) ? .unreadable(error) : .machine(error)))
            }
            let output: Int32
            do throws(FileIOError) {
                output = try FileIO.call("open", path: destination) {
                    open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
                }
            } catch {
                close(input)
                return .failure(StartFailure(outcome: .machine(error)))
            }
            return .success(Copy(source: source, destination: destination, index: index, input: input, output: output))
        }

        /// Reads the next chunk into ``chunk`` (``count`` 0 at the end of the input); the
        /// outcome when the input cannot be read (the copy is then removed).
        func read() -> Outcome? {
            do throws(FileIOError) {
                count = try FileIO.readSome(fd: input, into: &chunk, path: source)
                return nil
            } catch {
                return StagedInput.isTheInputsOwn(error.errno) ? .unreadable(error) : .machine(error)
            }
        }

        /// Whether the input is the file it was when it was opened: one written while it was being
        /// read (a sender that writes it again in place, or had not finished) gives a copy of no
        /// one moment, whatever its hash, which must not be checked or recorded.
        var inputIsUnchanged: Bool { identity == nil || FileIdentity(fd: input) == identity }

        /// The outcome of a copy whose input changed while it was read (``changedWhileRead(_:)``).
        var changedOutcome: Outcome {
            .changed(StagedInput.changed(source))
        }

        /// Writes the chunk read to the copy; the outcome when it cannot be written (the copy is
        /// then removed).
        func write() -> Outcome? {
            var failure: FileIOError?
            chunk.withUnsafeBytes { all in
                do throws(FileIOError) {
                    try FileIO.writeAll(
                        fd: output, buffer: UnsafeRawBufferPointer(rebasing: all[0..<count]), path: destination)
                } catch {
                    failure = error
                }
            }
            return failure.map { .machine($0) }
        }

        /// The finished copy, handed to `syncer` to be synced, then closed.
        func finish(syncer: CopySyncer) -> Outcome {
            syncer.add(index, fd: output, path: destination)
            output = -1
            return .staged(
                StagedInput(
                    source: source, path: destination, hash: ContentHash(digest: hasher.finalize())!,
                    sourceIdentity: identity, syncer: syncer, index: index))
        }
    }
}
