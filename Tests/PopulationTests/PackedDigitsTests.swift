import Basics
import Testing

@testable import Population

/// The event scan reads a row's code eight digits at a time: the bytes that are not digits must
/// be found exactly, and the digits before the first of them read as the number they make.
@Suite struct PackedDigitsTests {
    /// Every byte value at every place in a word, among digits and other bytes (seeded).
    @Test func findsExactlyTheBytesThatAreNotDigits() {
        var random = SeededRandom(seed: 808)
        for _ in 0..<20_000 {
            let bytes = (0..<8).map { _ in
                random.chance(0.7) ? UInt8(0x30 + random.next() % 10) : UInt8(random.next() % 256)
            }
            let word = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) }
            let expected = bytes.enumerated().reduce(UInt64(0)) { found, byte in
                byte.element >= 0x30 && byte.element <= 0x39 ? found : found | UInt64(0x80) << UInt64(8 * byte.offset)
            }
            #expect(PackedDigits.nonDigits(word) == expected, "\(bytes)")
            let digits = bytes.prefix { $0 >= 0x30 && $0 <= 0x39 }.count
            if (1...7).contains(digits) {
                let number = bytes.prefix(digits).reduce(UInt64(0)) { $0 * 10 + UInt64($1 - 0x30) }
                #expect(PackedDigits.value(word << UInt64(64 - 8 * digits)) == number, "\(bytes)")
            }
        }
    }
}
