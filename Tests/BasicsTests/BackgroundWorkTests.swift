import Basics
import Dispatch
import Testing

/// ``BackgroundWork`` runs beside its caller and hands back exactly its result, however often asked.
@Suite struct BackgroundWorkTests {
    @Test func givesItsResultOnceFinishedAndAgainWhenAskedAgain() {
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let work = BackgroundWork { () -> String? in
            started.signal()
            release.wait()
            return "done"
        }
        // The work runs on another thread while this one carries on.
        started.wait()
        release.signal()
        #expect(work.wait() == "done")
        #expect(work.wait() == "done")
    }
}
