import Basics

/// The event scan's CSV tokenizer: splits the records of an events file's data rows (the header
/// and any preamble are read by `CSVReader`) into the few fields ``RecordScanner`` uses.
///
/// This is a second CSV tokenizer beside `Basics.CSVReader`, kept for a measured reason: on the
/// events of 100,000 synthetic patients (3.0 million rows, 172 MB; release build, one core,
/// `farm-bench`, median of 7, 2026-12-05), splitting every row here takes 0.20 s of user time
/// against 0.49 s for `CSVReader.next()` over the same bytes (ratio 0.41; reading the file alone
/// 0.04 s; measured before `CSVReader` stopped copying quote-free records, 1325a99). At ICB scale (18 million events) that is about 1.7 s of CPU a run, most of the scan.
/// It has had its own byte loop since it was written (ebc8014), so that a part of a file can be
/// scanned on each core (c698c02). Where it differs from `CSVReader`:
/// - A record is byte ranges (``Span``) of the read buffer, kept only for the NHS number, code,
///   date and value columns (`CSVReader` keeps every field's end, and copies a record's fields
///   when it has a quote or crosses its chunk's end).
/// - Nothing is kept between calls: a record cut by the end of the buffer is `.needMore` and is
///   split again from its start with more bytes, so a part of a file can start at any record
///   (`CSVReader` is a class that carries its state machine from one chunk to the next).
/// - A quoted field is the bytes between its quotes with `""` left as written, and bytes after
///   the closing quote are dropped (`CSVReader` reads `""` as one quote and keeps those bytes).
/// - A quote opens a quoted field only as its first byte (`CSVReader` skips spaces before it).
/// - Limits: more than `maxFields` columns is an error, as in `CSVReader`; there is no per-field
///   limit, and a record's length is bounded by ``BlockReader``'s window, not counted here.
///   Errors are `ExtractError`s with `CSVReader`'s wording; no byte-order mark is looked for, and
///   NUL bytes are ``BlockReader``'s to refuse.
/// - Blank lines are found by ``blankLineEnd(_:at:isFinal:needMore:)``, and rows of the
///   canonical layout take a shortcut, ``splitCanonical(_:at:into:)``.
extension RecordScanner {
    enum Split {
        case record(SplitRecord)
        /// The record may continue past the buffer's end.
        case needMore
        case unterminatedQuote
        case tooManyFields
    }

    /// Splits the record that starts at `start` (not a blank line) into the fields the scan uses.
    @inline(__always)
    func split(_ buffer: FieldBytes, at start: Int, isFinal: Bool) -> Split {
        let end = buffer.count
        var pos = start
        var record = SplitRecord()
        while true {
            var fieldStart = pos
            var fieldEnd = pos
            if pos < end, buffer[pos] == 0x22 {
                // Quoted: up to the closing quote ("" is an escaped quote).
                pos += 1
                fieldStart = pos
                while true {
                    guard pos < end else { return isFinal ? .unterminatedQuote : .needMore }
                    let byte = buffer[pos]
                    if byte == 0x22 {
                        if pos + 1 < end, buffer[pos + 1] == 0x22 {
                            pos += 2
                            continue
                        }
                        if pos + 1 >= end && !isFinal { return .needMore }
                        fieldEnd = pos
                        pos += 1
                        break
                    }
                    if byte == 0x0A { record.lines += 1 }
                    pos += 1
                }
                while pos < end, buffer[pos] != 0x2C, buffer[pos] != 0x0A, buffer[pos] != 0x0D { pos += 1 }
            } else {
                while pos < end {
                    let byte = buffer[pos]
                    if byte == 0x2C || byte == 0x0A || byte == 0x0D { break }
                    pos += 1
                }
                fieldEnd = pos
            }
            let field = record.fields
            if field == nhsColumn { record.nhs = Span(start: fieldStart, end: fieldEnd) }
            if field == codeColumn { record.code = Span(start: fieldStart, end: fieldEnd) }
            if field == dateColumn { record.date = Span(start: fieldStart, end: fieldEnd) }
            if field == valueColumn { record.value = Span(start: fieldStart, end: fieldEnd) }
            record.fields += 1
            if record.fields > maxFields { return .tooManyFields }
            guard pos < end else {
                if !isFinal { return .needMore }
                record.next = pos
                return .record(record)
            }
            let byte = buffer[pos]
            if byte == 0x2C {
                pos += 1
                if pos == end, isFinal {
                    record.next = pos
                    return .record(record)
                }
                continue
            }
            // A line end: LF, CRLF or a lone CR.
            if byte == 0x0D {
                if pos + 1 < end {
                    if buffer[pos + 1] == 0x0A { pos += 1 }
                } else if !isFinal {
                    return .needMore
                }
            }
            record.next = pos + 1
            record.lines += 1
            return .record(record)
        }
    }

