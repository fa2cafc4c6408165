import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An operating-system call that failed, with the call's name, the path and `errno`.
public struct FileIOError: UserFacingError, Equatable {
    public let call: String
    public let path: String
    public let errno: Int32

    public init(call: String, path: String, errno: Int32) {
        self.call = call
        self.path = path
        self.errno = errno
    }

    public var message: String {
        "\(path): \(FileIOError.describe(errno)) (\(call))"
    }

    public var exitCode: ExitCode {
        switch errno {
        case ENOENT, ENOTDIR: return call == "open" || call == "stat" || call == "opendir" ? .noInput : .ioError
        case EACCES, EPERM, EROFS, EEXIST: return .cannotCreate
        default: return .ioError
        }
    }

    /// `strerror` text for an `errno` value.
    public static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text).lowercased()
    }
}

/// Small, careful wrappers over POSIX file calls: retried on `EINTR`, errors that name the path,
/// files created 0600 and folders 0700 whatever the umask, and atomic replacement with `fsync`.
///
/// Patient data is written only through these, so its permissions are always owner-only.
public enum FileIO {
    /// Runs a system call that returns -1 on failure, retrying while it fails with `EINTR`.
    @discardableResult
    public static func call<T: BinaryInteger>(_ name: String, path: String, _ body: () -> T) throws(FileIOError) -> T {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = errno
            if code == EINTR { continue }
            throw FileIOError(call: name, path: path, errno: code)
        }
    }

    /// Reads a whole file into memory (rules, codelists, returned lists, status). The file's size as
    /// it opens sizes the buffer, so its bytes are read straight into place; a file that grows
    /// meanwhile is read to its end all the same.
    public static func readAll(_ path: String) throws(FileIOError) -> [UInt8] {
        let fd = try call("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        var info = stat()
        try call("fstat", path: path) { fstat(fd, &info) }
        let expected = max(0, Int(info.st_size))
        var failure: FileIOError?
        var result = [UInt8](unsafeUninitializedCapacity: expected) { buffer, count in
            while count < expected {
                do throws(FileIOError) {
                    let done = try call("read", path: path) { read(fd, buffer.baseAddress! + count, expected - count) }
                    if done == 0 { break }
                    count += done
                } catch {
                    failure = error
                    break
                }
            }
        }
        if let failure { throw failure }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try readSome(fd: fd, into: &chunk, path: path)
            if count == 0 { break }
            result.append(contentsOf: chunk[0..<count])
        }
        return result
    }

    /// The first `count` bytes of a file (fewer when it is shorter).
    public static func readPrefix(_ path: String, count: Int) throws(FileIOError) -> [UInt8] {
        let fd = try call("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        var result = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let done = try call("read", path: path) {
                result.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, count - filled) }
            }
            if done == 0 { break }
            filled += done
        }
        result.removeLast(count - filled)
        return result
    }

    /// Reads a whole UTF-8 text file (invalid bytes are replaced, never fatal).
    public static func readText(_ path: String) throws(FileIOError) -> String {
        String(decoding: try readAll(path), as: UTF8.self)
    }

    /// Writes `bytes` to `path` atomically: a temporary file beside it (mode `mode`), `fsync`,
    /// `rename` over the target, then `fsync` of the folder, so a crash leaves either the old file
    /// or the new one, never a mixture.
    public static func writeAtomically(_ bytes: some Collection<UInt8>, to path: String, mode: mode_t = 0o600)
        throws(FileIOError)
    {
        let temporary = try writeTemporary(Array(bytes), for: path, mode: mode)
        do {
            try call("rename", path: path) { rename(temporary, path) }
        } catch {
            unlink(temporary)
            throw error
        }
        try syncDirectory(parentDirectory(of: path))
    }

    /// Writes several files, each atomically as ``writeAtomically(_:to:mode:)`` does, with less
    /// waiting on the disk: every temporary file written and synced (on every core, so the syncs
    /// overlap), then each renamed over its target, then each folder synced once, not once a file.
    /// No target is touched unless every temporary file was written. The paths must differ.
    /// - Throws: `FileIOError` for the first failure; targets renamed before it hold their new
    ///   contents, but their folders may not be synced.
    public static func writeAtomically(_ files: [(path: String, bytes: [UInt8])], mode: mode_t = 0o600)
        throws(FileIOError)
    {
        precondition(Set(files.map(\.path)).count == files.count, "files written together must have different paths")
        let written = ChunkResults<Result<String, FileIOError>>(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            written.set(
                index,
                Result { () throws(FileIOError) in
                    try writeTemporary(files[index].bytes, for: files[index].path, mode: mode, number: index)
                })
        }
        let temporaries = written.values()
        let failure = temporaries.lazy.compactMap { result -> FileIOError? in
            if case .failure(let error) = result { error } else { nil }
        }.first
        let made = temporaries.compactMap { try? $0.get() }
        // The temporary files not (yet) renamed: all of them on a failure.
        var renamed = 0
        defer { for temporary in made[renamed...] { unlink(temporary) } }
        if let failure { throw failure }
        for (file, temporary) in zip(files, made) {
            try call("rename", path: file.path) { rename(temporary, file.path) }
            renamed += 1
        }
        try syncDirectories(files.map { parentDirectory(of: $0.path) })
    }

    /// ``syncDirectory(_:)`` of each folder (once each, however often it is named), on every
    /// core, so the waits for the disk overlap.
    /// - Throws: `FileIOError` for the first folder, in sorted order, that could not be synced.
    public static func syncDirectories(_ paths: [String]) throws(FileIOError) {
        let folders = Set(paths).sorted()
        let failures = ChunkResults<FileIOError?>(count: folders.count)
        DispatchQueue.concurrentPerform(iterations: folders.count) { index in
            do throws(FileIOError) {
                try syncDirectory(folders[index])
                failures.set(index, nil)
            } catch {
                failures.set(index, error)
            }
        }
        if let failure = failures.values().lazy.compactMap({ $0 }).first { throw failure }
    }

    /// Writes `bytes` to a new temporary file beside `path` (`NAME.tmp-PID`, NAME cut short when
    /// the whole would pass NAME_MAX: a target whose own name is near the limit must still be
    /// writable), mode `mode`, synced; returns its path. Nothing is left behind on a failure.
    /// - Parameter number: a file's place in a batch written together, in its temporary name
    ///   (`NAME.N.tmp-PID`), so two long names cut short alike still differ.
    private static func writeTemporary(_ bytes: [UInt8], for path: String, mode: mode_t, number: Int? = nil)
        throws(FileIOError) -> String
    {
        let suffix = (number.map { ".\($0)" } ?? "") + ".tmp-\(getpid())"
        let temporary = join(
            parentDirectory(of: path), shortened(fileName(of: path), toBytes: nameMax - suffix.utf8.count) + suffix)
        unlink(temporary)
        let fd = try call("open", path: temporary) {
            open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        }
        do {
            _ = fchmod(fd, mode)
            try writeAll(fd: fd, bytes: bytes, path: temporary)
            try call("fsync", path: temporary) { fsync(fd) }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        return temporary
    }

    /// Writes a string as UTF-8 with ``writeAtomically(_:to:mode:)``.
    public static func writeAtomically(text: String, to path: String, mode: mode_t = 0o600) throws(FileIOError) {
        try writeAtomically(Array(text.utf8), to: path, mode: mode)
    }

    /// Writes every byte to an open descriptor, continuing after short writes.
    public static func writeAll(fd: Int32, bytes: [UInt8], path: String) throws(FileIOError) {
        var failure: FileIOError?
        bytes.withUnsafeBytes { buffer in
            do throws(FileIOError) {
                try writeAll(fd: fd, buffer: buffer, path: path)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    /// Writes every byte of a buffer to an open descriptor, continuing after short writes.
    public static func writeAll(fd: Int32, buffer: UnsafeRawBufferPointer, path: String) throws(FileIOError) {
        var offset = 0
        while offset < buffer.count {
            offset += try call("write", path: path) { write(fd, buffer.baseAddress! + offset, buffer.count - offset) }
        }
    }

    /// Reads up to `buffer.count` bytes from an open descriptor into the start of `buffer`.
    /// - Returns: the number of bytes read; 0 at the end of the file.
    public static func readSome(fd: Int32, into buffer: inout [UInt8], path: String) throws(FileIOError) -> Int {
        try call("read", path: path) {
            buffer.withUnsafeMutableBytes { raw in read(fd, raw.baseAddress, raw.count) }
        }
    }

    /// `fsync` on a folder, so a rename or a new file in it survives a power cut.
    public static func syncDirectory(_ path: String) throws(FileIOError) {
        let fd = try call("open", path: path) { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { close(fd) }
        try call("fsync", path: path) { fsync(fd) }
    }

    /// Creates a folder and any missing parents with mode `mode` (0700 by default), each made
    /// durable in its parent (`fsync`), so a folder the journal refers to survives a power cut;
    /// an existing folder is left as it is.
    /// - Parameter syncingParent: sync the new folder's parent (otherwise the caller syncs it,
    ///   once for several folders made in it).
    public static func createDirectory(_ path: String, mode: mode_t = 0o700, syncingParent: Bool = true)
        throws(FileIOError)
    {
        if isDirectory(path) { return }
        let parent = parentDirectory(of: path)
        if parent != path, !parent.isEmpty, !isDirectory(parent) {
            try createDirectory(parent, mode: mode)
        }
        if mkdir(path, mode) != 0 {
            let code = errno
            if code == EEXIST, isDirectory(path) { return }
            throw FileIOError(call: "mkdir", path: path, errno: code)
        }
        _ = chmod(path, mode)
        if syncingParent { try syncDirectory(parent.isEmpty ? "." : parent) }
    }

    /// Whether `path` names an existing folder.
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether `path` names an existing regular file.
    public static func isFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Whether anything exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// The size in bytes and the modification time (nanoseconds) of a file.
    public static func sizeAndModification(_ path: String) throws(FileIOError) -> (size: Int, modified: Int) {
        var info = stat()
        try call("stat", path: path) { stat(path, &info) }
        return (Int(info.st_size), Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec))
    }

    /// Sets the permission bits of a file or folder.
    public static func setPermissions(_ path: String, _ mode: mode_t) throws(FileIOError) {
        try call("chmod", path: path) { chmod(path, mode) }
    }

    /// The permission bits of a file or folder (e.g. `0o600`).
    public static func permissions(_ path: String) throws(FileIOError) -> mode_t {
        var info = stat()
        try call("stat", path: path) { stat(path, &info) }
        return info.st_mode & 0o7777
    }

    /// The names in a folder, sorted, without `.` and `..`.
    public static func listDirectory(_ path: String) throws(FileIOError) -> [String] {
        guard let directory = opendir(path) else {
            throw FileIOError(call: "opendir", path: path, errno: errno)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// The longest file name (one path component) in bytes, as Linux file systems allow (NAME_MAX).
    public static let nameMax = 255

    /// A file name cut to at most `limit` UTF-8 bytes at a character boundary, keeping its
    /// extension (the part from the last `.`, when short) so the kind of file stays visible.
    public static func shortened(_ name: String, toBytes limit: Int) -> String {
        guard name.utf8.count > limit else { return name }
        var stem = Substring(name)
        var ext = Substring("")
        if let dot = name.lastIndex(of: "."), dot != name.startIndex,
            name.utf8.distance(from: dot, to: name.utf8.endIndex) <= 16
        {
            stem = name[..<dot]
            ext = name[dot...]
        }
        let room = max(0, limit - ext.utf8.count)
        var kept = ""
        var used = 0
        for character in stem {
            let size = character.utf8.count
            if used + size > room { break }
            kept.append(character)
            used += size
        }
        return kept + ext
    }

    /// Renames a file, failing rather than crossing file systems.
    public static func move(_ source: String, to destination: String) throws(FileIOError) {
        try call("rename", path: source) { rename(source, destination) }
    }

    /// Copies a file to `destination` atomically (a temporary file beside it, mode `mode`, synced,
    /// renamed into place, the folder synced), a chunk at a time, however large it is.
    public static func copyFile(from source: String, to destination: String, mode: mode_t = 0o600)
        throws(FileIOError)
    {
        let input = try call("open", path: source) { open(source, O_RDONLY | O_CLOEXEC) }
        defer { close(input) }
        let temporary = destination + ".tmp-\(getpid())"
        unlink(temporary)
        let output = try call("open", path: temporary) {
            open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        }
        do throws(FileIOError) {
            defer { close(output) }
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let count = try readSome(fd: input, into: &chunk, path: source)
                if count == 0 { break }
                try writeAll(fd: output, bytes: Array(chunk[0..<count]), path: temporary)
            }
            try call("fsync", path: temporary) { fsync(output) }
        } catch {
            unlink(temporary)
            throw error
        }
        try move(temporary, to: destination)
        try syncDirectory(parentDirectory(of: destination))
    }

    /// Gives the file at `source` a second name, `destination` (a hard link: one copy of the bytes,
    /// two names), replacing whatever `destination` was, and makes it durable in its folder (unless
    /// not `syncing`: a caller linking several files into one folder syncs it once).
    public static func hardLink(_ source: String, to destination: String, syncing: Bool = true) throws(FileIOError) {
        try remove(destination)
        try call("link", path: destination) { link(source, destination) }
        if syncing { try syncDirectory(parentDirectory(of: destination)) }
    }

    /// Removes a file; a file that is already gone is not an error.
    public static func remove(_ path: String) throws(FileIOError) {
        if unlink(path) != 0, errno != ENOENT {
            throw FileIOError(call: "unlink", path: path, errno: errno)
        }
    }

    /// The folder part of a path (`a/b/c.csv` → `a/b`; `c.csv` → `.`).
    public static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// The last component of a path (`a/b/c.csv` → `c.csv`).
    public static func fileName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// Joins path components with `/`.
    public static func join(_ first: String, _ rest: String...) -> String {
        var path = first
        for part in rest {
            if path.isEmpty || path.hasSuffix("/") { path += part } else { path += "/" + part }
        }
        return path
    }
}

extension FileIO {
    /// Copies a folder and everything in it (hidden files skipped), files 0600 and folders 0700;
    /// each folder's files written together (``writeAtomically(_:mode:)``: a rule set's forty
    /// files are not forty syncs of its folder one after another).
    public static func copyTree(from source: String, to destination: String) throws(FileIOError) {
        try createDirectory(destination)
        var files: [(path: String, bytes: [UInt8])] = []
        for name in try listDirectory(source) where !name.hasPrefix(".") {
            let from = join(source, name)
            let to = join(destination, name)
            if isDirectory(from) {
                try copyTree(from: from, to: to)
            } else if isFile(from) {
                files.append((to, try readAll(from)))
            }
        }
        try writeAtomically(files)
    }
}

extension FileIO {
    /// Removes a folder and everything in it. Use only on folders the program made itself.
    /// Symbolic links are removed, never followed.
    public static func removeTree(_ path: String) throws(FileIOError) {
        var info = stat()
        if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            for name in try listDirectory(path) { try removeTree(join(path, name)) }
            try call("rmdir", path: path) { rmdir(path) }
        } else {
            try remove(path)
        }
    }
}
