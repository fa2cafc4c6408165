import Basics
import Journal
import Operations
import Planning
import RuleLanguage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `outreach status` prints: the daemon's `status.json`, with the inbox counted afresh and
/// whether the daemon that wrote it is still alive. A home the daemon never ran on is described
/// from its journal and rules. Reads without the lock, so it works beside a running daemon.
public enum StatusReport {
    /// The status of `home` as text, ready to print.
    public static func text(home: Home) throws -> String {
        var status = try ServiceStatus.read(home.statusFile) ?? fresh(home)
        status.queues.extractsWaiting = (try? InboxFolder.list(home.extractsInbox))?.files.count ?? 0
        status.queues.outcomesWaiting = (try? InboxFolder.list(home.outcomesInbox))?.files.count ?? 0
        var running: Bool?
        if status.state != "stopped", status.state != "never run" {
            running = kill(pid_t(status.pid), 0) == 0 || errno == EPERM
        }
        var text = status.rendered(running: running)
        if status.state == "never run" {
            text = "The daemon has not run on \(home.path) yet; this is what its journal and rules say.\n" + text
        }
        return text
    }

    /// A status for a home with no `status.json`: from the journal (read without the lock) and a
    /// check of the rules.
    static func fresh(_ home: Home) throws -> ServiceStatus {
        let now = WallClock.now()
        let check = RulesCheck.check(home.rules)
        var status = ServiceStatus(
            state: "never run", pid: 0, started: "-", updated: "-", pinnedClock: false,
            rules: .init(
                version: check.ruleSet?.version, valid: check.ruleSet != nil, checked: now.description,
                errors: check.errors),
            lastPublish: nil, nextPublish: nil, lastIngest: [], lastOutcomes: nil,
            queues: .init(extractsWaiting: 0, outcomesWaiting: 0, itemsAwaitingOutcome: 0, failedFiles: 0), errors: [])
        if FileIO.exists(home.journal) {
            status.update(
                from: try Journal.read(at: home.journal).history, today: now.day,
                policy: check.ruleSet?.policy ?? Policy())
        }
        return status
    }
}
