import Basics

/// A profile name (`--profile`) that is neither built in nor defined by the rules: a usage
/// mistake, exit status 64, with the names that exist and the closest one.
public struct UnknownProfile: UserFacingError, Equatable {
    public let message: String

    public init(message: String) {
        self.message = message
    }

    public var exitCode: ExitCode { .usage }
}
