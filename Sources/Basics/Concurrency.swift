import Foundation
import Synchronization

/// The processors work can be spread over.
public enum Processors {
    /// How many cores this process may run on (at least 1), as when first asked, for the life of
    /// the process (a daemon sees a changed CPU quota at its next start). Asked once: on Linux,
    /// Foundation reads the control group's CPU quota files each time it is asked (33 times in a
    /// morning's cycle).
    public static let active: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)
}

extension Processors {
    /// `body` over `0..<count` cut into ranges, one range for fewer than `wholeBelow` items and
    /// otherwise four a core, run on every core; the results in the ranges' order. For work
    /// where each item depends only on itself (a person's status, a person's case).
    public static func inParts<Part: Sendable>(
        _ count: Int, wholeBelow: Int, _ body: @Sendable (Range<Int>) -> Part
    ) -> [Part] {
        let parts = count < wholeBelow ? 1 : 4 * active
        let results = ChunkResults<Part>(count: parts)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            results.set(part, body((count * part / parts)..<(count * (part + 1) / parts)))
        }
        return results.values()
    }
}

/// Results of concurrent work (`DispatchQueue.concurrentPerform` iterations, queued jobs), one
/// slot per piece of work, each written by its own piece.
public final class ChunkResults<Value: Sendable>: Sendable {
    private let storage: Mutex<[Value?]>

    public init(count: Int) {
        storage = Mutex([Value?](repeating: nil, count: count))
    }

    public func set(_ index: Int, _ value: Value) {
        storage.withLock { $0[index] = value }
    }

    /// Takes out the value at `index`, if set (leaving none).
    public func take(_ index: Int) -> Value? {
        storage.withLock { values in
            defer { values[index] = nil }
            return values[index]
        }
    }

    /// Every iteration's value, in order.
    public func values() -> [Value] {
        storage.withLock { $0.map { $0! } }
    }
}

/// Hands out the indices 0..<count one at a time to whoever asks, from any thread: a shared queue
/// of work for a fixed set of workers.
public final class WorkQueue: Sendable {
    private let next = Mutex(0)
    private let count: Int

    public init(count: Int) {
        self.count = count
    }

    /// The next index to work on, or `nil` when every index has been handed out.
    public func take() -> Int? {
        next.withLock { value in
            guard value < count else { return nil }
            defer { value += 1 }
            return value
        }
    }
}

/// Work started on another thread whose result the caller needs only later: a step that may run
/// beside the ones after it (keeping a copy of the rules while a cycle ingests).
public final class BackgroundWork<Value: Sendable>: Sendable {
    private let result = Mutex<Value?>(nil)
    private let group = DispatchGroup()

    public init(_ work: @escaping @Sendable () -> Value) {
        group.enter()
        DispatchQueue.global().async { [self] in
            let value = work()
            result.withLock { $0 = value }
            group.leave()
        }
    }

    /// The work's result, once it has finished (at once after the first call).
    public func wait() -> Value {
        group.wait()
        return result.withLock { $0! }
    }
}
