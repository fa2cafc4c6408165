import Basics
import Foundation
import Testing
import TestSupport

@testable import Operations

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An ingest's copies are synced on the syncer's thread while they are checked; the ingest waits
/// for a copy's sync before the journal records it or its inbox entry goes, so each copy's
/// wait must end only once that copy is synced, and say if its sync failed (the input then stays
/// in the inbox), whatever order the copies were added and waited for in.
@Suite struct CopySyncerTests {
    @Test func eachWaitEndsOnceItsCopyIsSyncedAndReportsOnlyItsOwnFailure() throws {
        try withTemporaryDirectory { folder in
            let syncer = CopySyncer()
            // More than may wait at once: adding waits for room, never for ever.
            let count = CopySyncer.maximumWaiting * 2 + 12
            // Added from several threads at once, as the copies finish.
            DispatchQueue.concurrentPerform(iterations: count) { index in
                let path = FileIO.join(folder, "\(index).incoming")
                let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
                let text = Array("copy \(index)\n".utf8)
                _ = write(fd, text, text.count)
                // Copy 5's descriptor is one that cannot be synced.
                syncer.add(index, fd: index == 5 ? -1 : fd, path: path)
                if index == 5 { close(fd) }
            }
            syncer.addedAll()
            for index in (0..<count).reversed() {
                if index == 5 {
                    #expect(throws: FileIOError.self) { try syncer.wait(index) }
                } else {
                    try syncer.wait(index)
                }
            }
            // Asked again, the answer is the same.
            #expect(throws: FileIOError.self) { try syncer.wait(5) }
            try syncer.wait(0)
        }
    }
}
