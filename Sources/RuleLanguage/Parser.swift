import Basics

/// A recursive-descent parser for rule files that recovers instead of stopping.
///
/// Statements end at line ends. When a statement goes wrong the parser reports the first
/// mistake only, skips to the end of that line and carries on, so one slip gives one message,
/// not a cascade. A block (`cohort … end`) that runs into the next declaration keyword or the
/// end of the file is reported as missing its `end` and closed there. Every loop makes progress
/// on every turn, so no input can make it hang.
public struct Parser {
    let bytes: [UInt8]
    let file: SourceFileID
    var tokens: [Token]
    var index = 0
    var diagnostics: DiagnosticCollector
    /// Set after the first error in a statement; further errors in it are not reported.
    var statementFailed = false
    /// How many expressions, `not`s and calls the parser is inside now: bounded by `maximumNesting`.
    var nesting = 0
    /// The operators joined so far in the outermost expression being parsed: bounded by `maximumTerms`.
    var terms = 0

    /// The deepest an expression may nest (brackets, `not`s, calls, lists). Every pass over an
    /// expression (checking, printing, compiling, explaining, evaluating) recurses once per level
    /// of its tree, whose depth is at most `maximumNesting + maximumTerms`, so the two bound their
    /// stack use. The shipped rules nest at most 3 deep and join at most 2 terms on a line; a
    /// DEBUG build on a 512 KiB thread overflows at about 150 levels of one expression (measured:
    /// the checker and the printer take about 3 KiB a level), so 24 + 32 = 56 leaves room on both
    /// sides, and under the checker's bound through defines (`Checker.maximumDepth`).
    public static let maximumNesting = 24

    /// The most operators one expression may join. A chain `a and b and c …` is parsed into a tree
    /// as deep as it is long, so this bounds depth too: a real rule joins a few, not dozens.
    public static let maximumTerms = 32

    /// The words that start a top-level declaration.
    static let declarationKeywords = [
        "codelist", "lookup", "field", "define", "cohort", "team", "worker", "policy", "contact", "extract",
        "example",
    ]

    /// Words that can continue an expression, for "did you mean" after one.
    static let expressionWords = ["and", "or", "not", "in", "between", "is"]

    /// Words that have a meaning inside expressions and so cannot be names.
    public static let reservedWords: Set<String> = [
        "and", "or", "not", "in", "between", "is", "missing", "present", "yes", "no", "true", "false",
    ]

    init(bytes: [UInt8], file: SourceFileID, tokens: [Token], diagnostics: DiagnosticCollector) {
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

    var current: Token { tokens[index] }
    var nextToken: Token { tokens[min(index + 1, tokens.count - 1)] }

    @discardableResult
    mutating func advance() -> Token {
        let token = tokens[index]
        if token.kind != .endOfFile { index += 1 }
        return token
    }

    func text(_ token: Token) -> String {
        String(decoding: bytes[token.range.start..<token.range.end], as: UTF8.self)
    }

    /// The lower-cased word, or `nil` when the token is not a word.
    func word(_ token: Token) -> String? {
        token.kind == .word ? text(token).lowercased() : nil
    }

    func at(_ keyword: String) -> Bool { word(current) == keyword }

    var atLineEnd: Bool { current.kind == .newline || current.kind == .endOfFile }

    var previousEnd: SourceRange {
        index > 0 ? tokens[index - 1].range.atEnd : current.range
    }

    /// How a token is named in a message: `'adn'`, `the end of the line`.
    func describe(_ token: Token) -> String {
        switch token.kind {
        case .newline: return "the end of the line"
        case .endOfFile: return "the end of the file"
        case .text: return "text \(text(token))"
        default: return "'\(text(token))'"
        }
    }

    // MARK: - Errors and recovery

    /// Reports the first error of a statement; later ones in the same statement are dropped.
    mutating func fail(_ message: DiagnosticMessage, at range: SourceRange) {
        guard !statementFailed else { return }
        statementFailed = true
        diagnostics.add(message, at: range)
    }

    /// Reports something unexpected where `expected` should be, at the current token.
    mutating func failExpected(_ expected: String, suggestingFrom candidates: [String] = []) {
        var suggestion: String?
        if let found = word(current) { suggestion = Suggestions.closest(to: found, among: candidates) }
        fail(Messages.expected(expected, found: describe(current), suggestion: suggestion), at: current.range)
    }

    /// Ends a statement: anything left on the line is reported (unless the statement already
    /// failed) and skipped.
    mutating func finishStatement(expectingMore candidates: [String] = Parser.expressionWords) {
        if !atLineEnd && !statementFailed {
            var suggestion: String?
            if let found = word(current) { suggestion = Suggestions.closest(to: found, among: candidates) }
            fail(Messages.unexpectedAtLineEnd(describe(current), suggestion: suggestion), at: current.range)
        }
        while !atLineEnd { advance() }
        statementFailed = false
    }

    mutating func skipNewlines() {
        while current.kind == .newline { advance() }
    }

    /// Consumes the keyword words of a phrase (`per day` in `calls per day N`).
    mutating func expectWords(_ words: [String], shape: String) -> Bool {
        for expected in words {
            guard at(expected) else {
                fail(Messages.statementShape(shape, found: describe(current)), at: current.range)
                return false
            }
            advance()
        }
        return true
    }

    // MARK: - Blocks

    /// Parses the statements of a block until `end`; reports a missing `end` at the opening.
    /// Returns where each line that does not start with a statement word is (reported here), so
    /// the checker knows a statement may be missing only because it was misspelt.
    @discardableResult
    mutating func parseBlock(
        opening: SourceRange, describe blockName: String, statementWords: [String],
        allowsUnknownWords: Bool = false, statement: (inout Parser, String) -> Void
    ) -> [SourceRange] {
        var skipped: [SourceRange] = []
        finishStatement()
        while true {
            skipNewlines()
            if current.kind == .endOfFile {
                diagnostics.add(Messages.missingEnd(blockName), at: opening)
                return skipped
            }
            let start = index
            if at("end") {
                advance()
                finishStatement()
                return skipped
            }
            if let keyword = word(current), Parser.declarationKeywords.contains(keyword),
                !statementWords.contains(keyword)
            {
                diagnostics.add(Messages.missingEnd(blockName), at: opening)
                return skipped
            }
            if let keyword = word(current), statementWords.contains(keyword) || allowsUnknownWords {
                statement(&self, keyword)
            } else if let keyword = word(current) {
                let suggestion = Suggestions.closest(to: keyword, among: statementWords)
                    .map { CohortStatementWords.phrase(for: $0) }
                fail(Messages.unknownStatement(text(current), in: blockName, suggestion: suggestion), at: current.range)
                skipped.append(current.range)
            } else {
                fail(Messages.expectedStatement(describe(current), in: blockName), at: current.range)
                skipped.append(current.range)
            }
            finishStatement()
            if index == start { advance() }
        }
    }
}
