import Basics

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
