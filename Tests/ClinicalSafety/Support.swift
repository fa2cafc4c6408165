import Foundation
import Basics
import Journal
import Operations
import Planning
import Population
import TestSupport
@testable import Tooling

/// A home with the shipped rules and a small synthetic extract of two practices, ingested on the
/// Friday before ``monday``.
struct SafetyHome {
    static let monday = Day(year: 2026, month: 11, day: 23)!
    static let friday = monday.adding(days: -3)

    let root: String
    let home: Home
    let extractFolder: String

    init(root: String, patients: Int = 400, extractDay: Day = SafetyHome.friday) throws {
        self.root = root
        home = try Home.create(at: FileIO.join(root, "home"), rulesFrom: Repository.rules)
        extractFolder = FileIO.join(root, "extract")
        _ = try Synthesizer.write(
            SynthOptions(patients: patients, practices: 2, seed: 12, asOf: extractDay), to: extractFolder)
        let session = try HomeSession(home: home)
        _ = try Ingestor.ingest(
            session, paths: extractFiles, at: LocalDateTime(day: extractDay, minuteOfDay: 16 * 60), moveInputs: false)
    }

    var extractFiles: [String] {
        ((try? FileIO.listDirectory(extractFolder)) ?? []).filter { $0.hasSuffix(".csv") && !$0.hasPrefix(".") }
            .sorted()
            .map { FileIO.join(extractFolder, $0) }
    }

    /// The patients file of the first practice.
    var firstPatientsFile: String { extractFiles.first { !$0.contains("events") }! }

    /// Publishes `day` and returns the result (the session is closed again).
    func publish(_ day: Day = SafetyHome.monday) throws -> PublishResult {
        try Publisher.publish(try HomeSession(home: home), day: day)
    }

    /// Ingests files as `outreach ingest` does.
    func ingest(_ paths: [String], on day: Day = SafetyHome.monday, confirm: Bool = false) throws -> [IngestResult] {
        try Ingestor.ingest(
            try HomeSession(home: home), paths: paths, at: LocalDateTime(day: day, minuteOfDay: 17 * 60),
            moveInputs: false,
            confirmSmallerPopulation: confirm)
    }

    /// Writes `text` to a file under the root and returns its path.
    func write(_ text: String, as name: String) throws -> String {
        let path = FileIO.join(root, name)
        try FileIO.writeAtomically(text: text, to: path)
        return path
    }

    var history: JournalHistory {
        get throws { try Journal.read(at: home.journal).history }
    }

    /// Members of any cohort per the journal now.
    func peopleInCohorts() throws -> Int {
        let history = try history
        return history.people.filter { nhs in history.memberships(of: nhs).contains { $0.isCurrent } }.count
    }
}

/// A CSV text's rows as a spreadsheet reads them when its import splits on every one of
/// `separators` (LibreOffice Calc's default splits on `,` and `;`), quotes honoured.
func spreadsheetImport(_ text: String, separators: Set<Character>) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var cell = ""
    var quoted = false
    var chars = Array(text.replacingOccurrences(of: "\u{FEFF}", with: "").replacingOccurrences(of: "\r\n", with: "\n"))
    chars.append("\n")
    var index = 0
    while index < chars.count {
        let char = chars[index]
        if quoted {
            if char == "\"" {
                if index + 1 < chars.count, chars[index + 1] == "\"" {
                    cell.append("\"")
                    index += 1
                } else {
                    quoted = false
                }
            } else {
                cell.append(char)
            }
        } else if char == "\"" {
            quoted = true
        } else if separators.contains(char) {
            row.append(cell)
            cell = ""
        } else if char == "\n" {
            row.append(cell)
            cell = ""
            if row != [""] { rows.append(row) }
            row = []
        } else {
            cell.append(char)
        }
        index += 1
    }
    return rows
}

/// Rows saved back as a spreadsheet saves CSV: comma-separated, every row as wide as the widest.
func spreadsheetSave(_ rows: [[String]]) -> String {
    let width = rows.map(\.count).max() ?? 0
    var writer = CSVWriter(lineEnd: "\r\n", neutraliseFormulas: false, byteOrderMark: false)
    for row in rows { writer.append(row + Array(repeating: "", count: width - row.count)) }
    return writer.output
}
