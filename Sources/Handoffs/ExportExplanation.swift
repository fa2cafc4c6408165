import Population

/// Why one person is, or is not, in an export (`outreach export KIND --nhs NUMBER`): the files
/// and rows that hold them, or the reason they were left out, in the words the export's summary
/// counts. Patient data: for the terminal of whoever asked, never a log.
public enum ExportExplanation {
    /// One line per file that holds the person (with the row's cells), or one line saying why not.
    public static func lines(nhsNumber: UInt64, files: [ExportFile], left: ExportExclusions) -> [String] {
        let digits = NHSNumber.digits(nhsNumber)
        var found: [String] = []
        for file in files {
            switch file.content {
            case .csv(let rows):
                guard let column = rows.first.flatMap(nhsColumn) else { continue }
                for row in rows.dropFirst() where row.indices.contains(column) && row[column] == digits {
                    found.append(
                        "in \(file.name): "
                            + zip(rows[0], row).filter { !$0.1.isEmpty }.map { "\($0)=\($1)" }
                            .joined(separator: ", "))
                }
            case .lines(let lines):
                if lines.contains(digits) { found.append("in \(file.name)") }
            }
        }
        if !found.isEmpty { return found }
        if let reason = left.reasons[nhsNumber] { return ["not in this export: \(reason)"] }
        return [
            "not in this export: not one of the people it looks at (no cohort, no call that day, or not planned for it)"
        ]
    }

    /// The column holding NHS numbers in a file with this header, if any.
    static func nhsColumn(_ header: [String]) -> Int? {
        header.firstIndex { ["nhs_number", "NHS Number"].contains($0) }
    }
}
