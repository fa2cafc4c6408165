import Basics

/// The whole journal as CSV, for audit (`outreach journal --home DIR --csv`).
///
/// One row per record, in journal order, under a fixed header (``columns``); each kind fills the
/// columns that apply to it and leaves the rest empty:
///
/// | kind | columns filled (besides `sequence`, `kind`, `day`) |
/// |---|---|
/// | `rule_set_adopted` | `rule_version` |
/// | `extract_ingested` | `time`, `file`, `content_hash`, `practice` (ODS codes separated by `; `), `patients`, `rejected` (rows) |
/// | `outcome_file_ingested` | `time`, `file`, `content_hash`, `accepted`, `rejected`, `empty` |
/// | `cohort_joined`, `cohort_left` | `nhs_number`, `cohorts` (the one cohort) |
/// | `day_published` | `items`, `rule_version` |
/// | `item_published` | `item_id`, `worker`, `nhs_number`, `practice`, `cohorts` (separated by `; `), `attempt`, `time_band`, `priority`, `phone_fingerprint` |
/// | `outcome_recorded` | `item_id`, `nhs_number`, `outcome`, `call_back_on`, `notes`, `supersedes`, `content_hash` (of the returned file), `source_row` |
/// | `item_not_attempted` | `item_id`, `reason` |
///
/// `sequence` numbers records from 1. `day` is the list's day for published items and the day of
/// recording for everything else. `supersedes` is the sequence of the earlier outcome for the same
/// item that this one replaces (both stay in the journal). NHS numbers are 10 digits, dates
/// `YYYY-MM-DD`, times `HH:MM` (Europe/London), hashes 64 hex digits, the phone fingerprint 16.
///
/// The text is UTF-8 with a byte-order mark and CRLF line ends, so it opens cleanly in Excel, and
/// cells a spreadsheet could run as formulas are neutralised (``CSVWriter``).
///
/// - Important: the export holds NHS numbers and notes: it is patient data. ``writeCSV(journalAt:to:)``
///   writes it 0600.
public enum JournalExport {
    /// The header row, in order.
    public static let columns = [
        "sequence", "kind", "day", "time", "item_id", "nhs_number", "worker", "practice", "cohorts", "attempt",
        "time_band", "priority", "outcome", "call_back_on", "notes", "supersedes", "reason", "file", "content_hash",
        "source_row", "patients", "items", "accepted", "rejected", "empty", "rule_version", "phone_fingerprint",
    ]

    private static let rowsPerChunk = 4096

    /// Streams the journal at `path` as CSV text, in chunks of a few thousand rows, to `write`.
    /// Reads without locking or changing the journal, like ``Journal/forEachEntry(at:_:)``.
    /// - Returns: the tail that was ignored (an append in progress or an unrecovered crash), if any.
    /// - Throws: a ``JournalError``, or what `write` throws.
    @discardableResult
    public static func csv(journalAt path: String, write: (String) throws -> Void) throws -> JournalTail? {
        var writer = CSVWriter(byteOrderMark: true)
        writer.append(columns)
        var rows = 0
        var latestOutcome: [String: Int] = [:]
        let tail = try Journal.forEachEntry(at: path) { entry in
            var supersedes: Int?
            if case .outcomeRecorded(let outcome) = entry.record {
                supersedes = latestOutcome[outcome.itemId]
                latestOutcome[outcome.itemId] = entry.sequence
            }
            writer.append(row(for: entry, supersedes: supersedes))
            rows += 1
            if rows % rowsPerChunk == 0 {
                try write(writer.output)
                writer = CSVWriter()
            }
        }
        try write(writer.output)
        return tail
    }

    /// Writes the CSV to a file, atomically and 0600 whatever the umask.
    /// - Returns: the tail that was ignored, if any.
    @discardableResult
    public static func writeCSV(journalAt path: String, to outputPath: String) throws -> JournalTail? {
        var bytes: [UInt8] = []
        let tail = try csv(journalAt: path) { text in bytes.append(contentsOf: text.utf8) }
        try FileIO.writeAtomically(bytes, to: outputPath, mode: 0o600)
        return tail
    }

