import Basics
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// When the log file is rotated and how many old ones are kept, so a year of running cannot
/// fill a disk: at most `(keep + 1) × maximumBytes` of logs ever.
public struct LogRotation: Sendable, Equatable {
    /// The size at which the current file is set aside and a new one started.
    public var maximumBytes: Int
    /// How many old files are kept (`outreach.log.1` newest … `outreach.log.N` oldest).
    public var keep: Int

    public init(maximumBytes: Int = 4 << 20, keep: Int = 9) {
        self.maximumBytes = max(1024, maximumBytes)
        self.keep = max(0, keep)
    }

    /// Whether appending `adding` bytes to a file of `size` bytes should rotate it first
    /// (never for an empty file, so one huge line still gets written).
    public func shouldRotate(size: Int, adding: Int) -> Bool {
        size > 0 && size + adding > maximumBytes
    }

    /// The renames that rotate `name`, oldest first: `name.(keep-1)` → `name.keep`, …, `name` → `name.1`.
    /// The file that was `name.keep` is replaced (dropped). With `keep` 0 the file is just removed.
    public func renames(of name: String) -> [(from: String, to: String)] {
        guard keep > 0 else { return [] }
        var steps: [(String, String)] = []
        for index in stride(from: keep - 1, through: 1, by: -1) {
            steps.append(("\(name).\(index)", "\(name).\(index + 1)"))
        }
        steps.append((name, "\(name).1"))
        return steps
    }
}

/// Appends log lines to `logs/outreach.log` (0600, folder 0700), rotating it by size.
///
/// Each line is one `write(2)` on a descriptor opened with `O_APPEND`, so nothing is buffered
/// and a crash loses nothing logged. A failed write (a full disk) drops that line and the file is
/// reopened for the next; ``maintain()`` recreates the folder and the file if someone removed them.
public final class FileLogHandler: LogHandler {
    /// The current log file.
    public let path: String
    public let rotation: LogRotation
    private let state: Mutex<State>

    private struct State {
        var fd: Int32 = -1
        var size = 0
        /// Set by ``close()``: later records are dropped rather than reopening the file.
        var closed = false
    }

    /// Opens (or creates) `directory/name` for appending.
    public init(directory: String, name: String = "outreach.log", rotation: LogRotation = LogRotation())
        throws(FileIOError)
    {
        path = FileIO.join(directory, name)
        self.rotation = rotation
        state = Mutex(State())
        try state.withLock { (state) throws(FileIOError) in try FileLogHandler.open(path, &state) }
    }

    deinit {
        close()
    }

    /// Closes the file for good, the daemon's last step; records after it are dropped.
    /// Closing twice is harmless.
    public func close() {
        state.withLock { state in
            if state.fd >= 0 { closeDescriptor(state.fd) }
            state.fd = -1
            state.closed = true
        }
    }

    public func write(_ record: LogRecord) {
        let bytes = Array((record.line + "\n").utf8)
        state.withLock { state in
            guard !state.closed else { return }
            if state.fd < 0 { try? FileLogHandler.open(path, &state) }
            if rotation.shouldRotate(size: state.size, adding: bytes.count) {
                rotate(&state)
            }
            guard state.fd >= 0 else { return }
            do {
                try FileIO.writeAll(fd: state.fd, bytes: bytes, path: path)
                state.size += bytes.count
            } catch {
                closeDescriptor(state.fd)
                state.fd = -1
            }
        }
    }

    /// Recreates the folder and reopens the file when they have been removed (called once a cycle).
    public func maintain() {
        state.withLock { state in
            guard !state.closed, state.fd < 0 || !FileIO.isFile(path) else { return }
            if state.fd >= 0 { closeDescriptor(state.fd) }
            state.fd = -1
            try? FileLogHandler.open(path, &state)
        }
    }

    private func rotate(_ state: inout State) {
        if state.fd >= 0 { closeDescriptor(state.fd) }
        state.fd = -1
        let directory = FileIO.parentDirectory(of: path)
        let name = FileIO.fileName(of: path)
        if rotation.keep == 0 {
            try? FileIO.remove(path)
        }
        for step in rotation.renames(of: name) where FileIO.exists(FileIO.join(directory, step.from)) {
            try? FileIO.move(FileIO.join(directory, step.from), to: FileIO.join(directory, step.to))
        }
        try? FileLogHandler.open(path, &state)
    }

    private static func open(_ path: String, _ state: inout State) throws(FileIOError) {
        try FileIO.createDirectory(FileIO.parentDirectory(of: path))
        let fd = try FileIO.call("open", path: path) { openForAppending(path) }
        _ = fchmod(fd, 0o600)
        var info = stat()
        state.size = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
        state.fd = fd
    }
}

/// `open(2)` for appending, named apart from ``FileLogHandler``'s own `open`.
private func openForAppending(_ path: String) -> Int32 {
    open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
}

/// `close(2)`, named apart from ``FileLogHandler/close()``.
private func closeDescriptor(_ fd: Int32) {
    _ = close(fd)
}
