#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Elapsed wall-clock time for benchmarks (monotonic: unaffected by clock changes).
public struct Stopwatch: Sendable {
    private let started: Double

    public init() {
        started = Stopwatch.now()
    }

    /// Seconds since the stopwatch was made.
    public var seconds: Double { Stopwatch.now() - started }

    private static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

/// What the process has used so far.
public enum ResourceUsage {
    /// The peak resident set size of this process, in bytes: `VmHWM` from `/proc/self/status`
    /// (unlike `getrusage`, it starts afresh in a new program, so a child process measures itself).
    public static var peakResidentBytes: Int {
        if let status = try? FileIO.readText("/proc/self/status"),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        {
            return kilobytes * 1024
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) * 1024
    }
}
