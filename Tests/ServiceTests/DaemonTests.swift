import Foundation
import Testing
import Basics
import Journal
@testable import Operations
import Planning
@testable import Service
import TestSupport

@Suite("Daemon cycles")
struct DaemonTests {
    private func at(_ hour: Int, _ minute: Int, _ day: Day = Fixture.monday) -> LocalDateTime {
        LocalDateTime(day: day, minuteOfDay: hour * 60 + minute)
    }

    @Test("files are ingested on the second look, the day is published at its time, once, and reports follow each")
    func dailyRun() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            let daemon = try fixture.daemon()
            try fixture.dropExtract()
            daemon.cycle()
            #expect(fixture.recorder.ingests == 0, "first sight: the files might still be growing")
            daemon.cycle()
            #expect(fixture.recorder.ingests == 1, "extracts dropped together are ingested together")
            #expect(try fixture.history.extracts.count == 4)
            #expect(try FileIO.listDirectory(fixture.home.extractsInbox).isEmpty)
            #expect(fixture.recorder.publishes == 0, "before 07:30")
            #expect(fixture.recorder.refreshes == 1)

            fixture.clock.now = at(7, 31)
            daemon.cycle()
            #expect(try fixture.history.isPublished(Fixture.monday))
            #expect(fixture.recorder.refreshes == 2)
            fixture.clock.now = at(9, 0)
            daemon.cycle()
            daemon.cycle()
            #expect(fixture.recorder.publishes == 1, "never twice for one day")
            #expect(daemon.currentStatus.lastPublish?.day == "2026-11-23")
            #expect(daemon.currentStatus.nextPublish == "2026-11-24T07:30")
            daemon.shutDown()
            let written = try #require(ServiceStatus.read(fixture.home.statusFile))
            #expect(written.state == "stopped")
            #expect(written.lastIngest.map(\.practice) == ["E82001", "E82002"])
            #expect(written.queues.itemsAwaitingOutcome == written.lastPublish?.items)
        }
    }

    @Test("a cycle that ingests and then publishes refreshes the reports once, after the publish")
    func oneRefreshPerCycle() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            fixture.clock.now = at(7, 31)
            let daemon = try fixture.daemon()
            try fixture.dropExtract()
            daemon.cycle()
            daemon.cycle()
            #expect(fixture.recorder.ingests == 1)
            #expect(fixture.recorder.publishes == 1)
            #expect(fixture.recorder.refreshes == 1)
            daemon.shutDown()
        }
    }

    @Test(
        "copies a stopped ingest left in state/incoming/, and ingested entries it left in state/removing/, are removed at start"
    )
    func incomingLeftoversAreSweptAtStart() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            try FileIO.createDirectory(fixture.home.incoming)
            let leftover = FileIO.join(fixture.home.incoming, "3.incoming")
            try FileIO.writeAtomically(text: "nhs_number,code,date\n", to: leftover)
            // Ingested inbox entries a stopped run had moved out of the inbox, not yet removed
            // (an entry may be a folder dropped into the inbox).
            try FileIO.createDirectory(fixture.home.removing)
            let moved = FileIO.join(fixture.home.removing, "0.removing")
            try FileIO.writeAtomically(text: "nhs_number,code,date\n", to: moved)
            let movedFolder = FileIO.join(fixture.home.removing, "1.removing")
            try FileIO.createDirectory(FileIO.join(movedFolder, "inside"))
            let daemon = try fixture.daemon()
            #expect(!FileIO.exists(leftover))
            #expect(try FileIO.listDirectory(fixture.home.removing).isEmpty)
            daemon.shutDown()
        }
    }

    @Test("returned lists are ingested one by one, markers removed; the next morning publishes the retries")
    func outcomesAndRetries() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            fixture.clock.now = at(7, 31)
            let daemon = try fixture.daemon()
            try fixture.dropExtract()
            daemon.cycle()
            daemon.cycle()
            let published = try fixture.history.items(on: Fixture.monday)
            #expect(!published.isEmpty)
            let files = try fixture.returnLists(of: Fixture.monday) { $0 % 2 == 0 ? "no_answer" : "reached" }
            for file in files { try FileIO.writeAtomically(text: "", to: file + ".done") }
            let wednesday = Fixture.monday.adding(days: 2)
            fixture.clock.now = at(7, 31, wednesday)
            daemon.cycle()
            let history = try fixture.history
            #expect(history.count(of: .outcomeFileIngested) == files.count)
            #expect(try FileIO.listDirectory(fixture.home.outcomesInbox).isEmpty, "files and markers gone")
            #expect(history.isPublished(wednesday))
            let unanswered = Set(
                published.filter { history.effectiveOutcome(of: $0.itemId)?.outcome == .noAnswer }.map(\.nhsNumber))
            let retries = history.items(on: wednesday).filter { $0.attempt == 2 }
            #expect(!retries.isEmpty)
            #expect(retries.allSatisfy { unanswered.contains($0.nhsNumber) })
            #expect(daemon.currentStatus.lastOutcomes != nil)
        }
    }

    @Test("a full disk during ingest is reported, the file stays, and it is tried again after the delay")
    func fullDisk() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            let daemon = try fixture.daemon()
            try fixture.dropExtract()
            fixture.recorder.failNextIngests(1)
            daemon.cycle()
            daemon.cycle()
            #expect(fixture.recorder.ingests == 1)
            #expect(try FileIO.listDirectory(fixture.home.extractsInbox).count == 4, "left in the inbox")
            #expect(daemon.currentStatus.errors.last?.message.contains("no space left on device") == true)
            #expect(fixture.log.records.contains { $0.level == .error && $0.message.contains("tried again in 30 s") })
            daemon.cycle()
            #expect(fixture.recorder.ingests == 1, "not again before the delay")
            fixture.clock.advance(seconds: 31)
            daemon.cycle()
            #expect(fixture.recorder.ingests == 2)
            #expect(try FileIO.listDirectory(fixture.home.extractsInbox).isEmpty)
            #expect(try fixture.history.extracts.count == 4)
        }
    }

    @Test("a file that changed while it was read stays in the inbox, and is ingested once it has stopped changing")
    func changedWhileRead() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            let daemon = try fixture.daemon()
            try fixture.dropExtract()
            fixture.recorder.deferNextIngests(1)
            daemon.cycle()
            daemon.cycle()
            #expect(fixture.recorder.ingests == 1)
            #expect(try FileIO.listDirectory(fixture.home.extractsInbox).count == 4, "left in the inbox")
            #expect(((try? FileIO.listDirectory(fixture.home.failed)) ?? []).isEmpty, "not refused")
            #expect(fixture.log.records.contains { $0.level == .warning && $0.message.contains("not ingested yet") })
            #expect(daemon.currentStatus.errors.isEmpty, "not a failure")
            // Seen afresh: taken once it has stayed the same for two polls.
            daemon.cycle()
            daemon.cycle()
            #expect(fixture.recorder.ingests == 2)
            #expect(try FileIO.listDirectory(fixture.home.extractsInbox).isEmpty)
            #expect(try fixture.history.extracts.count == 4)
        }
    }

    @Test("a publish due while a file is deferred waits for it, as for a file still arriving")
    func publishWaitsForADeferredFile() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            try fixture.recordAnIngest()
            fixture.clock.now = LocalDateTime(day: Fixture.monday, minuteOfDay: 7 * 60 + 31)
            let daemon = try fixture.daemon()
            let sent = FileIO.join(fixture.home.extractsInbox, "practice-E82001.csv")
            try FileIO.writeAtomically(
                try FileIO.readAll(FileIO.join(fixture.extractFolder, "practice-E82001.csv")), to: sent)
            fixture.recorder.deferNextIngests(1)
            let ingests = fixture.recorder.ingests
            daemon.cycle()
            daemon.cycle()
            #expect(fixture.recorder.ingests == ingests + 1, "taken, and deferred")
            #expect(fixture.recorder.publishes == 0, "the publish waits")
            daemon.cycle()
            daemon.cycle()
            #expect(fixture.recorder.ingests == ingests + 2)
            #expect(fixture.recorder.publishes == 1)
            daemon.shutDown()
        }
    }

    @Test("a journal found damaged on reopening stops the service with 65 rather than retry on a wrong history")
    func damagedJournalStops() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            let daemon = try fixture.daemon()
            try fixture.dropExtract()
            daemon.cycle()
            daemon.cycle()
            #expect(try fixture.history.extracts.count == 4)
            try fixture.damageJournal()
            // New rules make the daemon reopen the journal.
            let team = FileIO.join(fixture.home.rules, "team.rules")
            let rules = try String(contentsOfFile: team, encoding: .utf8)
            try FileIO.writeAtomically(
                text: rules.replacingOccurrences(of: "calls per day 20", with: "calls per day 21"), to: team)
            daemon.cycle()
            daemon.cycle()
            #expect(
                fixture.log.records.contains { $0.level == .error && $0.message.contains("corrupt journal record") })
            #expect(daemon.run(mailbox: SignalMailbox()) == .dataError)
        }
    }

    @Test("a garbage file goes to failed/ with a readable reason, and the good file beside it is ingested")
    func garbage() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            let daemon = try fixture.daemon()
            var junk = SeededRandom(seed: 5)
            let bytes = (0..<5000).map { _ in UInt8(truncatingIfNeeded: junk.next()) }
            try FileIO.writeAtomically(bytes, to: FileIO.join(fixture.home.extractsInbox, "scan.pdf"))
            try fixture.dropExtract()
            daemon.cycle()
            daemon.cycle()
            let failed = try FileIO.listDirectory(fixture.home.failed)
            let reasonFile = try #require(failed.first { $0.hasSuffix("scan.pdf.error.txt") })
            let reason = try FileIO.readText(FileIO.join(fixture.home.failed, reasonFile))
            #expect(reason.hasPrefix("scan.pdf could not be ingested (2026-11-23T07:00):\n"))
            #expect(reason.count > 40)
            #expect(try fixture.history.extracts.count == 4, "the good files are ingested")
            #expect(daemon.currentStatus.queues.failedFiles == 1)
            #expect(daemon.currentStatus.errors.contains { $0.message.contains("scan.pdf: not ingested") })
        }
    }

    @Test(
        "rules with errors keep the old rules in force, with the errors in the log and status; good rules then take over"
    )
    func ruleChanges() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            let daemon = try fixture.daemon()
            let before = try #require(daemon.currentStatus.rules.version)
            let team = FileIO.join(fixture.home.rules, "team.rules")
            let original = try FileIO.readText(team)
            try FileIO.writeAtomically(text: original + "\nworker broken\n", to: team)
            daemon.requestRulesCheck()
            daemon.cycle()
            var status = daemon.currentStatus
            #expect(!status.rules.valid)
            #expect(status.rules.version == before)
            #expect(status.rules.errors.contains { $0.contains("team.rules") })
            #expect(
                fixture.log.records.contains {
                    $0.level == .error && $0.message.hasPrefix("rules: ") && $0.message.contains("team.rules:")
                })

            // The folder is watched: a fix is picked up without a signal, once it has settled.
            try FileIO.writeAtomically(
                text: original.replacingOccurrences(of: "calls per day 20", with: "calls per day 25"), to: team)
            daemon.cycle()
            daemon.cycle()
            status = daemon.currentStatus
            #expect(status.rules.valid)
            #expect(status.rules.version != before)
            #expect(fixture.log.messages.contains { $0.contains("take effect from the next plan") })
        }
    }

    @Test("with rules that have errors from the start the daemon waits, and starts work once they are fixed")
    func waitsForRules() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            let policy = FileIO.join(fixture.home.rules, "policy.rules")
            let original = try FileIO.readText(policy)
            try FileIO.writeAtomically(text: "policy\n  publish lists at 25:99\nend\n", to: policy)
            let daemon = try fixture.daemon()
            try fixture.dropExtract()
            daemon.cycle()
            daemon.cycle()
            #expect(daemon.currentStatus.state == "waiting for valid rules")
            #expect(fixture.recorder.ingests == 0)
            try FileIO.writeAtomically(text: original, to: policy)
            daemon.requestRulesCheck()
            daemon.cycle()
            #expect(daemon.currentStatus.state == "running")
            daemon.cycle()
            #expect(fixture.recorder.ingests == 1)
        }
    }

    @Test("extracts marked complete at start are copied while the rules are checked; copies nobody ingests go")
    func copiesAtStart() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            try fixture.dropExtract()
            let inbox = try FileIO.listDirectory(fixture.home.extractsInbox).filter { $0.hasSuffix(".csv") }
            for name in inbox {
                try FileIO.writeAtomically(text: "", to: FileIO.join(fixture.home.extractsInbox, name + ".done"))
            }
            func leftInIncoming() -> [String] { (try? FileIO.listDirectory(fixture.home.incoming)) ?? [] }
            // Rules with errors: nothing is ingested, and the copies made at start do not stay.
            let policy = FileIO.join(fixture.home.rules, "policy.rules")
            let original = try FileIO.readText(policy)
            try FileIO.writeAtomically(text: "policy\n  publish lists at 25:99\nend\n", to: policy)
            let waiting = try fixture.daemon()
            waiting.cycle()
            #expect(fixture.recorder.ingests == 0)
            #expect(leftInIncoming().isEmpty)
            waiting.shutDown()
            // Good rules: the first cycle ingests every file, from the copies made at start.
            try FileIO.writeAtomically(text: original, to: policy)
            let daemon = try fixture.daemon()
            let copies = try #require(try? daemon.copiedAhead?.copies().get()).map { try $0.get() }
            #expect(copies.count == inbox.count)
            // Held by a second name, so a copy made again could not be given a freed inode number.
            for (index, copy) in copies.enumerated() {
                try FileIO.hardLink(copy.path, to: FileIO.join(root, "held-\(index)"), syncing: false)
            }
            daemon.cycle()
            #expect(fixture.recorder.ingests == 1)
            #expect(try fixture.history.count(of: .extractIngested) == inbox.count)
            #expect(leftInIncoming().isEmpty)
            // Each copy made at start is the stored copy now (and its archived name): more names than
            // the one held here.
            for index in copies.indices {
                var info = stat()
                #expect(lstat(FileIO.join(root, "held-\(index)"), &info) == 0)
                #expect(info.st_nlink > 1, "copy \(index) was made again, not taken")
            }
            #expect(try FileIO.listDirectory(fixture.home.extractsInbox).filter { $0.hasSuffix(".csv") }.isEmpty)
            daemon.shutDown()
        }
    }

    @Test("a start refused for a damaged journal leaves none of the copies it began")
    func copiesGoWhenTheStartFails() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            try fixture.recordAnIngest()
            // The next night's extract waits in the inbox, marked complete, when the journal turns
            // out damaged.
            try fixture.dropExtract()
            for name in try FileIO.listDirectory(fixture.home.extractsInbox) where name.hasSuffix(".csv") {
                try FileIO.writeAtomically(text: "", to: FileIO.join(fixture.home.extractsInbox, name + ".done"))
            }
            try fixture.damageJournal()
            #expect(throws: (any Error).self) { _ = try fixture.daemon() }
            #expect(((try? FileIO.listDirectory(fixture.home.incoming)) ?? []).isEmpty)
            #expect(try FileIO.listDirectory(fixture.home.extractsInbox).contains { $0.hasSuffix(".csv") })
        }
    }

    @Test("the daemon holds the home's lock for its whole life, and a missing folder is recreated")
    func lockAndFolders() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            let daemon = try fixture.daemon()
            for _ in 0..<2 {
                #expect(throws: OutreachError.self) { _ = try HomeLock.acquire(fixture.home) }
                try FileManager.default.removeItem(atPath: fixture.home.outcomesInbox)
                daemon.requestRulesCheck()
                daemon.cycle()
                #expect(FileIO.isDirectory(fixture.home.outcomesInbox))
                #expect(try FileIO.permissions(fixture.home.outcomesInbox) == 0o700)
            }
            do {
                _ = try HomeLock.acquire(fixture.home)
                Issue.record("a second lock was granted")
            } catch let error as OutreachError {
                #expect(error.exitCode == .locked)
                #expect(error.message.contains("in use by another outreach process"))
            }
            daemon.shutDown()
            _ = try HomeLock.acquire(fixture.home)
        }
    }

    @Test("a stop request is honoured between returned lists")
    func stopBetweenFiles() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            fixture.clock.now = at(7, 31)
            let stop = StopController()
            let daemon = try fixture.daemon(stop: stop)
            try fixture.dropExtract()
            daemon.cycle()
            daemon.cycle()
            let files = try fixture.returnLists(of: Fixture.monday) { _ in "reached" }
            #expect(files.count > 1)
            for file in files { try FileIO.writeAtomically(text: "", to: file + ".done") }
            stop.request()
            daemon.cycle()
            #expect(try fixture.history.count(of: .outcomeFileIngested) == 0)
            #expect(try FileIO.listDirectory(fixture.home.outcomesInbox).count == files.count * 2)
        }
    }

    @Test("the log of a whole run holds no patient-identifiable data")
    func logsHoldNoPatientData() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            fixture.clock.now = at(7, 31)
            let daemon = try fixture.daemon()
            try fixture.dropExtract()
            try FileIO.writeAtomically(
                text: "nhs_number,item_id,outcome\n9990000018,nope,reached\n",
                to: FileIO.join(fixture.home.outcomesInbox, "odd.csv"))
            daemon.cycle()
            daemon.cycle()
            _ = try fixture.returnLists(of: Fixture.monday) {
                ["no_answer", "reached", "call_back", "bogus", ""][$0 % 5]
            }
            fixture.clock.now = at(7, 31, Fixture.monday.adding(days: 1))
            daemon.cycle()
            daemon.cycle()
            daemon.shutDown()
            let text = fixture.log.records.map(\.line).joined(separator: "\n")
            #expect(fixture.log.records.count > 10)
            let identifiers = try fixture.identifiers()
            #expect(identifiers.count > 500)
            let leaks = identifiers.filter { text.contains($0) }
            #expect(leaks.isEmpty, "found in the log: \(leaks.prefix(5))")
        }
    }
}
