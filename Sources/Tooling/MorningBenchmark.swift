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
/// files with the same rules, each as the command does it in its own process.
public enum MorningBenchmark {
    /// The best of some runs of each, in seconds.
    public struct Timings: Sendable {
        public let cohorts: Double
        public let morning: Double
        /// Calls published by the morning's cycle (a check that it did the whole morning).
        public let calls: Int

        /// How many `cohorts` runs the morning takes.
        public var ratio: Double { morning / max(cohorts, 0.000_001) }
    }

    /// Times `runs` of each over `files` on `day` (a working day; the cycle runs at 07:31, after
    /// the default publish time). Each morning starts from a new home in `folder` whose inbox holds
    /// the files with their `.done` markers, the documented way to say a file is complete, so the
    /// cycle does not wait a poll for files that might still be growing. The copies are on disk
    /// before the clock starts, as a night's extracts are by the morning: otherwise the cycle's
    /// own syncs wait for the benchmark's writing (up to 50 ms of a 0.26 s morning, seen in a
    /// trace), which a `cohorts` run, reading only, never does.
    public static func run(files: [String], rules: String, day: Day, runs: Int, in folder: String) throws -> Timings {
        var cohorts = Double.infinity
        var morning = Double.infinity
        var calls = 0
        for index in 0..<max(1, runs) {
            let clock = Stopwatch()
            _ = try CohortCommands.cohorts(
                rulesDirectory: rules, extracts: files, asOf: day, format: .csv, maxRejectRate: 1)
            cohorts = min(cohorts, clock.seconds)

            let home = try Home.create(at: FileIO.join(folder, "home-\(index)"), rulesFrom: rules)
            for file in files {
                let name = FileIO.fileName(of: file)
                try FileIO.copyFile(from: file, to: FileIO.join(home.extractsInbox, name))
                try FileIO.writeAtomically(
                    text: "", to: FileIO.join(home.extractsInbox, name + InboxFolder.markerSuffix))
            }
            sync()
            let morningClock = Stopwatch()
            try cycle(home, at: LocalDateTime(day: day, minuteOfDay: 7 * 60 + 31))
            morning = min(morning, morningClock.seconds)
            calls = try Journal.read(at: home.journal).history.items(on: day).count
            try FileIO.removeTree(home.path)
        }
        return Timings(cohorts: cohorts, morning: morning, calls: calls)
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
