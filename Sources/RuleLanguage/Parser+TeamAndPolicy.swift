// Parsing the team, worker and policy blocks.

import Basics

extension Parser {
    mutating func parseTeam() -> TeamSyntax {
        let keyword = advance()
        var name: Located<String>?
        if current.kind == .text { name = parseText(what: "the team's name") }
        var statements: [TeamStatement] = []
        parseBlock(opening: keyword.range, describe: "team", statementWords: ["working", "closed"]) { parser, word in
            let start = parser.current.range
            parser.advance()
            let kind: TeamStatement.Kind
            if word == "working" {
                guard parser.expectWords(["days"], shape: "working days mon to fri") else { return }
                kind = .workingDays(parser.parseWeekdays(for: "working days"))
            } else {
                kind = .closed(parser.parseDateList(for: "closed"))
            }
            statements.append(TeamStatement(kind: kind, range: start.joined(parser.previousEnd)))
        }
        return TeamSyntax(name: name, statements: statements, range: keyword.range)
    }

    mutating func parseWorker() -> WorkerSyntax {
        let keyword = advance()
        let id = parseName(what: "worker") ?? NameSyntax("", range: previousEnd)
        var name: Located<String>?
        if !statementFailed, current.kind == .text { name = parseText(what: "the worker's name in quotes") }
        var statements: [WorkerStatement] = []
        let words = ["calls", "works", "practices", "speaks", "skills", "skill", "away"]
        let skipped = parseBlock(
            opening: keyword.range.joined(id.range), describe: "worker '\(id.text)'", statementWords: words
        ) { parser, word in
            let start = parser.current.range
            parser.advance()
            var kind: WorkerStatement.Kind?
            switch word {
            case "calls":
                if parser.expectWords(["per", "day"], shape: "calls per day N") {
                    kind = .callsPerDay(parser.parseWholeNumber(for: "calls per day", minimum: 1))
                } else {
                    kind = .callsPerDay(nil)
                }
            case "works":
                kind = .works(parser.parseWeekdays(for: "works"))
            case "practices":
                kind = .practices(parser.parseNameList(what: "practice code", allowNumbers: true))
            case "speaks":
                kind = .speaks(parser.parseNameList(what: "language"))
            case "skills", "skill":
                kind = .skills(parser.parseNameList(what: "skill"))
            default:
                if let from = parser.parseDate(for: "away") {
                    var to = from
                    if parser.at("to") {
                        parser.advance()
                        guard let end = parser.parseDate(for: "away … to") else { return }
                        to = end
                    }
                    kind = .away(from, to)
                }
            }
            if let kind { statements.append(WorkerStatement(kind: kind, range: start.joined(parser.previousEnd))) }
        }
        return WorkerSyntax(id: id, name: name, statements: statements, skippedLines: skipped)
    }

    mutating func parsePolicy() -> PolicySyntax {
        let keyword = advance()
        var statements: [PolicyStatement] = []
        let words = [
            "publish", "plan", "retry", "follow", "rest", "keep", "when", "assume", "favour", "favor", "extracts",
            "code", "text", "write",
        ]
        parseBlock(opening: keyword.range, describe: "policy", statementWords: words) { parser, word in
            let start = parser.current.range
            parser.advance()
            var kind: PolicyStatement.Kind?
            switch word {
            case "publish":
                if parser.expectWords(["lists", "at"], shape: "publish lists at HH:MM") {
                    kind = .publishAt(parser.parseTime())
                }
            case "plan":
                if parser.expectWords(["ahead"], shape: "plan ahead N days") {
                    let days = parser.parseWholeNumber(for: "plan ahead", minimum: 1)
                    if days != nil {
                        if parser.at("working") { parser.advance() }
                        _ = parser.expectWords(["days"], shape: "plan ahead N days")
                    }
                    kind = .planAhead(days)
                }
            case "retry":
                kind = .retry(parser.parseRetry())
            case "follow":
                if parser.expectWords(["up", "support", "after"], shape: "follow up support after DURATION") {
                    kind = .followUpSupport(parser.parseDuration(for: "follow up support after"))
                }
            case "rest":
                let period = parser.parseDuration(for: "rest")
                if period != nil { _ = parser.expectWords(["between", "calls"], shape: "rest DURATION between calls") }
                kind = .rest(period)
            case "keep":
                if parser.expectWords(["the", "same", "worker"], shape: "keep the same worker") {
                    kind = .keepSameWorker(parser.parseOptionalYesNo(for: "keep the same worker") ?? true)
                }
            case "when":
                if parser.expectWords(["unreachable"], shape: "when unreachable \"TEXT\"") {
                    kind = .whenUnreachable(parser.parseText(what: "the action in quotes, such as \"Send a letter\""))
                }
            case "assume":
                kind = .assumeAnswer(parser.parsePercent())
                if !parser.statementFailed { _ = parser.expectWords(["answer"], shape: "assume N% answer") }
            case "extracts":
                if parser.expectWords(["go", "stale", "after"], shape: "extracts go stale after DURATION") {
                    kind = .extractsStaleAfter(parser.parseDuration(for: "extracts go stale after"))
                }
            case "code":
                kind = parser.parseCoding()
            case "text":
                if parser.expectWords(["before", "calling"], shape: "text before calling: yes|no") {
                    kind = .textBeforeCalling(parser.parseOptionalYesNo(for: "text before calling") ?? true)
                }
            case "write":
                if parser.expectWords(["when", "unreachable"], shape: "write when unreachable: yes|no") {
                    kind = .writeWhenUnreachable(parser.parseOptionalYesNo(for: "write when unreachable") ?? true)
                }
            default:
                if parser.expectWords(["the", "most", "deprived"], shape: "favour the most deprived: yes|no") {
                    kind = .favourMostDeprived(parser.parseOptionalYesNo(for: "favour the most deprived") ?? true)
                }
            }
            if let kind { statements.append(PolicyStatement(kind: kind, range: start.joined(parser.previousEnd))) }
        }
        return PolicySyntax(statements: statements, range: keyword.range)
    }

    /// `code OUTCOME as CODE "TERM"`. The code is kept as its exact digits (a number token's text,
    /// never a `Double`: a 15-digit SNOMED CT id would lose digits); the checker says whether it is one.
    fileprivate mutating func parseCoding() -> PolicyStatement.Kind? {
        let shape = "code OUTCOME as CODE \"TERM\""
        guard let outcome = parseName(what: "outcome, such as declined"), expectWords(["as"], shape: shape) else {
            return nil
        }
        let code: Located<String>
        switch current.kind {
        case .number, .word:
            let token = advance()
            code = Located(text(token), range: token.range)
        case .text:
            let token = advance()
            code = Located(Lexer.textValue(of: token, in: bytes), range: token.range)
        default:
            failExpected("the SNOMED CT code, such as 871711000000103")
            return nil
        }
        guard let term = parseText(what: "the code's term in quotes, such as \"Social prescribing declined\"") else {
            return nil
        }
        return .code(outcome, code, term)
    }
}
