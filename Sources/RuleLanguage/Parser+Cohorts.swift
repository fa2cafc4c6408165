// Parsing cohort blocks and their statements.

import Basics

extension Parser {
    mutating func parseCohort() -> CohortSyntax {
        let keyword = advance()
        let id = parseName(what: "cohort") ?? NameSyntax("", range: previousEnd)
        var title: Located<String>?
        if !statementFailed, current.kind == .text { title = parseText(what: "the cohort's title in quotes") }
        let opening = keyword.range.joined(id.range)
        var statements: [CohortStatement] = []
        let skipped = parseBlock(
            opening: opening, describe: "cohort '\(id.text)'", statementWords: CohortStatementWords.all
        ) { parser, word in
            let start = parser.current.range
            if let kind = parser.parseCohortStatement(word) {
                statements.append(CohortStatement(kind: kind, range: start.joined(parser.previousEnd)))
            }
        }
        return CohortSyntax(
            id: id, title: title, statements: statements, range: keyword.range.joined(previousEnd),
            skippedLines: skipped)
    }

    fileprivate mutating func parseCohortStatement(_ word: String) -> CohortStatement.Kind? {
        let first = advance()
        switch word {
        case "priority":
            return .priority(parseWholeNumber(for: "priority", minimum: 1))
        case "include", "exclude":
            guard at("if") else {
                fail(Messages.missingIf(word), at: current.kind == .newline ? first.range : current.range)
                // Kept as a broken condition, so the block is known to have (or not need) it.
                let broken = ExpressionSyntax(.error, range: first.range)
                return word == "include" ? .include(broken) : .exclude(broken)
            }
            advance()
            let condition = parseCondition(after: "\(word) if")
            return word == "include" ? .include(condition) : .exclude(condition)
        case "reason":
            return .reason(parseTemplate(for: "reason"))
        case "talk":
            guard expectWords(["about"], shape: "talk about \"TEXT\"") else { return .talkAbout(nil) }
            return .talkAbout(parseTemplate(for: "talk about"))
        case "call":
            guard expectWords(["within"], shape: "call within DURATION") else { return .callWithin(nil) }
            return .callWithin(parseDuration(for: "call within"))
        case "recall":
            guard expectWords(["every"], shape: "recall every DURATION") else { return .recallEvery(nil) }
            return .recallEvery(parseDuration(for: "recall every"))
        case "needs":
            guard expectWords(["skill"], shape: "needs skill NAME") else { return .needsSkill(nil) }
            return .needsSkill(parseName(what: "skill"))
        case "when":
            guard expectWords(["unreachable"], shape: "when unreachable \"TEXT\"") else { return .whenUnreachable(nil) }
            return .whenUnreachable(parseText(what: "the action in quotes, such as \"Send a letter\""))
        case "retry":
            return .retry(parseRetry())
        case "write":
            guard expectWords(["when", "unreachable"], shape: "write when unreachable: yes|no") else { return nil }
            return .writeWhenUnreachable(parseOptionalYesNo(for: "write when unreachable") ?? true)
        default:
            return nil
        }
    }
}

/// The words that start cohort statements, and the phrases they begin.
enum CohortStatementWords {
    static let all = [
        "priority", "include", "exclude", "reason", "talk", "call", "recall", "needs", "when", "retry", "write",
    ]

    /// The whole phrase a statement word begins, for suggestions (`include` → `include if`).
    static func phrase(for word: String) -> String {
        switch word {
        case "include": return "include if"
        case "exclude": return "exclude if"
        case "talk": return "talk about"
        case "call": return "call within"
        case "recall": return "recall every"
        case "needs": return "needs skill"
        case "when": return "when unreachable"
        case "write": return "write when unreachable"
        case "text": return "text before calling"
        case "code": return "code OUTCOME as"
        case "no": return "no texts if"
        case "not": return "not by telephone if"
        case "interpreter": return "interpreter \"LANGUAGE\" if"
        case "calls": return "calls per day"
        case "working": return "working days"
        case "publish": return "publish lists at"
        case "plan": return "plan ahead"
        case "follow": return "follow up support after"
        case "keep": return "keep the same worker"
        case "favour", "favor": return "favour the most deprived"
        case "extracts": return "extracts go stale after"
        case "as": return "as of"
        default: return word
        }
    }
}
