import Basics

/// A mistake on the command line: printed with a pointer to `--help`, exit status 64.
public struct UsageError: UserFacingError, Equatable {
    public let message: String
    /// The command the mistake was made in, for the `--help` hint.
    public let command: String?

    public init(_ message: String, command: String? = nil) {
        self.message = message
        self.command = command
    }

    public var exitCode: ExitCode { .usage }
}
