import Testing
import Basics
import TestSupport
@testable import Tooling

/// The bench times each command as a process of its own, started and waited for directly: a
/// command that fails must say so with its own words, never pass as a fast run.
@Suite struct SpawnAndWaitTests {
    @Test func aCommandThatSucceedsReturns() throws {
        try withTemporaryDirectory { root in
            try MorningBenchmark.spawnAndWait("/bin/sh", ["-c", "echo fine; exit 0"], errors: FileIO.join(root, "e"))
        }
    }

    @Test func aCommandThatFailsIsAnErrorWithWhatItSaid() throws {
        try withTemporaryDirectory { root in
            _ = #expect {
                try MorningBenchmark.spawnAndWait(
                    "/bin/sh", ["-c", "echo oops >&2; exit 3"], errors: FileIO.join(root, "e"))
            } throws: { error in
                let message = (error as? OutreachError)?.message ?? ""
                return message.contains("exited with status 3") && message.contains("oops")
            }
        }
    }

    @Test func aCommandEndedByASignalIsAnError() throws {
        try withTemporaryDirectory { root in
            _ = #expect {
                try MorningBenchmark.spawnAndWait("/bin/sh", ["-c", "kill -9 $$"], errors: FileIO.join(root, "e"))
            } throws: { error in
                (error as? OutreachError)?.message.contains("signal 9") == true
            }
        }
    }

    @Test func aProgramThatIsNotThereCannotBeStarted() throws {
        try withTemporaryDirectory { root in
            _ = #expect(throws: FileIOError.self) {
                try MorningBenchmark.spawnAndWait(
                    FileIO.join(root, "no-such-program"), [], errors: FileIO.join(root, "e"))
            }
        }
    }
}
