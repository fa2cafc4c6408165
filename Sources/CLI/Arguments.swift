import Basics

/// One option a command accepts: `--rules DIR`, `--extract PATH...`, `--once`.
public struct OptionSpec: Sendable {
    /// The name without dashes: `rules` for `--rules`.
    public let name: String
    /// The placeholder shown in help (`DIR`); `nil` for a flag that takes no value.
    public let valueName: String?
    /// One line of help.
    public let help: String
    /// Whether the option takes several values (`--extract a.csv b.csv`), up to the next option.
    public let takesSeveral: Bool
    /// The value when the option is not given, shown in help.
    public let defaultValue: String?

    /// An option that takes a value (or several).
    public static func value(
        _ name: String, _ valueName: String, help: String, several: Bool = false, default defaultValue: String? = nil
    ) -> OptionSpec {
        OptionSpec(name: name, valueName: valueName, help: help, takesSeveral: several, defaultValue: defaultValue)
    }

    /// A flag: present or absent.
    public static func flag(_ name: String, help: String) -> OptionSpec {
        OptionSpec(name: name, valueName: nil, help: help, takesSeveral: false, defaultValue: nil)
    }
}

/// A command's interface: its options, positional arguments, help text and examples.
public struct CommandSpec: Sendable {
    public let name: String
    /// One line saying what the command does.
    public let summary: String
    /// The usage line after `outreach`, e.g. `check [--rules DIR] [--format text|json]`.
    public let usage: String
    /// A few sentences for `--help` beyond the summary.
    public let discussion: String
    /// Worked examples shown in `--help`.
    public let examples: [String]
    public let options: [OptionSpec]
    /// The placeholder for positional arguments (`PATH`), or `nil` when the command takes none.
    public let positionalName: String?
    /// How many positional arguments are required at least.
    public let minimumPositionals: Int
    /// How many positional arguments are allowed at most.
    public let maximumPositionals: Int

    public init(
        name: String, summary: String, usage: String, discussion: String = "", examples: [String] = [],
        options: [OptionSpec] = [], positionalName: String? = nil, minimumPositionals: Int = 0,
        maximumPositionals: Int = 0
    ) {
        self.name = name
        self.summary = summary
        self.usage = usage
        self.discussion = discussion
        self.examples = examples
        self.options = options
        self.positionalName = positionalName
        self.minimumPositionals = minimumPositionals
        self.maximumPositionals = maximumPositionals
    }

