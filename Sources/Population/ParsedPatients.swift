import Basics
import Vocabulary

/// A patients file's rows as one read parsed them, kept (``ReadOptions/keepsParsedPatients``) for
/// a later read of the same bytes to place without parsing them again
/// (``ExtractInput/reusing(_:)``): an ingest checks each new patients file on its own, then reads
/// every current file to evaluate the cohorts, and each file is parsed once.
///
/// The rows are used only by a read that would parse them alike: the same layout (columns,
/// offsets, run date, practice in the name), the same latest date of birth, the same columns left
/// unread. Only the file's name may differ (a stored copy is read under its path); the rejects
/// then take the reading file's name.
public struct ParsedPatients: Sendable {
    let rows: ParsedRows
    let layout: FileLayout
    let latest: Day
    let skipping: Set<CanonicalColumn>

    /// Whether `parser`, leaving `columns` unread, would parse the file's rows alike.
    func fits(_ parser: PatientRowParser, skipping columns: Set<CanonicalColumn>) -> Bool {
        let other = parser.layout
        return parser.latest == latest && columns == skipping && other.kind == layout.kind
            && other.profile == layout.profile && other.headerLine == layout.headerLine
            && other.dataOffset == layout.dataOffset && other.dataLine == layout.dataLine
            && other.columns == layout.columns && other.runDate == layout.runDate
            && other.practiceFromFileName == layout.practiceFromFileName
            && other.eventPairs.map(\.code) == layout.eventPairs.map(\.code)
            && other.eventPairs.map(\.date) == layout.eventPairs.map(\.date)
    }

    /// The rows, their rejects naming `file`.
    func rows(naming file: String) -> ParsedRows {
        var rows = rows
        if file != layout.file { rows.rename(file: file) }
        return rows
    }
}
