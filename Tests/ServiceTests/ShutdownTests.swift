import Foundation
import Testing
import Basics
import Journal
import Operations
@testable import Service
import Synchronization
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// How the daemon stops: in a fixed order, and never leaving `status.json` saying `running`.
@Suite("Daemon shutdown")
struct ShutdownTests {
    /// Notes, when the daemon logs `stopped`, what another process would see at that moment.
    final class StoppedProbe: LogHandler {
        struct Seen: Sendable {
            var state: String?
            var lockFree = false
            var journalFree = false
        }

        let home: Home
        private let seen = Mutex<Seen?>(nil)

        init(home: Home) {
            self.home = home
        }

        var atStopped: Seen? { seen.withLock { $0 } }

        func write(_ record: LogRecord) {
            guard record.message == "stopped" else { return }
            var now = Seen(state: ServiceStatus.read(home.statusFile)?.state)
            if let lock = try? HomeLock.acquire(home) {
                now.lockFree = true
                lock.release()
            }
            if let journal = try? Journal(path: home.journal) {
                now.journalFree = true
                journal.close()
            }
            seen.withLock { $0 = now }
        }
    }

    @Test(
        "a SIGTERM between cycles: status stopped, journal closed, lock released, 'stopped' logged, then the log closed"
    )
    func orderedStop() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            let probe = StoppedProbe(home: fixture.home)
            let fileLog = try FileLogHandler(directory: fixture.home.logs)
            let stop = StopController()
            let mailbox = SignalMailbox()
            let daemon = try Daemon(
                options: DaemonOptions(home: fixture.home, retryDelay: 30), lock: try HomeLock.acquire(fixture.home),
                logger: Logger(handlers: [fileLog, probe, fixture.log]), fileLog: fileLog,
                steps: fixture.recorder.steps, clock: fixture.clock.serviceClock, stop: stop)
            try fixture.dropExtract()
            daemon.cycle()
            daemon.cycle()
            #expect(fixture.recorder.ingests == 1)
            #expect(ServiceStatus.read(fixture.home.statusFile)?.state == "running")

            // What the first SIGTERM does (DaemonSignals): ask for a stop, wake the loop.
            stop.request()
            mailbox.post(.stop(SIGTERM))
            #expect(daemon.run(mailbox: mailbox) == .success)

            let seen = try #require(probe.atStopped, "'stopped' was logged")
            #expect(seen.state == "stopped", "the final status is written before the log says stopped")
            #expect(seen.journalFree, "the journal is closed before the log says stopped")
            #expect(seen.lockFree, "the home's lock is released before the log says stopped")
            #expect(fixture.log.messages.last == "stopped")
            #expect(ServiceStatus.read(fixture.home.statusFile)?.state == "stopped")

            // The log is closed: nothing more reaches the file, nothing reopens it.
            let logged = try FileIO.readAll(fileLog.path)
            fileLog.write(LogRecord(time: 0, level: .info, message: "after the end"))
            fileLog.maintain()
            #expect(try FileIO.readAll(fileLog.path) == logged)

            daemon.cycle()
            #expect(fixture.recorder.ingests == 1, "no work after the stop")
            #expect(ServiceStatus.read(fixture.home.statusFile)?.state == "stopped")
        }
    }

    @Test("the final status the signal side leaves before _exit: stopped, and the loop cannot write over it")
    func signalSideFinalStatus() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            let stop = StopController()
            let daemon = try fixture.daemon(stop: stop)
            try fixture.dropExtract()
            daemon.cycle()
            let running = try #require(ServiceStatus.read(fixture.home.statusFile))
            #expect(running.state == "running")

            // What a step that outlasts the grace period, or a second signal, does before `_exit`.
            fixture.clock.now = LocalDateTime(day: Fixture.monday, minuteOfDay: 7 * 60 + 5)
            stop.leaveFinalStatus()
            let final = try #require(ServiceStatus.read(fixture.home.statusFile))
            #expect(final.state == "stopped")
            #expect(final.pid == running.pid)
            #expect(final.updated == "2026-11-23T07:05")

            // The abandoned loop carries on until the process ends: it must not say running again.
            daemon.cycle()
            #expect(fixture.recorder.ingests == 1, "the loop did work")
            #expect(ServiceStatus.read(fixture.home.statusFile)?.state == "stopped")
            fixture.clock.now = LocalDateTime(day: Fixture.monday, minuteOfDay: 7 * 60 + 10)
            stop.leaveFinalStatus()
            #expect(ServiceStatus.read(fixture.home.statusFile)?.updated == "2026-11-23T07:05", "written once")
            daemon.shutDown()
            #expect(ServiceStatus.read(fixture.home.statusFile)?.state == "stopped")
        }
    }

    @Test("a start on a damaged journal leaves status stopped, with the reason, and the home free")
    func damagedJournalAtStart() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            try fixture.recordAnIngest()
            try fixture.damageJournal()
            // As a killed run would leave it.
            var killed = try #require(ServiceStatus.read(fixture.home.statusFile))
            killed.state = "running"
            try killed.write(to: fixture.home.statusFile)

            #expect(throws: JournalError.self) { _ = try fixture.daemon() }
            let status = try #require(ServiceStatus.read(fixture.home.statusFile))
            #expect(status.state == "stopped")
            #expect(status.errors.last?.message.hasPrefix("cannot open the journal: ") == true)
            #expect(fixture.log.messages.filter { $0 == "stopped" }.count == 1, "only the first run logs stopped")
            #expect(throws: Never.self) { try HomeLock.acquire(fixture.home).release() }
        }
    }
}
