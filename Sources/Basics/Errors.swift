/// The process exit statuses Outreach uses, from BSD's `sysexits.h` as the spec lists them.
public enum ExitCode: Int32, Sendable {
    case success = 0
    case usage = 64
    case dataError = 65
    case noInput = 66
    case cannotCreate = 73
    case ioError = 74
    case locked = 75
}

/// An error with a message written for the person at the terminal and the exit status it means.
///
/// The command line has one funnel that turns any thrown error into a message on stderr and an
/// exit status; errors that conform to this protocol choose both.
public protocol UserFacingError: Error, CustomStringConvertible {
    /// What went wrong and, where it helps, what to do about it. One or more lines, no trailing newline.
    var message: String { get }
    /// The exit status the command line should end with.
    var exitCode: ExitCode { get }
}

extension UserFacingError {
    public var description: String { message }
}

/// A plain user-facing error for the cases that need no type of their own.
public struct OutreachError: UserFacingError, Equatable {
    public let message: String
    public let exitCode: ExitCode

    public init(_ message: String, exitCode: ExitCode) {
        self.message = message
        self.exitCode = exitCode
    }
}
