import Basics
import Testing
import TestSupport

@testable import Population

/// The NHS number index, and its lookups a batch ahead while numbers are inserted between them
/// (as placing a patients file does).
struct PatientIndexTests {
    /// Rows looked up in order, each number inserted when not found, as placing does: every
    /// lookup agrees with a dictionary. Numbers repeat within a batch (a later row must find the
    /// patient an earlier row of its batch inserted, though its slot was loaded empty), and the
    /// index starts small, so it grows in the middle of batches.
    @Test func lookupsAheadAgreeWithADictionaryWhileNumbersAreInserted() {
        var random = SeededRandom(seed: 21)
        for round in 0..<40 {
            let distinct = 1 + Int(random.next() % 3_000)
            let pool = (0..<distinct).map { _ in 1_000_000_000 + random.next() % 8_999_999_999 }
            let rows = (0..<(distinct * 2)).map { _ in pool[Int(random.next() % UInt64(distinct))] }
            var index = PatientIndex()
            if round % 2 == 0 { index.reserveCapacity(distinct) }
            var expected: [UInt64: Int32] = [:]
            var lookahead = PatientIndex.Lookahead()
            var mismatches = 0
            for (row, number) in rows.enumerated() {
                let found = index.index(ofRow: row, in: rows, lookahead: &lookahead)
                if found != expected[number] { mismatches += 1 }
                if found == nil {
                    expected[number] = Int32(expected.count)
                    index.insert(number, index: expected.count - 1)
                }
            }
            #expect(mismatches == 0, "round \(round)")
            #expect(index.count == Set(rows).count, "round \(round)")
        }
    }
}