    /// One record's cells, in ``columns`` order.
    /// - Parameter supersedes: the sequence of the outcome this one supersedes, for outcomes.
    public static func row(for entry: JournalEntry, supersedes: Int? = nil) -> [String] {
        var cells = [String](repeating: "", count: columns.count)
        func set(_ column: Column, _ value: String) { cells[column.rawValue] = value }
        set(.sequence, String(entry.sequence))
        set(.kind, entry.record.kind.rawValue)
        set(.day, entry.record.day.description)
        switch entry.record {
        case .ruleSetAdopted(let record):
            set(.ruleVersion, record.version.hex)
        case .extractIngested(let record):
            set(.time, timeOfDay(record.at))
            set(.file, record.fileName)
            set(.contentHash, record.contentHash.hex)
            set(.practice, record.practices.joined(separator: "; "))
            set(.patients, String(record.patientCount))
            set(.rejected, String(record.rejectedRowCount))
        case .outcomeFileIngested(let record):
            set(.time, timeOfDay(record.at))
            set(.file, record.fileName)
            set(.contentHash, record.contentHash.hex)
            set(.accepted, String(record.acceptedCount))
            set(.rejected, String(record.rejectedCount))
            set(.empty, String(record.emptyCount))
        case .cohortJoined(let change), .cohortLeft(let change):
            set(.nhsNumber, nhsNumber(change.nhsNumber))
            set(.cohorts, change.cohort)
        case .dayPublished(let record):
            set(.items, String(record.itemCount))
            set(.ruleVersion, record.ruleVersion.hex)
        case .itemPublished(let record):
            set(.itemId, record.itemId)
            set(.worker, record.worker)
            set(.nhsNumber, nhsNumber(record.nhsNumber))
            set(.practice, record.practice)
            set(.cohorts, record.cohorts.joined(separator: "; "))
            set(.attempt, String(record.attempt))
            set(.timeBand, record.timeBand.rawValue)
            set(.priority, String(record.priority))
            set(.phoneFingerprint, hex16(record.phoneFingerprint))
        case .outcomeRecorded(let record):
            set(.itemId, record.itemId)
            set(.nhsNumber, nhsNumber(record.nhsNumber))
            set(.outcome, record.outcome.rawValue)
            set(.callBackOn, record.callBackOn?.description ?? "")
            set(.notes, record.notes)
            set(.supersedes, supersedes.map(String.init) ?? "")
            set(.contentHash, record.source.fileHash.hex)
            set(.sourceRow, String(record.source.row))
        case .itemNotAttempted(let record):
            set(.itemId, record.itemId)
            set(.reason, record.reason.rawValue)
        case .escalationHandled(let record):
            set(.itemId, record.itemId)
            set(.reason, "handled by \(record.handledBy)")
        case .callAnnounced(let record):
            set(.nhsNumber, nhsNumber(record.nhsNumber))
            set(.worker, record.worker)
            set(.timeBand, record.timeBand.rawValue)
            set(.reason, "texted: we will ring on \(record.day)")
        }
        return cells
    }

    /// Column positions, matching ``columns``.
    private enum Column: Int {
        case sequence, kind, day, time, itemId, nhsNumber, worker, practice, cohorts, attempt, timeBand, priority,
            outcome, callBackOn, notes, supersedes, reason, file, contentHash, sourceRow, patients, items, accepted,
            rejected, empty, ruleVersion, phoneFingerprint
    }

    private static func nhsNumber(_ value: UInt64) -> String {
        let digits = String(value)
        return digits.count >= 10 ? digits : String(repeating: "0", count: 10 - digits.count) + digits
    }

    private static func timeOfDay(_ value: LocalDateTime) -> String {
        String(value.description.suffix(5))
    }

    private static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
