import Basics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The service's idea of now: the team's local time (real, or pinned by `--now`) and a monotonic
/// clock for retry delays. Re-read at every cycle, so a clock change is simply a new day.
public struct ServiceClock: Sendable {
    public var now: @Sendable () -> LocalDateTime
    /// Seconds on a clock that never jumps.
    public var monotonic: @Sendable () -> Double

    public init(now: @escaping @Sendable () -> LocalDateTime, monotonic: @escaping @Sendable () -> Double) {
        self.now = now
        self.monotonic = monotonic
    }

    /// Europe/London wall-clock time.
    public static let system = ServiceClock(now: { WallClock.now() }, monotonic: ServiceClock.monotonicSeconds)

    /// A clock stopped at `instant` (for `--now`).
    public static func pinned(_ instant: LocalDateTime) -> ServiceClock {
        ServiceClock(now: { instant }, monotonic: ServiceClock.monotonicSeconds)
    }

    @Sendable static func monotonicSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
