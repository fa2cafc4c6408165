import Basics
import Journal
import Planning
import Population
import RuleLanguage
import Vocabulary

/// Reads returned call lists: each row is validated on its own (scheduling.md "Recording
/// outcomes"), good rows are kept whatever their neighbours, and nothing is lost silently.
public enum ReturnedListReader {
    /// Columns only a call list has. A header holding any of them is a returned list, never an
    /// extract: read as an extract it would replace the practices' populations with nobody.
    static let callListOnlyColumns: Set<String> = [
        "item_id", "outcome", "call_back_on", "talk_about", "last_outcome", "last_called_on", "last_worker",
        "time_band",
    ]

    /// How many rows from the top may come before a returned list's header: a title row or two
    /// that a worker typed above it.
    static let maxRowsAboveHeader = 5

    /// Whether a header row is a returned call list's (it has any column only a call list has),
    /// as opposed to an extract's.
    public static func isReturnedList(header: [String]) -> Bool {
        header.contains { callListOnlyColumns.contains(normalise($0)) }
    }

    /// Whether any of the first few rows is a returned call list's header (see ``isReturnedList(header:)``).
    public static func looksLikeReturnedList(_ bytes: [UInt8], name: String) -> Bool {
        separator(of: bytes, name: name) != nil
    }

    /// The separator a returned list was saved with: `,`, or `;` (Excel's and LibreOffice's
    /// choice in much of Europe, and an option in every spreadsheet), whichever makes one of the
    /// first few rows a call list's header; `nil` when neither does.
    static func separator(of bytes: [UInt8], name: String) -> UInt8? {
        let start = Array(bytes.prefix(1 << 16))
        for separator in [UInt8(ascii: ","), UInt8(ascii: ";")] {
            let reader = CSVReader(bytes: start, name: name, separator: separator)
            for _ in 0..<maxRowsAboveHeader {
                guard (try? reader.next()) == true else { break }
                if isReturnedList(header: reader.record) { return separator }
            }
        }
        return nil
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
        let reader = CSVReader(
            bytes: bytes, name: fileName, separator: separator(of: bytes, name: fileName) ?? UInt8(ascii: ","))
        guard try reader.next() else {
            throw OutreachError(
                "\(fileName): the file is empty; a returned call list starts with its header row", exitCode: .dataError)
        }
        // A title row typed above the header is skipped; anything else above it is not a list.
        var header = reader.record.map(normalise)
        var skipped = 0
        while !isReturnedList(header: header), skipped + 1 < maxRowsAboveHeader, try reader.next() {
            header = reader.record.map(normalise)
            skipped += 1
        }
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        if column("item_id") != nil, column("handled_by") != nil, column("outcome") == nil {
            return try readEscalationsReturned(
                reader, header: header, fileName: fileName, hash: hash, history: history, at: at)
        }
        guard let itemColumn = column("item_id"), let outcomeColumn = column("outcome"),
            let nhsColumn = column("nhs_number")
        else {
            let missing = ["item_id", "nhs_number", "outcome"].filter { column($0) == nil }.joined(separator: ", ")
            throw OutreachError(
                "\(fileName):\(reader.line): not a returned call list that can be recorded: it has no \(missing) "
                    + "column (found: \(header.filter { !$0.isEmpty }.joined(separator: ", "))). Nothing was recorded "
                    + "and no practice's population changed: put the column back as it was in the list and return "
                    + "the file again", exitCode: .dataError)
        }
        // The header's named cells: a spreadsheet that re-saves a file may pad every row with empty cells.
        let namedColumns = (header.lastIndex { !$0.isEmpty } ?? 0) + 1
        let dateColumn = column("date")
        let workerColumn = column("worker")
        let attemptColumn = column("attempt")
        let callBackColumn = column("call_back_on")
        let notesColumn = column("notes")

        var records: [JournalRecord] = []
        var rejects: [OutcomeReject] = []
        // Every data row (not blank) lands in exactly one of these: accepted + unchanged + empty +
        // rejects.count is the number of data rows.
        var accepted = 0
        var unchanged = 0
        var empty = 0
        var seen: [String: (line: Int, outcome: String, callBack: String, notes: String, verdict: Verdict)] = [:]
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
            if let extra = (namedColumns..<max(namedColumns, reader.fieldCount)).first(where: {
                !reader.string($0).trimmed.isEmpty
            }) {
                reject(
                    "row",
                    "the row has a value in cell \(extra + 1), past the header's \(namedColumns) columns: its cells "
                        + "have shifted (a spreadsheet split a cell on ';'?), so no cell can be trusted")
                continue
            }
            if let (name, value) = [("outcome", outcomeCell), ("call_back_on", callBackCell), ("notes", notes)]
                .first(where: { isSpreadsheetError($0.1) })
            {
                reject(name, "\(name) holds the spreadsheet error '\(value)', not what the worker wrote")
                continue
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
            // The columns Outreach wrote must still say what was published: a row whose cells moved
            // would record someone else's outcome.
            if let mismatch = mismatchWithPublished(
                item, date: dateColumn, worker: workerColumn, attempt: attemptColumn, reader)
            {
                reject(mismatch, "\(mismatch) does not match item \(itemID) as published (its cells may have moved)")
                continue
            }
            if let previous = seen[itemID] {
                if previous.outcome != outcomeCell || previous.callBack != callBackCell || previous.notes != notes {
                    reject(
                        "item_id",
                        "item \(itemID) appears twice in this file (first on line \(previous.line)) with different entries"
                    )
                    continue
                }
                // An exact repeat (a row pasted twice) counts as the row it repeats did, and is
                // never recorded twice: an outcome given again is unchanged.
                switch previous.verdict {
                case .recorded, .unchanged: unchanged += 1
                case .empty: empty += 1
                case .rejected(let column, let reason): reject(column, "\(reason) (as on line \(previous.line))")
                }
                continue
            }

            /// The row's outcome checked and recorded (or counted, or rejected).
            func verdict() -> Verdict {
                func refuse(_ column: String, _ reason: String) -> Verdict {
                    reject(column, reason)
                    return .rejected(column: column, reason: reason)
                }
                let outcome: OutcomeCode?
                do {
                    outcome = try OutcomeCode.parse(outcomeCell)
                } catch {
                    return refuse("outcome", error.message)
                }
                guard let outcome else {
                    if !notes.isEmpty || !callBackCell.isEmpty {
                        return refuse(
                            "outcome",
                            "no outcome, but \(notes.isEmpty ? "a call_back_on date" : "notes") written: "
                                + "fill in the outcome (or clear the row) and return the row again")
                    }
                    empty += 1
                    if case .awaitingOutcome? = history.status(of: itemID) {
                        records.append(
                            .itemNotAttempted(
                                ItemNotAttempted(itemId: itemID, reason: .returnedEmpty, recordedOn: at.day)))
                    }
                    return .empty
                }
                if outcome == .urgentConcern, notes.isEmpty {
                    return refuse("notes", "urgent_concern needs notes saying what was heard, for the duty clinician")
                }
                var callBackOn: Day?
                if outcome == .callBack {
                    guard !callBackCell.isEmpty else {
                        return refuse("call_back_on", "call_back needs a call_back_on date")
                    }
                    guard let day = callBackDay(callBackCell) else {
                        return refuse(
                            "call_back_on", "call_back_on '\(callBackCell)' is not a date (write it as YYYY-MM-DD)")
                    }
                    guard day > item.day else {
                        return refuse("call_back_on", "call_back_on \(day) is not after the call on \(item.day)")
                    }
                    callBackOn = day
                }
                let record = OutcomeRecorded(
                    itemId: itemID, nhsNumber: item.nhsNumber, outcome: outcome, callBackOn: callBackOn, notes: notes,
                    source: OutcomeSource(fileHash: hash, row: line), recordedOn: at.day)
                guard history.isNewInformation(record) else {
                    unchanged += 1
                    return .unchanged
                }
                records.append(.outcomeRecorded(record))
                accepted += 1
                return .recorded
            }
            seen[itemID] = (line, outcomeCell, callBackCell, notes, verdict())
        }
        return ReturnedList.ingested(
            fileName: fileName, contentHash: hash, records: records, accepted: accepted, unchanged: unchanged,
            empty: empty, rejects: rejects, at: at)
    }

