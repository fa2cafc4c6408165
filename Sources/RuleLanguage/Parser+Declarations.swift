// Parsing the file and its one-line declarations: codelist, lookup, field, define.

import Basics
import Vocabulary

extension Parser {
    mutating func parseFile() -> [DeclarationSyntax] {
        var declarations: [DeclarationSyntax] = []
        while true {
            skipNewlines()
            if current.kind == .endOfFile { break }
            let start = index
            if let keyword = word(current) {
                switch keyword {
                case "codelist": declarations.append(.codelist(parseCodelist()))
                case "lookup": declarations.append(.lookup(parseLookup()))
                case "field": declarations.append(.field(parseField()))
                case "define": declarations.append(.define(parseDefine()))
                case "cohort": declarations.append(.cohort(parseCohort()))
                case "team": declarations.append(.team(parseTeam()))
                case "worker": declarations.append(.worker(parseWorker()))
                case "policy": declarations.append(.policy(parsePolicy()))
                case "contact": declarations.append(.contact(parseContact()))
                case "extract": declarations.append(.extract(parseExtract()))
                case "example": declarations.append(.example(parseExample()))
                case "end":
                    fail(Messages.strayEnd, at: current.range)
                    advance()
                    finishStatement()
                default:
                    if let block = Parser.blockOwning(statement: keyword) {
                        fail(Messages.statementOutsideBlock(text(current), block: block), at: current.range)
                    } else {
                        let suggestion = Suggestions.closest(to: keyword, among: Parser.declarationKeywords)
                        fail(Messages.unknownDeclaration(text(current), suggestion: suggestion), at: current.range)
                    }
                    finishStatement()
                }
            } else {
                fail(Messages.expectedDeclaration(describe(current)), at: current.range)
                finishStatement()
            }
            if index == start { advance() }
        }
        return declarations
    }

    /// Which block a statement word belongs to, for "belongs inside a … block".
    fileprivate static func blockOwning(statement word: String) -> String? {
        if CohortStatementWords.all.contains(word) { return "cohort" }
        if ["calls", "works", "practices", "speaks", "skills", "skill", "away"].contains(word) { return "worker" }
        if ["working", "closed"].contains(word) { return "team" }
        if ["publish", "plan", "follow", "rest", "keep", "assume", "favour", "favor", "extracts", "code", "text"]
            .contains(word)
        {
            return "policy"
        }
        if ContactStatementWords.all.contains(word) { return "contact" }
        if word == "map" { return "extract" }
        if ["expect", "event", "born"].contains(word) { return "example" }
        return nil
    }

    /// A declared name: a word that is not a reserved word.
    mutating func parseName(what: String) -> NameSyntax? {
        guard current.kind == .word else {
            failExpected(Messages.nameOf(what))
            return nil
        }
        let token = advance()
        let name = NameSyntax(text(token), range: token.range)
        if Parser.reservedWords.contains(name.key) {
            fail(Messages.reservedWordAsName(name.text), at: token.range)
        }
        return name
    }

    mutating func parseText(what: String) -> Located<String>? {
        guard current.kind == .text else {
            failExpected(what)
            return nil
        }
        let token = advance()
        return Located(Lexer.textValue(of: token, in: bytes), range: token.range)
    }

    fileprivate mutating func parseCodelist() -> CodelistSyntax {
        advance()
        guard let name = parseName(what: "codelist") else {
            finishStatement()
            return CodelistSyntax(name: NameSyntax("", range: previousEnd), source: nil)
        }
        var source: CodelistSyntax.Source?
        if current.kind != .equals {
            failExpected("'=' and then a file name in quotes or a list of codes in [ ]")
        } else {
            advance()
            if current.kind == .leftBracket {
                let open = advance()
                var codes: [Located<String>] = []
                while current.kind == .text || current.kind == .number || current.kind == .word {
                    let token = advance()
                    let value = token.kind == .text ? Lexer.textValue(of: token, in: bytes) : text(token)
                    codes.append(Located(value, range: token.range))
                    if current.kind == .comma { advance() } else { break }
                }
                if current.kind == .rightBracket {
                    advance()
                    source = .inline(codes)
                } else {
                    fail(
                        Messages.unclosedList(describe(current)),
                        at: current.kind == .newline ? open.range : current.range)
                }
            } else if let path = parseText(what: "a file name in quotes or a list of codes in [ ]") {
                var column: Located<String>?
                if at("column") {
                    advance()
                    column = parseText(what: "the column's name in quotes")
                }
                source = .file(path, column: column)
            }
        }
        finishStatement(expectingMore: ["column"])
        return CodelistSyntax(name: name, source: source)
    }

