import Basics
import Journal
import Operations

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The inbox: extracts and returned lists polled until complete, then ingested through the same
/// code as `outreach ingest`; a file that cannot be ingested goes to `failed/` with its reason.
extension Daemon {
    /// Polls both inboxes without ingesting (the first look of `--once`). Returns whether a file
    /// is waiting to be seen again.
    func observeInboxes(_ now: LocalDateTime) -> Bool {
        let extracts = poll(home.extractsInbox, &extractsInbox, now: now)
        let outcomes = poll(home.outcomesInbox, &outcomesInbox, now: now)
        return !extracts.waiting.isEmpty || !outcomes.waiting.isEmpty
    }

    /// Ingests what is complete in both inboxes: extracts together, returned lists one by one
    /// (a stop request is honoured between them); reports follow when the journal changed.
    func ingestInbox(_ now: LocalDateTime) {
        let extractsPoll = poll(home.extractsInbox, &extractsInbox, now: now)
        let outcomesPoll = poll(home.outcomesInbox, &outcomesInbox, now: now)
        filesArriving = !extractsPoll.waiting.isEmpty || !outcomesPoll.waiting.isEmpty
        let extracts = extractsPoll.ready
        let outcomes = outcomesPoll.ready
        var changed = false
        if !extracts.isEmpty {
            changed = ingest(extracts, from: home.extractsInbox, now: now) || changed
        }
        for name in outcomes where !stop.isRequested {
            changed = ingest([name], from: home.outcomesInbox, now: now) || changed
        }
        if changed { refreshReports(now, after: "ingest") }
    }

    /// Looks at an inbox folder, removes stale markers, counts the queue, and says what is ready
    /// (leaving out files whose last failure is too recent to try again).
    private func poll(_ folder: String, _ tracker: inout InboxTracker, now: LocalDateTime) -> InboxTracker.Decision {
        let listing: InboxListing
        do {
            listing = try InboxFolder.list(folder)
        } catch {
            failure("ingest", "cannot read \(folder): \(error.message)", now: now, machine: true)
            return InboxTracker.Decision()
        }
        var decision = tracker.poll(listing)
        for marker in decision.staleMarkers {
            try? FileIO.remove(FileIO.join(folder, marker))
        }
        decision.ready = decision.ready.filter { retryAllowed(FileIO.join(folder, $0)) }
        return decision
    }

    /// Ingests files from one inbox folder through the same code as `outreach ingest`.
    /// - Returns: whether the journal changed.
    private func ingest(_ names: [String], from folder: String, now: LocalDateTime) -> Bool {
        guard let session else { return false }
        let paths = names.map { FileIO.join(folder, $0) }
        // The input is moved into archive/ or failed/: make it owner-only there, as everything the service keeps.
        for path in paths { _ = chmod(path, 0o600) }
        let results: [IngestResult]
        do {
            results = try steps.ingest(session, paths, now)
        } catch  where Daemon.isMachineFailure(error) {
            for path in paths { delay(path) }
            if error is JournalError { self.session = nil }
            failure(
                "ingest",
                "\(names.joined(separator: ", ")): \(Daemon.logText(error)); left in the inbox, tried again in "
                    + "\(Formatting.number(options.retryDelay)) s", now: now, machine: true)
            return false
        } catch {
            if names.count > 1 {
                var changed = false
                for name in names { changed = ingest([name], from: folder, now: now) || changed }
                return changed
            }
            refuse(paths[0], reason: Daemon.describe(error), now: now)
            return false
        }
        var changed = false
        for result in results {
            let path = FileIO.join(folder, result.fileName)
            succeeded(path)
            try? FileIO.remove(path + InboxFolder.markerSuffix)
            if folder == home.extractsInbox {
                extractsInbox.forget(result.fileName)
            } else {
                outcomesInbox.forget(result.fileName)
            }
            switch result.outcome {
            case .ingested(let text):
                changed = true
                logger.info("ingested \(result.kind?.rawValue ?? "file") \(result.line)")
                if result.escalationsRaised > 0 {
                    logger.warning(
                        "\(result.fileName): \(Formatting.count(result.escalationsRaised, "urgent concern")) "
                            + "recorded: the duty clinician must act today (outbox/escalations/\(now.day).csv)")
                }
                if result.kind == .returnedList {
                    status.lastOutcomes = .init(file: result.fileName, at: now.description, summary: text)
                }
            case .alreadyIngested:
                logger.info(result.line + "; moved to archive/")
            case .failed:
                failure(
                    "ingest",
                    "\(result.fileName): not ingested; moved to failed/ with the reason beside it "
                        + "(\(failedReasonFile(for: result.fileName) ?? "NAME.error.txt"))", now: now, machine: false)
            }
        }
        return changed
    }

    /// Moves a file the ingest code could not classify to `failed/` with its reason beside it,
    /// as the ingest code does for files it refuses, so one bad file never blocks the inbox.
    private func refuse(_ path: String, reason: String, now: LocalDateTime) {
        let name = FileIO.fileName(of: path)
        do {
            let destination = try Ingestor.refuse(
                path, bytes: try FileIO.readAll(path), reason: reason, home: home, at: now, move: true)
            try? FileIO.remove(path + InboxFolder.markerSuffix)
            failure(
                "ingest",
                "\(name): not ingested; moved to failed/ with the reason beside it "
                    + "(\(FileIO.fileName(of: destination)).error.txt)", now: now, machine: false)
        } catch {
            delay(path)
            failure("ingest", "\(name): cannot move to failed/: \(Daemon.logText(error))", now: now, machine: true)
        }
    }

    /// The newest `.error.txt` in `failed/` for a file name (its reason may quote the file, so the
    /// log names the file that holds it instead of repeating it).
    private func failedReasonFile(for name: String) -> String? {
        (try? FileIO.listDirectory(home.failed))?.filter { $0.hasSuffix("-\(name).error.txt") }.last
    }
}
