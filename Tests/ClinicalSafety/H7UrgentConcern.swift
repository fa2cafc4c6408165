import Testing
import Basics
import Journal
import Operations
import Planning
import Population
import Reports
import Service
import TestSupport
import Synchronization

/// H7: a disclosure heard on a call reaches the duty clinician the same day and stays in sight
/// until it is dealt with.
@Suite("H7 Urgent concerns are escalated")
struct H7UrgentConcern {
    private let outcome = CallListFormat.columns.firstIndex(of: "outcome")!
    private let notes = CallListFormat.columns.firstIndex(of: "notes")!

    /// Monday's first non-empty list with its first row filled in.
    private func returnedList(_ rows: [CallListRow], outcome code: String, notes text: String) -> String {
        var cells = spreadsheetImport(CallListFormat.csv(rows), separators: [","])
        cells[1][outcome] = code
        cells[1][notes] = text
        return spreadsheetSave(cells)
    }

    @Test func urgentConcernNeedsNotes() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let list = try #require(try home.publish().lists.first { !$0.rows.isEmpty }).rows
            let results = try home.ingest([
                try home.write(returnedList(list, outcome: "urgent_concern", notes: ""), as: "r.csv")
            ])
            #expect(results[0].escalationsRaised == 0)
            #expect(try home.history.effectiveOutcome(of: list[0].itemID) == nil)
            let rejects = String(decoding: try FileIO.readAll(try #require(results[0].rejectsFile)), as: UTF8.self)
            #expect(rejects.contains("urgent_concern needs notes"))
        }
    }

    /// A clock the test sets by hand.
    final class Clock: Sendable {
        let now = Mutex(LocalDateTime(day: SafetyHome.monday, minuteOfDay: 8 * 60))
        let seconds = Mutex(1000.0)
        var service: ServiceClock {
            ServiceClock(
                now: { self.now.withLock { $0 } },
                monotonic: {
                    self.seconds.withLock {
                        $0 += 5
                        return $0
                    }
                })
        }
    }

    @Test func urgentConcernThroughTheDaemonReachesFileStatusAndReport() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let list = try #require(try home.publish().lists.first { !$0.rows.isEmpty }).rows
            let concern = "Said she has thought about ending her life"
            let log = MemoryLogHandler()
            let clock = Clock()
            let daemon = try Daemon(
                options: DaemonOptions(home: home.home, retryDelay: 30), lock: try HomeLock.acquire(home.home),
                logger: Logger(handlers: [log], minimumLevel: .debug), clock: clock.service)
            let path = FileIO.join(home.home.outcomesInbox, "returned.csv")
            try FileIO.writeAtomically(text: returnedList(list, outcome: "urgent_concern", notes: concern), to: path)
            try FileIO.writeAtomically(text: "", to: path + ".done")
            daemon.cycle()
            daemon.cycle()

            let escalations = Escalations.file(in: home.home, on: SafetyHome.monday)
            let file = String(decoding: try FileIO.readAll(escalations), as: UTF8.self)
            #expect(file.contains(list[0].itemID))
            #expect(file.contains(concern))
            #expect(file.contains(NHSNumber.digits(list[0].nhsNumber)))
            #expect(try FileIO.permissions(escalations) & 0o777 == 0o600)

            let warnings = log.records.filter { $0.level == .warning }.map(\.message)
            #expect(warnings.contains { $0.contains("urgent concern") && $0.contains("outbox/escalations/") })
            #expect(!log.messages.contains { $0.contains(concern) || $0.contains(NHSNumber.digits(list[0].nhsNumber)) })
            #expect(daemon.currentStatus.openEscalations == 1)
            #expect(daemon.currentStatus.rendered(running: true).contains("URGENT:         1 urgent concern open"))

