import Basics

/// The top level of `outreach`: picks the subcommand, handles `--help` and `--version`, and
/// funnels every error into one message and one exit status.
public enum CommandLineInterface {
    static let version = "0.1.0"

    /// Every subcommand, in the order `outreach --help` lists them.
    static let commands: [Command] = [
        Commands.demo, Commands.check, Commands.inspect, Commands.cohorts, Commands.explain, Commands.plan,
        Commands.ingest, Commands.schedule, Commands.simulate, Commands.report, Commands.export, Commands.daemon,
        Commands.status,
        Commands.journal, Commands.initialise, Commands.synth, Commands.bench,
    ]

    /// Runs the command line and returns the exit status.
    public static func run(_ arguments: [String]) -> ExitCode {
        guard let first = arguments.first else {
            Terminal.write(overview)
            return .success
        }
        switch first {
        case "--help", "-h", "help":
            if arguments.count > 1, let command = commands.first(where: { $0.spec.name == arguments[1] }) {
                Terminal.write(command.spec.help)
            } else {
                Terminal.write(overview)
            }
            return .success
        case "--version":
            Terminal.write("outreach \(version)\n")
            return .success
        default:
            break
        }
        guard let command = commands.first(where: { $0.spec.name == first }) else {
            var message = "unknown command '\(first)'"
            if let suggestion = Suggestions.closest(to: first, among: commands.map(\.spec.name)) {
                message += "; did you mean '\(suggestion)'?"
            }
            return report(UsageError(message))
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            Terminal.write(command.spec.help)
            return .success
        }
        do {
            let parsed = try ArgumentParser.parse(rest, for: command.spec)
            return try command.run(parsed)
        } catch {
            return report(error)
        }
    }

    /// The single funnel from an error to a message on standard error and an exit status.
    static func report(_ error: any Error) -> ExitCode {
        switch error {
        case let usage as UsageError:
            let hint = usage.command.map { "outreach \($0) --help" } ?? "outreach --help"
            Terminal.writeError("error: \(usage.message)\nSee '\(hint)'.\n")
            return .usage
        case let userFacing as any UserFacingError where userFacing.exitCode == .usage:
            // A usage mistake found below the command line (an unknown `--profile`).
            Terminal.writeError("error: \(userFacing.message)\nSee 'outreach --help'.\n")
            return .usage
        case let userFacing as any UserFacingError:
            Terminal.writeError("error: \(userFacing.message)\n")
            return userFacing.exitCode
        default:
            Terminal.writeError("error: \(error)\n")
            return .ioError
        }
    }

    static var overview: String {
        var table = TextTable(columns: 2)
        for command in commands { table.append([command.spec.name, command.spec.summary]) }
        let list = table.render(indent: "  ")
        return """
            outreach \(version): proactive outreach call lists for NHS primary care networks.

            Usage: outreach COMMAND [OPTIONS]

            Commands:
            \(list)

            Start with 'outreach demo'. 'outreach COMMAND --help' explains a command, with an example.
            Exit status: 0 success, 64 usage error, 65 invalid data, 66 missing input, 73 cannot create
            output, 74 I/O error, 75 home folder locked by a running daemon.

            """
    }
}

/// The subcommands, one file each under `Commands/`.
enum Commands {}

extension Commands {
    /// `--as-of DATE`, or today in Europe/London when not given.
    static func asOf(_ arguments: ParsedArguments) throws(UsageError) -> Day {
        guard arguments.value("as-of") != "today" else { return WallClock.today() }
        return try arguments.day("as-of") ?? WallClock.today()
    }

    /// Writes a command's output to `--out FILE` (0600, atomically) or to standard output.
    static func writeOutput(_ output: String, to path: String?) throws {
        if let path {
            try FileIO.writeAtomically(text: output, to: path)
        } else {
            Terminal.write(output)
        }
    }
}
