import Testing
import Basics
import Journal
import TestSupport
@testable import Tooling

@Suite("Benchmark entry point")
struct BenchmarkTests {
    @Test("the benchmark writes and replays the history it generates, and cleans up after itself")
    func smallRun() throws {
        try withTemporaryDirectory { folder in
            let timings = try JournalBenchmark.run(records: 3000, seed: 5, directory: folder)
            #expect(timings.records >= 3000)
            #expect(timings.batches > 1)
            #expect(timings.bytes > 16 + 10 * timings.records)
            #expect(timings.appendSeconds >= 0 && timings.openSeconds >= 0 && timings.readSeconds >= 0)
            #expect(try FileIO.listDirectory(folder).isEmpty)
        }
    }
}
