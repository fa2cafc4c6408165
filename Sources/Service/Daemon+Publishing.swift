import Basics
import Cohorts
import Journal
import Operations
import Planning

/// The morning run: each working day's lists published at the policy's time, once, and `reports/`
/// brought up to date after each publish and each ingest.
extension Daemon {
    /// Publishes the day's lists when they are due, unless inbox files are still arriving close
    /// to the publish time (they may be the extract the day should be planned from).
    /// - Returns: whether a day was published (the reports were then refreshed).
    @discardableResult
    func publishIfDue(_ now: LocalDateTime) -> Bool {
        guard let session, let ruleSet = rulesInForce else { return false }
        warnAboutPublishedDays(now)
        let roster = session.roster
        let history = session.journal.history
        guard
            let day = PublishSchedule.dayDue(
                at: now, publishAt: ruleSet.policy.publishAt, isOpen: roster.isOpen, isPublished: history.isPublished,
                lastPublished: history.publishedDays.max()),
            retryAllowed("publish")
        else { return false }
        if PublishSchedule.shouldHold(at: now, publishAt: ruleSet.policy.publishAt, filesArriving: filesArriving) {
            logger.debug("\(day): publish waits for inbox files still arriving")
            return false
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
                if let texts = result.texts { logger.info(texts.line(publishedDay: day)) }
                if let warning = result.announcedNotListedWarning { logger.warning(warning) }
                refreshReports(now, after: "publish", published: result)
                return true
            case .alreadyPublished:
                logger.info("\(day) was published already; nothing to do")
            case .closed(let reason):
                logger.info("\(day) is \(reason); no lists")
            case .beforeLastPublished(let last):
                logger.info("\(day) comes before \(last), already published; no lists")
            }
        } catch {
            delay("publish")
            if error is JournalError { dropSession(now) }
            failure(
                "publish",
                "\(day): \(Daemon.logText(error)); tried again in \(Formatting.number(options.retryDelay)) s",
                now: now, machine: Daemon.isMachineFailure(error))
        }
        return false
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

    /// Warns of the working days that were not published while the service was down (at start,
    /// and with `--once`), and keeps the warning in the status.
    func logMissedDays(_ now: LocalDateTime) {
        guard let message = missedDaysMessage(now) else { return }
        logger.warning(message)
        status.note(step: "publish", message: message, at: now.description)
    }

    /// The days the schedule skipped, in words (`nil` when none): the same words at start and
    /// when the clock of a running service jumps past a publish time.
    func missedDaysMessage(_ now: LocalDateTime) -> String? {
        guard let session else { return nil }
        let history = session.journal.history
        let missed = PublishSchedule.missedDays(
            lastPublished: history.publishedDays.max(), today: now.day, isOpen: session.roster.isOpen,
            isPublished: history.isPublished)
        return PublishSchedule.missedWarning(missed)
    }

    /// Each cycle, before publishing: a working day skipped since the last cycle (the clock jumped
    /// forward) is warned of once, in the log and the status, as at start; a published day after
    /// today (the clock was wrong at a publish, or is wrong now) stops publishing until that day
    /// has passed, so it is a warning in the status for as long as it lasts, and in the log when
    /// it starts and every hour after.
    func warnAboutPublishedDays(_ now: LocalDateTime) {
        if let message = missedDaysMessage(now), !status.errors.contains(where: { $0.message == message }) {
            logger.warning(message)
            status.note(step: "publish", message: message, at: now.description)
        }
        var warnings: [String] = []
        if let session, let ahead = session.journal.history.publishedDays.max(), ahead > now.day {
            warnings.append(PublishSchedule.aheadOfClockWarning(published: ahead, today: now.day))
        }
        let time = clock.monotonic()
        for warning in warnings where (warningsLogged[warning].map { time - $0 >= 3600 } ?? true) {
            logger.warning(warning)
            warningsLogged[warning] = time
        }
        warningsLogged = warningsLogged.filter { warnings.contains($0.key) }
        status.warnings = warnings.isEmpty ? nil : warnings
    }

    /// Brings `reports/` up to date after `step`; a failure is noted in the status and the log.
    func refreshReports(_ now: LocalDateTime, after step: String, published: PublishResult? = nil) {
        guard let session else { return }
        do {
            try steps.refreshReports(session, now, logger, published)
        } catch {
            failure("reports", "refreshing reports after \(step): \(Daemon.logText(error))", now: now, machine: false)
        }
    }
}
