// Parsing the values statements take: numbers, durations, retries, weekdays, names, dates, times, yes/no.

import Basics

extension Parser {
    mutating func parseWholeNumber(for statement: String, minimum: Int) -> Int? {
        guard current.kind == .number, let value = Int(text(current)), value >= minimum else {
            fail(Messages.needsWholeNumber(statement, minimum: minimum, found: describe(current)), at: current.range)
            return nil
        }
        advance()
        return value
    }

    /// `90 days`, `6 weeks`, `12 months`, `1 year`.
    mutating func parseDuration(for statement: String) -> Located<Period>? {
        let start = current.range
        guard current.kind == .number, let count = Int(text(current)), count >= 0 else {
            fail(Messages.needsDuration(statement, found: describe(current)), at: current.range)
            return nil
        }
        advance()
        guard let unitWord = word(current), let unit = Period.Unit(word: unitWord) else {
            let suggestion = word(current).flatMap {
                Suggestions.closest(to: $0, among: ["days", "weeks", "months", "years"])
            }
            fail(
                Messages.needsDurationUnit(statement, found: describe(current), suggestion: suggestion),
                at: current.range)
            return nil
        }
        let end = advance()
        return Located(Period(count, unit), range: start.joined(end.range))
    }

    mutating func parseRetry() -> RetrySyntax? {
        let shape = "retry OUTCOME after DURATION, at most N attempts"
        guard let outcome = parseName(what: "outcome, such as no_answer") else { return nil }
        guard expectWords(["after"], shape: shape), let after = parseDuration(for: "retry … after") else {
            return RetrySyntax(outcome: outcome, after: nil, attempts: nil)
        }
        if current.kind == .comma { advance() }
        guard expectWords(["at", "most"], shape: shape) else {
            return RetrySyntax(outcome: outcome, after: after, attempts: nil)
        }
        let start = current.range
        guard let attempts = parseWholeNumber(for: "at most", minimum: 1) else {
            return RetrySyntax(outcome: outcome, after: after, attempts: nil)
        }
        let located = Located(attempts, range: start)
        if at("attempts") || at("attempt") { advance() } else { _ = expectWords(["attempts"], shape: shape) }
        return RetrySyntax(outcome: outcome, after: after, attempts: located)
    }

    mutating func parseWeekdays(for statement: String) -> WeekdaysSyntax? {
        var items: [Located<WeekdaysSyntax.Item>] = []
        repeat {
            if current.kind == .comma { advance() }
            guard let first = parseWeekday(for: statement) else { return nil }
            if at("to") {
                advance()
                guard let last = parseWeekday(for: statement) else { return nil }
                items.append(Located(.range(first.value, last.value), range: first.range.joined(last.range)))
            } else {
                items.append(Located(.day(first.value), range: first.range))
            }
        } while current.kind == .comma
        return WeekdaysSyntax(items: items)
    }

    fileprivate mutating func parseWeekday(for statement: String) -> Located<Weekday>? {
        guard let name = word(current), let day = Weekday(name: name) else {
            let candidates = Weekday.allCases.flatMap { [$0.shortName, $0.fullName] }
            let suggestion = word(current).flatMap { Suggestions.closest(to: $0, among: candidates) }
            fail(Messages.unknownWeekday(describe(current), suggestion: suggestion), at: current.range)
            return nil
        }
        return Located(day, range: advance().range)
    }

    mutating func parseNameList(what: String, allowNumbers: Bool = false) -> [NameSyntax] {
        var names: [NameSyntax] = []
        repeat {
            if current.kind == .comma { advance() }
            guard current.kind == .word || (allowNumbers && current.kind == .number) else {
                failExpected(Messages.nameOf(what))
                return names
            }
            let token = advance()
            names.append(NameSyntax(text(token), range: token.range))
        } while current.kind == .comma
        return names
    }

    mutating func parseDateList(for statement: String) -> [Located<Day>] {
        var days: [Located<Day>] = []
        repeat {
            if current.kind == .comma { advance() }
            guard let day = parseDate(for: statement) else { return days }
            days.append(day)
        } while current.kind == .comma
        return days
    }

    /// A date token that must be a real `YYYY-MM-DD` day.
    mutating func parseDate(for statement: String) -> Located<Day>? {
        guard current.kind == .date else {
            fail(Messages.needsDate(statement, found: describe(current)), at: current.range)
            return nil
        }
        let token = advance()
        guard let day = checkDate(token) else { return nil }
        return Located(day, range: token.range)
    }

    /// Checks a date-shaped token, explaining what is wrong with an impossible or non-ISO date.
    mutating func checkDate(_ token: Token) -> Day? {
        let written = text(token)
        if let day = Day(iso: written) { return day }
        let parts = written.split(whereSeparator: { $0 == "-" || $0 == "/" }).map { Int($0) ?? 0 }
        if written.contains("/") || parts.count != 3 || written.utf8.count != 10 {
            fail(Messages.dateNotISO(written), at: token.range)
        } else if !(1...12).contains(parts[1]) {
            fail(Messages.noSuchMonth(written, month: parts[1]), at: token.range)
        } else {
            let days = Day.daysIn(month: parts[1], year: max(parts[0], 1))
            fail(
                Messages.noSuchDay(written, monthName: Messages.monthName(parts[1]), year: parts[0], days: days),
                at: token.range)
        }
        return nil
    }

    mutating func parseTime() -> Int? {
        guard current.kind == .time else {
            fail(Messages.needsTime(describe(current)), at: current.range)
            return nil
        }
        let token = advance()
        let parts = text(token).split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2, (0...23).contains(parts[0]), (0...59).contains(parts[1]), text(token).count == 5 else {
            fail(Messages.badTime(text(token)), at: token.range)
            return nil
        }
        return parts[0] * 60 + parts[1]
    }

    mutating func parsePercent() -> Double? {
        guard current.kind == .number, let value = Double(text(current)), (0...100).contains(value) else {
            fail(Messages.needsPercent(describe(current)), at: current.range)
            return nil
        }
        advance()
        guard current.kind == .percent else {
            fail(Messages.needsPercent(describe(current)), at: current.range)
            return nil
        }
        advance()
        return value
    }

    /// An optional `: yes` / `no` after a switch statement.
    mutating func parseOptionalYesNo(for statement: String) -> Bool? {
        if current.kind == .colon { advance() }
        if atLineEnd { return nil }
        switch word(current) {
        case "yes", "true", "on":
            advance()
            return true
        case "no", "false", "off":
            advance()
            return false
        default:
            fail(Messages.needsYesNo(statement, found: describe(current)), at: current.range)
            return nil
        }
    }
}
