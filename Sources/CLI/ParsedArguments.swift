import Basics

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
            let bound =
                range.upperBound == Int.max
                ? "\(range.lowerBound) or more" : "from \(range.lowerBound) to \(range.upperBound)"
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

extension ParsedArguments {
    mutating func appendPositional(_ argument: String) {
        positionals.append(argument)
    }
}
