import Basics
import Testing

@testable import Population

/// Every name, address and phone cell of a patients file is trimmed and decoded by
/// `TextColumn.withTrimmedUTF8` before it is kept: the usual cell (ASCII, nothing to trim) takes a
/// shortcut, which must give exactly the bytes the general path gives, or a name would reach the
/// call list other than as the practice wrote it.
@Suite struct TrimmedCellTests {
    /// The general path, as it was before the shortcut: trim ASCII spaces, then decide the
    /// encoding on the whole cell, then trim no-break spaces in that encoding.
    static func reference(_ cell: FieldBytes) -> [UInt8] {
        let ascii = Bytes.trimmedASCII(cell)
        let trimmed = FieldBytes(rebasing: cell[ascii])
        if trimmed.allSatisfy({ $0 < 0x80 }) { return Array(trimmed) }
        if Bytes.isUTF8(trimmed) {
            return Array(cell[Bytes.trimmedNoBreakSpaces(cell, ascii, isUTF8: true)])
        }
        return Array(CSVReader.decodeWindows1252(cell[Bytes.trimmedNoBreakSpaces(cell, ascii, isUTF8: false)]).utf8)
    }

    /// Property: cells of letters, digits, punctuation, DEL, ASCII spaces and line breaks, no-break
    /// spaces in both encodings, UTF-8 letters and Windows-1252 bytes (seeded), of every length up
    /// to nineteen bytes (across the eight-byte steps), trim and decode as the reference does. Half
    /// the cells are printable ASCII only, so the shortcut is taken at every length too.
    @Test func theShortcutGivesWhatTheGeneralPathGives() {
        let printable: [[UInt8]] = [
            Array("a".utf8), Array("Z".utf8), Array("7".utf8), Array("'".utf8), Array("-".utf8), [0x7F],
        ]
        let others: [[UInt8]] = [
            [0x20], [0x09], [0x0A], [0x0D], [0xC2, 0xA0], [0xA0], Array("é".utf8), Array("Ł".utf8), Array("王".utf8),
            [0xE9], [0x80], [0xFF],
        ]
        var random = SeededRandom(seed: 1_207)
        var longShortcuts = 0
        for iteration in 0..<20_000 {
            let pieces = iteration % 2 == 0 ? printable : printable + others
            var cell: [UInt8] = []
            let length = Int(random.next() % 20)
            while cell.count < length { cell += pieces[Int(random.next() % UInt64(pieces.count))] }
            if cell.count >= 8, cell.allSatisfy({ $0 > 0x20 && $0 < 0x80 }) { longShortcuts += 1 }
            cell.withUnsafeBufferPointer { cell in
                let trimmed = TextColumn.withTrimmedUTF8(cell) { Array($0) }
                #expect(trimmed == Self.reference(cell), "\(Array(cell))")
            }
        }
        #expect(longShortcuts > 1_000, "cells of eight bytes or more that take the shortcut")
    }

    /// Every length up to 24 bytes, all ASCII or with one byte above 7F at each place.
    @Test func findsANonASCIIByteWhereverItIs() {
        for length in 0...24 {
            let ascii = [UInt8](repeating: 0x41, count: length)
            ascii.withUnsafeBufferPointer { #expect(Bytes.isASCII($0), "\(length)") }
            for place in 0..<length {
                var bytes = ascii
                bytes[place] = 0x80 | UInt8(place)
                bytes.withUnsafeBufferPointer { #expect(!Bytes.isASCII($0), "\(length) \(place)") }
            }
        }
    }
}
