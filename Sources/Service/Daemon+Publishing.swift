import Basics
import Journal
import Operations
import Planning

/// The morning run: each working day's lists published at the policy's time, once, and `reports/`
/// brought up to date after each publish and each ingest.
extension Daemon {
    /// Publishes the day's lists when they are due, unless inbox files are still arriving close
    /// to the publish time (they may be the extract the day should be planned from).
    func publishIfDue(_ now: LocalDateTime) {
        guard let session, let ruleSet = rulesInForce else { return }
        let roster = session.roster
        let history = session.journal.history
        guard
            let day = PublishSchedule.dayDue(
                at: now, publishAt: ruleSet.policy.publishAt, isOpen: roster.isOpen, isPublished: history.isPublished,
                lastPublished: history.publishedDays.max()),
            retryAllowed("publish")
        else { return }
        if PublishSchedule.shouldHold(at: now, publishAt: ruleSet.policy.publishAt, filesArriving: filesArriving) {
            logger.debug("\(day): publish waits for inbox files still arriving")
            return
        }
        do {
            let result = try steps.publish(session, day)
            succeeded("publish")
            switch result.outcome {
            case .published:
                logger.info(Daemon.publishLine(result))
                for line in ExtractFreshness.explanation(result.staleExtracts, policy: ruleSet.policy) {
                    logger.warning(line)
                }
                refreshReports(now, after: "publish")
            case .alreadyPublished:
                logger.info("\(day) was published already; nothing to do")
            case .closed(let reason):
                logger.info("\(day) is \(reason); no lists")
            case .beforeLastPublished(let last):
                logger.info("\(day) comes before \(last), already published; no lists")
            }
        } catch {
            delay("publish")
            if error is JournalError { self.session = nil }
            failure(
                "publish",
                "\(day): \(Daemon.logText(error)); tried again in \(Formatting.number(options.retryDelay)) s",
                now: now, machine: Daemon.isMachineFailure(error))
        }
    }

    /// `published 2026-11-23: 47 calls (gina 20, sam 15, tom 12); 235 not on today's lists; 3 not returned`:
    /// counts and worker ids only.
    static func publishLine(_ result: PublishResult) -> String {
        let total = result.lists.reduce(0) { $0 + $1.rows.count }
        var line = "published \(result.day): \(Formatting.count(total, "call"))"
        if !result.lists.isEmpty {
            line += " (" + result.lists.map { "\($0.worker) \($0.rows.count)" }.joined(separator: ", ") + ")"
        }
        line += " in outbox/\(result.day)/"
        if let plan = result.plan {
            let unlisted = plan.notListed.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
            if unlisted > 0 { line += "; \(Formatting.count(unlisted, "person", "people")) not on today's lists" }
        }
        if result.notReturned > 0 {
            line += "; \(Formatting.count(result.notReturned, "earlier item")) not returned, back in the queue"
        }
        return line
    }

    /// Warns of the working days that were not published while the service was down.
    func logMissedDays(_ now: LocalDateTime) {
        guard let session else { return }
        let history = session.journal.history
        let roster = session.roster
        let missed = PublishSchedule.missedDays(
            lastPublished: history.publishedDays.last, today: now.day, isOpen: roster.isOpen,
            isPublished: history.isPublished)
        guard !missed.isEmpty else { return }
        logger.warning(
            "not published while the service was down: " + missed.map(\.description).joined(separator: ", ")
                + " (their calls are planned from today)")
    }

    /// Brings `reports/` up to date after `step`; a failure is noted in the status and the log.
    func refreshReports(_ now: LocalDateTime, after step: String) {
        guard let session else { return }
        do {
            try steps.refreshReports(session, now, logger)
        } catch {
            failure("reports", "refreshing reports after \(step): \(Daemon.logText(error))", now: now, machine: false)
        }
    }
}
