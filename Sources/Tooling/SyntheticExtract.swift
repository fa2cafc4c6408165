import Basics
import Population

/// What synth wrote: file names, the rows broken on purpose, and (when asked) the intended
/// records, so a test can read the files back and compare.
public struct SyntheticExtract: Sendable {
    public internal(set) var fileNames: [String] = []
    public internal(set) var broken: [BrokenRow] = []
    /// The patients that should be read (broken rows left out), when records were kept.
    public internal(set) var patients: [PatientRecord] = []
    /// The events that should be read, when records were kept.
    public internal(set) var events: [SyntheticEvent] = []
    public internal(set) var patientCount = 0
    public internal(set) var eventCount = 0
    /// Patients in each outreach group, for the summary.
    public internal(set) var groupCounts: [String: Int] = [:]

    /// The name of the manifest synth writes beside the extract: hidden, so `outreach inspect DIR/*`
    /// does not read it as an extract.
    public static let manifestName = ".synth-manifest.csv"

    /// The broken rows as CSV (`file,line,column,value,reason`), the same columns and reasons as
    /// the rejects report.
    public var manifestCSV: String {
        var writer = CSVWriter(lineEnd: "\n")
        writer.append(["file", "line", "column", "value", "reason"])
        for row in broken { writer.append([row.file, String(row.line), row.column, row.value, row.problem.reason]) }
        return writer.output
    }

    /// What synth prints: counts, prevalences and every broken row.
    public func summary(options: SynthOptions, directory: String) -> String {
        var lines = [
            "Wrote \(Formatting.count(fileNames.count, "file")) to \(directory): \(Formatting.count(options.practices, "practice")), "
                + "\(Formatting.count(patientCount, "patient")), \(Formatting.count(eventCount, "event")) "
                + "(\(options.layout.rawValue) layout, as of \(options.asOf), seed \(options.seed))"
        ]
        let groups = ["high-risk list", "carer", "bereaved in 90 days", "long-term condition", "over 75 living alone"]
        lines.append(
            "  "
                + groups.map { "\($0) \(Formatting.percent(groupCounts[$0] ?? 0, patientCount))" }.joined(
                    separator: ", "))
        lines.append(
            "Rows broken on purpose (\(broken.count), listed in \(FileIO.join(directory, SyntheticExtract.manifestName))):"
        )
        lines += broken.map { "  " + $0.message }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// An event as synth meant it (for tests that read the files back).
public struct SyntheticEvent: Hashable, Sendable {
    public let nhsNumber: UInt64
    public let code: String
    public let day: Day
    public let value: Double?
}
