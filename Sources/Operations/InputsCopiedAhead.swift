import Basics
import Dispatch
import Synchronization

/// Inputs copied and hashed into `state/incoming/` on other threads before their ingest asks for
/// them: the daemon starts copying the extracts already complete in its inbox when it starts, while
/// it checks the rules on one core, and the ingest that follows takes the copies
/// (``Ingestor/ingest(_:paths:at:moveInputs:confirmSmallerPopulation:)``) instead of making them.
///
/// A copy is only ever a head start: the ingest takes the copies only when they are of exactly
/// the inputs it ingests, each copied whole and each inbox entry unchanged since it was opened;
/// otherwise it copies them all again, as it would have without them. The bytes checked are
/// still the bytes kept, hashed as they were copied.
public final class InputsCopiedAhead: Sendable {
    /// The inputs being copied, in the order the ingest gives them (the inbox's, by name).
    public let paths: [String]
    /// The inputs by index in the order they are copied: the smallest first, so that a
    /// morning's patients files are ready to be checked while its events files are copied.
    private let order: [Int]
    private let copying: BackgroundWork<Result<[Result<StagedInput, FileIOError>], any Error>>
    /// Each copy as soon as it is made, and a signal for each input once its copy is made or failed.
    private let made: ChunkResults<StagedInput>
    private let finished: [DispatchSemaphore]
    private let claimed = Mutex(false)
    private let folder: String

    /// Starts copying `paths` into `home`'s `state/incoming/` (emptied first, as an ingest does).
    /// Nothing else may use that folder until ``take(_:checkingEach:)`` or ``discard()`` has
    /// been called.
    public init(_ paths: [String], home: Home) {
        self.paths = paths
        let units = Array(
            StagedInput.copyUnits(
                sizes: paths.map { (try? FileIO.sizeAndModification($0))?.size ?? 0 },
                pairing: SHA256.hashesTwoAtOnce, cores: Processors.active
            ).reversed())
        order = Array(units.joined())
        let made = ChunkResults<StagedInput>(count: paths.count)
        let finished = paths.map { _ in DispatchSemaphore(value: 0) }
        self.made = made
        self.finished = finished
        let folder = home.incoming
        self.folder = folder
        copying = BackgroundWork {
            defer { for signal in finished { signal.signal() } }
            return Result {
                try StagedInput.stage(paths, in: folder, units: units) { index, copy in
                    made.set(index, copy)
                    finished[index].signal()
                }
            }
        }
    }

    /// Hands each copy to `check` as soon as it is made (on every core), then the copies, if they
    /// are of exactly `paths`, every one was made and no inbox entry has changed since; `nil`
    /// otherwise, and the caller copies the inputs itself (into the folder, no longer written
    /// to, which it empties first) and checks them again. Only the first call (of this and
    /// ``discard()``) can take them.
    func take(_ paths: [String], checkingEach check: @Sendable (Int, StagedInput) -> Void) -> [StagedInput]? {
        guard claim(), paths == self.paths else {
            _ = copies()
            return nil
        }
        DispatchQueue.concurrentPerform(iterations: order.count) { position in
            let index = order[position]
            finished[index].wait()
            if let copy = made.take(index), copy.sourceIsUnchanged { check(index, copy) }
        }
        guard case .success(let results) = copies() else { return nil }
        let copies = results.compactMap { try? $0.get() }
        guard copies.count == paths.count, copies.allSatisfy(\.sourceIsUnchanged) else { return nil }
        return copies
    }

    /// Waits for the copying to end and, if no ingest asked for the copies, removes them (patient
    /// data must not lie in `state/` unread). A copy that cannot be removed is left for the next
    /// ingest, which empties the folder first.
    public func discard() {
        _ = copies()
        guard claim() else { return }
        try? FileIO.removeTree(folder)
    }

    /// Every input's copy (or why it has none), once the copying has ended; a failure of the
    /// machine (a full disk) for them all.
    func copies() -> Result<[Result<StagedInput, FileIOError>], any Error> {
        copying.wait()
    }

    /// Whether this is the first call of ``take(_:checkingEach:)`` or ``discard()``.
    private func claim() -> Bool {
        claimed.withLock { claimed in
            defer { claimed = true }
            return !claimed
        }
    }
}
