#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import Basics
import Synchronization

/// The advisory lock that keeps two daemons (or a daemon and a one-shot `schedule` or `ingest`)
/// from working on one home at once. Released by ``release()``, or else when the value is
/// released or the process ends.
public final class HomeLock: Sendable {
    /// The lock file's descriptor; -1 once released.
    private let fd: Mutex<Int32>

    private init(fd: Int32) {
        self.fd = Mutex(fd)
    }

    deinit {
        release()
    }

    /// Releases the lock now, so another process may take the home (the daemon's shutdown does,
    /// after its final status and closing the journal). Releasing twice is harmless.
    public func release() {
        fd.withLock { fd in
            guard fd >= 0 else { return }
            flock(fd, LOCK_UN)
            close(fd)
            fd = -1
        }
    }

    /// Takes the home's lock, or fails at once with exit 75 when another process holds it.
    public static func acquire(_ home: Home) throws -> HomeLock {
        try FileIO.createDirectory(home.state)
        let fd = try FileIO.call("open", path: home.lock) { open(home.lock, O_RDWR | O_CREAT | O_CLOEXEC, 0o600) }
        _ = fchmod(fd, 0o600)
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK {
                throw OutreachError(
                    "\(home.path) is in use by another outreach process (a running daemon holds \(home.lock)); "
                        + "stop it or wait for it to finish", exitCode: .locked)
            }
            throw FileIOError(call: "flock", path: home.lock, errno: code)
        }
        return HomeLock(fd: fd)
    }
}
