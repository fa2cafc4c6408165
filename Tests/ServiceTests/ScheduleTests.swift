import Foundation
import Testing
import Basics
import Operations
import Planning
import RuleLanguage
import Service

@Suite("Publish schedule and rules watch")
struct ScheduleTests {
    static let monday = Day(year: 2026, month: 11, day: 23)!
    let roster = Roster(workers: [], observesBankHolidays: true)

    private func at(_ day: Day, _ hour: Int, _ minute: Int) -> LocalDateTime {
        LocalDateTime(day: day, minuteOfDay: hour * 60 + minute)
    }

    @Test("a working day's lists are due from the publish time on, until published")
    func due() {
        let monday = Self.monday
        func due(_ time: LocalDateTime, published: Set<Day> = []) -> Day? {
            PublishSchedule.dayDue(at: time, publishAt: 450, isOpen: roster.isOpen, isPublished: published.contains)
        }
        #expect(due(at(monday, 7, 29)) == nil)
        #expect(due(at(monday, 7, 30)) == monday)
        #expect(due(at(monday, 23, 59)) == monday, "catch-up: a service started late publishes at once")
        #expect(due(at(monday, 9, 0), published: [monday]) == nil, "never twice for one day")
        #expect(due(at(monday.adding(days: -2), 9, 0)) == nil, "Saturday is not a working day")
        #expect(due(at(Day(year: 2026, month: 12, day: 25)!, 9, 0)) == nil, "Christmas Day is a bank holiday")
        let later = PublishSchedule.dayDue(
            at: at(monday, 9, 0), publishAt: 450, isOpen: roster.isOpen, isPublished: { _ in false },
            lastPublished: monday.adding(days: 1))
        #expect(later == nil, "a clock set back never publishes a day before the last published one")
    }

    @Test("the next publish is today's time until today is published, then the next working day's")
    func next() {
        let friday = Self.monday.adding(days: 4)
        let next = { (time: LocalDateTime, published: Set<Day>) in
            PublishSchedule.nextPublish(
                after: time, publishAt: 450, isOpen: roster.isOpen, isPublished: published.contains)
        }
        #expect(next(at(friday, 6, 0), []) == at(friday, 7, 30))
        #expect(next(at(friday, 9, 0), []) == at(friday, 7, 30))
        #expect(next(at(friday, 9, 0), [friday]) == at(Self.monday.adding(days: 7), 7, 30))
        let afterLater = PublishSchedule.nextPublish(
            after: at(Self.monday, 9, 0), publishAt: 450, isOpen: roster.isOpen, isPublished: { $0 == friday },
            lastPublished: friday)
        #expect(afterLater == at(Self.monday.adding(days: 7), 7, 30), "not a day before the last published one")
    }

    @Test("days missed while the service was down are named, not published")
    func missed() {
        let monday = Self.monday
        let missed = PublishSchedule.missedDays(
            lastPublished: monday.adding(days: -4), today: monday.adding(days: 1), isOpen: roster.isOpen,
            isPublished: { _ in false })
        #expect(missed == [monday.adding(days: -3), monday])
        #expect(
            PublishSchedule.missedDays(
                lastPublished: nil, today: monday, isOpen: roster.isOpen, isPublished: { _ in false }
            ).isEmpty)
    }

    @Test(
        "07:30 in London is 07:30 GMT in winter and 06:30 UTC in summer",
        arguments: [
            ("2026-12-01T07:30:00Z", "2026-12-01T07:30"), ("2026-07-01T06:30:00Z", "2026-07-01T07:30"),
            ("2026-03-29T00:59:00Z", "2026-03-29T00:59"), ("2026-03-29T01:00:00Z", "2026-03-29T02:00"),
            ("2026-10-25T00:30:00Z", "2026-10-25T01:30"), ("2026-10-25T01:30:00Z", "2026-10-25T01:30"),
        ])
    func londonTime(utc: String, local: String) throws {
        let instant = try #require(ISO8601DateFormatter().date(from: utc))
        #expect(WallClock.localDateTime(unixSeconds: Int(instant.timeIntervalSince1970)).description == local)
    }

    @Test("a changed rules folder is re-checked once it has looked the same on two polls")
    func rulesWatch() {
        let first = FolderFingerprint(files: ["team.rules": FileObservation(size: 10, modified: 1)])
        let edited = FolderFingerprint(files: ["team.rules": FileObservation(size: 12, modified: 2)])
        var watch = RulesWatch()
        watch.markChecked(first)
        let unchanged = watch.observe(first)
        let firstLook = watch.observe(edited)
        let secondLook = watch.observe(edited)
        watch.markChecked(edited)
        let afterCheck = watch.observe(edited)
        #expect(!unchanged)
        #expect(!firstLook, "still being saved, perhaps")
        #expect(secondLook)
        #expect(!afterCheck)
    }
}

@Suite("Publish hold")
struct PublishHoldTests {
    @Test("a due publish waits for files still arriving, but not for ever")
    func hold() {
        let day = Day(year: 2026, month: 11, day: 23)!
        func hold(_ minute: Int, _ arriving: Bool) -> Bool {
            PublishSchedule.shouldHold(
                at: LocalDateTime(day: day, minuteOfDay: minute), publishAt: 450, filesArriving: arriving)
        }
        #expect(hold(451, true))
        #expect(!hold(451, false))
        #expect(hold(459, true))
        #expect(!hold(460, true), "ten minutes past the publish time the lists go out anyway")
    }
}