    fileprivate mutating func parseLookup() -> LookupSyntax {
        advance()
        let name = parseName(what: "lookup") ?? NameSyntax("", range: previousEnd)
        var path: Located<String>?
        var key: Located<String>?
        var value: Located<String>?
        let shape = "lookup NAME = \"file.csv\" key \"COLUMN\" value \"COLUMN\""
        if !statementFailed {
            if current.kind == .equals {
                advance()
                path = parseText(what: "the lookup file's name in quotes")
            } else {
                fail(Messages.statementShape(shape, found: describe(current)), at: current.range)
            }
        }
        if !statementFailed {
            if expectWords(["key"], shape: shape) { key = parseText(what: "the key column's name in quotes") }
        }
        if !statementFailed {
            if expectWords(["value"], shape: shape) { value = parseText(what: "the value column's name in quotes") }
        }
        finishStatement()
        return LookupSyntax(name: name, path: path, key: key, value: value)
    }

    fileprivate mutating func parseField() -> FieldSyntax {
        advance()
        let name = parseName(what: "field") ?? NameSyntax("", range: previousEnd)
        var type: Located<FieldType>?
        var header: Located<String>?
        if !statementFailed, expectWords(["as"], shape: "field NAME as yes/no|number|date|text [from \"Column\"]") {
            let start = current.range
            if at("yes"), nextToken.kind == .slash {
                advance()
                advance()
                if at("no") {
                    type = Located(.yesNo, range: start.joined(advance().range))
                } else {
                    failExpected("'no' in 'yes/no'")
                }
            } else if let found = word(current), let fieldType = FieldType(rawValue: found) {
                advance()
                type = Located(fieldType, range: start)
            } else if let found = word(current), ["yesno", "boolean", "bool", "truth"].contains(found) {
                advance()
                type = Located(.yesNo, range: start)
                fail(Messages.writeYesNo(text(tokens[index - 1])), at: start)
            } else {
                let suggestion = word(current).flatMap {
                    Suggestions.closest(to: $0, among: FieldType.allCases.map(\.rawValue))
                }
                fail(Messages.unknownFieldType(describe(current), suggestion: suggestion), at: current.range)
            }
        }
        if !statementFailed, at("from") {
            advance()
            header = parseText(what: "the column header in quotes")
        }
        finishStatement(expectingMore: ["from"])
        return FieldSyntax(name: name, type: type, header: header)
    }

    fileprivate mutating func parseDefine() -> DefineSyntax {
        advance()
        let name = parseName(what: "define") ?? NameSyntax("", range: previousEnd)
        var expression = ExpressionSyntax(.error, range: current.range)
        if !statementFailed {
            if current.kind == .equals {
                advance()
                expression = parseCondition(after: "=")
            } else {
                failExpected("'=' and then the value or condition")
            }
        }
        finishStatement(expectingMore: ["and", "or"])
        return DefineSyntax(name: name, expression: expression)
    }

    /// An expression that must be there (`include if …`, `define x = …`).
    mutating func parseCondition(after what: String) -> ExpressionSyntax {
        if atLineEnd {
            fail(Messages.missingCondition(after: what), at: current.range)
            return ExpressionSyntax(.error, range: current.range)
        }
        return parseExpression()
    }
}
