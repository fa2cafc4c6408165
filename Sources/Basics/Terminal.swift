import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writing to the terminal: standard output and error, and whether a person is watching.
public enum Terminal {
    /// Whether standard error is a terminal (progress lines are shown only then).
    public static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Writes text to standard output as is.
    public static func write(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buffer in writeFully(STDOUT_FILENO, buffer) }
    }

    /// Writes text to standard error as is.
    public static func writeError(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buffer in writeFully(STDERR_FILENO, buffer) }
    }

    private static func writeFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) {
        var offset = 0
        while offset < buffer.count {
            let written = systemWrite(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}

/// A one-line progress indicator on standard error for work that takes more than about a second.
///
/// It draws nothing when standard error is not a terminal (logs and pipes stay clean) and nothing
/// during the first second, so quick commands never flicker. A timer may update it from another
/// thread, so its drawing state sits behind a mutex.
public final class Progress: Sendable {
    private struct State {
        var lastDrawn = 0.0
        var drewSomething = false
    }

    private let enabled: Bool
    private let started: Double
    private let state = Mutex(State())

    /// A progress line; `enabled` defaults to whether standard error is a terminal.
    public init(enabled: Bool = Terminal.standardErrorIsTerminal) {
        self.enabled = enabled
        self.started = Progress.now()
    }

    /// Shows `text` (e.g. `reading practice-E82001.csv: 12,000 rows`) if a second has passed
    /// since the start and a tenth of a second since the last update.
    public func update(_ text: @autoclosure () -> String) {
        guard enabled else { return }
        let now = Progress.now()
        guard now - started >= 1 else { return }
        let line = text()
        state.withLock { state in
            guard now - state.lastDrawn >= 0.1 else { return }
            state.lastDrawn = now
            state.drewSomething = true
            Terminal.writeError("\r\u{1B}[K" + line)
        }
    }

    /// Clears the line once the work is done.
    public func finish() {
        guard enabled else { return }
        state.withLock { state in
            guard state.drewSomething else { return }
            state.drewSomething = false
            Terminal.writeError("\r\u{1B}[K")
        }
    }

    private static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

private func systemWrite(_ fd: Int32, _ pointer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    write(fd, pointer, count)
}

extension Progress {
    /// Runs `body`, showing `label` with the elapsed seconds on standard error once it has taken
    /// more than a second (and only when standard error is a terminal), then clears the line.
    public static func during<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
        guard Terminal.standardErrorIsTerminal else { return try body() }
        let progress = Progress()
        let clock = Stopwatch()
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + 1, repeating: 0.5)
        timer.setEventHandler { progress.update("\(label)… \(Formatting.fixed(clock.seconds, 0)) s") }
        timer.resume()
        defer {
            timer.cancel()
            progress.finish()
        }
        return try body()
    }
}
