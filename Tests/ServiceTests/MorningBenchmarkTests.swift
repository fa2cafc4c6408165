import Testing
import Basics
import Operations
import TestSupport
@testable import Tooling

/// `outreach bench`'s morning stage does a whole morning (it publishes lists) on a fresh home
/// each run and leaves nothing behind; its figures are times, so nothing here asserts one.
@Suite struct MorningBenchmarkTests {
    @Test func aMorningIngestsPublishesAndCleansUp() throws {
        try withTemporaryDirectory { root in
            let day = Day(year: 2026, month: 11, day: 2)!
            let extract = FileIO.join(root, "extract")
            _ = try Synthesizer.write(SynthOptions(patients: 600, practices: 2, seed: 4, asOf: day), to: extract)
            let files = try FileIO.listDirectory(extract).filter { $0.hasSuffix(".csv") && !$0.hasPrefix(".") }
                .map { FileIO.join(extract, $0) }
            let folder = FileIO.join(root, "morning")
            let timings = try MorningBenchmark.run(
                files: files, rules: Repository.rules, day: day, runs: 2, in: folder, executable: nil)
            #expect(timings.calls > 0, "the cycle published the day's lists")
            #expect(timings.cohorts > 0 && timings.morning > 0)
            #expect(try FileIO.listDirectory(folder).isEmpty, "each run's home is removed")
            #expect(files.allSatisfy(FileIO.isFile), "the extract files are read, not moved")
        }
    }

    /// The ratio is taken run by run, a morning against the cohorts run just before it, then the
    /// median: a run slowed by the machine slows both of its pair, not the ratio.
    @Test func theRatioIsTheMedianOfEachRunsRatio() {
        let timings = MorningBenchmark.Timings(
            cohortsRuns: [0.10, 0.20, 0.12, 0.11], morningRuns: [0.19, 0.38, 0.30, 0.21], calls: 1)
        // Ratios 1.9, 1.9 (a run slowed as a whole), 2.5 (an odd pair) and 1.909…: the middle two's mean.
        #expect(abs(timings.ratio - (1.9 + 0.21 / 0.11) / 2) < 1e-9)
        #expect(abs(timings.cohorts - 0.115) < 1e-9)
        #expect(abs(timings.morning - 0.255) < 1e-9)
    }

    /// Five runs (as the bench makes at a PCN's scale): the middle ratio, not a mean; one run
    /// (at an ICB's): its own ratio.
    @Test func theRatioOfAnOddNumberOfRunsIsTheMiddleOne() {
        let five = MorningBenchmark.Timings(
            cohortsRuns: [0.10, 0.10, 0.10, 0.10, 0.10], morningRuns: [0.18, 0.30, 0.19, 0.20, 0.25], calls: 1)
        #expect(abs(five.ratio - 2.0) < 1e-9)
        #expect(abs(five.morning - 0.20) < 1e-9)
        let one = MorningBenchmark.Timings(cohortsRuns: [1.7], morningRuns: [5.1], calls: 1)
        #expect(abs(one.ratio - 3.0) < 1e-9)
    }
}
