import Basics
import Cohorts
import Journal
import Operations
import Service

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The stage a PCN waits for: one morning's daemon cycle (ingest the practices' extracts, publish
/// the day's lists, refresh the report), timed beside one `outreach cohorts` run over the same
/// files with the same rules. `outreach bench` runs each as a user does, `outreach daemon --once`
/// and `outreach cohorts` each a process of its own, start-up and rules included.
public enum MorningBenchmark {
    /// Each run's times, in seconds: a `cohorts` run, then a morning, in turn.
    public struct Timings: Sendable {
        public let cohortsRuns: [Double]
        public let morningRuns: [Double]
        /// Calls published by the morning's cycle (a check that it did the whole morning).
        public let calls: Int

        /// The median `cohorts` run.
        public var cohorts: Double { Timings.median(cohortsRuns) }
        /// The median morning.
        public var morning: Double { Timings.median(morningRuns) }
        /// How many `cohorts` runs the morning takes: each run's morning against the `cohorts` run
        /// just before it (a slow spell of the machine, a tenth or more here, slows both), then the
        /// median of those ratios (an odd pair does not move it).
        public var ratio: Double {
            Timings.median(zip(morningRuns, cohortsRuns).map { morning, cohorts in morning / max(cohorts, 0.000_001) })
        }

