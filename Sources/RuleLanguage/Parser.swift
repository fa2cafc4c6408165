import Basics
import Vocabulary

/// A recursive-descent parser for rule files that recovers instead of stopping.
///
/// Statements end at line ends. When a statement goes wrong the parser reports the first
/// mistake only, skips to the end of that line and carries on, so one slip gives one message,
/// not a cascade. A block (`cohort … end`) that runs into the next declaration keyword or the
/// end of the file is reported as missing its `end` and closed there. Every loop makes progress
/// on every turn, so no input can make it hang.
public struct Parser {
    private let bytes: [UInt8]
    private let file: SourceFileID
    private var tokens: [Token]
    private var index = 0
    private var diagnostics: DiagnosticCollector
    /// Set after the first error in a statement; further errors in it are not reported.
    private var statementFailed = false

    /// The words that start a top-level declaration.
    static let declarationKeywords = [
        "codelist", "lookup", "field", "define", "cohort", "team", "worker", "policy", "extract", "example",
    ]

    /// Words that can continue an expression, for "did you mean" after one.
    static let expressionWords = ["and", "or", "not", "in", "between", "is"]

    /// Words that have a meaning inside expressions and so cannot be names.
    public static let reservedWords: Set<String> = [
        "and", "or", "not", "in", "between", "is", "missing", "present", "yes", "no", "true", "false",
    ]

    private init(bytes: [UInt8], file: SourceFileID, tokens: [Token], diagnostics: DiagnosticCollector) {
        self.bytes = bytes
        self.file = file
        self.tokens = tokens
        self.diagnostics = diagnostics
    }

    /// Parses one rule file, adding every syntax error to `diagnostics`.
    public static func parse(_ source: SourceFile, id: SourceFileID, diagnostics: inout DiagnosticCollector)
        -> FileSyntax
    {
        var lexer = Lexer(bytes: source.bytes, file: id)
        let tokens = lexer.tokenize(into: &diagnostics)
        var parser = Parser(bytes: source.bytes, file: id, tokens: tokens, diagnostics: diagnostics)
        let declarations = parser.parseFile()
        diagnostics = parser.diagnostics
        return FileSyntax(file: id, declarations: declarations)
    }

    /// Parses a single expression (for tests and tools); the whole text must be one expression.
    public static func parseExpression(_ source: SourceFile, id: SourceFileID, diagnostics: inout DiagnosticCollector)
        -> ExpressionSyntax
    {
        var lexer = Lexer(bytes: source.bytes, file: id)
        let tokens = lexer.tokenize(into: &diagnostics)
        var parser = Parser(bytes: source.bytes, file: id, tokens: tokens, diagnostics: diagnostics)
        let expression = parser.parseExpression()
        parser.finishStatement()
        diagnostics = parser.diagnostics
        return expression
    }

    // MARK: - Tokens

    private var current: Token { tokens[index] }
    private var nextToken: Token { tokens[min(index + 1, tokens.count - 1)] }

    @discardableResult
    private mutating func advance() -> Token {
        let token = tokens[index]
        if token.kind != .endOfFile { index += 1 }
        return token
    }

    private func text(_ token: Token) -> String {
        String(decoding: bytes[token.range.start..<token.range.end], as: UTF8.self)
    }

    /// The lower-cased word, or `nil` when the token is not a word.
    private func word(_ token: Token) -> String? {
        token.kind == .word ? text(token).lowercased() : nil
    }

    private func at(_ keyword: String) -> Bool { word(current) == keyword }

    private var atLineEnd: Bool { current.kind == .newline || current.kind == .endOfFile }

    private var previousEnd: SourceRange {
        index > 0 ? tokens[index - 1].range.atEnd : current.range
    }

    /// How a token is named in a message: `'adn'`, `the end of the line`.
    private func describe(_ token: Token) -> String {
        switch token.kind {
        case .newline: return "the end of the line"
        case .endOfFile: return "the end of the file"
        case .text: return "text \(text(token))"
        default: return "'\(text(token))'"
        }
    }

