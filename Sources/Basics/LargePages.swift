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
/// covers 2 MiB instead of 4 KiB). Only a hint: where it is not taken, the array is an ordinary one.
public enum LargePages {
    /// Below this size an array is made as usual (it spans few pages).
    public static let threshold = 4 << 20
    static let pageBytes = 2 << 20

    /// An array of `count` zeros whose pages may be large ones (see ``threshold``).
    public static func zeroed<Element: FixedWidthInteger>(_ count: Int, of: Element.Type = Element.self) -> [Element] {
        let byteCount = count * MemoryLayout<Element>.stride
        guard byteCount >= threshold else { return [Element](repeating: 0, count: count) }
        return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress {
                advise(UnsafeMutableRawPointer(base), byteCount: byteCount)
                UnsafeMutableRawPointer(base).initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
            }
            initialized = count
        }
    }

    /// Asks for large pages over the whole 2 MiB pages within `byteCount` bytes from `start`,
    /// before they are first touched (a page touched already stays small).
    static func advise(_ start: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
            let first = (Int(bitPattern: start) + pageBytes - 1) & ~(pageBytes - 1)
            let end = (Int(bitPattern: start) + byteCount) & ~(pageBytes - 1)
            guard end > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
            _ = madvise(aligned, end - first, MADV_HUGEPAGE)
        #endif
    }
}
