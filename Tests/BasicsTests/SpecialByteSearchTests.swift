import Testing

@testable import Basics

/// The quote-free record reader finds each field's end eight bytes at a time
/// (`CSVReader.nextSpecialByte`): it must find exactly the first separator, line end or quote a
/// byte-by-byte search finds, whatever the bytes around it (UTF-8 and Windows-1252 bytes above
/// 0x7F, bytes one away from a special one) and wherever the search starts and stops.
@Suite struct SpecialByteSearchTests {
    static func byteByByte(_ bytes: [UInt8], from: Int, to end: Int, separator: UInt8) -> Int {
        (from..<end).first { [separator, 0x0A, 0x0D, 0x22].contains(bytes[$0]) } ?? end
    }

    @Test(arguments: [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")])
    func findsWhatAByteByByteSearchFinds(separator: UInt8) {
        var random = SeededRandom(seed: UInt64(separator))
        // Special bytes, their neighbours, zero, high bytes and plain text.
        let alphabet: [UInt8] = [
            separator, separator &+ 1, separator &- 1, 0x0A, 0x0B, 0x0D, 0x0C, 0x22, 0x21, 0x23,
            0x00, 0x01, 0x7F, 0x80, 0x81, 0xA0, 0xC2, 0xFF, 0x30, 0x41, 0x61,
        ]
        for round in 0..<3_000 {
            let count = Int.random(in: 0...40, using: &random)
            // Mostly plain text, so that runs of eight and more without a special byte occur.
            let bytes = (0..<count).map { _ in
                random.chance(0.8)
                    ? UInt8.random(in: 0x41...0x5A, using: &random) : alphabet.randomElement(using: &random)!
            }
            let from = Int.random(in: 0...count, using: &random)
            let end = Int.random(in: from...count, using: &random)
            let found = bytes.withUnsafeBufferPointer {
                CSVReader.nextSpecialByte($0, from: from, to: end, separator: separator)
            }
            let expected = Self.byteByByte(bytes, from: from, to: end, separator: separator)
            #expect(found == expected, "round \(round): \(bytes) from \(from) to \(end)")
            if found != expected { return }
        }
    }
}
