// Parsing extract profiles and worked examples.

import Basics

extension Parser {
    mutating func parseExtract() -> ExtractSyntax {
        let keyword = advance()
        let name = parseName(what: "extract profile") ?? NameSyntax("", range: previousEnd)
        var mappings: [ExtractSyntax.Mapping] = []
        parseBlock(
            opening: keyword.range.joined(name.range), describe: "extract '\(name.text)'", statementWords: ["map"]
        ) {
            parser, _ in
            parser.advance()
            guard let header = parser.parseText(what: "the source column header in quotes"),
                parser.expectWords(["to"], shape: "map \"Source header\" to NAME"),
                let target = parser.parseName(what: "column")
            else { return }
            mappings.append(ExtractSyntax.Mapping(header: header, target: target))
        }
        return ExtractSyntax(name: name, mappings: mappings)
    }

    mutating func parseExample() -> ExampleSyntax {
        let keyword = advance()
        let title = parseText(what: "the example's title in quotes")
        var statements: [ExampleStatement] = []
        var dropped: [SourceRange] = []
        let words = ["as", "age", "born", "event", "expect"]
        let skipped = parseBlock(
            opening: keyword.range.joined(title?.range ?? keyword.range), describe: "example",
            statementWords: words, allowsUnknownWords: true
        ) { parser, word in
            let start = parser.current.range
            if let kind = parser.parseExampleStatement(word) {
                statements.append(ExampleStatement(kind: kind, range: start.joined(parser.previousEnd)))
            } else {
                dropped.append(start)
            }
        }
        return ExampleSyntax(
            title: title, statements: statements, range: keyword.range.joined(title?.range ?? keyword.range),
            skippedLines: (skipped + dropped).sorted { $0.start < $1.start })
    }

    fileprivate mutating func parseExampleStatement(_ word: String) -> ExampleStatement.Kind? {
        let first = advance()
        switch word {
        case "as" where at("of"):
            advance()
            return parseDate(for: "as of").map { .asOf($0) }
        case "age" where current.kind == .number:
            let start = current.range
            guard let years = parseWholeNumber(for: "age", minimum: 0) else { return nil }
            return .age(Located(years, range: start))
        case "born":
            return parseDate(for: "born").map { .born($0) }
        case "event":
            var code: ExampleStatement.EventCode
            if at("code"), nextToken.kind == .text {
                advance()
                guard let value = parseText(what: "the code in quotes") else { return nil }
                code = .code(value)
            } else {
                guard let name = parseName(what: "codelist") else { return nil }
                code = .codelist(name)
            }
            guard let day = parseDate(for: "event") else { return nil }
            var value: Located<Double>?
            if at("value") {
                advance()
                let negative = current.kind == .minus
                if negative { advance() }
                guard current.kind == .number, let number = Double(text(current)) else {
                    failExpected("a number after 'value'")
                    return nil
                }
                value = Located(negative ? -number : number, range: advance().range)
            }
            return .event(code, day, value: value)
        case "expect":
            var member = true
            if at("not") {
                advance()
                member = false
            }
            guard expectWords(["in"], shape: "expect in COHORT or expect not in COHORT") else { return nil }
            guard let cohort = parseName(what: "cohort") else { return nil }
            return .expect(cohort, member: member)
        default:
            // Any other word names a patient column or field: `sex F`, `lives_alone yes`.
            let name = NameSyntax(text(first), range: first.range)
            let start = current.range
            let value: ExampleValueSyntax
            switch current.kind {
            case .word:
                let word = text(current)
                switch word.lowercased() {
                case "yes", "true": value = .truth(true)
                case "no", "false": value = .truth(false)
                default: value = .word(word)
                }
                advance()
            case .text:
                value = .text(Lexer.textValue(of: advance(), in: bytes))
            case .number:
                guard let number = Double(text(current)) else { return nil }
                advance()
                value = .number(number)
            case .date:
                guard let day = parseDate(for: name.text) else { return nil }
                return .set(name, Located(.date(day.value), range: day.range))
            default:
                fail(
                    Messages.exampleValueMissing(name.text), at: current.kind == .newline ? first.range : current.range)
                return nil
            }
            return .set(name, Located(value, range: start))
        }
    }
}
