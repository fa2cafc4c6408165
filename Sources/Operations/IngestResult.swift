import Basics
import Cohorts
import Journal
import Planning
import Population
import RuleLanguage
import Vocabulary

/// What ingesting one input file did.
public struct IngestResult: Sendable {
    public enum Kind: String, Sendable {
        case extract = "extract"
        case returnedList = "returned list"
    }

    public enum Outcome: Sendable, Equatable {
        /// Recorded; the text says what (counts only: it may go to the log).
        case ingested(String)
        /// The same bytes were ingested before; nothing changed.
        case alreadyIngested
        /// Unusable: the reason, written to `failed/NAME.error.txt` beside the file.
        case failed(String)
        /// Not read this time, and left where it is: the reason (no patient data).
        case deferred(String)
    }

    public let fileName: String
    public let kind: Kind?
    public let outcome: Outcome
    /// Where the rows that could not be used are listed, if any were.
    public let rejectsFile: String?
    /// `urgent_concern` outcomes this file recorded: the duty clinician must act on them today.
    public var escalationsRaised = 0
    /// Why the escalation file could not be written after this file was recorded (no patient
    /// data), if it could not: the daemon writes it again from the journal once it can.
    public var escalationFileFailure: String?

    /// One line for people and logs (no patient data).
    public var line: String {
        switch outcome {
        case .ingested(let text): return "\(fileName): \(text)" + (rejectsFile.map { "; rejects in \($0)" } ?? "")
        case .alreadyIngested: return "\(fileName): already ingested (same content); nothing changed"
        case .failed(let reason): return "\(fileName): not ingested: \(reason)"
        case .deferred(let reason): return "\(fileName): not ingested yet: \(reason)"
        }
    }
}
