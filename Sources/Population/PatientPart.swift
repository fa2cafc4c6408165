import Basics

/// Rows of a patients file as parsed: the whole file, or one part of a large file read in parts
/// on every core; with where its first record starts and where the next record begins. A part
/// that synchronises may be asked to start anywhere: it begins at the first line start at or
/// after that offset and before its limit, and has no start when there is none.
struct PatientPart: Sendable {
    var rows: ParsedRows
    /// Where the part's first record starts, or `nil` when no start was found.
    var start: Int?
    /// The line of the first record, as the part's reader numbered it.
    var firstLine = 0
    /// Where the record after the part's last starts (or the end of the file), and its line.
    var end = 0
    var endLine = 0
    var failure: (any Error)?

    /// A part that could not be read at all.
    init(failure: any Error) {
        rows = ParsedRows(extraColumns: 0)
        self.failure = failure
    }

    /// Parses the records that start before `limit`, from `offset` (a record's start, on `line`)
    /// or, with `synchronise`, from the first line that starts at or after it (lines then count
    /// from `line` there), into `rows` (emptied first; its buffers are reused).
    init(
        _ input: ExtractInput, source: ByteSource, parser: PatientRowParser, from offset: Int, line: Int, limit: Int,
        synchronise: Bool, into buffer: ParsedRows
    ) {
        rows = buffer
        rows.removeAll()
        do {
            var start = offset
            if synchronise {
                guard let found = try source.firstLineStart(atOrAfter: offset, before: limit) else { return }
                start = found
            }
            let reader = try input.makeReader(from: start, line: line)
            var first: Int?
            var stopped = false
            while try reader.next() {
                if reader.recordOffset >= limit {
                    end = reader.recordOffset
                    endLine = reader.line
                    stopped = true
                    break
                }
                if first == nil {
                    first = reader.recordOffset
                    firstLine = reader.line
                }
                if reader.isBlank { continue }
                let recordLine = reader.line
                reader.withRecord { parser.parse($0, line: recordLine, into: &rows) }
            }
            if !stopped {
                end = reader.offset
                endLine = reader.nextLineNumber
            }
            if first == nil { firstLine = endLine }
            self.start = first ?? end
        } catch {
            failure = error
        }
    }
}
