import Basics

/// `outreach inspect`: read extracts and describe what was found, for a person checking a new
/// export before it is used.
public enum Inspection {
    /// Everything an inspection found.
    public struct Result: Sendable {
        public let extract: Extract
        public let events: EventScanResult
        /// Rejects from patients and events files together.
        public let rejects: RejectLog
        /// The report text, ending with the summary line.
        public let text: String
    }

    /// Reads `paths` (files, or folders of `.csv` files), scans every event once, writes the
    /// rejects CSV to `rejectsPath` (mode 0600) when given, and returns the report.
    /// - Throws: `ExtractError`/`CSVError` (exit 65) for a file that cannot be used, exit 66 for
    ///   a missing input, `OutreachError` (exit 73) when the rejects file cannot be written.
    public static func run(paths: [String], options: ReadOptions, rejectsPath: String?) throws -> Result {
        let inputs = try ExtractReader.inputs(forPaths: paths)
        if inputs.isEmpty {
            throw ExtractError(file: paths.joined(separator: " "), "no .csv files found", exitCode: .noInput)
        }
        return try run(inputs: inputs, options: options, rejectsPath: rejectsPath)
    }

    /// ``run(paths:options:rejectsPath:)`` for inputs already chosen.
    public static func run(inputs: [ExtractInput], options: ReadOptions, rejectsPath: String?) throws -> Result {
        let extract = try ExtractReader.read(inputs, options: options)
        var sink = CountingSink()
        let events = try EventScanner(extract: extract, codes: CodeTable([])).scan(
            into: &sink, makeSink: { CountingSink() }, merge: { $0.merge($1) })
        var rejects = extract.rejects
        rejects.append(contentsOf: events.total.rejects)
        if let rejectsPath {
            do {
                try FileIO.writeAtomically(text: rejects.csv(), to: rejectsPath)
            } catch {
                throw OutreachError(
                    "cannot write \(rejectsPath): \(FileIOError.describe(error.errno))", exitCode: .cannotCreate)
            }
        }
        let text = report(extract: extract, events: events, rejects: rejects, rejectsPath: rejectsPath)
        return Result(extract: extract, events: events, rejects: rejects, text: text)
    }

    /// The report: files, practices, columns, events, rejects by reason, and a summary line.
    public static func report(extract: Extract, events: EventScanResult, rejects: RejectLog, rejectsPath: String?)
        -> String
    {
        let population = extract.population
        var sections: [String] = []

        var files = TextTable(
            header: ["file", "kind", "profile", "rows", "rejected", "run date"],
            alignments: [.left, .left, .left, .right, .right, .left])
        var eventCounts: [String: EventCounts] = [:]
        for (file, counts) in events.files { eventCounts[file] = counts }
        for summary in extract.files {
            let layout = summary.layout
            let counts = eventCounts[layout.file]
            files.append([
                FileIO.fileName(of: layout.file), layout.kind.rawValue, layout.profile,
                Formatting.grouped(counts?.rows ?? summary.rows),
                Formatting.grouped(counts?.rowsRejected ?? summary.rowsRejected),
                layout.runDate?.description ?? "",
            ])
        }
        sections.append("Files\n" + files.render(indent: "  "))

        var practices = TextTable(header: ["practice", "patients"], alignments: [.left, .right])
        var perPractice = [Int](repeating: 0, count: population.practices.count)
        for index in population.practiceIndex { perPractice[Int(index)] += 1 }
        for (index, code) in population.practices.enumerated() {
            practices.append([code, Formatting.grouped(perPractice[index])])
        }
        var practiceSection = "Practices\n" + practices.render(indent: "  ")
        if let date = population.extractDate { practiceSection += "\n  extract date \(date)" }
        sections.append(practiceSection)

        // Files with the same layout share one column listing.
        var groups: [(files: [String], layout: FileLayout)] = []
        for summary in extract.files {
            let layout = summary.layout
            if let at = groups.firstIndex(where: {
                $0.layout.profile == layout.profile && $0.layout.columns == layout.columns
            }) {
                groups[at].files.append(FileIO.fileName(of: layout.file))
            } else {
                groups.append(([FileIO.fileName(of: layout.file)], layout))
            }
        }
        var columns: [String] = ["Columns"]
        for group in groups {
            columns.append(
                "  \(group.files.joined(separator: ", ")) (\(group.layout.profile), \(group.layout.kind.rawValue))")
            var table = TextTable(columns: 3)
            for column in group.layout.columns {
                var note =
                    column.canonical == nil ? "extra field (not a canonical column; rules read it with a field)" : ""
                if let code = column.pairedCodeColumn {
                    note = "extra; events: date of the code in '\(cell(group.layout.columns[code].header))'"
                }
                table.append([
                    column.header.isEmpty ? "(no header)" : cell(column.header), "→ " + cell(column.name), note,
                ])
            }
            columns.append(table.render(indent: "    "))
        }
        sections.append(columns.joined(separator: "\n"))

        let total = events.total
        var eventLine = "Events: \(Formatting.grouped(total.events)) read"
        if events.embedded > 0 { eventLine += " (\(Formatting.grouped(events.embedded)) from patients files)" }
        eventLine += ", \(Formatting.grouped(total.unknownPatients)) for patients not in the extract"
        sections.append(eventLine)

        if !rejects.entries.isEmpty {
            var table = TextTable(
                header: ["column", "reason", "action", "count"], alignments: [.left, .left, .left, .right])
            for entry in rejects.countsByReason {
                table.append([
                    cell(entry.column), entry.problem.reason, entry.action.rawValue, Formatting.grouped(entry.count),
                ])
            }
            sections.append("Rejects\n" + table.render(indent: "  "))
        }

        let rejected = rejects.rowsRejected
        var summary = "\(Formatting.count(population.count, "patient")), "
        summary += rejected == 0 ? "no rows rejected" : "\(Formatting.count(rejected, "row")) rejected"
        let other = rejects.entries.count - rejected
        if other > 0 { summary += ", \(Formatting.count(other, "other problem"))" }
        if !rejects.entries.isEmpty {
            summary +=
                rejectsPath.map { " — see \($0)" } ?? " — list them with --rejects FILE"
        }
        sections.append(summary)
        return sections.joined(separator: "\n\n") + "\n"
    }

    /// The widest a column name is printed in the tables: names beyond it are cut with `…`, so a
    /// header of 100 KB does not pad every row of the table to its width (the output stays in
    /// proportion to the input).
    public static let maximumCellWidth = 60

    /// `text` cut to ``maximumCellWidth`` characters, the last one `…` when cut.
    static func cell(_ text: String) -> String {
        guard text.count > maximumCellWidth else { return text }
        return String(text.prefix(maximumCellWidth - 1)) + "…"
    }
}
