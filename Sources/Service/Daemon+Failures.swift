import Basics
import Journal
import Population

/// Failures and retries: a problem logged once while it repeats and kept in the status, a failed
/// step tried again after a delay, and a damaged journal that stops the service.
extension Daemon {
    /// Logs a problem (once while it repeats) and keeps it in the status.
    func failure(_ step: String, _ message: String, now: LocalDateTime, machine: Bool) {
        if machine { machineFailures += 1 }
        if status.note(step: step, message: message, at: now.description) {
            logger.error("\(step): \(message)")
        } else {
            logger.debug("\(step): \(message) (again)")
        }
    }

    /// Stops the service (status 65) when the journal is damaged or not a journal: retrying
    /// cannot help, and guessing around the damage would act on a wrong history.
    func stopIfDamaged(_ error: any Error) {
        guard let error = error as? JournalError, Daemon.isDamage(error) else { return }
        logger.error("stopping: \(error.message)")
        fatal = .dataError
        stop.request()
    }

    static func isDamage(_ error: JournalError) -> Bool {
        [.corruptRecord, .notAJournal, .unsupportedFormat].contains(error.code)
            || (error.code == .invalidRecord && error.offset != nil)
    }

    func retryAllowed(_ key: String) -> Bool {
        guard let time = notBefore[key] else { return true }
        return clock.monotonic() >= time
    }

    func delay(_ key: String) {
        notBefore[key] = clock.monotonic() + options.retryDelay
    }

    func succeeded(_ key: String) {
        notBefore[key] = nil
    }

    /// Whether an error is the machine's (I/O, the journal) rather than the input's: the input
    /// stays where it is and the step is tried again later.
    static func isMachineFailure(_ error: any Error) -> Bool {
        error is FileIOError || error is JournalError
    }

    /// An error's full message, for the `.error.txt` beside a refused file.
    static func describe(_ error: any Error) -> String {
        (error as? any UserFacingError)?.message ?? "\(error)"
    }

    /// An error as the log may hold it: an extract's problem names only its file and line, since
    /// the reason can quote the file (a header row that was really a patient's row).
    static func logText(_ error: any Error) -> String {
        guard let error = error as? ExtractError else { return describe(error) }
        return "\(FileIO.fileName(of: error.file))\(error.line.map { ":\($0)" } ?? ""): the extract cannot be read "
            + "(the reason is not logged, as it may quote patient data: run 'outreach inspect' on the file)"
    }
}
