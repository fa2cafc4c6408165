import Foundation
import Synchronization

/// The processors work can be spread over.
public enum Processors {
    /// How many cores this process may run on (at least 1).
    public static var active: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}

/// Results of `DispatchQueue.concurrentPerform` iterations, each written once by its own iteration.
public final class ChunkResults<Value: Sendable>: Sendable {
    private let storage: Mutex<[Value?]>

    public init(count: Int) {
        storage = Mutex([Value?](repeating: nil, count: count))
    }

    public func set(_ index: Int, _ value: Value) {
        storage.withLock { $0[index] = value }
    }

    /// Every iteration's value, in order.
    public func values() -> [Value] {
        storage.withLock { $0.map { $0! } }
    }
}
