import Basics
import Operations

/// How the daemon runs.
public struct DaemonOptions: Sendable {
    public var home: Home
    /// Run one cycle and stop.
    public var once: Bool
    /// The instant `--now` pins, if any (the team's local time).
    public var pinnedNow: LocalDateTime?
    /// Seconds between polls of the inbox and the rules folder.
    public var pollInterval: Double
    /// Seconds before a step that failed for want of the machine (a full disk, say) is tried again.
    public var retryDelay: Double

    public init(
        home: Home, once: Bool = false, pinnedNow: LocalDateTime? = nil, pollInterval: Double = 2,
        retryDelay: Double = 30
    ) {
        self.home = home
        self.once = once
        self.pinnedNow = pinnedNow
        self.pollInterval = pollInterval
        self.retryDelay = retryDelay
    }
}
