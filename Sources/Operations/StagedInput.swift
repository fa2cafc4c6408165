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

/// An input copied into `state/incoming/` as it was hashed: the service's own copy (0600,
/// synced), which is what is read, checked, stored and filed away from then on. No input is held
/// whole in memory (a morning's extracts reach hundreds of megabytes at ICB scale), the bytes
/// checked are the bytes kept (whatever happens to the inbox entry meanwhile), and the inbox
/// entry goes only once the copy is where it belongs.
struct StagedInput: Sendable {
    /// The inbox entry, or the file given to `outreach ingest`.
    let source: String
    /// The copy.
    let path: String
    /// The SHA-256 of the bytes copied.
    let hash: ContentHash

    /// The name the input was dropped with.
    var fileName: String { FileIO.fileName(of: source) }

    /// Copies and hashes each input on every core, in chunks, into `folder` (emptied first: what
    /// it holds was left by a run that was stopped, and nothing refers to it).
    /// - Returns: each input's copy, or why it could not be read.
    static func stage(_ paths: [String], in folder: String) throws -> [Result<StagedInput, FileIOError>] {
        if FileIO.exists(folder) { try FileIO.removeTree(folder) }
        try FileIO.createDirectory(folder)
        let results = ChunkResults<Result<StagedInput, FileIOError>>(count: paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            let copy = FileIO.join(folder, "\(index).incoming")
            results.set(
                index,
                Result { () throws(FileIOError) in
                    StagedInput(source: paths[index], path: copy, hash: try copyHashing(paths[index], to: copy))
                })
        }
        try FileIO.syncDirectory(folder)
        return results.values()
    }

    /// Copies `source` to `destination` (new, 0600, synced) a chunk at a time, hashing as it goes.
    private static func copyHashing(_ source: String, to destination: String) throws(FileIOError) -> ContentHash {
        let input = try FileIO.call("open", path: source) { open(source, O_RDONLY | O_CLOEXEC) }
        defer { close(input) }
        let output = try FileIO.call("open", path: destination) {
            open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        }
        var hasher = SHA256()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        do throws(FileIOError) {
            while true {
                let count = try FileIO.readSome(fd: input, into: &chunk, path: source)
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
                if let failure { throw failure }
            }
            try FileIO.call("fsync", path: destination) { fsync(output) }
            close(output)
        } catch {
            close(output)
            unlink(destination)
            throw error
        }
        return ContentHash(digest: hasher.finalize())!
    }
}
