import Basics
import Operations

/// `state/status.json`: refreshed after each cycle, written only when something changed.
extension Daemon {
    /// Brings the status up to date and writes it when it changed; a `stopped` status is the
    /// final one (see ``StatusFile``), and once it is written nothing more is.
    func writeStatus(_ now: LocalDateTime) {
        status.rules.version = rulesInForce?.version
        if status.state != "stopped" {
            status.state = rulesInForce == nil ? "waiting for valid rules" : "running"
        }
        if let session, let ruleSet = rulesInForce {
            let history = session.journal.history
            if statusSource?.records != history.recordCount || statusSource?.day != now.day {
                status.update(from: history, today: now.day, policy: ruleSet.policy)
                statusSource = (history.recordCount, now.day)
            }
            let roster = session.roster
            status.nextPublish =
                PublishSchedule.nextPublish(
                    after: now, publishAt: ruleSet.policy.publishAt, isOpen: roster.isOpen,
                    isPublished: history.isPublished, lastPublished: history.publishedDays.max())?.description
        }
        status.queues.extractsWaiting = (try? InboxFolder.list(home.extractsInbox))?.files.count ?? 0
        status.queues.outcomesWaiting = (try? InboxFolder.list(home.outcomesInbox))?.files.count ?? 0
        status.queues.failedFiles =
            ((try? FileIO.listDirectory(home.failed)) ?? []).filter {
                !$0.hasSuffix(".error.txt") && !$0.hasSuffix(".rejects.csv") && !$0.contains(".tmp-")
            }.count
        var unchanged = status
        unchanged.updated = written?.updated ?? status.updated
        guard unchanged != written else { return }
        status.updated = now.description
        do {
            if try statusFile.write(status) { written = status }
        } catch {
            failure("status", "cannot write \(home.statusFile): \(error.message)", now: now, machine: true)
        }
    }

    /// The status as the daemon sees it now (for tests and `outreach status`).
    public var currentStatus: ServiceStatus {
        var current = status
        current.rules.version = rulesInForce?.version
        return current
    }
}