    // MARK: - Errors and recovery

    /// Reports the first error of a statement; later ones in the same statement are dropped.
    private mutating func fail(_ message: DiagnosticMessage, at range: SourceRange) {
        guard !statementFailed else { return }
        statementFailed = true
        diagnostics.add(message, at: range)
    }

    /// Reports something unexpected where `expected` should be, at the current token.
    private mutating func failExpected(_ expected: String, suggestingFrom candidates: [String] = []) {
        var suggestion: String?
        if let found = word(current) { suggestion = Suggestions.closest(to: found, among: candidates) }
        fail(Messages.expected(expected, found: describe(current), suggestion: suggestion), at: current.range)
    }

    /// Ends a statement: anything left on the line is reported (unless the statement already
    /// failed) and skipped.
    private mutating func finishStatement(expectingMore candidates: [String] = Parser.expressionWords) {
        if !atLineEnd && !statementFailed {
            var suggestion: String?
            if let found = word(current) { suggestion = Suggestions.closest(to: found, among: candidates) }
            fail(Messages.unexpectedAtLineEnd(describe(current), suggestion: suggestion), at: current.range)
        }
        while !atLineEnd { advance() }
        statementFailed = false
    }

    private mutating func skipNewlines() {
        while current.kind == .newline { advance() }
    }

    /// Consumes the keyword words of a phrase (`per day` in `calls per day N`).
    private mutating func expectWords(_ words: [String], shape: String) -> Bool {
        for expected in words {
            guard at(expected) else {
                fail(Messages.statementShape(shape, found: describe(current)), at: current.range)
                return false
            }
            advance()
        }
        return true
    }

    // MARK: - File and declarations

