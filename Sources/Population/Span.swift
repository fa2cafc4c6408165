import Basics

/// A byte range of a buffer (no checks, unlike `Range`, in the innermost loop).
struct Span {
    var start = 0
    var end = 0
}