    /// The text `--help` prints.
    public var help: String {
        var lines = ["\(summary)", "", "Usage: outreach \(usage)"]
        if !discussion.isEmpty { lines += ["", discussion] }
        let allOptions = options + [.flag("help", help: "Show this help and exit.")]
        lines += ["", "Options:"]
        var table = TextTable(columns: 2)
        for option in allOptions {
            var left = "--\(option.name)"
            if let valueName = option.valueName { left += " \(valueName)" + (option.takesSeveral ? "..." : "") }
            var help = option.help
            if let defaultValue = option.defaultValue { help += " (default: \(defaultValue))" }
            table.append([left, help])
        }
        lines.append(table.render(indent: "  "))
        if !examples.isEmpty {
            lines += ["", examples.count == 1 ? "Example:" : "Examples:"]
            lines += examples.map { "  " + $0 }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

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

/// The options and arguments a command was given, with typed accessors that explain bad values.
public struct ParsedArguments: Sendable {
    public let command: String
    public internal(set) var values: [String: [String]] = [:]
    public internal(set) var flags: Set<String> = []
    public internal(set) var positionals: [String] = []
    private let defaults: [String: String]

    init(command: String, defaults: [String: String]) {
        self.command = command
        self.defaults = defaults
    }

    /// Whether a flag (or an option) was given.
    public func has(_ name: String) -> Bool {
        flags.contains(name) || values[name] != nil
    }

    /// The option's value (the last, when given twice), else its default.
    public func value(_ name: String) -> String? {
        values[name]?.last ?? defaults[name]
    }

    /// Every value of a several-valued option, in order.
    public func allValues(_ name: String) -> [String] {
        values[name] ?? defaults[name].map { [$0] } ?? []
    }

    /// The option's value, or a usage error saying it is required.
    public func required(_ name: String) throws(UsageError) -> String {
        guard let value = value(name) else { throw UsageError("missing --\(name)", command: command) }
        return value
    }

    /// The option as a whole number within `range`, or `nil` when absent.
    public func integer(_ name: String, in range: ClosedRange<Int> = 0...Int.max) throws(UsageError) -> Int? {
        guard let text = value(name) else { return nil }
        let digits = text.replacingAll(",", with: "").replacingAll("_", with: "")
        guard let number = Int(digits), range.contains(number) else {
            let bound = range.upperBound == Int.max ? "\(range.lowerBound) or more" : "from \(range.lowerBound) to \(range.upperBound)"
            throw UsageError("--\(name) needs a whole number \(bound), not '\(text)'", command: command)
        }
        return number
    }

    /// The option as a number within `range`, or `nil` when absent; `60%` is read as 0.6 when
    /// `range` is within 0...1.
    public func number(_ name: String, in range: ClosedRange<Double>) throws(UsageError) -> Double? {
        guard let text = value(name) else { return nil }
        var number = Double(text)
        if text.hasSuffix("%"), let percent = Double(text.dropLast()) { number = percent / 100 }
        guard let number, range.contains(number) else {
            throw UsageError(
                "--\(name) needs a number from \(Formatting.number(range.lowerBound)) to \(Formatting.number(range.upperBound)), not '\(text)'",
                command: command)
        }
        return number
    }

    /// The option as a `YYYY-MM-DD` day, or `nil` when absent.
    public func day(_ name: String) throws(UsageError) -> Day? {
        guard let text = value(name) else { return nil }
        guard let day = Day(iso: text) else {
            throw UsageError("--\(name) needs a date written YYYY-MM-DD that exists, not '\(text)'", command: command)
        }
        return day
    }

    /// The option, which must be one of `choices`.
    public func choice(_ name: String, from choices: [String]) throws(UsageError) -> String? {
        guard let text = value(name) else { return nil }
        guard choices.contains(text) else {
            var message = "--\(name) must be one of \(choices.joined(separator: ", ")), not '\(text)'"
            if let suggestion = Suggestions.closest(to: text, among: choices) {
                message += "; did you mean '\(suggestion)'?"
            }
            throw UsageError(message, command: command)
        }
        return text
    }
}

/// A small command-line parser: `--name value`, `--name=value`, several values up to the next
/// option, flags, positional arguments, and "did you mean" for misspelt options.
public enum ArgumentParser {
    /// Parses a command's arguments (those after the command's name).
    /// - Throws: `UsageError` for an unknown option (with a suggestion), a missing value, or a
    ///   wrong number of positional arguments.
    public static func parse(_ arguments: [String], for spec: CommandSpec) throws(UsageError) -> ParsedArguments {
        var defaults: [String: String] = [:]
        for option in spec.options { defaults[option.name] = option.defaultValue }
        var parsed = ParsedArguments(command: spec.name, defaults: defaults)
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || !argument.hasPrefix("--") || argument == "-" {
                if argument.hasPrefix("-"), argument.count > 1, !onlyPositionals, Double(argument) == nil {
                    throw UsageError(
                        "unknown option '\(argument)'; options start with two dashes, as in '-\(argument)'",
                        command: spec.name)
                }
                parsed.appendPositional(argument)
                continue
            }
            if argument == "--" {
                onlyPositionals = true
                continue
            }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let option = spec.options.first(where: { $0.name == name }) else {
                var message = "unknown option '--\(name)'"
                let known = spec.options.map(\.name) + ["help"]
                if let suggestion = Suggestions.closest(to: name, among: known) {
                    message += "; did you mean '--\(suggestion)'?"
                }
                throw UsageError(message, command: spec.name)
            }
            guard option.valueName != nil else {
                if inlineValue != nil {
                    throw UsageError("--\(name) takes no value", command: spec.name)
                }
                parsed.flags.insert(name)
                continue
            }
            var collected: [String] = []
            if let inlineValue { collected.append(inlineValue) }
            if collected.isEmpty || option.takesSeveral {
                while index < arguments.count, !isOption(arguments[index]) {
                    collected.append(arguments[index])
                    index += 1
                    if !option.takesSeveral { break }
                }
            }
            guard !collected.isEmpty else {
                throw UsageError("--\(name) needs a value (\(option.valueName!))", command: spec.name)
            }
            parsed.values[name, default: []] += collected
        }
        if parsed.positionals.count < spec.minimumPositionals {
            let what = spec.positionalName ?? "argument"
            throw UsageError(
                spec.minimumPositionals == 1 ? "missing \(what)" : "needs at least \(spec.minimumPositionals) \(what)s",
                command: spec.name)
        }
        if parsed.positionals.count > spec.maximumPositionals {
            let extra = parsed.positionals[spec.maximumPositionals]
            throw UsageError(
                spec.maximumPositionals == 0
                    ? "unexpected argument '\(extra)'" : "too many arguments (from '\(extra)')",
                command: spec.name)
        }
        return parsed
    }

    private static func isOption(_ argument: String) -> Bool {
        argument.hasPrefix("--") && argument.count > 2
    }
}

extension ParsedArguments {
    fileprivate mutating func appendPositional(_ argument: String) {
        positionals.append(argument)
    }
}