    private mutating func parseFile() -> [DeclarationSyntax] {
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
    private static func blockOwning(statement word: String) -> String? {
        if CohortStatementWords.all.contains(word) { return "cohort" }
        if ["calls", "works", "practices", "speaks", "skills", "skill", "away"].contains(word) { return "worker" }
        if ["working", "closed"].contains(word) { return "team" }
        if ["publish", "plan", "follow", "rest", "keep", "assume", "favour", "favor", "extracts"].contains(word) {
            return "policy"
        }
        if word == "map" { return "extract" }
        if ["expect", "event", "born"].contains(word) { return "example" }
        return nil
    }

    /// A declared name: a word that is not a reserved word.
    private mutating func parseName(what: String) -> NameSyntax? {
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

    private mutating func parseText(what: String) -> Located<String>? {
        guard current.kind == .text else {
            failExpected(what)
            return nil
        }
        let token = advance()
        return Located(Lexer.textValue(of: token, in: bytes), range: token.range)
    }

    private mutating func parseCodelist() -> CodelistSyntax {
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
                    fail(Messages.unclosedList(describe(current)), at: current.kind == .newline ? open.range : current.range)
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

    private mutating func parseLookup() -> LookupSyntax {
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

    private mutating func parseField() -> FieldSyntax {
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

    private mutating func parseDefine() -> DefineSyntax {
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
    private mutating func parseCondition(after what: String) -> ExpressionSyntax {
        if atLineEnd {
            fail(Messages.missingCondition(after: what), at: current.range)
            return ExpressionSyntax(.error, range: current.range)
        }
        return parseExpression()
    }

    // MARK: - Blocks

    /// Parses the statements of a block until `end`; reports a missing `end` at the opening.
    private mutating func parseBlock(
        opening: SourceRange, describe blockName: String, statementWords: [String],
        allowsUnknownWords: Bool = false, statement: (inout Parser, String) -> Void
    ) {
        finishStatement()
        while true {
            skipNewlines()
            if current.kind == .endOfFile {
                diagnostics.add(Messages.missingEnd(blockName), at: opening)
                return
            }
            let start = index
            if at("end") {
                advance()
                finishStatement()
                return
            }
            if let keyword = word(current), Parser.declarationKeywords.contains(keyword),
                !statementWords.contains(keyword)
            {
                diagnostics.add(Messages.missingEnd(blockName), at: opening)
                return
            }
            if let keyword = word(current), statementWords.contains(keyword) || allowsUnknownWords {
                statement(&self, keyword)
            } else if let keyword = word(current) {
                let suggestion = Suggestions.closest(to: keyword, among: statementWords)
                    .map { CohortStatementWords.phrase(for: $0) }
                fail(Messages.unknownStatement(text(current), in: blockName, suggestion: suggestion), at: current.range)
            } else {
                fail(Messages.expectedStatement(describe(current), in: blockName), at: current.range)
            }
            finishStatement()
            if index == start { advance() }
        }
    }

    private mutating func parseCohort() -> CohortSyntax {
        let keyword = advance()
        let id = parseName(what: "cohort") ?? NameSyntax("", range: previousEnd)
        var title: Located<String>?
        if !statementFailed, current.kind == .text { title = parseText(what: "the cohort's title in quotes") }
        let opening = keyword.range.joined(id.range)
        var statements: [CohortStatement] = []
        parseBlock(opening: opening, describe: "cohort '\(id.text)'", statementWords: CohortStatementWords.all) {
            parser, word in
            let start = parser.current.range
            if let kind = parser.parseCohortStatement(word) {
                statements.append(CohortStatement(kind: kind, range: start.joined(parser.previousEnd)))
            }
        }
        return CohortSyntax(id: id, title: title, statements: statements, range: keyword.range.joined(previousEnd))
    }

    private mutating func parseCohortStatement(_ word: String) -> CohortStatement.Kind? {
        let first = advance()
        switch word {
        case "priority":
            return .priority(parseWholeNumber(for: "priority", minimum: 1))
        case "include", "exclude":
            guard at("if") else {
                fail(Messages.missingIf(word), at: current.kind == .newline ? first.range : current.range)
                return word == "include" ? .include(ExpressionSyntax(.error, range: first.range)) : nil
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
        default:
            return nil
        }
    }

    private mutating func parseTeam() -> TeamSyntax {
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

    private mutating func parseWorker() -> WorkerSyntax {
        let keyword = advance()
        let id = parseName(what: "worker") ?? NameSyntax("", range: previousEnd)
        var name: Located<String>?
        if !statementFailed, current.kind == .text { name = parseText(what: "the worker's name in quotes") }
        var statements: [WorkerStatement] = []
        let words = ["calls", "works", "practices", "speaks", "skills", "skill", "away"]
        parseBlock(opening: keyword.range.joined(id.range), describe: "worker '\(id.text)'", statementWords: words) {
            parser, word in
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
        return WorkerSyntax(id: id, name: name, statements: statements)
    }

    private mutating func parsePolicy() -> PolicySyntax {
        let keyword = advance()
        var statements: [PolicyStatement] = []
        let words = ["publish", "plan", "retry", "follow", "rest", "keep", "when", "assume", "favour", "favor", "extracts"]
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
            default:
                if parser.expectWords(["the", "most", "deprived"], shape: "favour the most deprived: yes|no") {
                    kind = .favourMostDeprived(parser.parseOptionalYesNo(for: "favour the most deprived") ?? true)
                }
            }
            if let kind { statements.append(PolicyStatement(kind: kind, range: start.joined(parser.previousEnd))) }
        }
        return PolicySyntax(statements: statements, range: keyword.range)
    }

    private mutating func parseExtract() -> ExtractSyntax {
        let keyword = advance()
        let name = parseName(what: "extract profile") ?? NameSyntax("", range: previousEnd)
        var mappings: [ExtractSyntax.Mapping] = []
        parseBlock(opening: keyword.range.joined(name.range), describe: "extract '\(name.text)'", statementWords: ["map"]) {
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

    private mutating func parseExample() -> ExampleSyntax {
        let keyword = advance()
        let title = parseText(what: "the example's title in quotes")
        var statements: [ExampleStatement] = []
        let words = ["as", "age", "born", "event", "expect"]
        parseBlock(
            opening: keyword.range.joined(title?.range ?? keyword.range), describe: "example",
            statementWords: words, allowsUnknownWords: true
        ) { parser, word in
            let start = parser.current.range
            if let kind = parser.parseExampleStatement(word) {
                statements.append(ExampleStatement(kind: kind, range: start.joined(parser.previousEnd)))
            }
        }
        return ExampleSyntax(title: title, statements: statements, range: keyword.range.joined(title?.range ?? keyword.range))
    }

    private mutating func parseExampleStatement(_ word: String) -> ExampleStatement.Kind? {
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
                fail(Messages.exampleValueMissing(name.text), at: current.kind == .newline ? first.range : current.range)
                return nil
            }
            return .set(name, Located(value, range: start))
        }
    }

    // MARK: - Statement values

    private mutating func parseWholeNumber(for statement: String, minimum: Int) -> Int? {
        guard current.kind == .number, let value = Int(text(current)), value >= minimum else {
            fail(Messages.needsWholeNumber(statement, minimum: minimum, found: describe(current)), at: current.range)
            return nil
        }
        advance()
        return value
    }

    /// `90 days`, `6 weeks`, `12 months`, `1 year`.
    private mutating func parseDuration(for statement: String) -> Located<Period>? {
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
            fail(Messages.needsDurationUnit(statement, found: describe(current), suggestion: suggestion), at: current.range)
            return nil
        }
        let end = advance()
        return Located(Period(count, unit), range: start.joined(end.range))
    }

    private mutating func parseRetry() -> RetrySyntax? {
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

    private mutating func parseWeekdays(for statement: String) -> WeekdaysSyntax? {
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

    private mutating func parseWeekday(for statement: String) -> Located<Weekday>? {
        guard let name = word(current), let day = Weekday(name: name) else {
            let candidates = Weekday.allCases.flatMap { [$0.shortName, $0.fullName] }
            let suggestion = word(current).flatMap { Suggestions.closest(to: $0, among: candidates) }
            fail(Messages.unknownWeekday(describe(current), suggestion: suggestion), at: current.range)
            return nil
        }
        return Located(day, range: advance().range)
    }

    private mutating func parseNameList(what: String, allowNumbers: Bool = false) -> [NameSyntax] {
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

    private mutating func parseDateList(for statement: String) -> [Located<Day>] {
        var days: [Located<Day>] = []
        repeat {
            if current.kind == .comma { advance() }
            guard let day = parseDate(for: statement) else { return days }
            days.append(day)
        } while current.kind == .comma
        return days
    }

    /// A date token that must be a real `YYYY-MM-DD` day.
    private mutating func parseDate(for statement: String) -> Located<Day>? {
        guard current.kind == .date else {
            fail(Messages.needsDate(statement, found: describe(current)), at: current.range)
            return nil
        }
        let token = advance()
        guard let day = checkDate(token) else { return nil }
        return Located(day, range: token.range)
    }

    /// Checks a date-shaped token, explaining what is wrong with an impossible or non-ISO date.
    private mutating func checkDate(_ token: Token) -> Day? {
        let written = text(token)
        if let day = Day(iso: written) { return day }
        let parts = written.split(whereSeparator: { $0 == "-" || $0 == "/" }).map { Int($0) ?? 0 }
        if written.contains("/") || parts.count != 3 || written.utf8.count != 10 {
            fail(Messages.dateNotISO(written), at: token.range)
        } else if !(1...12).contains(parts[1]) {
            fail(Messages.noSuchMonth(written, month: parts[1]), at: token.range)
        } else {
            let days = Day.daysIn(month: parts[1], year: max(parts[0], 1))
            fail(Messages.noSuchDay(written, monthName: Messages.monthName(parts[1]), year: parts[0], days: days), at: token.range)
        }
        return nil
    }

    private mutating func parseTime() -> Int? {
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

    private mutating func parsePercent() -> Double? {
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
    private mutating func parseOptionalYesNo(for statement: String) -> Bool? {
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

    // MARK: - Text with {expressions}

    private mutating func parseTemplate(for statement: String) -> TemplateSyntax? {
        guard current.kind == .text else {
            fail(Messages.needsText(statement, found: describe(current)), at: current.range)
            return nil
        }
        let token = advance()
        let (start, end) = Lexer.contentBounds(of: token, in: bytes)
        var segments: [TemplateSyntax.Segment] = []
        var literal: [UInt8] = []
        var position = start
        func flush() {
            if !literal.isEmpty { segments.append(.text(String(decoding: literal, as: UTF8.self))) }
            literal.removeAll()
        }
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\\"), position + 1 < end,
                bytes[position + 1] == UInt8(ascii: "\"") || bytes[position + 1] == UInt8(ascii: "\\")
            {
                literal.append(bytes[position + 1])
                position += 2
                continue
            }
            guard byte == UInt8(ascii: "{") else {
                literal.append(byte)
                position += 1
                continue
            }
            var close = position + 1
            while close < end, bytes[close] != UInt8(ascii: "}") { close += 1 }
            guard close < end else {
                fail(Messages.unclosedBrace, at: SourceRange(file: file, start: position, end: end))
                return nil
            }
            let inner = SourceRange(file: file, start: position + 1, end: close)
            let braces = SourceRange(file: file, start: position, end: close + 1)
            if String(decoding: bytes[inner.start..<inner.end], as: UTF8.self).allSatisfy(\.isWhitespace) {
                fail(Messages.emptyBraces, at: braces)
                return nil
            }
            var lexer = Lexer(bytes: bytes, file: file, start: inner.start, end: inner.end)
            let innerTokens = lexer.tokenize(into: &diagnostics)
            var inside = Parser(bytes: bytes, file: file, tokens: innerTokens, diagnostics: diagnostics)
            let expression = inside.parseExpression()
            inside.finishStatement()
            diagnostics = inside.diagnostics
            flush()
            segments.append(.expression(expression))
            position = close + 1
        }
        flush()
        return TemplateSyntax(segments: segments, range: token.range)
    }

    // MARK: - Expressions

    /// Parses an expression: `or` binds loosest, then `and`, `not`, comparisons, `+`/`-`.
    mutating func parseExpression() -> ExpressionSyntax {
        parseOr()
    }

    private mutating func parseOr() -> ExpressionSyntax {
        var left = parseAnd()
        while at("or") {
            advance()
            let right = parseAnd()
            left = ExpressionSyntax(.binary(.or, left, right), range: left.range.joined(right.range))
        }
        return left
    }

    private mutating func parseAnd() -> ExpressionSyntax {
        var left = parseNot()
        while at("and") {
            advance()
            let right = parseNot()
            left = ExpressionSyntax(.binary(.and, left, right), range: left.range.joined(right.range))
        }
        return left
    }

    private mutating func parseNot() -> ExpressionSyntax {
        if at("not") {
            let keyword = advance()
            let operand = parseNot()
            return ExpressionSyntax(.not(operand), range: keyword.range.joined(operand.range))
        }
        return parseComparison()
    }

    private static let comparisonOperators: [TokenKind: BinaryOperator] = [
        .equals: .equal, .notEquals: .notEqual, .less: .less, .lessOrEqual: .lessOrEqual,
        .greater: .greater, .greaterOrEqual: .greaterOrEqual,
    ]

    private mutating func parseComparison() -> ExpressionSyntax {
        let left = parseAdditive()
        var result = left
        if let op = Parser.comparisonOperators[current.kind] {
            let opToken = advance()
            let right = parseOperand(after: text(opToken))
            result = ExpressionSyntax(.binary(op, left, right), range: left.range.joined(right.range))
        } else if at("in") {
            advance()
            let list = parseListAfterIn()
            result = ExpressionSyntax(.membership(left, list.items, negated: false), range: left.range.joined(list.range))
        } else if at("not"), word(nextToken) == "in" {
            advance()
            advance()
            let list = parseListAfterIn()
            result = ExpressionSyntax(.membership(left, list.items, negated: true), range: left.range.joined(list.range))
        } else if at("between") {
            advance()
            let low = parseOperand(after: "between")
            if at("and") {
                advance()
            } else {
                failExpected("'and' in 'between … and …'")
            }
            let high = parseOperand(after: "and")
            result = ExpressionSyntax(.between(left, low, high), range: left.range.joined(high.range))
        } else if at("is") {
            advance()
            var negated = false
            if at("not") {
                advance()
                negated = true
            }
            if at("missing") || at("present") {
                let which = advance()
                if word(which) == "present" { negated.toggle() }
                result = ExpressionSyntax(.isMissing(left, negated: negated), range: left.range.joined(which.range))
            } else {
                failExpected("'missing' or 'present' after 'is'", suggestingFrom: ["missing", "present"])
                result = ExpressionSyntax(.error, range: left.range)
            }
        }
        if Parser.comparisonOperators[current.kind] != nil || at("between") {
            fail(Messages.chainedComparison, at: current.range)
        }
        return result
    }

    private mutating func parseListAfterIn() -> (items: [ExpressionSyntax], range: SourceRange) {
        guard current.kind == .leftBracket else {
            failExpected("a list in [ ] after 'in', such as [\"F\", \"M\"]")
            return ([], current.range)
        }
        let list = parsePrimary()
        if case .list(let items) = list.kind { return (items, list.range) }
        return ([], list.range)
    }

    /// The right-hand side of an operator: reports a missing one plainly.
    private mutating func parseOperand(after what: String, primaryOnly: Bool = false) -> ExpressionSyntax {
        if atLineEnd || current.kind == .rightParen || current.kind == .comma {
            fail(Messages.missingOperand(after: what, found: describe(current)), at: current.range)
            return ExpressionSyntax(.error, range: current.range)
        }
        return primaryOnly ? parsePrimary() : parseAdditive()
    }

    private mutating func parseAdditive() -> ExpressionSyntax {
        var left = parsePrimary()
        while current.kind == .plus || current.kind == .minus {
            let op: BinaryOperator = advance().kind == .plus ? .plus : .minus
            let right = parseOperand(after: op.rawValue, primaryOnly: true)
            left = ExpressionSyntax(.binary(op, left, right), range: left.range.joined(right.range))
        }
        return left
    }

    private mutating func parsePrimary() -> ExpressionSyntax {
        let token = current
        switch token.kind {
        case .number:
            return parseNumberOrDuration(negative: false, start: token.range)
        case .minus where nextToken.kind == .number:
            advance()
            return parseNumberOrDuration(negative: true, start: token.range)
        case .text:
            advance()
            return ExpressionSyntax(.text(Lexer.textValue(of: token, in: bytes)), range: token.range)
        case .date:
            advance()
            guard let day = checkDate(token) else { return ExpressionSyntax(.error, range: token.range) }
            return ExpressionSyntax(.date(day), range: token.range)
        case .leftParen:
            advance()
            if current.kind == .rightParen {
                fail(Messages.missingOperand(after: "(", found: describe(current)), at: current.range)
                return ExpressionSyntax(.error, range: token.range.joined(advance().range))
            }
            let inner = parseExpression()
            guard current.kind == .rightParen else {
                failExpected("')' to close the '(' opened at column \(columnOf(token))")
                return ExpressionSyntax(inner.kind, range: token.range.joined(inner.range))
            }
            let close = advance()
            return ExpressionSyntax(inner.kind, range: token.range.joined(close.range))
        case .leftBracket:
            advance()
            var items: [ExpressionSyntax] = []
            while current.kind != .rightBracket, !atLineEnd {
                let start = index
                items.append(parseAdditive())
                if current.kind == .comma { advance() } else { break }
                if index == start { break }
            }
            guard current.kind == .rightBracket else {
                fail(Messages.unclosedList(describe(current)), at: current.kind == .newline ? token.range : current.range)
                return ExpressionSyntax(.error, range: token.range)
            }
            let close = advance()
            return ExpressionSyntax(.list(items), range: token.range.joined(close.range))
        case .word:
            let name = text(token)
            switch name.lowercased() {
            case "yes", "true":
                advance()
                return ExpressionSyntax(.truth(true), range: token.range)
            case "no", "false":
                advance()
                return ExpressionSyntax(.truth(false), range: token.range)
            case let reserved where Parser.reservedWords.contains(reserved):
                fail(Messages.missingOperand(after: nil, found: describe(token)), at: token.range)
                return ExpressionSyntax(.error, range: token.range)
            default:
                break
            }
            advance()
            let nameSyntax = NameSyntax(name, range: token.range)
            if current.kind == .leftParen {
                return parseCall(nameSyntax)
            }
            return ExpressionSyntax(.name(nameSyntax), range: token.range)
        default:
            fail(Messages.missingOperand(after: nil, found: describe(token)), at: token.range)
            return ExpressionSyntax(.error, range: token.range)
        }
    }

    private func columnOf(_ token: Token) -> Int {
        var lineStart = token.range.start
        while lineStart > 0, bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        return String(decoding: bytes[lineStart..<token.range.start], as: UTF8.self).count + 1
    }

    private mutating func parseNumberOrDuration(negative: Bool, start: SourceRange) -> ExpressionSyntax {
        let token = advance()
        let written = text(token)
        let value = (Double(written) ?? 0) * (negative ? -1 : 1)
        if let unitWord = word(current), let unit = Period.Unit(word: unitWord) {
            let unitToken = advance()
            guard let count = Int(written) else {
                fail(Messages.fractionalDuration(written + " " + text(unitToken)), at: token.range.joined(unitToken.range))
                return ExpressionSyntax(.error, range: start.joined(unitToken.range))
            }
            return ExpressionSyntax(.duration(Period(negative ? -count : count, unit)), range: start.joined(unitToken.range))
        }
        return ExpressionSyntax(.number(value), range: start.joined(token.range))
    }

    private mutating func parseCall(_ name: NameSyntax) -> ExpressionSyntax {
        let open = advance()
        var arguments: [ArgumentSyntax] = []
        if current.kind == .rightParen {
            let close = advance()
            return ExpressionSyntax(.call(name, arguments), range: name.range.joined(close.range))
        }
        while true {
            let start = current.range
            let kind: ArgumentSyntax.Kind
            switch word(current) {
            case "resolved":
                advance()
                if at("by") {
                    advance()
                } else {
                    failExpected("'by' in 'resolved by CODELIST'")
                }
                guard let list = parseName(what: "codelist") else {
                    return ExpressionSyntax(.error, range: name.range.joined(previousEnd))
                }
                kind = .resolvedBy(list)
            case "within":
                advance()
                kind = .within(parseOperand(after: "within"))
            case "since":
                advance()
                kind = .since(parseOperand(after: "since"))
            case "before":
                advance()
                kind = .before(parseOperand(after: "before"))
            case "between":
                advance()
                let low = parseOperand(after: "between")
                if at("and") {
                    advance()
                } else {
                    failExpected("'and' in 'between … and …'")
                }
                kind = .between(low, parseOperand(after: "and"))
            default:
                if current.kind == .comma || current.kind == .rightParen || atLineEnd {
                    fail(Messages.missingArgument(name.text, found: describe(current)), at: current.range)
                    kind = .expression(ExpressionSyntax(.error, range: current.range))
                } else {
                    kind = .expression(parseExpression())
                }
            }
            arguments.append(ArgumentSyntax(kind, range: start.joined(previousEnd)))
            if current.kind == .comma {
                advance()
                continue
            }
            if current.kind == .rightParen {
                let close = advance()
                return ExpressionSyntax(.call(name, arguments), range: name.range.joined(close.range))
            }
            fail(Messages.unclosedCall(name.text, found: describe(current)), at: atLineEnd ? open.range : current.range)
            return ExpressionSyntax(.call(name, arguments), range: name.range.joined(previousEnd))
        }
    }
}

/// The words that start cohort statements, and the phrases they begin.
enum CohortStatementWords {
    static let all = ["priority", "include", "exclude", "reason", "talk", "call", "recall", "needs", "when", "retry"]

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
