import Foundation
import Testing
import Basics
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon's two `_exit` paths, through the real binary: each must leave `status.json` saying
/// `stopped`, not `running`.
extension EndToEnd {
    @Suite("the daemon's exits")
    struct ShutdownEndToEndTests {
        /// A home with a big extract waiting (markers beside it, so it is taken at first sight) and
        /// a daemon started on it, busy ingesting: the log says its loop has started.
        private func busyDaemon(_ scratch: String) throws -> (home: String, log: String, daemon: Spawned) {
            let home = FileIO.join(scratch, "home")
            let extract = FileIO.join(scratch, "extract")
            #expect(try outreach(["init", home], in: scratch).status == 0)
            let synth = try outreach(
                [
                    "synth", "--patients", "6000", "--practices", "2", "--seed", "7", "--as-of", "2026-11-20",
                    "--out", extract,
                ], in: scratch)
            #expect(synth.status == 0, "\(synth.stderr)")
            for name in try FileIO.listDirectory(extract) where !name.hasPrefix(".") {
                let path = FileIO.join(home, "inbox/extracts", name)
                try FileIO.writeAtomically(try FileIO.readAll(FileIO.join(extract, name)), to: path)
                try FileIO.writeAtomically(text: "", to: path + ".done")
            }
            let daemon = try Spawned(["daemon", "--home", home, "--now", "2026-11-23T07:00"], in: scratch)
            let log = FileIO.join(home, "logs", "outreach.log")
            let looping = eventually(seconds: 60) { ((try? FileIO.readText(log)) ?? "").contains("running: polling") }
            #expect(looping, "the daemon's loop started")
            #expect(ServiceStatusFile(home: home).state == "running")
            return (home, log, daemon)
        }

        private func logged(_ text: String, in log: String, seconds: Double = 10) -> Bool {
            eventually(seconds: seconds) { ((try? FileIO.readText(log)) ?? "").contains(text) }
        }

        @Test("a second SIGTERM mid-step exits 143 at once and leaves status.json stopped")
        func secondSignal() throws {
            try withTemporaryDirectory { scratch in
                let (home, log, daemon) = try busyDaemon(scratch)
                defer { daemon.kill9() }
                daemon.send(SIGTERM)
                #expect(logged("SIGTERM: stopping after the current step", in: log))
                daemon.send(SIGTERM)
                let finished = try #require(daemon.wait(seconds: 5), "no exit within 5 s of the second SIGTERM")
                #expect(finished.status == 128 + SIGTERM, "stopped at once, in the middle of the ingest")
                #expect(logged("SIGTERM again: stopping at once", in: log, seconds: 0))
                #expect(ServiceStatusFile(home: home).state == "stopped")
                #expect(ServiceStatusFile(home: home).pid == Int(daemon.pid))
                let status = try outreach(["status", "--home", home], in: scratch)
                #expect(status.stdout.contains("Service:        stopped;"), "\(status.stdout)")
            }
        }

        @Test("a step that outlasts the grace period is abandoned: exit 0, status.json stopped, redone on restart")
        func gracePeriodAbandons() throws {
            try withTemporaryDirectory { scratch in
                let (home, log, daemon) = try busyDaemon(scratch)
                defer { daemon.kill9() }
                daemon.send(SIGTERM)
                #expect(logged("SIGTERM: stopping after the current step", in: log))
                // Hold the process still past the 3 s grace period: when it goes on, the grace timer
                // is overdue while the ingest still has seconds of work left, so the step is abandoned.
                usleep(100_000)
                daemon.send(SIGSTOP)
                usleep(3_500_000)
                daemon.send(SIGCONT)
                let finished = try #require(daemon.wait(seconds: 10), "no exit after the grace period")
                #expect(finished.status == 0)
                #expect(logged("abandoned (it is redone on restart); stopped", in: log, seconds: 0))
                #expect(ServiceStatusFile(home: home).state == "stopped")

                let rest = try outreach(["daemon", "--home", home, "--once", "--now", "2026-11-23T07:00"], in: scratch)
                #expect(rest.status == 0, "\(rest.stderr)")
                let journal = try journalRecords(home: home, scratch: scratch)
                #expect(journal.filter { $0["kind"] == "extract_ingested" }.count == 4)
                #expect(ServiceStatusFile(home: home).state == "stopped")
            }
        }
    }
}
