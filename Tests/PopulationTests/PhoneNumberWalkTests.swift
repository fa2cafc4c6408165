import Basics
import Testing
import TestSupport

@testable import Population

/// The phone reader's shortcut for the usual cell (digits and spaces, 11 digits, a UK beginning)
/// against the byte-by-byte walk every other cell takes: a shortcut that read a cell differently
/// would ring someone else (H34), and one never taken gives the same numbers, only slower.
struct PhoneNumberWalkTests {
    @Test func theUsualCellReadsAsTheWalkReadsIt() {
        var random = SeededRandom(seed: 1207)
        // Mostly digits and spaces, with the bytes that border the shortcut: grouping it does not
        // take (tab, '-', '.', brackets, a no-break space), '+', words and an extension's 'x'.
        let others: [[UInt8]] =
            ["\t", "-", ".", "(", ")", "+", "/", "x", "ext", "mob:", "A"].map { Array($0.utf8) }
            + [[0xC2, 0xA0], [0xA0]]
        var shortcut = 0
        var numbers = 0
        for round in 0..<40_000 {
            // Half the cells are shaped like the usual cell: 10 to 12 digits, mostly from 0.
            let digits =
                round % 2 == 0 ? Int.random(in: 10...12, using: &random) : Int.random(in: 0...16, using: &random)
            var cell: [UInt8] = []
            for index in 0..<digits {
                if random.chance(0.15) { cell.append(0x20) }
                if random.chance(0.03) { cell += others[Int.random(in: 0..<others.count, using: &random)] }
                let digit: UInt8 = index == 0 && random.chance(0.9) ? 0 : UInt8(Int.random(in: 0...9, using: &random))
                cell.append(0x30 + digit)
            }
            if random.chance(0.1) { cell.append(0x20) }
            var fast: [UInt8] = []
            var walked: [UInt8] = []
            let (fastFault, walkFault) = cell.withUnsafeBufferPointer { bytes in
                (PhoneNumber.normalise(bytes, appendingTo: &fast), PhoneNumber.walk(bytes, appendingTo: &walked))
            }
            #expect(fastFault == walkFault, "\(String(decoding: cell, as: UTF8.self))")
            #expect(fast == walked, "\(String(decoding: cell, as: UTF8.self))")
            let plain = cell.allSatisfy { $0 == 0x20 || ($0 >= 0x30 && $0 <= 0x39) }
            if plain, cell.filter({ $0 != 0x20 }).count == 11, fastFault == nil { shortcut += 1 }
            if fastFault == nil { numbers += 1 }
        }
        // The shortcut was taken for thousands of cells, and the walk found numbers in others.
        #expect(shortcut > 2_000)
        #expect(numbers > shortcut)
    }

    /// Each beginning the shortcut takes, formatted as the walk formats it, and those it leaves.
    @Test(arguments: [
        ("07700900123", "07700 900123"), ("02079460000", "020 7946 0000"), ("0113 4960000", "0113 496 0000"),
        ("01632960000", "01632 960000"), ("03005550000", "0300 555 0000"), ("08001234567", "0800 123 4567"),
        ("09098790000", "0909 879 0000"), ("05001234567", "0500 123 4567"), (" 07700 900 123 ", "07700 900123"),
    ])
    func formatsEachBeginningAsTheWalkDoes(cell: String, number: String) throws {
        #expect(try PhoneNumber.read(cell).get() == number)
        var walked: [UInt8] = []
        let fault = Bytes.with(cell) { PhoneNumber.walk($0, appendingTo: &walked) }
        #expect(fault == nil)
        #expect(String(decoding: walked, as: UTF8.self) == number)
    }

    @Test(arguments: ["04123456789", "06123456789", "00123456789", "7700900123", "077009001234", "0770090012"])
    func leavesOtherCellsToTheWalk(cell: String) {
        var walked: [UInt8] = []
        let walkFault = Bytes.with(cell) { PhoneNumber.walk($0, appendingTo: &walked) }
        #expect(walkFault != nil)
        #expect(PhoneNumber.read(cell) == .failure(walkFault!))
    }
}
