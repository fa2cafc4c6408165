import Basics
import Vocabulary

/// An extract file that cannot be used at all, naming the file (and the line when there is one).
public struct ExtractError: UserFacingError, Equatable {
    public let file: String
    public let line: Int?
    public let what: String
    public let exitCode: ExitCode

    public init(file: String, line: Int? = nil, _ what: String, exitCode: ExitCode = .dataError) {
        self.file = file
        self.line = line
        self.what = what
        self.exitCode = exitCode
    }

    public var message: String {
        line.map { "\(file):\($0): \(what)" } ?? "\(file): \(what)"
    }
}

/// Where an extract's bytes come from: a file, or bytes already in memory (tests, the demo).
public struct ExtractInput: Sendable {
    /// The name used in messages and for its practice code: the path, unless given another.
    public let name: String
    /// Where a file's bytes are read from (for bytes in memory, `name`).
    let path: String
    let bytes: [UInt8]?
    /// The day the extract was run, when known from outside the file (a stored file's ingest
    /// day, from the journal). A file without a run date of its own reads its two-digit years
    /// against this day rather than today, so a stored extract reads the same on every later day.
    public let extractDate: Day?
    /// The file's rows as an earlier read of the same bytes parsed them, to place without parsing
    /// again where they fit (see ``ParsedPatients``).
    var parsedPatients: ParsedPatients?

    /// The file at `path`, run on `extractDate` when that is known.
    public static func file(_ path: String, extractDate: Day? = nil) -> ExtractInput {
        ExtractInput(name: path, path: path, bytes: nil, extractDate: extractDate)
    }

    /// The file at `path`, named `name` in messages and for its practice code (a copy of an inbox
    /// file, read under the name it was dropped with).
    public static func file(_ path: String, named name: String, extractDate: Day? = nil) -> ExtractInput {
        ExtractInput(name: name, path: path, bytes: nil, extractDate: extractDate)
    }

    /// Bytes in memory, named `name` in messages and for its practice code.
    public static func bytes(_ bytes: [UInt8], name: String, extractDate: Day? = nil) -> ExtractInput {
        ExtractInput(name: name, path: name, bytes: bytes, extractDate: extractDate)
    }

    /// The same input, with the rows an earlier read of its bytes parsed (`nil`: none).
    public func reusing(_ parsed: ParsedPatients?) -> ExtractInput {
        var input = self
        input.parsedPatients = parsed
        return input
    }

    /// The size in bytes.
    func size() throws -> Int {
        if let bytes { return bytes.count }
        return try FileIO.sizeAndModification(path).size
    }

    /// A reader from byte `offset` (a record's or line's start) on physical line `line`, for a
    /// part of a file (so with a smaller buffer than a whole file's reader).
    func makeReader(from offset: Int, line: Int) throws -> CSVReader {
        if let bytes { return CSVReader(bytes: bytes, name: name, from: offset, line: line) }
        return try CSVReader(path: path, name: name, from: offset, line: line, chunkSize: 1 << 18)
    }

    func makeReader() throws -> CSVReader {
        if let bytes { return CSVReader(bytes: bytes, name: name) }
        guard FileIO.exists(path) else {
            throw ExtractError(file: name, "no such file", exitCode: .noInput)
        }
        return try CSVReader(path: path, name: name)
    }
}

/// What a file holds, decided by its header after profile mapping: an events table has
/// `nhs_number`, `code` and `date` and no `date_of_birth`; anything else is a patients table.
public enum ExtractFileKind: String, Sendable, Hashable {
    case patients, events
}

/// One column of a file and what it became.
public struct ColumnMapping: Sendable, Hashable {
    /// Position in the row, 0-based.
    public let index: Int
    /// The header as the file writes it.
    public let header: String
    /// The canonical column it fills, or `nil` for an extra field.
    public let canonical: CanonicalColumn?
    /// The name it is known by: the canonical name, or the extra field's normalised name (made
    /// unique by position when the header repeats: `date_of_issue`, `date_of_issue_2`).
    public let name: String
    /// For a repeated date column (SystmOne's `Date of issue`), the index of the code column before it.
    public let pairedCodeColumn: Int?
}

/// How one file is laid out: its kind, profile, where the header is and what each column means.
public struct FileLayout: Sendable {
    public let file: String
    public let kind: ExtractFileKind
    /// The profile's name (`emis`, a custom name, or `canonical`).
    public let profile: String
    /// The physical line of the header row (after any preamble).
    public let headerLine: Int
    /// The byte offset and line where the first data row starts.
    public let dataOffset: Int
    public let dataLine: Int
    public let columns: [ColumnMapping]
    /// The run date from the preamble (EMIS `Run Date`), if any.
    public let runDate: Day?
    /// The practice code in the file name, if any.
    public let practiceFromFileName: String?
    /// Code/date column pairs whose cells are events of the row's patient.
    public let eventPairs: [(code: Int, date: Int)]

    /// The index of the column filling a canonical column, if present.
    public func index(of column: CanonicalColumn) -> Int? {
        columns.first { $0.canonical == column }?.index
    }

    /// Canonical columns present.
    public var canonicalColumns: Set<CanonicalColumn> { Set(columns.compactMap(\.canonical)) }
}

