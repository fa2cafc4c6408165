import Basics
import Operations

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Leftovers of killed runs: half-written temporary files, swept once at start-up.
extension Daemon {
    /// Removes the temporary files that a killed run left half-written (`NAME.tmp-PID` from atomic
    /// writes, `journal.new-PID`) whose writer is gone: commands that need no lock (`report`) may
    /// be writing theirs. Some hold patient data; none is ever read.
    func sweepTemporaryFiles() {
        var removed = 0
        func sweep(_ folder: String, depth: Int) {
            guard depth < 4, let names = try? FileIO.listDirectory(folder) else { return }
            for name in names {
                let path = FileIO.join(folder, name)
                if FileIO.isDirectory(path) {
                    sweep(path, depth: depth + 1)
                } else if Daemon.isTemporaryName(name), Daemon.isLeftOver(name),
                    (try? FileIO.remove(path)) != nil
                {
                    removed += 1
                }
            }
        }
        for folder in [home.state, home.outbox, home.archive, home.failed, home.reports] { sweep(folder, depth: 0) }
        // Copies of inputs an ingest was stopped in the middle of (the daemon holds the lock, so
        // no ingest is running): their inbox files are still there to be ingested again. And
        // ingested inbox entries a stopped run had moved out of the inbox but not yet removed.
        for folder in [home.incoming, home.removing] {
            for name in (try? FileIO.listDirectory(folder)) ?? []
            where (try? FileIO.removeTree(FileIO.join(folder, name))) != nil {
                removed += 1
            }
        }
        if removed > 0 {
            logger.info("removed \(Formatting.count(removed, "temporary file")) left by an interrupted run")
        }
    }

    /// The process id at the end of a temporary name.
    static func writer(ofTemporaryName name: String) -> pid_t {
        pid_t(name.split(separator: "-").last.flatMap { Int32($0) } ?? 0)
    }

    /// Whether a temporary file was left by a writer that has gone. One with this process's id
    /// is an earlier run's (in a container the daemon may be pid 1 every time): the sweep runs
    /// before this process writes any.
    static func isLeftOver(_ name: String) -> Bool {
        let writer = writer(ofTemporaryName: name)
        return writer == getpid() || !isAlive(writer)
    }

    /// Whether a process with this id is running (or exists under another user).
    static func isAlive(_ pid: pid_t) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
    }

    /// `status.json.tmp-1234`, `journal.new-1234`.
    static func isTemporaryName(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
        let last = name[name.index(after: dot)...]
        guard last.hasPrefix("tmp-") || last.hasPrefix("new-") else { return false }
        let digits = last.dropFirst(4)
        return !digits.isEmpty && digits.allSatisfy { $0 >= "0" && $0 <= "9" }
    }
}