    /// What became of a row of a returned list: an exact repeat of it counts the same way.
    enum Verdict {
        /// Its outcome was recorded.
        case recorded
        /// It gave the item's current outcome again: nothing recorded.
        case unchanged
        /// Its outcome was left empty (not attempted).
        case empty
        case rejected(column: String, reason: String)
    }

    /// `Item ID` → `item_id`: lower case, anything but letters and digits to `_`, and what is not
    /// a letter or digit at either end dropped (so a byte-order mark, even one mis-decoded as `ï»¿`,
    /// or stray quotes and spaces, never hide a column).
    static func normalise(_ header: String) -> String {
        var out = ""
        for scalar in header.trimmed.lowercased().unicodeScalars {
            out.unicodeScalars.append(CharacterSetASCII.isAlphanumeric(scalar) ? scalar : "_")
        }
        let bytes = out.utf8
        guard let first = bytes.firstIndex(where: { $0 != UInt8(ascii: "_") }) else { return "" }
        let last = bytes.lastIndex(where: { $0 != UInt8(ascii: "_") })!
        return String(out[first...last])
    }

    /// The first column Outreach wrote (`date`, `worker`, `attempt`) whose cell differs from the
    /// published item, if any. A date may come back re-typed by a spreadsheet (`23/11/2026`).
    static func mismatchWithPublished(
        _ item: ItemPublished, date: Int?, worker: Int?, attempt: Int?, _ reader: CSVReader
    ) -> String? {
        if let date, callBackDay(reader.string(date).trimmed) != item.day { return "date" }
        if let worker, reader.string(worker).trimmed != item.worker { return "worker" }
        if let attempt, Int(reader.string(attempt).trimmed) != item.attempt { return "attempt" }
        return nil
    }

    /// Whether a cell is a spreadsheet's error value (`#NAME?`, `#VALUE!`, `#REF!`, `Err:509`, …)
    /// rather than anything a person typed.
    static func isSpreadsheetError(_ cell: String) -> Bool {
        SpreadsheetError.isErrorValue(cell)
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
