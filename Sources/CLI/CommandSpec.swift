import Basics

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
