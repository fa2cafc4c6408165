import Basics
import Cohorts
import Operations

/// Brings `reports/` up to date after each publish and each ingest.
public enum ReportRefresh {
    /// Rewrites `reports/report.html` and `reports/forecast.txt` as of today; nothing before the
    /// first extract (there is no one to report on yet). A `run` of today's cohorts (a publish's)
    /// is used rather than evaluating them again.
    public static func refresh(_ session: HomeSession, at now: LocalDateTime, logger: Logger, run: CohortRun? = nil)
        throws
    {
        guard !session.currentExtracts().isEmpty else { return }
        _ = try ReportWriter.refresh(session: session, asOf: now.day, run: run?.asOf == now.day ? run : nil)
    }
}
