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
    public static func run(_ session: HomeSession, days: Int, from start: Day?, model: OutcomeModel) throws
        -> [SimulatedDay]
    {
        let roster = session.roster
        var day =
            start ?? session.journal.history.publishedDays.max().map { roster.workingDay(after: $0) }
            ?? roster.workingDay(onOrAfter: WallClock.today())
        var played: [SimulatedDay] = []
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
