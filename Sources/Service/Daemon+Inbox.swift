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
        let extracts = poll(home.extractsInbox, &extractsInbox, now: now).decision
        let outcomes = poll(home.outcomesInbox, &outcomesInbox, now: now).decision
        return !extracts.waiting.isEmpty || !outcomes.waiting.isEmpty
    }

    /// Starts copying the extracts complete in the inbox now (those with a `.done` marker), for
    /// the first cycle's ingest: the copying, most of an ingest's reading, then runs beside the
    /// start-up's check of the rules, which uses one core.
    func copyInboxAhead() {
        guard let listing = try? InboxFolder.list(home.extractsInbox) else { return }
        var firstLook = extractsInbox
        let ready = firstLook.poll(listing).ready
        guard !ready.isEmpty else { return }
        copiedAhead = InputsCopiedAhead(ready.map { FileIO.join(home.extractsInbox, $0) }, home: home)
    }

    /// Stops the copying begun at start-up and removes the copies if no ingest took them: once
    /// the first cycle is over, or when the service stops before it.
    func discardCopiesAhead() {
        if let failure = copiedAhead?.discard() {
            logger.warning(
                "cannot remove the copies of inbox files made at start-up (\(failure.message)); they are removed "
                    + "by the next ingest or start")
        }
        copiedAhead = nil
        session?.inputsCopiedAhead = nil
    }

    /// Ingests what is complete in both inboxes: extracts together, returned lists one by one
    /// (a stop request is honoured between them).
    /// - Returns: whether the journal changed (the cycle then refreshes the reports).
    func ingestInbox(_ now: LocalDateTime) -> Bool {
        let (extractsPoll, extractsOdd) = poll(home.extractsInbox, &extractsInbox, now: now)
        let (outcomesPoll, outcomesOdd) = poll(home.outcomesInbox, &outcomesInbox, now: now)
        let left =
            setAside(extractsOdd, in: home.extractsInbox, now: now)
            + setAside(outcomesOdd, in: home.outcomesInbox, now: now)
        for text in left where !(status.inboxLeft ?? []).contains(text) { logger.warning("ingest: \(text)") }
        status.inboxLeft = left.isEmpty ? nil : left
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
        return changed
    }

    /// Waits for the removal of the cycle's recorded extracts, moved out of the inbox at their
    /// ingest and removed on another thread while the cycle publishes, and logs its failure.
    func finishRemovingInputs(_ now: LocalDateTime) {
        do {
            try session?.finishRemovingInputs()
        } catch {
            failure(
                "ingest",
                "cannot finish removing the ingested files taken out of the inbox: \(error.message); they are "
                    + "recorded and archived, and what is left in state/removing/ is removed when the service next "
                    + "starts", now: now, machine: true)
        }
    }

    /// Drops the session (its journal unusable, or other rules in force), first waiting for the
    /// removal it has under way and logging its failure.
    func dropSession(_ now: LocalDateTime) {
        finishRemovingInputs(now)
        session = nil
    }

    /// Looks at an inbox folder, removes stale markers, counts the queue, and says what is ready
    /// (leaving out files whose last failure is too recent to try again).
    private func poll(_ folder: String, _ tracker: inout InboxTracker, now: LocalDateTime) -> (
        decision: InboxTracker.Decision, oddities: [InboxOddity]
    ) {
        let listing: InboxListing
        do {
            listing = try InboxFolder.list(folder)
        } catch {
            failure("ingest", "cannot read \(folder): \(error.message)", now: now, machine: true)
            return (InboxTracker.Decision(), [])
        }
        var decision = tracker.poll(listing)
        for marker in decision.staleMarkers {
            try? FileIO.remove(FileIO.join(folder, marker))
        }
        decision.ready = decision.ready.filter { retryAllowed(FileIO.join(folder, $0)) }
        return (decision, listing.oddities)
    }

    /// Moves inbox entries that can never be inputs (links, pipes, names that are not UTF-8) to
    /// `failed/` with the reason, unopened, so none lies there unseen; a folder cannot be moved
    /// safely (it may be anything), so it stays and is named in the status and the log.
    /// - Returns: what stays in the inbox, as `inbox/FOLDER/NAME: why` (file names only).
    private func setAside(_ oddities: [InboxOddity], in folder: String, now: LocalDateTime) -> [String] {
        let label = "inbox/\(FileIO.fileName(of: folder))"
        var left: [String] = []
        for oddity in oddities {
            let reason: String
            switch oddity.kind {
            case .folder:
                left.append(
                    "\(label)/\(oddity.name): a folder, never an input; left there "
                        + "(move its files into the inbox itself, then remove it)")
                continue
            case .symbolicLink:
                reason =
                    "a symbolic link, not a file: the service never follows a link out of its inbox; "
                    + "copy the file itself into the inbox"
            case .fifo, .special:
                reason = "\(oddity.kind.rawValue), not a file: it has no content to ingest"
            case .badName:
                reason =
                    "its name is not UTF-8 text, so it cannot be named safely; rename it (letters, digits, "
                    + "spaces, '-', '_', '.') and drop it into the inbox again"
            }
            guard retryAllowed(label + "/" + oddity.name) else { continue }
            do {
                let destination = try Ingestor.setAside(
                    folder: folder, rawName: oddity.rawName, name: oddity.name, reason: reason, home: home, at: now)
                succeeded(label + "/" + oddity.name)
                failure(
                    "ingest",
                    "\(oddity.name): \(oddity.kind.rawValue), not an input; moved to failed/ with the reason "
                        + "beside it (\(FileIO.fileName(of: destination)).error.txt)", now: now, machine: false)
            } catch {
                delay(label + "/" + oddity.name)
                left.append(
                    "\(label)/\(oddity.name): \(oddity.kind.rawValue), never an input, and it cannot be moved to "
                        + "failed/ (\(Daemon.logText(error))); left there")
            }
        }
        return left
    }

    /// Makes the newest escalation file list every open urgent concern, and nothing else: once a
    /// cycle, after its ingest, when the journal has changed since the last check. An ingest
    /// writes it as it records a concern, but a run killed between the two, or a write that
    /// failed, would otherwise leave the duty clinician a file without it until another
    /// escalation changed. Tried again after the retry delay when it cannot be written. Done even
    /// when a stop has been asked for: it only catches the file up with what the journal holds.
    func keepEscalationsFileCurrent(_ now: LocalDateTime) {
        guard let session else { return }
        let records = session.journal.history.recordCount
        guard records != escalationsCheckedAt, retryAllowed("escalations") else { return }
        do {
            if let path = try Escalations.rewriteIfStale(session, on: now.day) {
                let open = session.journal.history.openEscalations.count
                logger.warning(
                    "outbox/escalations/\(FileIO.fileName(of: path)) written again from the journal, which the "
                        + "newest escalation file did not match: "
                        + (open == 0
                            ? "no urgent concern is open"
                            : "\(Formatting.count(open, "urgent concern")) open, the duty clinician must act today"))
            }
            escalationsCheckedAt = records
            succeeded("escalations")
        } catch {
            delay("escalations")
            failure(
                "escalations",
                "cannot write the escalation file: \(Daemon.logText(error)); tried again in "
                    + "\(Formatting.number(options.retryDelay)) s", now: now, machine: true)
        }
    }

    /// Ingests files from one inbox folder through the same code as `outreach ingest`.
    /// - Returns: whether the journal changed.
    private func ingest(_ names: [String], from folder: String, now: LocalDateTime) -> Bool {
        guard let session else { return false }
        // Inputs are copied into archive/ or failed/ (owner-only, as everything the service keeps),
        // never chmod-ed here: an inbox entry may be a hard link to a file outside the home.
        let paths = names.map { FileIO.join(folder, $0) }
        let results: [IngestResult]
        do {
            results = try steps.ingest(session, paths, now)
        } catch  where Daemon.isMachineFailure(error) {
            for path in paths { delay(path) }
            if error is JournalError { dropSession(now) }
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
        var deferred: String?
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
                            + "recorded: the duty clinician must act today "
                            + (result.escalationFileFailure.map {
                                "(outbox/escalations/ could not be written: \($0); it is written once it can)"
                            } ?? "(outbox/escalations/\(now.day).csv)"))
                }
                if result.kind == .returnedList {
                    status.lastOutcomes = .init(file: result.fileName, at: now.description, summary: text)
                }
            case .alreadyIngested:
                logger.info(result.line + "; moved to archive/")
            case .deferred(let reason):
                // Forgotten above, with its marker: taken once it has stayed the same for two
                // polls, and waited for by a publish meanwhile, as a file still arriving is.
                filesArriving = true
                deferred = reason
            case .failed:
                failure(
                    "ingest",
                    "\(result.fileName): not ingested; moved to failed/ with the reason beside it "
                        + "(\(failedReasonFile(for: result.fileName) ?? "NAME.error.txt"))", now: now, machine: false)
            }
        }
        if let deferred { logger.warning("ingest: not ingested yet: \(deferred)") }
        return changed
    }

    /// Moves a file the ingest code could not classify to `failed/` with its reason beside it,
    /// as the ingest code does for files it refuses, so one bad file never blocks the inbox.
    private func refuse(_ path: String, reason: String, now: LocalDateTime) {
        let name = FileIO.fileName(of: path)
        do {
            let destination = try Ingestor.refuse(
                path, bytes: try? FileIO.readAll(path), reason: reason, home: home, at: now, move: true)
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
        (try? FileIO.listDirectory(home.failed))?.filter { $0.hasSuffix(Ingestor.archivedSuffix(name) + ".error.txt") }
            .last
    }
}
