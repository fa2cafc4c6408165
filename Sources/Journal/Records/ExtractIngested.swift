import Basics
import Vocabulary

/// An extract file was validated and ingested.
public struct ExtractIngested: Hashable, Sendable {
    /// The file's name as it arrived in the inbox (no folder).
    public var fileName: String
    /// The file's bytes' SHA-256: the same bytes are never ingested twice.
    public var contentHash: ContentHash
    /// The ODS codes of the practices whose population this extract replaced.
    public var practices: [String]
    /// Patients read from the file.
    public var patientCount: Int
    /// Rows refused (written to the rejects report).
    public var rejectedRowCount: Int
    /// When it was ingested (the team's local time).
    public var at: LocalDateTime
    /// The day the practice's system ran the extract (its preamble's run date), when it says.
    /// Journals written before this field existed have `nil`.
    public var runDate: Day?
    /// Patients read for each of `practices`, in the same order (patients files written since this
    /// field existed; empty for events files and older records).
    public var practicePatientCounts: [Int]
    /// Whether it was a patients or an events file; `nil` in records written before the kind was
    /// kept (the stored copy's folder says, see `ExtractStore`).
    public var fileKind: FileKind?

    /// The kinds of extract file: a practice's newest of each kind is current.
    public enum FileKind: String, Sendable, CaseIterable {
        case patients, events
    }

    public init(
        fileName: String, contentHash: ContentHash, practices: [String], patientCount: Int, rejectedRowCount: Int,
        at: LocalDateTime, runDate: Day? = nil, practicePatientCounts: [Int] = [], fileKind: FileKind? = nil
    ) {
        self.fileName = fileName
        self.contentHash = contentHash
        self.practices = practices
        self.patientCount = patientCount
        self.rejectedRowCount = rejectedRowCount
        self.at = at
        self.runDate = runDate
        self.practicePatientCounts = practicePatientCounts
        self.fileKind = fileKind
    }

    /// The day the extract describes: its run date, else the day it was ingested. A practice's
    /// data is as old as this, whenever it arrived.
    public var extractDate: Day { runDate ?? at.day }

    /// Patients this extract gave a practice, when that is known (a single-practice file, or a
    /// record with per-practice counts).
    public func patients(of practice: String) -> Int? {
        guard let index = practices.firstIndex(of: practice) else { return nil }
        if practicePatientCounts.count == practices.count { return practicePatientCounts[index] }
        return practices.count == 1 && practicePatientCounts.isEmpty ? patientCount : nil
    }
}

extension ExtractIngested.FileKind {
    /// The number that stands for this kind in journal records. Never reuse or renumber one.
    var wireCode: UInt8 {
        switch self {
        case .patients: 1
        case .events: 2
        }
    }
}
