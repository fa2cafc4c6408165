import Basics
import Dispatch
import Foundation
import RuleLanguage
import Synchronization

/// Inputs copied and hashed into `state/incoming/` on a thread of their own before their ingest
/// asks for them: the daemon starts copying the extracts already complete in its inbox when it
/// starts, while it checks the rules on one core, and the ingest that follows takes the copies
/// (``Ingestor/ingest(_:paths:at:moveInputs:confirmSmallerPopulation:)``) instead of making them.
///
/// Once the rules are known, each copy is also checked as soon as it is made
/// (``startChecking(under:on:)``), so that the patients files are parsed while the daemon opens
/// its journal and the events files are still being copied.
///
/// A copy is only ever a head start: the ingest takes the copies only when they are of exactly
/// the inputs it ingests, each copied whole and each inbox entry unchanged since it was opened,
/// and their checks only when it would have checked them alike (the same rules, day and
/// confirmation); otherwise it copies and checks them all again, as it would have without them.
/// The bytes checked are still the bytes kept, hashed as they were copied.
public final class InputsCopiedAhead: Sendable {
    /// The inputs being copied, in the order the ingest gives them (the inbox's, by name).
    private let paths: [String]
    private let home: Home
    private let folder: String
    /// The inputs by index in the order they are copied: the smallest first, so that a morning's
    /// patients files can be checked while its events files are still being copied (measured:
    /// the morning 2% faster than checking only once every copy is made).
    private let order: [Int]
    /// Each copy as soon as it is made, and a signal for each input once its copy is made or failed.
    private let made: ChunkResults<StagedInput>
    private let finished: [DispatchSemaphore]
    /// Every copy, or the failure of the machine that stopped them, once the copying has ended.
    private let outcome = ChunkResults<Result<[Result<StagedInput, FileIOError>], any Error>>(count: 1)
    private let ended = DispatchGroup()
    /// Set by the first of ``take(_:checking:)`` and ``discard()``; only the first acts.
    private let claimed = Flag()
    /// Set to stop the copying and checking early: by ``discard()``, by a ``take(_:checking:)``
    /// that refuses the copies, or when a copy's entry is found changed.
    private let cancelled = Flag()
    /// The checks begun, and what they depend on; `nil` until they begin.
    private let checking = Mutex<(key: ExtractCheck.Key, results: ChunkResults<CheckResult>)?>(nil)
    /// Left once every check begun has ended.
    private let checked = DispatchGroup()

    typealias CheckResult = Result<Ingestor.PendingExtract, any Error>

    /// Starts copying `paths` into `home`'s `state/incoming/` (emptied first, as an ingest does),
    /// on a thread of its own: nothing that waits for a copy can hold the thread that makes it.
    /// Nothing else may use that folder until ``take(_:checking:)`` or ``discard()`` has
    /// been called.
    public init(_ paths: [String], home: Home) {
        self.paths = paths
        self.home = home
        folder = home.incoming
        let units = Array(StagedInput.copyUnits(for: paths).reversed())
        order = Array(units.joined())
        made = ChunkResults(count: paths.count)
        finished = paths.map { _ in DispatchSemaphore(value: 0) }
        ended.enter()
        Thread.detachNewThread { [self] in
            outcome.set(
                0,
                Result {
                    try StagedInput.stage(paths, in: folder, units: units, isCancelled: { self.cancelled.isSet }) {
                        index, copy in
                        made.set(index, copy)
                        finished[index].signal()
                    }
                })
            // Inputs that could not be copied are signalled too (a second signal is harmless).
            for signal in finished { signal.signal() }
            ended.leave()
        }
    }

    /// Starts checking each copy as the ingest would under `ruleSet` on `day`, as soon as it is
    /// made, on a thread of their own and the pool's (a start's opening of the journal then
    /// overlaps the parsing of the patients files). Does nothing once checks have begun.
    public func startChecking(under ruleSet: RuleSet, on day: Day) {
        _ = startChecking(ExtractCheck(ruleSet: ruleSet, home: home, day: day, confirmed: false))
    }

    /// The results of the checks begun with `check`'s key, begun now if none were; `nil` when
    /// they were begun with another key.
    func startChecking(_ check: ExtractCheck) -> ChunkResults<CheckResult>? {
        checking.withLock { begun in
            if let begun { return begun.key == check.key ? begun.results : nil }
            let results = ChunkResults<CheckResult>(count: paths.count)
            begun = (check.key, results)
            checked.enter()
            Thread.detachNewThread { [self] in
                DispatchQueue.concurrentPerform(iterations: order.count) { position in
                    let index = order[position]
                    finished[index].wait()
                    guard !cancelled.isSet, let copy = made.take(index) else { return }
                    guard copy.sourceIsUnchanged else { return cancelled.set() }
                    if let result = check.run(copy) { results.set(index, result) }
                }
                checked.leave()
            }
            return results
        }
    }

    /// The copies and their checks, once every check has ended, if the copies are of exactly
    /// `paths`, every one was made, no inbox entry has changed since, and the checks were begun
    /// with `check`'s key (or are begun now, with `check`); `nil` otherwise, and the caller copies
    /// the inputs itself (into the folder, no longer written to, which it empties first) and
    /// checks them again, and the checks begun are let go of. Only the first call (of this and
    /// ``discard()``) can take them.
    func take(_ paths: [String], checking check: ExtractCheck)
        -> (copies: [StagedInput], checks: ChunkResults<CheckResult>)?
    {
        guard claimed.setFirst() else {
            stop()
            return nil
        }
        guard paths == self.paths, let checks = startChecking(check) else {
            stop()
            dropChecks()
            return nil
        }
        checked.wait()
        guard !cancelled.isSet, case .success(let results) = copies() else {
            dropChecks()
            return nil
        }
        let copies = results.compactMap { try? $0.get() }
        guard copies.count == paths.count, copies.allSatisfy(\.sourceIsUnchanged) else {
            dropChecks()
            return nil
        }
        return (copies, checks)
    }

    /// Stops the copying and, if no ingest asked for the copies, removes them (patient data must
    /// not lie in `state/` unread) and lets go of their checks.
    /// - Returns: the failure to remove them (they are removed by the next ingest or start).
    public func discard() -> FileIOError? {
        guard claimed.setFirst() else { return nil }
        stop()
        dropChecks()
        do throws(FileIOError) {
            if FileIO.exists(folder) { try FileIO.removeTree(folder) }
            return nil
        } catch {
            return error
        }
    }

    /// Stops the copying and checking, and waits until both have.
    private func stop() {
        cancelled.set()
        _ = copies()
        checked.wait()
    }

    /// Lets go of the checks' results, which no ingest will take: a patients file's check holds
    /// the whole file parsed, which the ingest that checks it again would otherwise hold a second
    /// time until the daemon's first cycle ends. Call it only once the checks have ended.
    private func dropChecks() {
        guard let results = checking.withLock({ $0?.results }) else { return }
        for index in paths.indices { _ = results.take(index) }
    }

    /// Every input's copy (or why it has none), once the copying has ended; a failure of the
    /// machine (a full disk) for them all.
    func copies() -> Result<[Result<StagedInput, FileIOError>], any Error> {
        ended.wait()
        return outcome.values()[0]
    }
}

/// A flag any thread may set and read.
private final class Flag: Sendable {
    private let value = Mutex(false)

    var isSet: Bool { value.withLock { $0 } }

    func set() {
        value.withLock { $0 = true }
    }

    /// Sets the flag; whether this call did (it was not set before).
    func setFirst() -> Bool {
        value.withLock { value in
            defer { value = true }
            return !value
        }
    }
}
