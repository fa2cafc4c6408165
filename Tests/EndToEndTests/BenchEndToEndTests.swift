import Basics
import Foundation
import TestSupport
import Testing

/// `outreach bench` times a morning's `daemon --once` beside one `cohorts` run each as a process
/// of its own, as a user runs them: here on a small extract, from the real binary, checking that
/// both commands really ran (the morning published calls) and that nothing is left behind.
extension EndToEnd {
    @Suite("bench")
    struct BenchEndToEndTests {
        @Test("bench runs a morning and a cohorts run as processes of their own, and cleans up")
        func benchTimesTheMorningAsCommands() throws {
            try withTemporaryDirectory { scratch in
                let bench = try Spawned(["bench", "--patients", "1500", "--rules", Repository.rules], in: scratch)
                let folder = FileIO.join(NSTemporaryDirectory(), "outreach-bench-\(bench.pid)-1500")
                guard let run = bench.wait(seconds: 600) else {
                    bench.kill9()
                    Issue.record("bench did not finish")
                    return
                }
                #expect(run.status == 0, "\(run.stderr)")
                let morning = run.stdout.split(separator: "\n").first { $0.contains("morning (daemon --once)") }
                #expect(morning != nil, "\(run.stdout)")
                if let morning {
                    let calls = morning.split(separator: "publish ").last?.split(separator: " ").first.flatMap {
                        Int($0)
                    }
                    #expect((calls ?? 0) > 0, "the morning published calls: \(morning)")
                    #expect(morning.contains("x one cohorts run"), "\(morning)")
                }
                #expect(run.stdout.contains("cohorts (one run)"), "\(run.stdout)")
                #expect(!FileIO.exists(folder), "the bench removes its generated data")
            }
        }
    }
}
