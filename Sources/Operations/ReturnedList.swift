import Basics
import Journal
import Planning
import Population
import RuleLanguage
import Vocabulary

/// What reading one returned call list gives: the journal records to append (outcomes, items not
/// attempted, and last the file's own record) and the rows refused.
public struct ReturnedList: Sendable {
    public let fileName: String
    public let contentHash: ContentHash
    /// `outcomeRecorded` and `itemNotAttempted` records, then one `outcomeFileIngested`.
    public let records: [JournalRecord]
    /// Every data row (blank rows apart) is in exactly one of `accepted`, `unchanged`, `empty` and
    /// `rejects`. Rows recorded: outcomes (or, for an escalations file, escalations marked handled).
    public let accepted: Int
    /// Rows that said nothing new: the item's current outcome again, an exact repeat of a row
    /// earlier in the file, or an escalation already marked handled. Recorded once, never twice.
    /// The journal's `outcome_file_ingested` has no count for them (its counts are accepted,
    /// rejected and empty).
    public let unchanged: Int
    /// Rows whose outcome (or `handled_by`) was left empty, repeats of one included.
    public let empty: Int
    public let rejects: [OutcomeReject]
    /// The same bytes were ingested before: nothing to do.
    public let alreadyIngested: Bool

    /// A file read for the first time: `records`, then the file's own `outcomeFileIngested`
    /// record with its counts.
    static func ingested(
        fileName: String, contentHash: ContentHash, records: [JournalRecord], accepted: Int, unchanged: Int,
        empty: Int, rejects: [OutcomeReject], at: LocalDateTime
    ) -> ReturnedList {
        let file = OutcomeFileIngested(
            fileName: fileName, contentHash: contentHash, acceptedCount: accepted, rejectedCount: rejects.count,
            emptyCount: empty, at: at)
        return ReturnedList(
            fileName: fileName, contentHash: contentHash, records: records + [.outcomeFileIngested(file)],
            accepted: accepted, unchanged: unchanged, empty: empty, rejects: rejects, alreadyIngested: false)
    }

    /// The rejects as CSV for the file written beside the input: `line,column,item_id,reason`.
    public var rejectsCSV: String {
        var writer = CSVWriter(lineEnd: "\r\n", neutraliseFormulas: true, byteOrderMark: true)
        writer.append(["line", "column", "item_id", "reason"])
        for reject in rejects { writer.append([String(reject.line), reject.column, reject.itemID, reject.reason]) }
        return writer.output
    }
}
