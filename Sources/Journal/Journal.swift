import Basics
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The scheduler's durable, auditable history: an append-only file of checksummed records
/// (layout in ``JournalFormat``).
///
/// Opening replays every record into a ``JournalHistory`` and cuts off a torn tail left by a crash
/// (``recovered`` says what was cut); damage before the end is refused with its offset, never
/// guessed around. Appends are batches, all or nothing, checked against the history first. They
/// reach the disk on ``sync()``: call it before moving an input out of the inbox, so the input is
/// either fully recorded or still there.
///
/// One process at a time may hold a journal open (an advisory `flock`); readers that must not
/// wait for the daemon use ``read(at:)`` and ``forEachEntry(at:_:)``, which never change the file.
/// The file is 0600 whatever the umask.
public final class Journal: Sendable {
    /// The journal file.
    public let path: String
    /// What opening cut off the end of the file (a crash's unfinished write), or `nil`.
    /// Log it: the description holds offsets and counts only.
    public let recovered: JournalTail?
    private let state: Mutex<State>
    /// `fdatasync`, or a test's stand-in for a disk that fails it.
    private let syncData: @Sendable (Int32) -> Int32

    private struct State {
        /// -1 once closed.
        var fd: Int32
        /// The file's length: where the next batch goes.
        var length: Int
        /// The length the last sync made durable (or opening found): a failed sync cuts the file
        /// back to it.
        var synced: Int
        var history: JournalHistory
        var encoder = RecordEncoder()
        /// Why appends are refused, if they are (closed, a failed write left bytes behind, or a
        /// sync failed).
        var unusable: String?
    }

    /// Opens the journal at `path` for appending, creating it (with its header) if it does not exist.
    /// - Throws: ``JournalError`` with code `locked` when another process has it open, `corruptRecord`
    ///   or `invalidRecord` (with the offset) for damage, `notAJournal` or `unsupportedFormat` for a
    ///   file that is not one this build can read, `ioFailure` when a system call fails.
    public convenience init(path: String) throws(JournalError) {
        try self.init(path: path, syncData: { fdatasync($0) })
    }

    /// ``init(path:)`` with `syncData` making the file's data durable in place of `fdatasync`.
    init(path: String, syncData: @escaping @Sendable (Int32) -> Int32) throws(JournalError) {
        self.path = path
        self.syncData = syncData
        try Journal.createIfMissing(path)
        let fd: Int32
        do {
            fd = try FileIO.call("open", path: path) { open(path, O_RDWR | O_APPEND | O_CLOEXEC) }
        } catch {
            throw JournalError(error)
        }
        do throws(JournalError) {
            try Journal.lock(fd, path: path)
            try Journal.io("fchmod", path) { fchmod(fd, 0o600) }
            var size = try Journal.fileSize(fd, path: path)
            if size == 0 {
                // An empty file (say, from `touch`) holds no history to misread: make it a journal.
                do throws(FileIOError) {
                    try FileIO.writeAll(fd: fd, bytes: JournalFormat.header(), path: path)
                } catch {
                    throw JournalError(error)
                }
                try Journal.io("fdatasync", path) { fdatasync(fd) }
                size = JournalFormat.headerLength
            }
            let (history, scan) = try Journal.replay(fd: fd, path: path, size: size)
            if let tail = scan.tail {
                try Journal.io("ftruncate", path) { ftruncate(fd, off_t(tail.offset)) }
                try Journal.io("fdatasync", path) { fdatasync(fd) }
            }
            recovered = scan.tail
            state = Mutex(
                State(fd: fd, length: scan.committedLength, synced: scan.committedLength, history: history))
        } catch {
            closeDescriptor(fd)
            throw error
        }
    }

    deinit {
        state.withLock { state in
            if state.fd >= 0 { closeDescriptor(state.fd) }
        }
    }

    /// The history so far: every record appended, replayed. A value: later appends do not change
    /// it (holding on to one while appending makes the next append copy the history, so take it
    /// afresh when needed rather than keeping it).
    public var history: JournalHistory {
        state.withLock { $0.history }
    }

    /// The file's length in bytes.
    public var byteCount: Int {
        state.withLock { $0.length }
    }

    /// Appends one record, as a batch of its own. See ``append(contentsOf:)``.
    public func append(_ record: JournalRecord) throws(JournalError) {
        try append(contentsOf: [record])
    }

