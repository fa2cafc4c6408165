import Dispatch
import Basics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A byte range of a buffer (no checks, unlike `Range`, in the innermost loop).
struct Span {
    var start = 0
    var end = 0
}
