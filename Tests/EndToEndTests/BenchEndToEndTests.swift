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
                let run = try outreach(
                    ["bench", "--patients", "1500", "--rules", Repository.rules], in: scratch, timeout: 600)
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
                let left = try FileIO.listDirectory(NSTemporaryDirectory()).filter {
                    $0.hasPrefix("outreach-bench-") && $0.hasSuffix("-1500")
                }
                #expect(left.isEmpty, "the bench removes its generated data: \(left)")
            }
        }
    }
}
