import Foundation
import Testing
import Basics
import Journal
import Operations
import Planning
import Service
import TestSupport

@Suite("Clock mistakes")
struct ClockMistakeTests {
    private func at(_ day: Day, _ hour: Int = 7, _ minute: Int = 31) -> LocalDateTime {
        LocalDateTime(day: day, minuteOfDay: hour * 60 + minute)
    }

    private static let january = Day(year: 2027, month: 1, day: 4)!

    @Test("a day published while the clock was months ahead is a loud warning, not silence, once the clock is right")
    func publishedAheadOfTheClock() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            fixture.clock.now = at(Fixture.monday)
            let daemon = try fixture.daemon()
            try fixture.dropExtract()
            daemon.cycle()
            daemon.cycle()
            #expect(try fixture.history.isPublished(Fixture.monday))
            #expect(daemon.currentStatus.warnings == nil)

            // The clock is set wrong, one cycle publishes that day, then the clock is put right.
            fixture.clock.now = at(Self.january)
            daemon.cycle()
            #expect(try fixture.history.isPublished(Self.january))
            let tuesday = Fixture.monday.adding(days: 1)
            fixture.clock.now = at(tuesday)
            daemon.cycle()
            #expect(try !fixture.history.isPublished(tuesday), "lists go forward only")

            func aheadWarnings() -> Int {
                fixture.log.records.filter {
                    $0.level == .warning && $0.message.hasPrefix("lists for 2027-01-04 are published")
                        && $0.message.contains("the clock says today is 2026-11-24")
                }.count
            }
            #expect(aheadWarnings() == 1)
            let warning = try #require(daemon.currentStatus.warnings?.first)
            #expect(warning.contains("no lists are published until after 2027-01-04"))
            #expect(warning.contains("start a new home"))
            let written = try #require(ServiceStatus.read(fixture.home.statusFile))
            #expect(written.warnings == [warning])
            #expect(written.json.contains("\"warnings\""))
            let text = written.rendered(running: true)
            #expect(text.contains("WARNING:        lists for 2027-01-04 are published"))

            daemon.cycle()
            #expect(aheadWarnings() == 1, "not every poll")
            fixture.clock.advance(seconds: 3_601)
            daemon.cycle()
            #expect(aheadWarnings() == 2, "again after an hour while it lasts")

            // Once the published day has passed, publishing resumes and the warning goes.
            let after = Self.january.adding(days: 1)
            fixture.clock.now = at(after)
            daemon.cycle()
            #expect(try fixture.history.isPublished(after))
            #expect(daemon.currentStatus.warnings == nil)
            daemon.shutDown()
            #expect(ServiceStatus.read(fixture.home.statusFile)?.warnings == nil)
        }
    }

    @Test("a running daemon whose clock jumps past a working day warns of it, in the log and the status, once")
    func forwardJumpWarns() throws {
        try withTemporaryDirectory { root in
            let fixture = try Fixture(root: root)
            fixture.clock.now = at(Fixture.monday)
            let daemon = try fixture.daemon()
            try fixture.dropExtract()
            daemon.cycle()
            daemon.cycle()
            #expect(try fixture.history.isPublished(Fixture.monday))

            let wednesday = Fixture.monday.adding(days: 2)
            fixture.clock.now = at(wednesday)
            daemon.cycle()
            #expect(try fixture.history.isPublished(wednesday))
            func missedWarnings() -> Int {
                fixture.log.records.filter {
                    $0.level == .warning && $0.message.hasPrefix("not published while the service was down")
                        && $0.message.contains("2026-11-24")
                }.count
            }
            #expect(missedWarnings() == 1)
            #expect(daemon.currentStatus.errors.contains { $0.step == "publish" && $0.message.contains("2026-11-24") })
            daemon.cycle()
            #expect(missedWarnings() == 1, "once")
            #expect(!daemon.currentStatus.rendered(running: true).contains("Errors:         none"))
        }
    }

    @Test("schedule's note for a published day after today names it and the way out")
    func scheduleNote() {
        let today = Fixture.monday
        #expect(PublishSchedule.aheadOfClockNote(lastPublished: nil, today: today) == nil)
        #expect(PublishSchedule.aheadOfClockNote(lastPublished: today, today: today) == nil)
        let note = PublishSchedule.aheadOfClockNote(lastPublished: Self.january, today: today)
        #expect(note?.hasPrefix("WARNING: lists for 2027-01-04 are published") == true)
        #expect(note?.contains("Outreach publishes forward only") == true)
    }
}
