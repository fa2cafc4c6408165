import Basics
import Journal
import Population
import RuleLanguage

/// A row of a returned call list that cannot be recorded, and why.
public struct OutcomeReject: Hashable, Sendable {
    /// The physical line in the returned file (the header is line 1).
    public let line: Int
    /// The column whose cell is at fault (`item_id`, `nhs_number`, `outcome`, `call_back_on`).
    public let column: String
    public let itemID: String
    public let reason: String
}

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

/// Reads returned call lists: each row is validated on its own (scheduling.md "Recording
/// outcomes"), good rows are kept whatever their neighbours, and nothing is lost silently.
public enum ReturnedListReader {
    /// Whether a header row is a returned call list's (it has `item_id` and `outcome`), as opposed
    /// to an extract's.
    public static func isReturnedList(header: [String]) -> Bool {
        let names = Set(header.map(normalise))
        return names.contains("item_id") && names.contains("outcome")
    }

    /// Reads a returned list against the journal's history.
    /// - Throws: `CSVError` for a file that is not CSV; `OutreachError` (65) for one without the
    ///   columns a returned list needs.
    public static func read(
        bytes: [UInt8], fileName: String, history: JournalHistory, at: LocalDateTime
    ) throws -> ReturnedList {
        let hash = ContentHash(of: bytes)
        if history.hasIngested(hash) {
            return ReturnedList(
                fileName: fileName, contentHash: hash, records: [], accepted: 0, unchanged: 0, empty: 0, rejects: [],
                alreadyIngested: true)
        }
        let reader = CSVReader(bytes: bytes, name: fileName)
        guard try reader.next() else {
            throw OutreachError("\(fileName): the file is empty; a returned call list starts with its header row", exitCode: .dataError)
        }
        let header = reader.record.map(normalise)
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        guard let itemColumn = column("item_id"), let outcomeColumn = column("outcome"),
            let nhsColumn = column("nhs_number")
        else {
            throw OutreachError(
                "\(fileName):1: not a returned call list: it needs the columns item_id, nhs_number and outcome "
                    + "(found: \(header.joined(separator: ", ")))", exitCode: .dataError)
        }
        let callBackColumn = column("call_back_on")
        let notesColumn = column("notes")

        var records: [JournalRecord] = []
        var rejects: [OutcomeReject] = []
        var accepted = 0
        var unchanged = 0
        var empty = 0
        var seen: [String: (line: Int, outcome: String, callBack: String, notes: String)] = [:]
        while try reader.next() {
            if reader.isBlank { continue }
            let line = reader.line
            let itemID = reader.string(itemColumn).trimmed
            let outcomeCell = reader.string(outcomeColumn).trimmed
            let callBackCell = callBackColumn.map { reader.string($0).trimmed } ?? ""
            let notes = notesColumn.map { reader.string($0).trimmed } ?? ""
            func reject(_ column: String, _ reason: String) {
                rejects.append(OutcomeReject(line: line, column: column, itemID: itemID, reason: reason))
            }

            guard !itemID.isEmpty else {
                reject("item_id", "no item_id: rows can only record outcomes for published list items")
                continue
            }
            guard let item = history.item(itemID) else {
                reject("item_id", "item_id '\(itemID)' was never published")
                continue
            }
            switch NHSNumber.parse(reader.string(nhsColumn)) {
            case .failure(let problem):
                reject("nhs_number", "nhs_number \(problem.reason)")
                continue
            case .success(let nhs) where nhs.value != item.nhsNumber:
                reject("nhs_number", "nhs_number does not match item \(itemID)")
                continue
            case .success:
                break
            }
            if let previous = seen[itemID] {
                if previous.outcome != outcomeCell || previous.callBack != callBackCell || previous.notes != notes {
                    reject("item_id", "item \(itemID) appears twice in this file (first on line \(previous.line)) with different entries")
                }
                continue
            }
            seen[itemID] = (line, outcomeCell, callBackCell, notes)

            let outcome: OutcomeCode?
            do {
                outcome = try OutcomeCode.parse(outcomeCell)
            } catch {
                reject("outcome", error.message)
                continue
            }
            guard let outcome else {
                empty += 1
                if case .awaitingOutcome? = history.status(of: itemID) {
                    records.append(
                        .itemNotAttempted(ItemNotAttempted(itemId: itemID, reason: .returnedEmpty, recordedOn: at.day)))
                }
                continue
            }
            var callBackOn: Day?
            if outcome == .callBack {
                guard !callBackCell.isEmpty else {
                    reject("call_back_on", "call_back needs a call_back_on date")
                    continue
                }
                guard let day = callBackDay(callBackCell) else {
                    reject("call_back_on", "call_back_on '\(callBackCell)' is not a date (write it as YYYY-MM-DD)")
                    continue
                }
                guard day > item.day else {
                    reject("call_back_on", "call_back_on \(day) is not after the call on \(item.day)")
                    continue
                }
                callBackOn = day
            }
            let record = OutcomeRecorded(
                itemId: itemID, nhsNumber: item.nhsNumber, outcome: outcome, callBackOn: callBackOn, notes: notes,
                source: OutcomeSource(fileHash: hash, row: line), recordedOn: at.day)
            if history.isNewInformation(record) {
                records.append(.outcomeRecorded(record))
                accepted += 1
            } else {
                unchanged += 1
            }
        }
        records.append(
            .outcomeFileIngested(
                OutcomeFileIngested(
                    fileName: fileName, contentHash: hash, acceptedCount: accepted, rejectedCount: rejects.count,
                    emptyCount: empty, at: at)))
        return ReturnedList(
            fileName: fileName, contentHash: hash, records: records, accepted: accepted, unchanged: unchanged,
            empty: empty, rejects: rejects, alreadyIngested: false)
    }

    /// `Item ID` → `item_id`: lower case, anything but letters and digits to `_`, a byte-order mark dropped.
    static func normalise(_ header: String) -> String {
        var out = ""
        for scalar in header.trimmed.lowercased().unicodeScalars where scalar != "\u{FEFF}" {
            out.unicodeScalars.append(CharacterSetASCII.isAlphanumeric(scalar) ? scalar : "_")
        }
        return out
    }

    /// A call-back day as written: ISO, or day first (`23/11/2026`) as a spreadsheet may re-save it.
    static func callBackDay(_ cell: String) -> Day? {
        if let day = Day(iso: cell) { return day }
        let parts = cell.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." })
        guard parts.count == 3, let d = Int(parts[0]), let m = Int(parts[1]), var y = Int(parts[2]) else { return nil }
        if parts[2].count == 2 { y += 2000 }
        return Day(year: y, month: m, day: d)
    }
}

/// ASCII character classes without Foundation.
enum CharacterSetASCII {
    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
    }
}