    /// Splits the record at `start` into `record` when it has the usual shape of a canonical
    /// events row, without the general search: ten digits and a comma, a code up to the next
    /// comma, the columns before the date (a term) each up to the next comma, an ISO date and a
    /// comma, then a value up to an LF or CRLF, with no quote anywhere.
    /// Gives exactly the fields ``split(_:at:isFinal:)`` would, with the NHS number, a SNOMED CT
    /// code and the date already read; `false` (and `record` left in any state) for any other
    /// record. The record is written in place: it is large, and this runs for every row.
    @inline(__always)
    func splitCanonical(_ buffer: FieldBytes, at start: Int, into record: inout SplitRecord) -> Bool {
        let end = buffer.count
        guard start + 24 <= end, buffer[start + 10] == 0x2C else { return false }
        let base = buffer.baseAddress!
        // The NHS number: eight digits at once, then two.
        let firstEight = PackedDigits.load(base + start)
        let ninth = buffer[start + 8] &- 0x30
        let tenth = buffer[start + 9] &- 0x30
        guard PackedDigits.areDigits(firstEight), ninth < 10, tenth < 10 else { return false }
        let number = PackedDigits.value(firstEight) &* 100 &+ UInt64(ninth) &* 10 &+ UInt64(tenth)
        var pos = start + 11
        let codeStart = pos
        // The code's digits are read as a number as they are passed (a SNOMED CT id, as
        // `CodeTable.numericKey` reads it) until a byte that is not a digit.
        var code: UInt64 = 0
        var codeIsNumber = pos < end && buffer[pos] != 0x30
        // Eight digits at a time while they last, then those before the first other byte (the
        // digit-by-digit loop below would wait on each multiplication in turn).
        while pos + 8 <= end {
            let word = PackedDigits.load(base + pos)
            let others = PackedDigits.nonDigits(word)
            if others == 0 {
                code = code &* 100_000_000 &+ PackedDigits.value(word)
                pos += 8
                continue
            }
            let digits = others.trailingZeroBitCount / 8
            if digits > 0 {
                // The digits moved to the word's top, zeros below them: the same number.
                code = code &* PackedDigits.powerOfTen(digits) &+ PackedDigits.value(word << UInt64(64 - 8 * digits))
                pos += digits
            }
            break
        }
        while pos < end {
            let byte = buffer[pos]
            let digit = byte &- 0x30
            if digit < 10 {
                code = code &* 10 &+ UInt64(digit)
                pos += 1
                continue
            }
            if byte == 0x2C { break }
            if byte == 0x0A || byte == 0x0D || byte == 0x22 { return false }
            codeIsNumber = false
            pos += 1
        }
        let codeEnd = pos
        if codeEnd == codeStart || codeEnd - codeStart > 19 { codeIsNumber = false }
        // The columns before the date (a term, as long as a sentence), eight bytes at a time.
        for _ in 0..<columnsBeforeDate {
            guard pos < end else { return false }
            pos = CSVReader.nextSpecialByte(buffer, from: pos + 1, to: end, separator: 0x2C)
            if pos < end, buffer[pos] != 0x2C { return false }
        }
        let dateStart = pos + 1
        guard dateStart + 11 <= end, buffer[dateStart + 4] == 0x2D, buffer[dateStart + 7] == 0x2D,
            buffer[dateStart + 10] == 0x2C
        else { return false }
        // The date: `YYYY-MM-` at once (its dashes read as zeros, so `YYYY0MM0`), then `DD`.
        let dashes: UInt64 = 0xFF00_00FF_0000_0000  // bytes 4 and 7
        let yearAndMonth = PackedDigits.load(base + dateStart) & ~dashes | 0x3000_0030_0000_0000
        let dayTens = buffer[dateStart + 8] &- 0x30
        let dayUnits = buffer[dateStart + 9] &- 0x30
        guard PackedDigits.areDigits(yearAndMonth), dayTens < 10, dayUnits < 10 else { return false }
        let yyyy0mm0 = Int(PackedDigits.value(yearAndMonth))
        let day = DateValue.tabledOrdinal(
            year: yyyy0mm0 / 10_000, month: yyyy0mm0 % 10_000 / 10, day: Int(dayTens) * 10 + Int(dayUnits),
            in: monthStarts)
        pos = dateStart + 11
        let valueStart = pos
        while pos < end {
            let byte = buffer[pos]
            if byte == 0x0A || byte == 0x0D { break }
            if byte == 0x2C || byte == 0x22 { return false }
            pos += 1
        }
        guard pos < end else { return false }
        var next = pos + 1
        if buffer[pos] == 0x0D {
            guard next < end, buffer[next] == 0x0A else { return false }
            next += 1
        }
        record.nhs = Span(start: start, end: start + 10)
        record.code = Span(start: codeStart, end: codeEnd)
        record.date = Span(start: dateStart, end: dateStart + 10)
        record.value = Span(start: valueStart, end: pos)
        record.fields = 4 + columnsBeforeDate
        record.lines = 1
        record.next = next
        record.number = number
        record.codeKey = codeIsNumber ? code : 0
        record.day = day ?? RecordScanner.noDay
        return true
    }

    /// Where the blank line at `pos` ends, or `nil` when `pos` is not a blank line; `needMore`
    /// when a CR ends the buffer (a CRLF may be cut in two).
    @inline(__always)
    func blankLineEnd(_ buffer: FieldBytes, at pos: Int, isFinal: Bool, needMore: inout Bool) -> Int? {
        let byte = buffer[pos]
        guard byte == 0x0A || byte == 0x0D else { return nil }
        if byte == 0x0D {
            if pos + 1 < buffer.count {
                if buffer[pos + 1] == 0x0A { return pos + 2 }
            } else if !isFinal {
                needMore = true
                return nil
            }
        }
        return pos + 1
    }
}
