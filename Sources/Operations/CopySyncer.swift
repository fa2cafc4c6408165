import Basics
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Makes the copies of an ingest's inputs durable (`fsync`) on a thread of its own, one after
/// another as they are written, while the inputs are checked and the cohorts evaluated: the
/// ingest waits for a copy's sync only before the journal records it or its inbox entry goes.
/// The threads that copy and check then never sit waiting on the disk (a PCN's morning spent a
/// quarter of its copying so).
///
/// The thread is its own, not one of the shared pool's: a pool thread waiting on the disk would
/// leave the evaluation's parallel reads a core short.
final class CopySyncer: @unchecked Sendable {
    private let condition = NSCondition()
    /// Copies written and not yet synced, in the order they were added.
    private var waiting: [(index: Int, fd: Int32, path: String)] = []
    /// Each synced copy's failure, or `nil` for none, by index.
    private var synced: [Int: FileIOError?] = [:]
    /// Set once no more copies will be added: the thread ends when it has synced the rest.
    private var complete = false
    /// The most copies waiting, open, at once: ``add(_:fd:path:)`` waits for room, so a batch of
    /// thousands of inputs never holds thousands of descriptors.
    static let maximumWaiting = 64

    init() {
        Thread.detachNewThread { [self] in syncAll() }
    }

    /// Hands over a copy's open descriptor: it is synced, then closed, on the syncer's thread.
    /// Waits while ``maximumWaiting`` copies are waiting already.
    func add(_ index: Int, fd: Int32, path: String) {
        condition.lock()
        while waiting.count >= CopySyncer.maximumWaiting { condition.wait() }
        waiting.append((index, fd, path))
        condition.broadcast()
        condition.unlock()
    }

    /// Says that every copy has been added: the thread ends once it has synced them.
    func addedAll() {
        condition.lock()
        complete = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until copy `index` (added already) is synced.
    /// - Throws: the `fsync`'s failure (a full disk, an I/O error): the copy may not be on disk.
    func wait(_ index: Int) throws(FileIOError) {
        condition.lock()
        while synced[index] == nil { condition.wait() }
        let failure = synced[index]!
        condition.unlock()
        if let failure { throw failure }
    }

    private func syncAll() {
        while true {
            condition.lock()
            while waiting.isEmpty, !complete { condition.wait() }
            if waiting.isEmpty {
                condition.unlock()
                return
            }
            let copy = waiting.removeFirst()
            condition.broadcast()
            condition.unlock()
            var failure: FileIOError?
            do throws(FileIOError) {
                _ = try FileIO.call("fsync", path: copy.path) { fsync(copy.fd) }
            } catch {
                failure = error
            }
            close(copy.fd)
            condition.lock()
            synced[copy.index] = failure
            condition.broadcast()
            condition.unlock()
        }
    }
}
