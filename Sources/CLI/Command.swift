import Basics

/// A subcommand: its interface and what it does with parsed arguments.
struct Command: Sendable {
    let spec: CommandSpec
    let run: @Sendable (ParsedArguments) throws -> ExitCode
}