        /// The middle value (the mean of the middle two for an even count); 0 for none.
        static func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return 0 }
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }
    }

    /// Times `runs` of each over `files` on `day` (a working day; the cycle runs at 07:31, after
    /// the default publish time). Each morning starts from a new home in `folder` whose inbox holds
    /// the files with their `.done` markers, the documented way to say a file is complete, so the
    /// cycle does not wait a poll for files that might still be growing. The copies are on disk
    /// before the clock starts, as a night's extracts are by the morning: otherwise the cycle's
    /// own syncs wait for the benchmark's writing (up to 50 ms of a 0.26 s morning, seen in a
    /// trace), which a `cohorts` run, reading only, never does. The `cohorts` run writes its CSV
    /// to standard output (thrown away), as at a terminal: `--out` would add a sync to the disk.
    /// - Parameter executable: the `outreach` program both commands are run with, each in a
    ///   process of its own (`/proc/self/exe` from `outreach bench`); `nil` runs them in this
    ///   process instead (unit tests, which are not that program), where neither pays a start-up.
    public static func run(
        files: [String], rules: String, day: Day, runs: Int, in folder: String, executable: String?
    ) throws -> Timings {
        var cohorts: [Double] = []
        var morning: [Double] = []
        var calls = 0
        let instant = LocalDateTime(day: day, minuteOfDay: 7 * 60 + 31)
        try FileIO.createDirectory(folder)
        let errors = FileIO.join(folder, "errors.txt")
        defer { try? FileIO.remove(errors) }
        for index in 0..<max(1, runs) {
            let clock = Stopwatch()
            if let executable {
                let options = ["--as-of", day.description, "--format", "csv", "--max-reject-rate", "100%"]
                try spawnAndWait(
                    executable, ["cohorts", "--rules", rules, "--extract"] + files + options, errors: errors)
            } else {
                _ = try CohortCommands.cohorts(
                    rulesDirectory: rules, extracts: files, asOf: day, format: .csv, maxRejectRate: 1)
            }
            cohorts.append(clock.seconds)

            let home = try Home.create(at: FileIO.join(folder, "home-\(index)"), rulesFrom: rules)
            for file in files {
                let name = FileIO.fileName(of: file)
                try FileIO.copyFile(from: file, to: FileIO.join(home.extractsInbox, name))
                try FileIO.writeAtomically(
                    text: "", to: FileIO.join(home.extractsInbox, name + InboxFolder.markerSuffix))
            }
            sync()
            let morningClock = Stopwatch()
            if let executable {
                do {
                    try spawnAndWait(
                        executable, ["daemon", "--home", home.path, "--once", "--now", instant.description],
                        errors: errors)
                } catch let error as OutreachError {
                    // The daemon logs to its home, which is removed: the log's last lines say why.
                    let log = (try? FileIO.listDirectory(home.logs))?.sorted().last.map { FileIO.join(home.logs, $0) }
                    let tail = log.flatMap { try? FileIO.readText($0) }?.split(separator: "\n").suffix(5)
                    throw OutreachError(
                        error.message + (tail.map { "; its log ends:\n" + $0.joined(separator: "\n") } ?? ""),
                        exitCode: error.exitCode)
                }
            } else {
                try cycle(home, at: instant)
            }
            morning.append(morningClock.seconds)
            calls = try Journal.read(at: home.journal).history.items(on: day).count
            try FileIO.removeTree(home.path)
        }
        return Timings(cohortsRuns: cohorts, morningRuns: morning, calls: calls)
    }

    /// Runs `executable` with `arguments` and waits for it, its standard output thrown away and
    /// its standard error kept in `errors` (shown if it fails). Spawned and waited for directly:
    /// Foundation's `Process` notices an exit only at a turn of its run loop, up to 50 ms late,
    /// too coarse to time a command of a tenth of a second.
    /// - Throws: `FileIOError` when it cannot be started; `OutreachError` when it does not exit 0.
    static func spawnAndWait(_ executable: String, _ arguments: [String], errors: String) throws {
        var actions = posix_spawn_file_actions_t()
        guard posix_spawn_file_actions_init(&actions) == 0 else {
            throw FileIOError(call: "posix_spawn_file_actions_init", path: executable, errno: ENOMEM)
        }
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (fd, path, flags) in [
            (Int32(0), "/dev/null", O_RDONLY), (1, "/dev/null", O_WRONLY), (2, errors, O_WRONLY | O_CREAT | O_TRUNC),
        ] {
            let added = posix_spawn_file_actions_addopen(&actions, fd, path, flags, 0o600)
            guard added == 0 else {
                throw FileIOError(call: "posix_spawn_file_actions_addopen", path: path, errno: added)
            }
        }
        let argv = ([executable] + arguments).map { strdup($0) }
        defer { for argument in argv { free(argument) } }
        guard !argv.contains(nil) else { throw FileIOError(call: "strdup", path: executable, errno: ENOMEM) }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv + [nil], environ)
        guard spawned == 0 else { throw FileIOError(call: "posix_spawn", path: executable, errno: spawned) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw FileIOError(call: "waitpid", path: executable, errno: errno) }
        }
        // The low 7 bits: the signal that ended it (0 when it exited); the next 8: its exit status.
        let (signal, exit) = (status & 0x7F, (status >> 8) & 0xFF)
        guard signal != 0 || exit != 0 else { return }
        let said = (try? FileIO.readText(errors))?.trimmed ?? ""
        throw OutreachError(
            "the benchmark's 'outreach \(arguments.first ?? "")' "
                + (signal != 0 ? "was ended by signal \(signal)" : "exited with status \(exit)")
                + (said.isEmpty ? "" : ": \(said)"), exitCode: .ioError)
    }

    /// What `outreach daemon --once --now INSTANT` does once it has parsed its arguments.
    private static func cycle(_ home: Home, at instant: LocalDateTime) throws {
        let lock = try HomeLock.acquire(home)
        let fileLog = try FileLogHandler(directory: home.logs)
        let daemon = try Daemon(
            options: DaemonOptions(home: home, once: true, pinnedNow: instant), lock: lock,
            logger: Logger(handlers: [fileLog]), fileLog: fileLog, clock: .pinned(instant))
        let status = try daemon.runOnce(mailbox: SignalMailbox())
        guard status == .success else {
            throw OutreachError(
                "the benchmark's daemon cycle failed (exit \(status.rawValue)); see \(home.logs)", exitCode: status)
        }
    }
}
