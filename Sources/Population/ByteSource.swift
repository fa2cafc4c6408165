import Dispatch
import Basics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An extract file's bytes: a file read with `pread` (so the parts of one file can be read at
/// once from several threads) or bytes in memory.
struct ByteSource: Sendable {
    let name: String
    let size: Int
    private let fd: Int32
    private let bytes: [UInt8]?

    init(_ input: ExtractInput) throws {
        name = input.name
        if let bytes = input.bytes {
            self.bytes = bytes
            fd = -1
            size = bytes.count
            return
        }
        let path = input.path
        let opened = try FileIO.call("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
        do {
            size = Int(try FileIO.call("lseek", path: path) { lseek(opened, 0, SEEK_END) })
        } catch {
            close(opened)
            throw error
        }
        bytes = nil
        fd = opened
    }

    func closeFile() {
        if fd >= 0 { close(fd) }
    }

    /// Where the first line that starts at or after `offset` starts (just after a line feed at
    /// `offset - 1` or later), or `nil` when there is none before `limit`.
    func firstLineStart(atOrAfter offset: Int, before limit: Int) throws -> Int? {
        guard offset > 0 else { return 0 }
        var block = [UInt8](repeating: 0, count: 1 << 16)
        var at = offset - 1
        while at < limit {
            let count = try block.withUnsafeMutableBytes { try read(at: at, into: $0) }
            if count == 0 { return nil }
            if let found = block[0..<count].firstIndex(of: 0x0A) { return at + found + 1 }
            at += count
        }
        return nil
    }

    /// Copies bytes from `offset` into `buffer`; returns how many (0 at the end).
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let bytes {
            let count = min(buffer.count, max(0, bytes.count - offset))
            if count > 0 {
                bytes.withUnsafeBytes { all in
                    buffer.baseAddress!.copyMemory(from: all.baseAddress! + offset, byteCount: count)
                }
            }
            return count
        }
        return try FileIO.call("read", path: name) { pread(fd, buffer.baseAddress, buffer.count, off_t(offset)) }
    }
}
