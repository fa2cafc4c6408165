import Testing

@testable import Basics

/// Tables asked to be backed by large pages hold exactly the zeros asked for, whatever their size
/// (whether the kernel takes the hint is its own affair, and changes nothing a reader sees), and
/// the hint covers only whole 2 MiB pages inside the table's own memory.
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

    /// Against every start within two pages of a boundary, in steps, and sizes around a page.
    @Test func theAdvisedPagesAreWholeAndInsideTheTable() {
        let page = LargePages.pageBytes
        for start in stride(from: 7 * page - 3 * 4096, through: 9 * page + 4096, by: 4096) {
            for byteCount in [0, 1, page - 1, page, page + 1, 2 * page, 3 * page + 17, 5 << 20] {
                let pages = LargePages.alignedPages(from: start, byteCount: byteCount)
                let whole = stride(from: 0, through: 12 * page, by: page).filter {
                    $0 >= start && $0 + page <= start + byteCount
                }
                if let pages {
                    #expect(pages.lowerBound >= start && pages.upperBound <= start + byteCount)
                    #expect(pages.lowerBound % page == 0 && pages.count % page == 0)
                    #expect(Array(stride(from: pages.lowerBound, to: pages.upperBound, by: page)) == whole)
                } else {
                    #expect(whole.isEmpty, "start \(start), \(byteCount) bytes")
                }
            }
        }
    }
}
