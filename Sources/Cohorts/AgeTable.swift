import Basics

/// Ages on one day, worked out from a table of birthdays rather than each date of birth's
/// year, month and day: `age` is asked of every patient, and turning each date of birth into
/// calendar fields cost about 25 ms of CPU at ICB scale. Gives exactly what
/// `Day.wholeYears(since:)` gives, birthdays on 29 February included.
struct AgeTable: Sendable {
    let today: Day
    /// `latestBirth[n]`: the last day someone can be born on to be at least `n` on `today`.
    private let latestBirth: [Int32]

    /// Ages under this many years come from the table; older (or unborn) from the calendar.
    static let years = 130

    init(on today: Day) {
        self.today = today
        let (year, month, day) = today.components
        var latest: [Int32] = []
        for age in 0...AgeTable.years {
            // The birthday in the year `age` years back, or the day before where that year has
            // no such day (29 February): born on it, one turns `age` today.
            guard
                let birthday = Day(year: year - age, month: month, day: day)
                    ?? Day(year: year - age, month: month, day: day - 1)
            else { break }
            latest.append(birthday.ordinal)
        }
        latestBirth = latest
    }

    /// The age in whole years on `today` of someone born on day `birth`.
    @inline(__always)
    func age(bornOn birth: Int32) -> Int {
        let lived = Int(today.ordinal) - Int(birth)
        let count = latestBirth.count
        guard lived >= 0, lived / 366 + 1 < count else { return today.wholeYears(since: Day(ordinal: birth)) }
        // A year has at most 366 days, so this is the age or (a day off) one more.
        var age = lived / 366
        while age > 0, birth > latestBirth[age] { age -= 1 }
        while age + 1 < count, birth <= latestBirth[age + 1] { age += 1 }
        // Beyond the table: older than it reaches.
        guard age + 1 < count else { return today.wholeYears(since: Day(ordinal: birth)) }
        return age
    }
}
