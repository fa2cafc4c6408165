import Basics
import Operations

/// The work a cycle does, as values so tests can wrap them (to make a step fail, or count calls).
public struct DaemonSteps: Sendable {
    public var ingest: @Sendable (HomeSession, [String], LocalDateTime) throws -> [IngestResult]
    public var publish: @Sendable (HomeSession, Day) throws -> PublishResult
    /// Refreshes `reports/`; after a publish, with its result (the day's cohorts and cases).
    public var refreshReports: @Sendable (HomeSession, LocalDateTime, Logger, PublishResult?) throws -> Void

    public init(
        ingest: @escaping @Sendable (HomeSession, [String], LocalDateTime) throws -> [IngestResult],
        publish: @escaping @Sendable (HomeSession, Day) throws -> PublishResult,
        refreshReports: @escaping @Sendable (HomeSession, LocalDateTime, Logger, PublishResult?) throws -> Void
    ) {
        self.ingest = ingest
        self.publish = publish
        self.refreshReports = refreshReports
    }

    /// The same code as `outreach ingest` and `outreach schedule`; inbox files are moved.
    public static let standard = DaemonSteps(
        ingest: { session, paths, now in try Ingestor.ingest(session, paths: paths, at: now, moveInputs: true) },
        publish: { session, day in try Publisher.publish(session, day: day) },
        refreshReports: { session, now, logger, published in
            try ReportRefresh.refresh(session, at: now, logger: logger, after: published)
        })
}
