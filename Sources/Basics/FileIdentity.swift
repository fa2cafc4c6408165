#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One state of one file: its device and inode, size, and modification and status-change times.
/// Any write, any replacement under the same name, and any change of mode or links gives another
/// identity (no user can set a status-change time back). The service compares an inbox entry's
/// identity with the file it copied before it takes the entry away, so that a file put there
/// meanwhile is never removed unread.
public struct FileIdentity: Sendable, Equatable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modified: Int
    let changed: Int

    /// The identity of the open file `fd`; `nil` when it cannot be looked at.
    public init?(fd: Int32) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        self.init(info)
    }

    /// The identity of the entry `path` now (a link itself, not what it points to); `nil` when
    /// there is none.
    public init?(path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    private init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
        changed = Int(info.st_ctim.tv_sec) * 1_000_000_000 + Int(info.st_ctim.tv_nsec)
    }
}
