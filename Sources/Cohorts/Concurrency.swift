import Dispatch
import Foundation
import Synchronization

/// The number of cores to spread work over.
enum ProcessInfoCores {
    static var count: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}

/// Results of `DispatchQueue.concurrentPerform` iterations, each written once by its own iteration.
final class ChunkResults<Value: Sendable>: Sendable {
    private let storage: Mutex<[Value?]>

    init(count: Int) {
        storage = Mutex([Value?](repeating: nil, count: count))
    }

    func set(_ index: Int, _ value: Value) {
        storage.withLock { $0[index] = value }
    }

    /// Every iteration's value, in order.
    func values() -> [Value] {
        storage.withLock { $0.map { $0! } }
    }
}
