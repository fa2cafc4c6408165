import Basics
import Foundation
import TestSupport
import Testing

/// A daemon started while `Rules/` has errors (a 10,000-term expression, say) carries on under
/// the last rules it put in force, kept in `state/rules-in-force/`: lists are still published,
/// and the errors are in the log and the status until the folder is fixed.
extension EndToEnd {
    @Suite("rules with errors at start")
    struct RulesFallbackTests {
        @Test("a restart with broken rules publishes under the last good rules, and says so")
        func restartWithBrokenRules() throws {
            try withTemporaryDirectory { scratch in
                let home = FileIO.join(scratch, "home")
                #expect(try outreach(["init", home], in: scratch).status == 0)
                let synth = try outreach(
                    [
                        "synth", "--patients", "600", "--practices", "2", "--seed", "3", "--as-of", "2026-11-20",
                        "--out", FileIO.join(home, "inbox/extracts"),
                    ], in: scratch)
                #expect(synth.status == 0)
                var run = try outreach(["daemon", "--home", home, "--once", "--now", "2026-11-23T07:31"], in: scratch)
                #expect(run.status == 0, "\(run.stderr)")
                #expect(FileIO.isDirectory(FileIO.join(home, "state/rules-in-force")))
                #expect(FileIO.isFile(FileIO.join(home, "state/rules-in-force.version")))
                #expect(!FileIO.exists(FileIO.join(home, "state/rules-in-force.new")))
                #expect(!(try FileIO.readText(FileIO.join(home, "logs/outreach.log"))).contains("cannot keep"))

                let deep = Array(repeating: "f", count: 10_000).joined(separator: " and ")
                try FileIO.writeAtomically(
                    text: "field f as yes/no\ndefine deep = \(deep)\n", to: FileIO.join(home, "Rules/deep.rules"))
                #expect(try outreach(["check", "--rules", FileIO.join(home, "Rules")], in: scratch).status == 65)
                run = try outreach(["daemon", "--home", home, "--once", "--now", "2026-11-24T07:31"], in: scratch)
                #expect(run.status == 0, "\(run.stderr)")
                #expect(FileIO.isDirectory(FileIO.join(home, "outbox/2026-11-24")), "still publishing")
                let log = try FileIO.readText(FileIO.join(home, "logs/outreach.log"))
                #expect(log.contains("carrying on under the last good rules"))
                #expect(log.contains("more than 32 terms"))
                let status = try outreach(["status", "--home", home], in: scratch)
                #expect(status.stdout.contains("more than 32 terms"), "\(status.stdout)")

                // Fixed: the folder's rules are in force again.
                try FileIO.remove(FileIO.join(home, "Rules/deep.rules"))
                run = try outreach(["daemon", "--home", home, "--once", "--now", "2026-11-25T07:31"], in: scratch)
                #expect(run.status == 0, "\(run.stderr)")
                #expect(FileIO.isDirectory(FileIO.join(home, "outbox/2026-11-25")))
            }
        }
    }
}
