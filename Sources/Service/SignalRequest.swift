/// What an OS signal asks of the daemon's loop (posted to the ``SignalMailbox``, waking the loop
/// before its next poll).
public enum SignalRequest: Sendable, Equatable {
    /// SIGTERM or SIGINT: finish the current step and stop.
    case stop(Int32)
    /// SIGHUP: re-check the rules.
    case reloadRules
}
