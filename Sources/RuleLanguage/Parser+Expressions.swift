// Parsing expressions, and text with {expressions} in it.

import Basics

extension Parser {
    // MARK: - Text with {expressions}

    mutating func parseTemplate(for statement: String) -> TemplateSyntax? {
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
        if nesting == 0 { terms = 0 }
        guard enterNesting() else { return tooDeep() }
        defer { nesting -= 1 }
        return parseOr()
    }

    /// Goes one level deeper, unless that passes `maximumNesting`.
    fileprivate mutating func enterNesting() -> Bool {
        guard nesting < Parser.maximumNesting else { return false }
        nesting += 1
        return true
    }

    /// Reports an expression nested too deep where the limit is passed, and skips the rest of the
    /// line so the levels above unwind without more work.
    fileprivate mutating func tooDeep() -> ExpressionSyntax {
        let range = current.range
        fail(Messages.expressionTooDeep(limit: Parser.maximumNesting), at: range)
        while !atLineEnd { advance() }
        return ExpressionSyntax(.error, range: range)
    }

    /// Counts one more operator; past `maximumTerms` reports it at `range`, skips the rest of the
    /// line and returns false (the caller then gives an error node, so nothing more is reported).
    fileprivate mutating func countTerm(at range: SourceRange) -> Bool {
        terms += 1
        guard terms > Parser.maximumTerms else { return true }
        fail(Messages.expressionTooLong(limit: Parser.maximumTerms), at: range)
        while !atLineEnd { advance() }
        return false
    }

    fileprivate mutating func parseOr() -> ExpressionSyntax {
        var left = parseAnd()
        while at("or") {
            guard countTerm(at: current.range) else { return ExpressionSyntax(.error, range: left.range) }
            advance()
            let right = parseAnd()
            left = ExpressionSyntax(.binary(.or, left, right), range: left.range.joined(right.range))
        }
        return left
    }

    fileprivate mutating func parseAnd() -> ExpressionSyntax {
        var left = parseNot()
        while at("and") {
            guard countTerm(at: current.range) else { return ExpressionSyntax(.error, range: left.range) }
            advance()
            let right = parseNot()
            left = ExpressionSyntax(.binary(.and, left, right), range: left.range.joined(right.range))
        }
        return left
    }

    fileprivate mutating func parseNot() -> ExpressionSyntax {
        if at("not") {
            guard enterNesting() else { return tooDeep() }
            defer { nesting -= 1 }
            let keyword = advance()
            let operand = parseNot()
            return ExpressionSyntax(.not(operand), range: keyword.range.joined(operand.range))
        }
        return parseComparison()
    }

    fileprivate static let comparisonOperators: [TokenKind: BinaryOperator] = [
        .equals: .equal, .notEquals: .notEqual, .less: .less, .lessOrEqual: .lessOrEqual,
        .greater: .greater, .greaterOrEqual: .greaterOrEqual,
    ]

    fileprivate mutating func parseComparison() -> ExpressionSyntax {
        let left = parseAdditive()
        var result = left
        if Parser.comparisonOperators[current.kind] != nil || at("in") || at("between") || at("is")
            || (at("not") && word(nextToken) == "in"),
            !countTerm(at: current.range)
        {
            return ExpressionSyntax(.error, range: left.range)
        }
        if let op = Parser.comparisonOperators[current.kind] {
            let opToken = advance()
            let right = parseOperand(after: text(opToken))
            result = ExpressionSyntax(.binary(op, left, right), range: left.range.joined(right.range))
        } else if at("in") {
            advance()
            let list = parseListAfterIn()
            result = ExpressionSyntax(
                .membership(left, list.items, negated: false), range: left.range.joined(list.range))
        } else if at("not"), word(nextToken) == "in" {
            advance()
            advance()
            let list = parseListAfterIn()
            result = ExpressionSyntax(
                .membership(left, list.items, negated: true), range: left.range.joined(list.range))
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

    fileprivate mutating func parseListAfterIn() -> (items: [ExpressionSyntax], range: SourceRange) {
        guard current.kind == .leftBracket else {
            failExpected("a list in [ ] after 'in', such as [\"F\", \"M\"]")
            return ([], current.range)
        }
        let list = parsePrimary()
        if case .list(let items) = list.kind { return (items, list.range) }
        return ([], list.range)
    }

    /// The right-hand side of an operator: reports a missing one plainly.
    fileprivate mutating func parseOperand(after what: String, primaryOnly: Bool = false) -> ExpressionSyntax {
        if atLineEnd || current.kind == .rightParen || current.kind == .comma {
            fail(Messages.missingOperand(after: what, found: describe(current)), at: current.range)
            return ExpressionSyntax(.error, range: current.range)
        }
        return primaryOnly ? parsePrimary() : parseAdditive()
    }

    fileprivate mutating func parseAdditive() -> ExpressionSyntax {
        var left = parsePrimary()
        while current.kind == .plus || current.kind == .minus {
            guard countTerm(at: current.range) else { return ExpressionSyntax(.error, range: left.range) }
            let op: BinaryOperator = advance().kind == .plus ? .plus : .minus
            let right = parseOperand(after: op.rawValue, primaryOnly: true)
            left = ExpressionSyntax(.binary(op, left, right), range: left.range.joined(right.range))
        }
        return left
    }

    fileprivate mutating func parsePrimary() -> ExpressionSyntax {
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
            guard enterNesting() else { return tooDeep() }
            defer { nesting -= 1 }
            advance()
            var items: [ExpressionSyntax] = []
            while current.kind != .rightBracket, !atLineEnd {
                let start = index
                items.append(parseAdditive())
                if current.kind == .comma { advance() } else { break }
                if index == start { break }
            }
            guard current.kind == .rightBracket else {
                fail(
                    Messages.unclosedList(describe(current)), at: current.kind == .newline ? token.range : current.range
                )
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

    fileprivate func columnOf(_ token: Token) -> Int {
        var lineStart = token.range.start
        while lineStart > 0, bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
        return String(decoding: bytes[lineStart..<token.range.start], as: UTF8.self).count + 1
    }

    fileprivate mutating func parseNumberOrDuration(negative: Bool, start: SourceRange) -> ExpressionSyntax {
        let token = advance()
        let written = text(token)
        let value = (Double(written) ?? 0) * (negative ? -1 : 1)
        if let unitWord = word(current), let unit = Period.Unit(word: unitWord) {
            let unitToken = advance()
            guard let count = Int(written) else {
                fail(
                    Messages.fractionalDuration(written + " " + text(unitToken)),
                    at: token.range.joined(unitToken.range))
                return ExpressionSyntax(.error, range: start.joined(unitToken.range))
            }
            return ExpressionSyntax(
                .duration(Period(negative ? -count : count, unit)), range: start.joined(unitToken.range))
        }
        return ExpressionSyntax(.number(value), range: start.joined(token.range))
    }

    fileprivate mutating func parseCall(_ name: NameSyntax) -> ExpressionSyntax {
        guard enterNesting() else { return tooDeep() }
        defer { nesting -= 1 }
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
