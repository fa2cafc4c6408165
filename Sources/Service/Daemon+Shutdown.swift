/// The ordered stop: every release explicit, none left to deinit.
extension Daemon {
    /// Stops the service in a fixed order:
    /// 1. no more work: later ``cycle()`` calls do nothing;
    /// 2. the step in hand has finished, as this runs on the loop's thread between steps, and so
    ///    has the copy of the rules being kept (waited for while the grace period still runs), so
    ///    the grace period has nothing left to abandon (a step that outlasts it is abandoned by
    ///    ``DaemonSignals``, which writes the final status itself and ends the process);
    /// 3. the final status, `stopped`, while the lock is still held, so it cannot overwrite the
    ///    status of a daemon started after this one;
    /// 4. the journal closed; 5. the home's lock released; 6. `stopped` logged, the log closed.
    ///
    /// Calling it again does nothing.
    public func shutDown() {
        shutDown(saying: "stopped")
    }

    /// ``shutDown()``, logging `line` (if any) once the lock is released: none for a start that
    /// failed, whose reason is logged already.
    func shutDown(saying line: String?) {
        guard !isShutDown else { return }
        isShutDown = true
        // The kept copy of the rules is written under the lock; a stalled one can still be
        // abandoned by the grace period, which ends once shutting down is marked.
        finishKeepingRules()
        discardCopiesAhead()
        finishRemovingInputs(clock.now())
        stop.markShuttingDown()
        status.state = "stopped"
        writeStatus(clock.now())
        session?.journal.close()
        session = nil
        lock?.release()
        lock = nil
        if let line { logger.info(line) }
        fileLog?.close()
    }
}
