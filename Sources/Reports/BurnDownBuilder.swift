import Basics
import Journal
import Planning

/// Works out the burn-down of people not yet called from the journal, day by day.
enum BurnDownBuilder {
    /// How many days of history the line shows at most (a year).
    static let maximumDays = 366

    /// For each day before `asOf`: the people with a membership whose spell covered that day and
    /// who had not been called in it by the end of that day. The report's own count (`now`) is
    /// the last point, so the line ends where the rest of the report stands.
    ///
    /// The journal keeps each membership's latest spell (first and latest joining, last leaving),
    /// so a stay that ended before the person rejoined is not drawn: it cannot be told from the
    /// latest one. Everything else is exact.
    static func build(history: JournalHistory, asOf: Day, now: Int, floor: Int, forecast: Forecast) -> BurnDown {
        var earliest = asOf
        for person in history.people {
            for membership in history.memberships(of: person) where membership.latestJoined < earliest {
                earliest = membership.latestJoined
            }
        }
        let start = max(earliest, asOf.adding(days: -(maximumDays - 1)))
        let length = asOf.days(since: start) + 1
        // Changes in the count, by day offset from `start`; the last slot is past the end.
        var changes = [Int](repeating: 0, count: length + 1)
        var intervals: [(Int, Int)] = []
        for person in history.people {
            intervals.removeAll(keepingCapacity: true)
            let items = history.items(of: person)
            for membership in history.memberships(of: person) {
                let spellStart = membership.latestJoined
                var spellEnd = membership.leftOn ?? asOf
                if let calledOn = items.first(where: { item in
                    item.day >= spellStart && item.day <= asOf && history.effectiveOutcome(of: item.itemId) != nil
                })?.day {
                    spellEnd = min(spellEnd, calledOn)
                }
                let from = max(0, spellStart.days(since: start))
                let to = min(length - 1, spellEnd.days(since: start))
                if from < to { intervals.append((from, to)) }
            }
            for (from, to) in merged(&intervals) {
                changes[from] += 1
                changes[to] -= 1
            }
        }
        var counts: [Int] = []
        counts.reserveCapacity(length)
        var running = 0
        for offset in 0..<(length - 1) {
            running += changes[offset]
            counts.append(running)
        }
        counts.append(now)
        return BurnDown(
            start: start, counts: counts, floor: floor, completion: ForecastCompletion(forecast).day,
            horizonEnd: forecast.end)
    }

    /// Half-open day ranges merged where they overlap or touch, so a person counts once a day.
    private static func merged(_ intervals: inout [(Int, Int)]) -> [(Int, Int)] {
        intervals.sort { $0 < $1 }
        var result: [(Int, Int)] = []
        for interval in intervals {
            if let last = result.last, interval.0 <= last.1 {
                result[result.count - 1].1 = max(last.1, interval.1)
            } else {
                result.append(interval)
            }
        }
        return result
    }
}