    /// Appends records as one batch: after a crash either all of them are in the journal or none is.
    ///
    /// Each record is first checked against the history and the records before it in the batch
    /// (an outcome needs its item published, a day is published once, a file is ingested once…);
    /// if any fails, nothing is written. The batch is on disk only after ``sync()``.
    /// - Throws: ``JournalError`` with code `invalidRecord` or `recordTooLarge` (nothing written),
    ///   `ioFailure` (nothing written: a partial write is undone), or `unusable`.
    public func append(contentsOf records: [JournalRecord]) throws(JournalError) {
        guard !records.isEmpty else { return }
        try state.withLock { (state) throws(JournalError) in
            if let reason = state.unusable { throw JournalError(.unusable, path: path, detail: reason) }
            var pending = PendingRecords()
            for record in records {
                if let problem = state.history.problem(with: record, pending: pending) {
                    throw JournalError(.invalidRecord, path: path, detail: problem)
                }
                pending.note(record)
            }
            state.encoder.bytes.removeAll(keepingCapacity: true)
            for (index, record) in records.enumerated() {
                try JournalFormat.appendFrame(
                    record, endsBatch: index == records.count - 1, to: &state.encoder, path: path)
            }
            do throws(FileIOError) {
                try FileIO.writeAll(fd: state.fd, bytes: state.encoder.bytes, path: path)
            } catch {
                // Leave no partial batch behind, or the next batch would follow bytes that replay
                // must treat as damage.
                if ftruncate(state.fd, off_t(state.length)) != 0 {
                    state.unusable = "a failed write could not be undone (\(error.message)); reopen the journal"
                }
                throw JournalError(error)
            }
            state.length += state.encoder.bytes.count
            for record in records { state.history.apply(record) }
        }
    }

    /// Makes everything appended so far durable (`fdatasync`): call it before moving an input out
    /// of the inbox or publishing a list that the journal records.
    ///
    /// When the sync fails (an I/O error, or a full disk found only as the data is written), the
    /// records appended since the last sync may or may not be on disk, and a later sync could
    /// succeed without writing them (the error is reported once): they are cut off the file, and
    /// the cut synced, so that they are not recorded either way, as the caller that sees the error
    /// takes it. Only a disk that fails the cut too leaves them, to be replayed as recorded. The
    /// journal, whose history still holds them, must then be reopened.
    /// - Throws: ``JournalError`` with code `ioFailure` when the sync fails, or `unusable`.
    public func sync() throws(JournalError) {
        try state.withLock { (state) throws(JournalError) in
            if let reason = state.unusable { throw JournalError(.unusable, path: path, detail: reason) }
            let fd = state.fd
            do throws(JournalError) {
                try Journal.io("fdatasync", path) { syncData(fd) }
            } catch {
                // The cut is synced too (the failure was reported once, so this sync can succeed):
                // a cut lost in a power cut would bring the records back as recorded.
                var taken = ""
                if state.length > state.synced {
                    let truncated = ftruncate(fd, off_t(state.synced)) == 0
                    if truncated { state.length = state.synced }
                    let synced = truncated && (try? Journal.io("fdatasync", path) { syncData(fd) }) != nil
                    taken =
                        synced
                        ? "; the records appended since the last sync were taken off"
                        : "; the records appended since the last sync may be kept: their removal failed too"
                }
                state.unusable = "a sync failed\(taken): reopen the journal"
                throw JournalError(FileIOError(call: "fdatasync\(taken)", path: path, errno: error.errno ?? EIO))
            }
            state.synced = state.length
        }
    }

    /// Closes the file and releases the lock; later appends throw. Closing twice is harmless.
    public func close() {
        state.withLock { state in
            if state.fd >= 0 { closeDescriptor(state.fd) }
            state.fd = -1
            state.unusable = "the journal is closed"
        }
    }

    // MARK: - Reading without the lock

