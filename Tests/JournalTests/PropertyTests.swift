import Testing
import Basics
import Journal
import TestSupport
@testable import Tooling
import Vocabulary

/// Seeded random histories: print the seed in every failure so it can be replayed.
@Suite("Random histories and simulated crashes")
struct PropertyTests {
    @Test("random record sequences, written in random batches, read back identical", arguments: 0..<40)
    func roundTrip(_ seed: UInt64) throws {
        var generator = SyntheticJournal(seed: seed, peopleCount: 40, variety: true)
        let batches = generator.batches(recordCount: 50 + Int(seed % 7) * 40)
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            let journal = try Journal(path: path)
            for batch in batches { try journal.append(contentsOf: batch) }
            try journal.sync()
            let written = journal.history
            journal.close()

            #expect(try entries(at: path).map(\.record) == batches.flatMap { $0 }, "seed \(seed)")
            let reopened = try Journal(path: path)
            #expect(reopened.recovered == nil, "seed \(seed)")
            #expect(reopened.history == written, "seed \(seed)")
        }
    }

    /// A crash at a random instant: the file ends somewhere inside what was being written, and
    /// the file system may show zeros after it. Whatever survived byte for byte, up to the last
    /// whole batch, must be kept; nothing after it; and the journal must take appends again.
    @Test("a crash at a random offset keeps exactly the batches that reached the disk", arguments: 0..<8)
    func simulatedCrashes(_ seed: UInt64) throws {
        var random = SeededRandom(seed: 1000 + seed)
        var generator = SyntheticJournal(seed: seed, peopleCount: 30, variety: true)
        let batches = generator.batches(recordCount: 200)
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            let ends = try write(batches, to: path)
            let original = try FileIO.readAll(path)

            for round in 0..<25 {
                let cut = Int.random(in: 16...original.count, using: &random)
                let zeros = random.chance(0.5) ? Int.random(in: 1...5000, using: &random) : 0
                try overwrite(path, with: Array(original[..<cut]) + [UInt8](repeating: 0, count: zeros))
                // Bytes that happen to be zero in the original survive a zero fill unchanged.
                var intact = cut
                while intact < min(original.count, cut + zeros), original[intact] == 0 { intact += 1 }
                let kept = ends.filter { $0 <= intact }.count
                let expected = Array(batches.prefix(kept).joined())
                let context: Comment = "seed \(seed) round \(round): cut \(cut) of \(original.count), \(zeros) zeros"

                let journal = try Journal(path: path)
                #expect(journal.history.recordCount == expected.count, context)
                #expect(journal.byteCount == (kept == 0 ? 16 : ends[kept - 1]), context)
                #expect((journal.recovered != nil) == (cut + zeros != journal.byteCount), context)
                let marker = JournalRecord.ruleSetAdopted(
                    RuleSetAdopted(version: ContentHash(of: [UInt8(round)]), day: Sample.monday))
                try journal.append(marker)
                journal.close()
                #expect(try entries(at: path).map(\.record) == expected + [marker], context)
            }
        }
    }
}