/// Finds the header row and maps its columns.
enum LayoutReader {
    /// How many records are searched for the header row (EMIS puts about a dozen first).
    static let maxPreambleRecords = 50

    /// Reads up to and including the header row, leaving `reader` at the first data row.
    static func read(
        _ reader: CSVReader, input: ExtractInput, custom: [Profile], forced: Profile?, latest: Day
    ) throws -> FileLayout {
        var preamble: [[String]] = []
        var firstRecord: [String]?
        var header: [String]?
        while try reader.next() {
            if reader.isBlank { continue }
            let record = reader.record.map(\.trimmed)
            if firstRecord == nil { firstRecord = record }
            let candidates = forced.map { custom + [$0] } ?? custom
            if record.contains(where: { ProfileChooser.isNHSNumberHeader($0, custom: candidates) }) {
                header = record
                break
            }
            preamble.append(record)
            if preamble.count >= maxPreambleRecords { break }
        }
        guard let firstRecord else {
            throw ExtractError(file: input.name, "the file is empty; an extract needs at least a header row")
        }
        guard let header else {
            let seen = firstRecord.prefix(12).map { "'\($0)'" }.joined(separator: ", ")
            throw ExtractError(
                file: input.name,
                "no recognisable header row: no NHS number column in the first lines (headers seen: \(seen)); "
                    + "name the profile with --profile or add an 'extract' block to the rules")
        }
        let headerLine = reader.line
        let profile = forced ?? ProfileChooser.choose(header: header, custom: custom) ?? Profile.canonical
        let columns = mapColumns(header, profile: profile)
        let canonical = Set(columns.compactMap(\.canonical))
        let kind: ExtractFileKind =
            canonical.contains(.nhsNumber) && canonical.contains(.code) && canonical.contains(.date)
                && !canonical.contains(.dateOfBirth) ? .events : .patients
        var pairs: [(code: Int, date: Int)] = []
        for column in columns { if let code = column.pairedCodeColumn { pairs.append((code, column.index)) } }
        return FileLayout(
            file: input.name, kind: kind, profile: profile.name, headerLine: headerLine, dataOffset: reader.offset,
            dataLine: reader.nextLineNumber, columns: columns, runDate: runDate(in: preamble, latest: latest),
            practiceFromFileName: PracticeCode.inFileName(input.name), eventPairs: pairs)
    }

    /// Maps each header to a canonical column or an extra field; repeated headers are made unique
    /// by position, and a repeated date column is paired with the column before it.
    static func mapColumns(_ header: [String], profile: Profile) -> [ColumnMapping] {
        var keyCounts: [String: Int] = [:]
        for cell in header { keyCounts[ColumnName.normalise(cell), default: 0] += 1 }
        var seenOccurrences: [String: Int] = [:]
        var used: Set<String> = []
        var result: [ColumnMapping] = []
        for (index, cell) in header.enumerated() {
            let normalised = ColumnName.normalise(cell).isEmpty ? "column_\(index + 1)" : ColumnName.normalise(cell)
            if keyCounts[ColumnName.normalise(cell), default: 0] > 1 {
                let occurrence = seenOccurrences[normalised, default: 0] + 1
                seenOccurrences[normalised] = occurrence
                var name = occurrence == 1 ? normalised : "\(normalised)_\(occurrence)"
                while used.contains(name) { name += "_" }
                used.insert(name)
                var paired: Int?
                if normalised.contains("date"), index > 0, !ColumnName.normalise(header[index - 1]).contains("date"),
                    result[index - 1].canonical == nil || result[index - 1].canonical == .code
                {
                    paired = index - 1
                }
                result.append(
                    ColumnMapping(index: index, header: cell, canonical: nil, name: name, pairedCodeColumn: paired))
                continue
            }
            let target = profile.target(forHeader: cell) ?? normalised
            if let canonical = CanonicalColumn(rawValue: target), !used.contains(target) {
                used.insert(target)
                result.append(
                    ColumnMapping(index: index, header: cell, canonical: canonical, name: target, pairedCodeColumn: nil)
                )
            } else {
                var name = CanonicalColumn(rawValue: target) == nil ? target : normalised
                while used.contains(name) { name += "_" }
                used.insert(name)
                result.append(
                    ColumnMapping(index: index, header: cell, canonical: nil, name: name, pairedCodeColumn: nil))
            }
        }
        return result
    }

    /// The run date in preamble lines: a cell whose label mentions a date (`Run Date`,
    /// `Date of search`, `Extract date: 01-Mar-2024`) followed by a date.
    static func runDate(in preamble: [[String]], latest: Day) -> Day? {
        for record in preamble {
            for (index, cell) in record.enumerated() {
                var label = cell
                var rest = Array(record.dropFirst(index + 1))
                if let colon = cell.firstIndex(of: ":") {
                    label = String(cell[..<colon])
                    rest.insert(String(cell[cell.index(after: colon)...]), at: 0)
                }
                guard ColumnName.matchKey(label).contains("date") else { continue }
                for candidate in rest {
                    if case .success(let day) = DateValue.parse(candidate, latest: latest) { return day }
                }
            }
        }
        return nil
    }
}
