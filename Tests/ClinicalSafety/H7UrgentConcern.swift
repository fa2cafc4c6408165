import Testing
import Basics
import CLI
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

    /// A home whose Monday list came back with an urgent concern on its first row: the list's
    /// rows and Monday's escalation file.
    private func homeWithAnUrgentConcern(_ root: String) throws -> (SafetyHome, [CallListRow], String) {
        let home = try SafetyHome(root: root)
        let list = try #require(try home.publish().lists.first { !$0.rows.isEmpty }).rows
        _ = try home.ingest([
            try home.write(returnedList(list, outcome: "urgent_concern", notes: "Disclosed abuse"), as: "r.csv")
        ])
        return (home, list, Escalations.file(in: home.home, on: SafetyHome.monday))
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

    /// A run killed after an urgent concern was recorded but before its file was written must not
    /// leave the duty clinician without it: the daemon's next cycle writes the file from the journal.
    @Test func anEscalationFileLostToACrashIsWrittenAgainByTheDaemon() throws {
        try withTemporaryDirectory { root in
            let (home, list, monday) = try homeWithAnUrgentConcern(root)
            // As a run killed between recording the outcome and writing the file leaves the home.
            try FileIO.remove(monday)

            let log = MemoryLogHandler()
            let daemon = try Daemon(
                options: DaemonOptions(home: home.home, retryDelay: 30), lock: try HomeLock.acquire(home.home),
                logger: Logger(handlers: [log]), clock: Clock().service)
            daemon.cycle()
            let text = String(decoding: try FileIO.readAll(monday), as: UTF8.self)
            #expect(text.contains(list[0].itemID))
            #expect(try FileIO.permissions(monday) & 0o777 == 0o600)
            #expect(
                log.records.contains {
                    $0.level == .warning && $0.message.contains("outbox/escalations/\(SafetyHome.monday).csv")
                        && $0.message.contains("1 urgent concern open, the duty clinician must act today")
                })
            #expect(!log.messages.contains { $0.contains(NHSNumber.digits(list[0].nhsNumber)) })
            daemon.shutDown()
        }
    }

    /// `outreach ingest`, the command a home run without the daemon uses, catches up an escalation
    /// file a stopped run did not write, as the daemon does.
    @Test func outreachIngestWritesALostEscalationFileAgain() throws {
        try withTemporaryDirectory { root in
            let (home, list, monday) = try homeWithAnUrgentConcern(root)
            try FileIO.remove(monday)
            // The list given again (already ingested): nothing new is recorded, and the file is written.
            let status = CommandLineInterface.run([
                "ingest", "--home", home.home.path, "--as-of", "\(SafetyHome.monday)", FileIO.join(root, "r.csv"),
            ])
            #expect(status == .success)
            #expect(String(decoding: try FileIO.readAll(monday), as: UTF8.self).contains(list[0].itemID))
        }
    }

    /// A second concern recorded while the clinician is filling in the file in place: the file
    /// written for it keeps what they typed.
    @Test func aNewConcernKeepsWhatTheClinicianFilledIn() throws {
        try withTemporaryDirectory { root in
            let (home, list, monday) = try homeWithAnUrgentConcern(root)
            let handledBy = Escalations.columns.firstIndex(of: "handled_by")!
            var rows = spreadsheetImport(String(decoding: try FileIO.readAll(monday), as: UTF8.self), separators: [","])
            rows[1][handledBy] = "Dr Patel"
            try FileIO.writeAtomically(text: spreadsheetSave(rows), to: monday)

            var cells = spreadsheetImport(CallListFormat.csv(list), separators: [","])
            cells[2][outcome] = "urgent_concern"
            cells[2][notes] = "Said he has no food"
            _ = try home.ingest([try home.write(spreadsheetSave([cells[0], cells[2]]), as: "second.csv")])
            let written = spreadsheetImport(
                String(decoding: try FileIO.readAll(monday), as: UTF8.self), separators: [","])
            #expect(Set(written.dropFirst().map { $0[0] }) == [list[0].itemID, list[1].itemID])
            #expect(written.first { $0[0] == list[0].itemID }?[handledBy] == "Dr Patel")
        }
    }

    /// An escalation file that cannot be written when the concern is recorded (the outcome is
    /// recorded all the same) is written by a later cycle, once it can be.
    @Test func anEscalationFileThatCouldNotBeWrittenIsWrittenOnceItCan() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let list = try #require(try home.publish().lists.first { !$0.rows.isEmpty }).rows
            // A file where the escalations folder should be: nothing can be written in it.
            let folder = Escalations.folder(in: home.home)
            try FileIO.writeAtomically(text: "", to: folder)
            let log = MemoryLogHandler()
            let daemon = try Daemon(
                options: DaemonOptions(home: home.home, retryDelay: 0), lock: try HomeLock.acquire(home.home),
                logger: Logger(handlers: [log]), clock: Clock().service)
            let path = FileIO.join(home.home.outcomesInbox, "returned.csv")
            try FileIO.writeAtomically(
                text: returnedList(list, outcome: "urgent_concern", notes: "Disclosed abuse"), to: path)
            try FileIO.writeAtomically(text: "", to: path + ".done")
            daemon.cycle()
            daemon.cycle()
            #expect(try home.history.openEscalations.map(\.item.itemId) == [list[0].itemID])
            #expect(!FileIO.isDirectory(folder))
            // The list was recorded and filed, and the log says so, not that it was left in the inbox.
            #expect(try FileIO.listDirectory(home.home.outcomesInbox).isEmpty)
            #expect(log.messages.contains { $0.contains("ingested returned list returned.csv") })
            #expect(!log.messages.contains { $0.contains("left in the inbox") })

            try FileIO.remove(folder)
            daemon.cycle()
            let text = String(
                decoding: try FileIO.readAll(Escalations.file(in: home.home, on: SafetyHome.monday)), as: UTF8.self)
            #expect(text.contains(list[0].itemID))
            daemon.shutDown()
        }
    }

    /// The newest file is written again only when it does not list exactly the open escalations
    /// (one missing, unreadable, or one listed since closed), and what the clinician filled in on
    /// it is kept: they may be working in it. The file written is the newest.
    @Test func theNewestFileIsWrittenAgainOnlyWhenItIsWrong() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let list = try #require(try home.publish().lists.first { $0.rows.count >= 2 }).rows
            let (first, second) = (list[0].itemID, list[1].itemID)
            let monday = SafetyHome.monday
            func rewrite() throws -> String? {
                try Escalations.rewriteIfStale(try HomeSession(home: home.home), on: monday)
            }
            func rows(_ day: Day) throws -> [[String]] {
                spreadsheetImport(
                    String(decoding: try FileIO.readAll(Escalations.file(in: home.home, on: day)), as: UTF8.self),
                    separators: [","])
            }
            let handledBy = Escalations.columns.firstIndex(of: "handled_by")!
            #expect(try rewrite() == nil)
            #expect(!FileIO.exists(Escalations.folder(in: home.home)), "no escalation, no file")

            var cells = spreadsheetImport(CallListFormat.csv(list), separators: [","])
            for row in [1, 2] {
                cells[row][outcome] = "urgent_concern"
                cells[row][notes] = "Disclosed abuse"
            }
            _ = try home.ingest([try home.write(spreadsheetSave(Array(cells[0...2])), as: "r.csv")])
            #expect(try rewrite() == nil, "the ingest wrote it")

            // The clinician fills in a row and saves the file in place, with ';' between cells.
            var edited = try rows(monday)
            edited[1][handledBy] = "Dr Patel"
            let semicolons = edited.map { $0.joined(separator: ";") }.joined(separator: "\r\n") + "\r\n"
            try FileIO.writeAtomically(text: semicolons, to: Escalations.file(in: home.home, on: monday))
            #expect(try rewrite() == nil, "it still lists both")

            // They delete the other row: it is still open, so it comes back, and their entry stays.
            try FileIO.writeAtomically(
                text: edited.filter { !$0.contains(second) }.map { $0.joined(separator: ";") }
                    .joined(separator: "\r\n"), to: Escalations.file(in: home.home, on: monday))
            #expect(try rewrite() == Escalations.file(in: home.home, on: monday))
            let rewritten = try rows(monday)
            #expect(Set(rewritten.dropFirst().map { $0[0] }) == [first, second])
            #expect(rewritten.first { $0[0] == first }?[handledBy] == "Dr Patel")

            // A later file (the clock was ahead) that is not an escalation file: it is the newest, so it is fixed.
            let wednesday = monday.adding(days: 2)
            try FileIO.writeAtomically(
                text: "not an escalation file\r\n", to: Escalations.file(in: home.home, on: wednesday))
            #expect(try rewrite() == Escalations.file(in: home.home, on: wednesday))
            #expect(Set(try rows(wednesday).dropFirst().map { $0[0] }) == [first, second])
            #expect(try rewrite() == nil)

            // One marked handled, and the run stopped before it rewrote the file: the newest must stop listing it.
            do {
                let session = try HomeSession(home: home.home)
                try session.journal.append(contentsOf: [
                    .escalationHandled(EscalationHandled(itemId: first, handledBy: "Dr Patel", on: monday))
                ])
            }
            #expect(try rewrite() == Escalations.file(in: home.home, on: wednesday))
            #expect(try rows(wednesday).dropFirst().map { $0[0] } == [second])
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
            let (home, list, monday) = try homeWithAnUrgentConcern(root)
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
