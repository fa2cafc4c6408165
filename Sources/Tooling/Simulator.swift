import Basics
import Journal
import Operations
import Planning
import RuleLanguage
import Vocabulary

/// Plays working days as the team would: publish the morning's lists, fill each list with
/// simulated outcomes, return it to the inbox and ingest it through the same code as the daemon.
public enum Simulator {
    /// Plays `days` working days, from `start` or the working day after the last published one.
    /// Without `start`, lists already published for that last day and not yet returned (by
    /// `schedule`, say) are filled in and returned first, as the team would, so that day is not
    /// left "not returned".
    public static func run(_ session: HomeSession, days: Int, from start: Day?, model: OutcomeModel) throws
        -> [SimulatedDay]
    {
        let roster = session.roster
        var played: [SimulatedDay] = []
        if start == nil, let last = session.journal.history.publishedDays.max() {
            if let returned = try returnOpenLists(session, of: last, model: model) { played.append(returned) }
        }
        var day =
            start ?? session.journal.history.publishedDays.max().map { roster.workingDay(after: $0) }
            ?? roster.workingDay(onOrAfter: WallClock.today())
        for _ in 0..<days {
            day = roster.workingDay(onOrAfter: day)
            try deliverFreshExtracts(session, on: day)
            let result = try Publisher.publish(session, day: day)
            var returned: [String] = []
            for list in result.lists where !list.rows.isEmpty {
                let path = FileIO.join(session.home.outcomesInbox, "\(day)-\(list.worker).csv")
                try FileIO.writeAtomically(text: filledIn(list.rows, model: model, roster: roster), to: path)
                returned.append(path)
            }
            let ingest = try Ingestor.ingest(
                session, paths: returned, at: LocalDateTime(day: day, minuteOfDay: 17 * 60), moveInputs: true)
            played.append(
                SimulatedDay(day: day, published: result.lists.reduce(0) { $0 + $1.rows.count }, ingest: ingest))
            day = roster.workingDay(after: day)
        }
        return played
    }

    /// Fills in and returns the lists published for `day` whose items all still await an outcome,
    /// from the CSV files in the outbox; `nil` when there are none.
    static func returnOpenLists(_ session: HomeSession, of day: Day, model: OutcomeModel) throws -> SimulatedDay? {
        let history = session.journal.history
        let open = Set(history.itemsAwaitingOutcome(publishedBefore: day.adding(days: 1)).map(\.itemId))
        let folder = session.home.outbox(for: day)
        guard !open.isEmpty, FileIO.isDirectory(folder) else { return nil }
        var returned: [String] = []
        var rows = 0
        for name in try FileIO.listDirectory(folder).sorted() where name.hasSuffix(".csv") && !name.hasPrefix(".") {
            let reader = try CSVReader(path: FileIO.join(folder, name))
            var writer = CSVWriter(lineEnd: "\r\n", neutraliseFormulas: true, byteOrderMark: true)
            var header: [String] = []
            var listed = 0
            while try reader.next() {
                var cells = (0..<reader.fieldCount).map { reader.string($0) }
                if header.isEmpty {
                    header = cells
                } else if cells.count == header.count, open.contains(cells[0]), let date = Day(iso: cells[1]) {
                    // Written as published, so only the last three cells are the worker's.
                    let (outcome, callBack, notes) = model.outcome(itemID: cells[0], on: date, roster: session.roster)
                    cells[cells.count - 3] = outcome?.rawValue ?? ""
                    cells[cells.count - 2] = callBack?.description ?? ""
                    cells[cells.count - 1] = outcome == nil ? "" : notes
                    listed += 1
                }
                writer.append(cells)
            }
            guard listed > 0 else { continue }
            let path = FileIO.join(session.home.outcomesInbox, "\(day)-\(name)")
            try FileIO.writeAtomically(text: writer.output, to: path)
            returned.append(path)
            rows += listed
        }
        guard !returned.isEmpty else { return nil }
        let ingest = try Ingestor.ingest(
            session, paths: returned, at: LocalDateTime(day: day, minuteOfDay: 17 * 60), moveInputs: true)
        return SimulatedDay(day: day, published: rows, publishedEarlier: true, ingest: ingest)
    }

    /// Practices send a fresh extract every week, as they do: when the newest extract is a week
    /// old on `day`, the current files come again that morning under a preamble with the run date
    /// (a simulated population does not change), so simulated weeks never go stale.
    static func deliverFreshExtracts(_ session: HomeSession, on day: Day) throws {
        let history = session.journal.history
        guard let newest = history.extracts.map(\.extractDate).max(), newest.adding(days: 7) <= day else { return }
        let store = ExtractStore(home: session.home)
        let delivery = FileIO.join(session.home.inbox, ".simulated-\(day)")
        try FileIO.createDirectory(delivery)
        defer { try? FileIO.removeTree(delivery) }
        var paths: [String] = []
        for file in store.currentFiles(history: history) {
            var bytes = try FileIO.readAll(file.path)
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            if bytes.starts(with: Array("Run Date,".utf8)), let end = bytes.firstIndex(of: UInt8(ascii: "\n")) {
                bytes.removeFirst(end + 1)
            }
            let path = FileIO.join(delivery, FileIO.fileName(of: file.path))
            try FileIO.writeAtomically(Array("Run Date,\(day)\r\n".utf8) + bytes, to: path)
            paths.append(path)
        }
        _ = try Ingestor.ingest(
            session, paths: paths, at: LocalDateTime(day: day, minuteOfDay: 7 * 60), moveInputs: false)
    }

    /// A published list with its `outcome`, `call_back_on` and `notes` filled in.
    static func filledIn(_ rows: [CallListRow], model: OutcomeModel, roster: Roster) -> String {
        var writer = CSVWriter(lineEnd: "\r\n", neutraliseFormulas: true, byteOrderMark: true)
        writer.append(CallListFormat.columns)
        for row in rows {
            let (outcome, callBack, notes) = model.outcome(for: row, roster: roster)
            var cells = CallListFormat.cells(row)
            cells[cells.count - 3] = outcome?.rawValue ?? ""
            cells[cells.count - 2] = callBack?.description ?? ""
            cells[cells.count - 1] = outcome == nil ? "" : notes
            writer.append(cells)
        }
        return writer.output
    }
}