    /// Reads the history without locking or changing the file, for commands that run beside the
    /// daemon (`status`, `report`, `journal --csv`). A tail (an append in progress, or a crash not yet
    /// recovered) is ignored and returned.
    public static func read(at path: String) throws(JournalError) -> (history: JournalHistory, tail: JournalTail?) {
        let fd: Int32
        do {
            fd = try FileIO.call("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
        } catch {
            throw JournalError(error)
        }
        defer { closeDescriptor(fd) }
        let size = try fileSize(fd, path: path)
        if size == 0 { return (JournalHistory(), nil) }
        let (history, scan) = try replay(fd: fd, path: path, size: size)
        return (history, scan.tail)
    }

    /// Calls `body` with every committed record in order, without locking or changing the file,
    /// checking each against the records before it as opening does.
    /// - Returns: the tail that was ignored, if any.
    /// - Throws: a ``JournalError``, or whatever `body` throws (which stops the reading).
    @discardableResult
    public static func forEachEntry(at path: String, _ body: (JournalEntry) throws -> Void) throws -> JournalTail? {
        let fd = try FileIO.call("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { closeDescriptor(fd) }
        let size = try fileSize(fd, path: path)
        if size == 0 { return nil }
        var failure: (any Error)?
        do {
            let (_, scan) = try replay(fd: fd, path: path, size: size) { (entry) throws(JournalError) in
                do {
                    try body(entry)
                } catch {
                    failure = error
                    throw JournalError(.unusable, path: path, detail: "reading stopped")
                }
            }
            return scan.tail
        } catch {
            throw failure ?? error
        }
    }

    // MARK: - Private

    /// Checks the header, then replays every committed record into a history.
    private static func replay(
        fd: Int32, path: String, size: Int, each: (JournalEntry) throws(JournalError) -> Void = { _ in }
    ) throws(JournalError) -> (JournalHistory, FrameScanner.ScanResult) {
        let scanner = FrameScanner(fd: fd, path: path, fileSize: size)
        try JournalFormat.checkHeader(try scanner.read(from: 0, count: JournalFormat.headerLength), path: path)
        var history = JournalHistory()
        let scan = try scanner.scan { (record, sequence, offset) throws(JournalError) in
            if let problem = history.replay(record) {
                throw JournalError(.invalidRecord, path: path, offset: offset, detail: problem)
            }
            try each(JournalEntry(sequence: sequence, offset: offset, record: record))
        }
        return (history, scan)
    }

    /// Creates the file with its header if it does not exist. The header goes to a temporary file
    /// that is linked into place (`link` never replaces an existing file, unlike `rename`), so a
    /// journal is never seen without its header and a racing creator never replaces one.
    private static func createIfMissing(_ path: String) throws(JournalError) {
        if FileIO.exists(path) { return }
        let temporary = path + ".new-\(getpid())"
        do throws(FileIOError) {
            try FileIO.remove(temporary)
            let fd = try FileIO.call("open", path: temporary) {
                open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            }
            defer { closeDescriptor(fd) }
            try FileIO.call("fchmod", path: temporary) { fchmod(fd, 0o600) }
            try FileIO.writeAll(fd: fd, bytes: JournalFormat.header(), path: temporary)
            try FileIO.call("fsync", path: temporary) { fsync(fd) }
            if link(temporary, path) != 0, errno != EEXIST {
                throw FileIOError(call: "link", path: path, errno: errno)
            }
            try FileIO.remove(temporary)
            try FileIO.syncDirectory(FileIO.parentDirectory(of: path))
        } catch {
            try? FileIO.remove(temporary)
            throw JournalError(error)
        }
    }

    private static func lock(_ fd: Int32, path: String) throws(JournalError) {
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            if code == EWOULDBLOCK {
                throw JournalError(.locked, path: path, detail: "locked by another process")
            }
            throw JournalError(FileIOError(call: "flock", path: path, errno: code))
        }
    }

    private static func fileSize(_ fd: Int32, path: String) throws(JournalError) -> Int {
        var info = stat()
        try io("fstat", path) { fstat(fd, &info) }
        return Int(info.st_size)
    }

    /// Runs a system call through ``FileIO/call(_:path:_:)`` (retrying `EINTR`), as a ``JournalError``.
    private static func io<T: BinaryInteger>(_ name: String, _ path: String, _ body: () -> T) throws(JournalError) {
        do {
            try FileIO.call(name, path: path, body)
        } catch {
            throw JournalError(error)
        }
    }
}

/// A record as read back from the file, with its place in it.
public struct JournalEntry: Hashable, Sendable {
    /// The record's number in the journal: 1 for the first.
    public let sequence: Int
    /// The byte offset of its frame.
    public let offset: Int
    public let record: JournalRecord

    public init(sequence: Int, offset: Int, record: JournalRecord) {
        self.sequence = sequence
        self.offset = offset
        self.record = record
    }
}

/// `close(2)`, named apart from ``Journal/close()``.
private func closeDescriptor(_ fd: Int32) {
    _ = close(fd)
}
