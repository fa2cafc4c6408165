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
        /// The input itself cannot be read (no permission, not a regular file, a read error).
        case unreadable(FileIOError)
        /// The copy cannot be written (a full disk, say): a failure of the machine, not the input's.
        case machine(FileIOError)
    }

    /// Copies and hashes each input on every core, in chunks, into `folder` (emptied first: what
    /// it holds was left by a run that was stopped, and nothing refers to it).
    /// - Parameter then: called on the thread that made each input's copy, with its index and the
    ///   copy, as soon as it is made: for work on the copy that need not wait for the others
    ///   (checking an extract). It must not wait on other threads of the pool.
    /// - Returns: each input's copy, or why the input itself could not be read.
    /// - Throws: `FileIOError` when a copy cannot be written: the inputs stay where they are, to be
    ///   tried again, never filed as unreadable for want of disk space.
    static func stage(
        _ paths: [String], in folder: String, then: @Sendable (Int, StagedInput) -> Void = { _, _ in }
    ) throws -> [Result<StagedInput, FileIOError>] {
        if FileIO.exists(folder) { try FileIO.removeTree(folder) }
        try FileIO.createDirectory(folder)
        let results = ChunkResults<Outcome>(count: paths.count)
        let syncer = CopySyncer()
        defer { syncer.addedAll() }
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            let copy = FileIO.join(folder, "\(index).incoming")
            let outcome = copyHashing(paths[index], to: copy, index: index, syncer: syncer)
            results.set(index, outcome)
            if case .staged(let staged) = outcome { then(index, staged) }
        }
        try FileIO.syncDirectory(folder)
        return try results.values().map { outcome throws(FileIOError) in
            switch outcome {
            case .staged(let staged): return .success(staged)
            case .unreadable(let error): return .failure(error)
            case .machine(let error): throw error
            }
        }
    }

    /// Copies `source` to `destination` (new, 0600) a chunk at a time, hashing as it goes, and
    /// hands the copy to `syncer` to be synced as copy `index`.
    private static func copyHashing(_ source: String, to destination: String, index: Int, syncer: CopySyncer)
        -> Outcome
    {
        let input: Int32
        do throws(FileIOError) {
            input = try FileIO.call("open", path: source) { open(source, O_RDONLY | O_CLOEXEC) }
        } catch {
            return .unreadable(error)
        }
        defer { close(input) }
        let output: Int32
        do throws(FileIOError) {
            output = try FileIO.call("open", path: destination) {
                open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            }
        } catch {
            return .machine(error)
        }
        let identity = FileIdentity(fd: input)
        var hasher = SHA256()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count: Int
            do throws(FileIOError) {
                count = try FileIO.readSome(fd: input, into: &chunk, path: source)
            } catch {
                close(output)
                unlink(destination)
                return .unreadable(error)
            }
            if count == 0 { break }
            var failure: FileIOError?
            chunk.withUnsafeBytes { all in
                let piece = UnsafeRawBufferPointer(rebasing: all[0..<count])
                hasher.update(piece)
                do throws(FileIOError) {
                    try FileIO.writeAll(fd: output, buffer: piece, path: destination)
                } catch {
                    failure = error
                }
            }
            if let failure {
                close(output)
                unlink(destination)
                return .machine(failure)
            }
        }
        // Synced, then closed, by the syncer.
        syncer.add(index, fd: output, path: destination)
        return .staged(
            StagedInput(
                source: source, path: destination, hash: ContentHash(digest: hasher.finalize())!,
                sourceIdentity: identity, syncer: syncer, index: index))
    }
}
