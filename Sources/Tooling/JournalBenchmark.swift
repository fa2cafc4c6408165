import Basics
import Journal

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Times the journal on a generated history, for `outreach bench` (quality.md: the daemon starts on
/// a year's journal, 500,000 records, in under a second). Build with `-c release` for real figures.
public enum JournalBenchmark {
    /// What one run measured.
    public struct Timings: Sendable {
        /// Records written and replayed.
        public var records: Int
        /// Batches they were appended in.
        public var batches: Int
        /// The journal's size in bytes.
        public var bytes: Int
        /// Appending every batch (checks, encoding, writes) plus one `fdatasync` at the end.
        public var appendSeconds: Double
        /// Opening the journal: lock, read, verify every checksum, replay into the history.
        public var openSeconds: Double
        /// The same replay read-only (``Journal/read(at:)``).
        public var readSeconds: Double
    }

    /// Writes a realistic history of about `records` records to a temporary folder, then times
    /// opening it; the folder is removed afterwards.
    /// - Parameters:
    ///   - seed: the generator's seed; the same seed gives the same journal.
    ///   - directory: where to make the temporary folder (default: `$TMPDIR` or `/tmp`).
    public static func run(records: Int, seed: UInt64 = 1, directory: String? = nil) throws -> Timings {
        var generator = SyntheticJournal(seed: seed, peopleCount: max(100, records / 10))
        let batches = generator.batches(recordCount: records)
        let folder = try temporaryFolder(in: directory ?? defaultTemporaryDirectory())
        let path = FileIO.join(folder, "journal")
        defer {
            try? FileIO.remove(path)
            rmdir(folder)
        }
        let clock = ContinuousClock()

        let writeStart = clock.now
        let journal = try Journal(path: path)
        for batch in batches { try journal.append(contentsOf: batch) }
        try journal.sync()
        let appendTime = clock.now - writeStart
        let bytes = journal.byteCount
        let count = journal.history.recordCount
        journal.close()

        let openStart = clock.now
        let reopened = try Journal(path: path)
        let openTime = clock.now - openStart
        try expect(reopened.history.recordCount, of: count, "opening")
        reopened.close()

        let readStart = clock.now
        let read = try Journal.read(at: path)
        let readTime = clock.now - readStart
        try expect(read.history.recordCount, of: count, "reading")

        return Timings(
            records: count, batches: batches.count, bytes: bytes, appendSeconds: seconds(appendTime),
            openSeconds: seconds(openTime), readSeconds: seconds(readTime))
    }

    private static func expect(_ found: Int, of written: Int, _ step: String) throws(OutreachError) {
        guard found != written else { return }
        throw OutreachError("journal benchmark: \(step) found \(found) of \(written) records", exitCode: .ioError)
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func defaultTemporaryDirectory() -> String {
        guard let value = getenv("TMPDIR") else { return "/tmp" }
        let text = String(cString: value)
        return text.isEmpty ? "/tmp" : text
    }

    private static func temporaryFolder(in parent: String) throws(FileIOError) -> String {
        var template = Array(FileIO.join(parent, "outreach-journal-bench-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in mkdtemp(buffer.baseAddress!) }
        guard made != nil else { throw FileIOError(call: "mkdtemp", path: parent, errno: errno) }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
