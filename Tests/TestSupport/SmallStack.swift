import Foundation

/// The stack of a secondary thread the daemon might run work on: smaller than the main thread's.
public let smallStackSize = 512 * 1024

/// Runs `body` on a fresh thread with a `smallStackSize` stack and waits for its result: for
/// showing that recursion over the largest input allowed fits off the main thread too.
public func onSmallStack<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        box.result = Result { try body() }
        done.signal()
    }
    thread.stackSize = smallStackSize
    thread.start()
    done.wait()
    return try box.result!.get()
}

private final class ResultBox<T: Sendable>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
