import Basics

/// What a worker recorded for one call: the `outcome` column of a returned call list.
///
/// The raw values are the spec's codes (scheduling.md, "Outcomes"), as workers type them and as
/// the CSV export writes them. The journal stores a number fixed forever for each (see `Journal`), so renaming a
/// case can never change the meaning of an old record.
public enum OutcomeCode: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case reached
    case reachedSupport = "reached_support"
    case declined
    case noAnswer = "no_answer"
    case voicemail
    case callBack = "call_back"
    case wrongNumber = "wrong_number"
    case deceased
    case movedAway = "moved_away"
    case optedOut = "opted_out"
    case optedIn = "opted_in"
    /// Spoke to them and heard something a clinician must act on today (suicidal thoughts, abuse,
    /// an urgent clinical need). Notes are required; it raises an escalation for the duty clinician.
    case urgentConcern = "urgent_concern"

    /// The code as the spec writes it: `reached_support`.
    public var description: String { rawValue }

    /// Parses a cell as workers type it: any case, surrounding spaces ignored, and a space or a
    /// hyphen accepted for the underscore (`No answer`, `call-back`), since spreadsheets invite both.
    /// - Returns: `nil` for a blank cell, which means "not attempted", never a reject.
    /// - Throws: ``UnknownOutcomeCode`` (with a did-you-mean suggestion) for anything else.
    public static func parse(_ text: some StringProtocol) throws(UnknownOutcomeCode) -> OutcomeCode? {
        let cell = String(text).trimmed
        if cell.isEmpty { return nil }
        var normalised = ""
        for scalar in cell.lowercased().unicodeScalars {
            normalised.unicodeScalars.append(scalar == " " || scalar == "-" ? "_" : scalar)
        }
        if let code = OutcomeCode(rawValue: normalised) { return code }
        throw UnknownOutcomeCode(
            text: cell, suggestion: Suggestions.closest(to: normalised, among: allCases.map(\.rawValue)))
    }
}

extension OutcomeCode {
    /// The outcomes that are retried: the person was not reached.
    public static let retryable: [OutcomeCode] = [.noAnswer, .voicemail]
}
