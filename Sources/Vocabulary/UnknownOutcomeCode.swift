import Basics

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
