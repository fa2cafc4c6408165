import Basics
import RuleLanguage

extension Worker {
    /// Whether this worker may call patients of `practice`: a hard data-sharing rule.
    public func serves(_ practice: String) -> Bool {
        practices?.contains(practice) ?? true
    }

    /// Whether this worker has every skill in `needed` (lower case).
    public func hasSkills(_ needed: Set<String>) -> Bool {
        needed.allSatisfy(skills.contains)
    }

    /// Whether this worker speaks `language` (case-insensitive).
    public func speaks(_ language: String) -> Bool {
        speaks.contains(language.lowercased())
    }

    /// Whether the worker is on leave on `day`.
    public func isAway(on day: Day) -> Bool {
        away.contains { $0.contains(day) }
    }
}

/// The team as the planner sees it: its calendar (working days, closures and England and Wales
/// bank holidays) and its workers, answering "who works on this day?".
public struct Roster: Sendable {
    public let team: Team
    /// Sorted by id.
    public let workers: [Worker]
    /// Whether England and Wales bank holidays close the team (on, except in tests that need a plain calendar).
    public let observesBankHolidays: Bool
    private let workingDays: Set<Weekday>
    private let closed: Set<Day>
    /// For each day of ``calendarRange``, the first working day on or after it: the planner asks
    /// "the next working day" for nearly every call, so it is worked out once.
    private let nextOpen: [Int32]
    private static let calendarRange =
        Day(year: 1990, month: 1, day: 1)!.ordinal...Day(year: 2100, month: 12, day: 31)!.ordinal

    public init(team: Team = .standard, workers: [Worker], observesBankHolidays: Bool = true) {
        self.team = team
        self.workers = workers.sorted { $0.id < $1.id }
        self.observesBankHolidays = observesBankHolidays
        let workingDays = Set(team.workingDays)
        let closed = Set(team.closed)
        self.workingDays = workingDays
        self.closed = closed
        nextOpen = Roster.nextOpenDays(workingDays, closed, observesBankHolidays)
    }

    /// ``nextOpen``: for each day of ``calendarRange``, the first working day on or after it
    /// (`Int32.max` when none is). The same days as ``isOpen(_:_:_:_:)`` gives, worked out with
    /// each year's bank holidays once rather than once a day: this runs each time a home is
    /// opened, and ``BankHolidays`` keeps no list for the years before 2000, so asking it day by
    /// day worked out those years' lists again for each of their days.
    private static func nextOpenDays(_ workingDays: Set<Weekday>, _ closed: Set<Day>, _ bankHolidays: Bool)
        -> [Int32]
    {
        let range = calendarRange
        let first = Day(ordinal: range.lowerBound)
        var shut = [Bool](repeating: false, count: Int(range.upperBound - range.lowerBound) + 1)
        var shutDays = closed.filter { range.contains($0.ordinal) }
        if bankHolidays {
            for year in first.year...Day(ordinal: range.upperBound).year {
                shutDays.formUnion(BankHolidays.englandAndWales(year: year))  // each within its year
            }
        }
        for day in shutDays { shut[Int(day.ordinal - range.lowerBound)] = true }
        // Working weekdays by ISO number (1 is Monday), then the weekday walked back a day at a time.
        var works = [Bool](repeating: false, count: 8)
        for weekday in workingDays { works[weekday.rawValue] = true }
        var weekday = Day(ordinal: range.upperBound).weekday.rawValue
        var next = [Int32](repeating: Int32.max, count: shut.count)
        var upcoming = Int32.max
        for offset in shut.indices.reversed() {
            if works[weekday], !shut[offset] { upcoming = range.lowerBound + Int32(offset) }
            next[offset] = upcoming
            weekday = weekday == 1 ? 7 : weekday - 1
        }
        return next
    }

    private static func isOpen(_ day: Day, _ workingDays: Set<Weekday>, _ closed: Set<Day>, _ bankHolidays: Bool)
        -> Bool
    {
        workingDays.contains(day.weekday) && !closed.contains(day) && !(bankHolidays && BankHolidays.isBankHoliday(day))
    }

    /// The roster of a checked rule set.
    public init(_ ruleSet: RuleSet) {
        self.init(team: ruleSet.team, workers: ruleSet.workers)
    }

    /// Whether the team works on `day`: a working weekday, not closed, not a bank holiday.
    public func isOpen(on day: Day) -> Bool {
        if Roster.calendarRange.contains(day.ordinal) {
            return nextOpen[Int(day.ordinal - Roster.calendarRange.lowerBound)] == day.ordinal
        }
        return Roster.isOpen(day, workingDays, closed, observesBankHolidays)
    }

    /// Why the team does not work on `day`, or `nil` when it does.
    public func closure(on day: Day) -> String? {
        if !workingDays.contains(day.weekday) { return "not a working day (\(day.weekday.fullName))" }
        if closed.contains(day) { return "the team is closed" }
        if observesBankHolidays, BankHolidays.isBankHoliday(day) { return "a bank holiday" }
        return nil
    }

    /// Whether `worker` works on `day`: the team is open, it is one of their days, and they are not away.
    public func isWorking(_ worker: Worker, on day: Day) -> Bool {
        isOpen(on: day) && (worker.works?.contains(day.weekday) ?? true) && !worker.isAway(on: day)
    }

    /// The workers who work on `day`.
    public func workers(on day: Day) -> [Worker] {
        workers.filter { isWorking($0, on: day) }
    }

    /// The first day on or after `day` on which the team works (searching at most two years).
    public func workingDay(onOrAfter day: Day) -> Day {
        if Roster.calendarRange.contains(day.ordinal) {
            let next = nextOpen[Int(day.ordinal - Roster.calendarRange.lowerBound)]
            if next != Int32.max { return Day(ordinal: next) }
        }
        var candidate = day
        for _ in 0..<732 where !isOpen(on: candidate) { candidate = candidate.adding(days: 1) }
        return candidate
    }

    /// The first working day strictly after `day`.
    public func workingDay(after day: Day) -> Day {
        workingDay(onOrAfter: day.adding(days: 1))
    }

    /// `count` consecutive working days starting on or after `day`.
    public func workingDays(from day: Day, count: Int) -> [Day] {
        var days: [Day] = []
        var next = workingDay(onOrAfter: day)
        while days.count < count {
            days.append(next)
            next = workingDay(after: next)
        }
        return days
    }

    /// The total calls the team can make on `day`.
    public func capacity(on day: Day) -> Int {
        workers(on: day).reduce(0) { $0 + $1.callsPerDay }
    }
}