            let report = String(
                decoding: try FileIO.readAll(FileIO.join(home.home.reports, ReportWriter.reportFileName)), as: UTF8.self
            )
            let act = try #require(report.range(of: "<section id=\"act-now\""))
            let progress = try #require(report.range(of: "<section id=\"progress\""))
            #expect(act.lowerBound < progress.lowerBound, "the escalation comes first")
            #expect(report.contains(list[0].itemID))
            daemon.shutDown()
        }
    }

    @Test func escalationClosesWhenHandled() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let list = try #require(try home.publish().lists.first { !$0.rows.isEmpty }).rows
            let returned = try home.ingest(
                [
                    try home.write(
                        returnedList(list, outcome: "urgent concern", notes: "Disclosed abuse at home"), as: "r.csv")
                ])
            #expect(returned[0].escalationsRaised == 1)
            #expect(try home.history.openEscalations.map(\.item.itemId) == [list[0].itemID])

            // The duty clinician fills in handled_by and returns the file.
            let escalations = Escalations.file(in: home.home, on: SafetyHome.monday)
            var rows = spreadsheetImport(
                String(decoding: try FileIO.readAll(escalations), as: UTF8.self), separators: [","])
            rows[1][Escalations.columns.firstIndex(of: "handled_by")!] = "Dr Patel, duty GP"
            let handled = try home.ingest([try home.write(spreadsheetSave(rows), as: "escalations-back.csv")])
            guard case .ingested(let text) = handled[0].outcome else {
                Issue.record("not ingested: \(handled[0].line)")
                return
            }
            #expect(text.contains("1 escalation marked handled"))
            #expect(try home.history.openEscalations.isEmpty)
            #expect(try home.history.escalationHandled(list[0].itemID)?.handledBy == "Dr Patel, duty GP")
        }
    }

    /// An escalation also closes when the person has an outcome on a later list item: the newest
    /// escalations file, which is always the whole list of open ones, must then stop listing it.
    @Test func theNewestFileStopsListingAnEscalationClosedByALaterCall() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let list = try #require(try home.publish().lists.first { !$0.rows.isEmpty }).rows
            _ = try home.ingest([
                try home.write(returnedList(list, outcome: "urgent_concern", notes: "Disclosed abuse"), as: "r.csv")
            ])
            let monday = Escalations.file(in: home.home, on: SafetyHome.monday)
            #expect(String(decoding: try FileIO.readAll(monday), as: UTF8.self).contains(list[0].itemID))

            // Rung again on Wednesday (a later item for the same person) and reached.
            let wednesday = SafetyHome.monday.adding(days: 2)
            let first = list[0]
            let later = "\(wednesday.description.replacingOccurrences(of: "-", with: ""))-\(first.worker)-900"
            do {
                let session = try HomeSession(home: home.home)
                try session.journal.append(contentsOf: [
                    .itemPublished(
                        ItemPublished(
                            itemId: later, day: wednesday, worker: first.worker, nhsNumber: first.nhsNumber,
                            practice: first.practice, cohorts: first.cohorts, attempt: 1, timeBand: .morning,
                            priority: first.priority, phoneFingerprint: 0)),
                    .dayPublished(DayPublished(day: wednesday, itemCount: 1, ruleVersion: session.ruleSet.contentHash)),
                ])
            }  // the session and its lock end here, as a one-shot command's do
            var cells = spreadsheetImport(CallListFormat.csv([first]), separators: [","])
            cells[1][0] = later
            cells[1][CallListFormat.columns.firstIndex(of: "date")!] = wednesday.description
            cells[1][CallListFormat.columns.firstIndex(of: "attempt")!] = "1"
            cells[1][outcome] = "reached"
            cells[1][notes] = "Safe; support in place"
            let results = try home.ingest(
                [try home.write(spreadsheetSave(cells), as: "wednesday.csv")], on: wednesday)
            #expect(results[0].rejectsFile == nil, "\(results[0].line)")
            #expect(try home.history.openEscalations.isEmpty)
            let newest = Escalations.file(in: home.home, on: wednesday)
            let text = String(decoding: try FileIO.readAll(newest), as: UTF8.self)
            #expect(!text.contains(first.itemID), "the newest file lists only open escalations")
        }
    }
}
