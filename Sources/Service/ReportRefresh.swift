import Basics
import Operations

/// Brings `reports/` up to date after each publish and each ingest.
public enum ReportRefresh {
    /// Rewrites `reports/report.html` and `reports/forecast.txt` as of today; nothing before the
    /// first extract (there is no one to report on yet). The cohorts and cases of a publish of
    /// today are used rather than evaluated and built again.
    public static func refresh(
        _ session: HomeSession, at now: LocalDateTime, logger: Logger, after published: PublishResult? = nil
    ) throws {
        guard !session.currentExtracts().isEmpty else { return }
        let run = published?.run.flatMap { $0.asOf == now.day ? $0 : nil }
        _ = try ReportWriter.refresh(session: session, asOf: now.day, run: run, cases: published?.cases)
    }
}
