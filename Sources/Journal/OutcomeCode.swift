import Basics

/// What a worker recorded for one call: the `outcome` column of a returned call list.
///
/// The raw values are the spec's codes (scheduling.md, "Outcomes"), as workers type them and as
/// the CSV export writes them. The journal stores ``wireCode`` instead, a number fixed forever,
/// so renaming a case can never change the meaning of an old record.
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

    /// The number that stands for this outcome in journal records. Never reuse or renumber one.
    var wireCode: UInt8 {
        switch self {
        case .reached: 1
        case .reachedSupport: 2
        case .declined: 3
        case .noAnswer: 4
        case .voicemail: 5
        case .callBack: 6
        case .wrongNumber: 7
        case .deceased: 8
        case .movedAway: 9
        case .optedOut: 10
        case .optedIn: 11
        }
    }

    /// The outcome a journal record's number stands for, or `nil` for a number this version does not know.
    init?(wireCode: UInt8) {
        guard let match = OutcomeCode.allCases.first(where: { $0.wireCode == wireCode }) else { return nil }
        self = match
    }
}

/// An `outcome` cell that is not one of the spec's codes: the reason an outcome row is rejected.
///
/// - Important: the message quotes the cell, which a worker may have filled with free text about
///   the patient. It belongs in the rejects file beside the input (patient data, 0600), never in logs.
public struct UnknownOutcomeCode: UserFacingError, Equatable {
    /// The cell as written, trimmed.
    public let text: String
    /// The closest known code, when one is a plausible typo of the cell.
    public let suggestion: String?

    public init(text: String, suggestion: String?) {
        self.text = text
        self.suggestion = suggestion
    }

    public var message: String {
        let quoted = text.count > 40 ? String(text.prefix(40)) + "…" : text
        if let suggestion { return "unknown outcome '\(quoted)'; did you mean '\(suggestion)'?" }
        let codes = OutcomeCode.allCases.map(\.rawValue).joined(separator: ", ")
        return "unknown outcome '\(quoted)'; expected one of: \(codes)"
    }

    public var exitCode: ExitCode { .dataError }
}

/// The part of the day a call is suggested for. A retry goes in the other band from the attempt it
/// retries: the same person unanswered at 10:00 twice is a wasted attempt.
public enum TimeBand: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    case morning
    case afternoon

    public var description: String { rawValue }

    /// The other band.
    public var other: TimeBand { self == .morning ? .afternoon : .morning }

    var wireCode: UInt8 { self == .morning ? 1 : 2 }

    init?(wireCode: UInt8) {
        switch wireCode {
        case 1: self = .morning
        case 2: self = .afternoon
        default: return nil
        }
    }
}

/// Why a published item counts as not attempted (scheduling.md: it goes back into the queue,
/// is not counted as an attempt, and is flagged in the report).
public enum NotAttemptedReason: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// The list came back with this row's outcome left empty.
    case returnedEmpty = "returned_empty"
    /// The list had not come back by the next morning's run.
    case notReturned = "not_returned"

    public var description: String { rawValue }

    var wireCode: UInt8 { self == .returnedEmpty ? 1 : 2 }

    init?(wireCode: UInt8) {
        switch wireCode {
        case 1: self = .returnedEmpty
        case 2: self = .notReturned
        default: return nil
        }
    }
}
