import Basics
import Journal
import Planning

/// What the published lists add up to: calls per worker per day against capacity, and the items
/// that were not attempted.
struct ListActivity {
    /// The latest published days, at most the limit asked for, oldest first.
    let days: [Day]
    let publishedDayCount: Int
    let workers: [WorkerLoad]
    let notAttempted: NotAttemptedCounts

    /// Reads the journal's items published up to `asOf`.
    ///
    /// Capacity is the current rules' (the roster): a worker whose `calls per day` changed shows
    /// today's figure on past days too. Workers who are no longer in the rules but had lists are
    /// shown with no capacity.
    init(history: JournalHistory, roster: Roster, asOf: Day, dayLimit: Int) {
        let published = history.publishedDays.filter { $0 <= asOf }
        publishedDayCount = published.count
        days = Array(published.suffix(dayLimit))
        let shown = Set(days)

        var returnedEmpty = 0
        var notReturned = 0
        var overdueReturns = 0
        var outToday = 0
        var withOutcome = 0
        var itemCount = 0
        var perWorker: [String: [Day: Tally]] = [:]
        for day in published {
            for item in history.items(on: day) {
                itemCount += 1
                var tally = Tally()
                tally.published = 1
                switch history.status(of: item.itemId) {
                case .outcome?:
                    withOutcome += 1
                    tally.withOutcome = 1
                case .notAttempted(let record)?:
                    if record.reason == .returnedEmpty { returnedEmpty += 1 } else { notReturned += 1 }
                    tally.notAttempted = 1
                case .awaitingOutcome?, nil:
                    if day < asOf {
                        overdueReturns += 1
                        tally.notAttempted = 1
                    } else {
                        outToday += 1
                        tally.awaiting = 1
                    }
                }
                if shown.contains(day) { perWorker[item.worker, default: [:]][day, default: Tally()].add(tally) }
            }
        }
        notAttempted = NotAttemptedCounts(
            returnedEmpty: returnedEmpty, notReturned: notReturned, overdueReturns: overdueReturns, outToday: outToday,
            published: itemCount, withOutcome: withOutcome)

        let rostered = Set(roster.workers.map(\.id))
        let others = perWorker.keys.filter { !rostered.contains($0) }.sorted()
        let days = days
        workers =
            roster.workers.map { worker in
                WorkerLoad(
                    id: worker.id, name: worker.name,
                    days: days.map { day in
                        (perWorker[worker.id]?[day] ?? Tally()).workerDay(
                            day, capacity: roster.isWorking(worker, on: day) ? worker.callsPerDay : 0)
                    })
            }
            + others.map { id in
                WorkerLoad(
                    id: id, name: id,
                    days: days.map { day in (perWorker[id]?[day] ?? Tally()).workerDay(day, capacity: 0) })
            }
    }

    private struct Tally {
        var published = 0
        var withOutcome = 0
        var notAttempted = 0
        var awaiting = 0

        mutating func add(_ other: Tally) {
            published += other.published
            withOutcome += other.withOutcome
            notAttempted += other.notAttempted
            awaiting += other.awaiting
        }

        func workerDay(_ day: Day, capacity: Int) -> WorkerDay {
            WorkerDay(
                day: day, published: published, withOutcome: withOutcome, notAttempted: notAttempted,
                awaiting: awaiting, capacity: capacity)
        }
    }
}
