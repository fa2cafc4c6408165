import Testing

@testable import Basics

/// Tables asked to be backed by large pages hold exactly the zeros asked for, whatever their size
/// and however their memory lines up with 2 MiB (whether the kernel takes the hint is its own
/// affair, and changes nothing a reader sees).
struct LargePagesTests {
    @Test(arguments: [0, 1, 1000, LargePages.threshold / 8 - 1, LargePages.threshold / 8, 3 << 20, (5 << 20) + 3])
    func zeroedArraysHoldZerosOfTheCountAskedFor(count: Int) {
        let words = LargePages.zeroed(count, of: UInt64.self)
        #expect(words.count == count)
        #expect(words.allSatisfy { $0 == 0 })
        let bytes = LargePages.zeroed(count * 8 + 5, of: UInt8.self)
        #expect(bytes.count == count * 8 + 5)
        #expect(bytes.allSatisfy { $0 == 0 })
    }
}
