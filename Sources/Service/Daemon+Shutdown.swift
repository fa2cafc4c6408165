/// Stopping.
extension Daemon {
    /// Writes the final status, releases the journal and the lock.
    public func shutDown() {
        let now = clock.now()
        status.state = "stopped"
        writeStatus(now)
        logger.info("stopped")
        session = nil
        lock = nil
        stop.markFinished()
    }
}
