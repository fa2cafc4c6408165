#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Zeroed arrays for tables read at random, such as the NHS number index every events row looks
/// up: on Linux the kernel is asked to back them with 2 MiB pages, so that a lookup in a table of
/// many megabytes does not also miss the processor's cache of page addresses (one entry then
/// covers 2 MiB instead of 4 KiB, with 4 KiB base pages). Only a hint: where it is not taken, the
/// array is an ordinary one.
public enum LargePages {
    /// Below this size no large pages are asked for (the array spans few pages).
    static let threshold = 4 << 20
    static let pageBytes = 2 << 20

    /// An array of `count` zeros whose pages may be large ones (see ``threshold``).
    public static func zeroed<Element: FixedWidthInteger>(_ count: Int, of: Element.Type = Element.self) -> [Element] {
        let byteCount = count * MemoryLayout<Element>.stride
        return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let base = buffer.baseAddress else { return precondition(count == 0) }
            if byteCount >= threshold, let pages = alignedPages(from: Int(bitPattern: base), byteCount: byteCount) {
                advise(pages)
            }
            // Zero bytes are zero for the standard library's integers (the only ones asked for).
            // (`initialize(repeating:)` or `Array(repeating:count:)` here, not specialised for the
            // caller's type, called a value witness for each element: 14 million instructions for
            // an ICB's NHS number index, on the thread placing the patients read.)
            memset(base, 0, byteCount)
            initialized = count
        }
    }

    /// The addresses of the whole 2 MiB pages within `byteCount` bytes from address `start`
    /// (never beyond them), or `nil` when there is none.
    static func alignedPages(from start: Int, byteCount: Int) -> Range<Int>? {
        let first = (start + pageBytes - 1) & ~(pageBytes - 1)
        let end = (start + byteCount) & ~(pageBytes - 1)
        return end > first ? first..<end : nil
    }

    /// Asks for large pages over `pages`, before they are first touched (a page touched already
    /// usually stays small until the kernel collapses it in the background).
    private static func advise(_ pages: Range<Int>) {
        #if os(Linux)
            guard let aligned = UnsafeMutableRawPointer(bitPattern: pages.lowerBound) else { return }
            _ = madvise(aligned, pages.count, MADV_HUGEPAGE)
        #endif
    }
}
