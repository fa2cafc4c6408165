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
    public let accepted: Int
    /// Rows that said nothing new (the same outcome again): recorded once, never twice.
    public let unchanged: Int
    public let empty: Int
    public let rejects: [OutcomeReject]
    /// The same bytes were ingested before: nothing to do.
    public let alreadyIngested: Bool

    /// The rejects as CSV for the file written beside the input: `line,column,item_id,reason`.
    public var rejectsCSV: String {
        var writer = CSVWriter(lineEnd: "\r\n", neutraliseFormulas: true, byteOrderMark: true)
        writer.append(["line", "column", "item_id", "reason"])
        for reject in rejects { writer.append([String(reject.line), reject.column, reject.itemID, reject.reason]) }
        return writer.output
    }
}
