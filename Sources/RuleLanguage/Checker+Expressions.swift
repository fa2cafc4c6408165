// Checking defines and expressions: names, types, operators, calls, event windows, text.

import Basics
import Vocabulary

extension Checker {
    // MARK: - Defines

    mutating func resolveDefine(_ key: String) -> RuleExpression? {
        switch defineStates[key] {
        case .done(let expression):
            return expression
        case .checking:
            let cycleStart = defineStack.firstIndex(of: key) ?? 0
            let cycle = Array(defineStack[cycleStart...]) + [key]
            let names = cycle.map { defineSyntax[$0]?.name.text ?? $0 }
            if let syntax = defineSyntax[key] {
                report(Messages.defineCycle(names[0], path: names), at: syntax.name.range)
            }
            for member in cycle { defineStates[member] = .done(nil) }
            return nil
        case nil:
            guard let syntax = defineSyntax[key] else { return nil }
            defineStates[key] = .checking
            defineStack.append(key)
            let expression = check(syntax.expression)
            defineStack.removeLast()
            if case .done = defineStates[key] { return nil }  // part of a cycle found below
            defineStates[key] = .done(expression)
            defineOrder.append(key)
            defineDepths[key] = expression.map(depthThroughDefines) ?? 1
            return expression
        }
    }

    /// The most levels an expression may have counting the defines it uses, each level of each:
    /// what the engine's evaluation and explanation recurse through. Above the parser's bound on
    /// one expression (`Parser.maximumNesting + Parser.maximumTerms` = 56), so only chains of
    /// defines meet it; room for 30 defines each using the next. A DEBUG build's checker takes
    /// about 6 KiB a level through a chain of defines (measured), so 64 levels use about 384 KiB of
    /// a 512 KiB thread's stack; a release build far less.
    static let maximumDepth = 64

    /// The depth of a checked expression's tree, with each define it uses counted at its own depth
    /// (already worked out, as defines are checked before their users finish).
    func depthThroughDefines(_ expression: RuleExpression) -> Int {
        func deepest(_ parts: RuleExpression?...) -> Int {
            1 + parts.reduce(0) { most, part in max(most, part.map(depthThroughDefines) ?? 0) }
        }
        switch expression.kind {
        case .define(let name): return 1 + (defineDepths[name] ?? 1)
        case .event(_, _, _, let window):
            switch window {
            case .since(let a)?, .before(let a)?: return deepest(a)
            case .between(let a, let b)?: return deepest(a, b)
            case .within?, nil: return 1
            }
        case .lookup(_, let key): return deepest(key)
        case .dateFunction(_, let argument), .not(let argument), .isMissing(let argument, _),
            .membership(let argument, _, _):
            return deepest(argument)
        case .and(let a, let b), .or(let a, let b), .comparison(_, let a, let b), .arithmetic(_, let a, let b):
            return deepest(a, b)
        case .between(let a, let b, let c): return deepest(a, b, c)
        case .literal, .today, .age, .column, .field: return 1
        }
    }

    // MARK: - Expressions

    fileprivate var valueNames: [String] {
        ["today", "age"] + PatientColumn.allCases.map(\.name)
            + symbols.values.filter { $0.kind == .field || $0.kind == .define }
            .map(\.name.key).sorted()
    }

    /// Checks an expression; `nil` when it is wrong (reported) or holds a syntax error.
    mutating func check(_ syntax: ExpressionSyntax) -> RuleExpression? {
        let range = syntax.range
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else {
            report(Messages.expressionTooDeepThroughDefines(limit: Self.maximumDepth), at: range)
            return nil
        }
        switch syntax.kind {
        case .error:
            return nil
        case .number(let value):
            return RuleExpression(.literal(.number(value)), type: .number, range: range)
        case .text(let value):
            return RuleExpression(.literal(.text(value)), type: .text, range: range)
        case .date(let day):
            return RuleExpression(.literal(.date(day)), type: .date, range: range)
        case .duration(let period):
            return RuleExpression(.literal(.duration(period)), type: .duration, range: range)
        case .truth(let value):
            return RuleExpression(.literal(.yesNo(value)), type: .yesNo, range: range)
        case .list:
            report(Messages.listOutsideIn, at: range)
            return nil
        case .name(let name):
            return checkName(name)
        case .call(let name, let arguments):
            return checkCall(name, arguments, range: range)
        case .not(let operand):
            return checkNotNode(operand, range: range)
        case .binary(let op, let leftSyntax, let rightSyntax):
            return checkBinaryNode(op, leftSyntax, rightSyntax, range: range)
        case .membership(let subjectSyntax, let items, let negated):
            return checkMembershipNode(subjectSyntax, items, negated, range: range)
        case .between(let subjectSyntax, let lowSyntax, let highSyntax):
            return checkBetweenNode(subjectSyntax, lowSyntax, highSyntax, range: range)
        case .isMissing(let subjectSyntax, let negated):
            return checkIsMissingNode(subjectSyntax, negated, range: range)
        }
    }

    // Each kind of node is checked in a function of its own, so the frame of `check`, which
    // recurses once per level of the expression, stays small (a DEBUG build gives a function a
    // slot for every local of every case): nesting is bounded by the parser, and this keeps the
    // bound well inside a 512 KiB thread's stack.

    fileprivate mutating func checkNotNode(_ operand: ExpressionSyntax, range: SourceRange) -> RuleExpression? {
        guard let inner = check(operand) else { return nil }
        guard inner.type == .yesNo else {
            report(
                Messages.needsYesNoOperand("not", found: inner.type, what: describeOperand(operand)),
                at: operand.range)
            return nil
        }
        return RuleExpression(.not(inner), type: .yesNo, range: range)
    }

    fileprivate mutating func checkBinaryNode(
        _ op: BinaryOperator, _ leftSyntax: ExpressionSyntax, _ rightSyntax: ExpressionSyntax, range: SourceRange
    ) -> RuleExpression? {
        let left = check(leftSyntax)
        let right = check(rightSyntax)
        if op == .and || op == .or {
            // Each side must be yes/no on its own, whatever is wrong with the other.
            return checkLogical(op, left, right, leftSyntax, rightSyntax, range: range)
        }
        guard let left, let right else { return nil }
        return checkBinary(op, left, right, leftSyntax, rightSyntax, range: range)
    }

    fileprivate mutating func checkMembershipNode(
        _ subjectSyntax: ExpressionSyntax, _ items: [ExpressionSyntax], _ negated: Bool, range: SourceRange
    ) -> RuleExpression? {
        // Every item is checked, whatever is wrong with the subject or another item; an item's
        // type is compared only with a subject that checked and can be used with 'in'.
        var subject = check(subjectSyntax)
        var ok = subject != nil
        if let found = subject?.type, found == .yesNo || found == .duration {
            report(Messages.cannotUseIn(found), at: subjectSyntax.range)
            subject = nil
            ok = false
        }
        var values: [Value] = []
        for item in items {
            guard let checked = check(item) else {
                ok = false
                continue
            }
            guard case .literal(let value) = checked.kind else {
                report(Messages.listNeedsValues, at: item.range)
                ok = false
                continue
            }
            if let subject, value.type != subject.type {
                report(
                    Messages.listItemType(
                        describeOperand(subjectSyntax), subjectType: subject.type, itemType: value.type),
                    at: item.range)
                ok = false
            }
            values.append(value)
        }
        guard ok, let subject else { return nil }
        return RuleExpression(.membership(subject, values, negated: negated), type: .yesNo, range: range)
    }

    fileprivate mutating func checkBetweenNode(
        _ subjectSyntax: ExpressionSyntax, _ lowSyntax: ExpressionSyntax, _ highSyntax: ExpressionSyntax,
        range: SourceRange
    ) -> RuleExpression? {
        let subject = check(subjectSyntax)
        let low = check(lowSyntax)
        let high = check(highSyntax)
        guard let subject, let low, let high else { return nil }
        guard [.number, .date, .duration].contains(subject.type) else {
            report(Messages.cannotOrder(subject.type, op: "between"), at: subjectSyntax.range)
            return nil
        }
        var boundsMatch = true
        for (bound, boundSyntax) in [(low, lowSyntax), (high, highSyntax)] where bound.type != subject.type {
            report(
                Messages.comparisonMismatch(
                    describeOperand(subjectSyntax), subject.type, bound.type, hint: numericTextHint(boundSyntax)),
                at: boundSyntax.range)
            boundsMatch = false
        }
        guard boundsMatch else { return nil }
        return RuleExpression(.between(subject, low, high), type: .yesNo, range: range)
    }

    fileprivate mutating func checkIsMissingNode(_ subjectSyntax: ExpressionSyntax, _ negated: Bool, range: SourceRange)
        -> RuleExpression?
    {
        guard let subject = check(subjectSyntax) else { return nil }
        return RuleExpression(.isMissing(subject, negated: negated), type: .yesNo, range: range)
    }

    /// `'age' is a number`-style description of an operand for messages.
    fileprivate func describeOperand(_ syntax: ExpressionSyntax) -> String {
        "'\(sources.text(syntax.range))'"
    }

    fileprivate func numericTextHint(_ syntax: ExpressionSyntax) -> String? {
        if case .text(let text) = syntax.kind, Double(text) != nil { return text }
        return nil
    }

    fileprivate mutating func checkName(_ name: NameSyntax) -> RuleExpression? {
        let key = name.key
        if key == "today" { return RuleExpression(.today, type: .date, range: name.range) }
        if key == "age" { return RuleExpression(.age, type: .number, range: name.range) }
        if let column = PatientColumn(rawValue: key) {
            return RuleExpression(.column(column), type: column.type, range: name.range)
        }
        guard let symbol = symbols[key] else {
            if cohortIDs[key] != nil || workerIDs[key] != nil {
                report(
                    Messages.notAValue(
                        name.text,
                        kind: cohortIDs[key] != nil ? SymbolKind.cohort.described : SymbolKind.worker.described),
                    at: name.range)
                return nil
            }
            let suggestion = Suggestions.closest(to: key, among: valueNames)
            report(Messages.unknownName(name.text, suggestion: suggestion), at: name.range)
            return nil
        }
        used.insert(key)
        switch symbol.kind {
        case .field:
            guard let field = fields[key] else { return nil }
            return RuleExpression(.field(key), type: field.type, range: name.range)
        case .define:
            guard let expression = resolveDefine(key) else { return nil }
            guard depth + (defineDepths[key] ?? 1) <= Self.maximumDepth else {
                report(Messages.expressionTooDeepThroughDefines(limit: Self.maximumDepth), at: name.range)
                return nil
            }
            return RuleExpression(.define(key), type: expression.type, range: name.range)
        case .codelist:
            report(Messages.codelistAsValue(name.text), at: name.range)
        case .lookup:
            report(Messages.lookupAsValue(name.text), at: name.range)
        case .cohort, .worker:
            report(Messages.notAValue(name.text, kind: symbol.kind.described), at: name.range)
        }
        return nil
    }

    fileprivate mutating func checkBinary(
        _ op: BinaryOperator, _ left: RuleExpression, _ right: RuleExpression, _ leftSyntax: ExpressionSyntax,
        _ rightSyntax: ExpressionSyntax, range: SourceRange
    ) -> RuleExpression? {
        switch op {
        case .and, .or:
            return checkLogical(op, left, right, leftSyntax, rightSyntax, range: range)
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            let comparison = ComparisonOperator(rawValue: op.rawValue)!
            guard left.type == right.type else {
                let literalOnLeft: Bool
                if case .literal = left.kind, !isLiteral(right) { literalOnLeft = true } else { literalOnLeft = false }
                let (anchor, anchorSyntax, other, otherSyntax) =
                    literalOnLeft ? (right, rightSyntax, left, leftSyntax) : (left, leftSyntax, right, rightSyntax)
                report(
                    Messages.comparisonMismatch(
                        describeOperand(anchorSyntax), anchor.type, other.type, hint: numericTextHint(otherSyntax)),
                    at: otherSyntax.range)
                return nil
            }
            if comparison != .equal, comparison != .notEqual, ![.number, .date, .duration].contains(left.type) {
                report(Messages.cannotOrder(left.type, op: op.rawValue), at: range)
                return nil
            }
            return RuleExpression(.comparison(comparison, left, right), type: .yesNo, range: range)
        case .plus, .minus:
            let arithmetic: ArithmeticOperator = op == .plus ? .plus : .minus
            let result: ValueType?
            switch (left.type, right.type) {
            case (.number, .number): result = .number
            case (.date, .duration): result = .date
            case (.duration, .date) where op == .plus: result = .date
            case (.date, .date) where op == .minus: result = .duration
            default: result = nil
            }
            guard let result else {
                report(Messages.badArithmetic(op.rawValue, left.type, right.type), at: range)
                return nil
            }
            return RuleExpression(.arithmetic(arithmetic, left, right), type: result, range: range)
        }
    }

    /// `and` and `or`: each side that checked must be yes/no; `nil` when either side is wrong.
    fileprivate mutating func checkLogical(
        _ op: BinaryOperator, _ left: RuleExpression?, _ right: RuleExpression?, _ leftSyntax: ExpressionSyntax,
        _ rightSyntax: ExpressionSyntax, range: SourceRange
    ) -> RuleExpression? {
        var sidesAreYesNo = true
        for (side, sideSyntax) in [(left, leftSyntax), (right, rightSyntax)] {
            guard let side, side.type != .yesNo else { continue }
            report(
                Messages.needsYesNoOperand(op.rawValue, found: side.type, what: describeOperand(sideSyntax)),
                at: sideSyntax.range)
            sidesAreYesNo = false
        }
        guard sidesAreYesNo, let left, let right else { return nil }
        return RuleExpression(op == .and ? .and(left, right) : .or(left, right), type: .yesNo, range: range)
    }

    fileprivate func isLiteral(_ expression: RuleExpression) -> Bool {
        if case .literal = expression.kind { return true }
        return false
    }

    fileprivate static let functionNames =
        EventFunction.allCases.map(\.rawValue) + DateFunction.allCases.map(\.rawValue)

    fileprivate mutating func checkCall(_ name: NameSyntax, _ arguments: [ArgumentSyntax], range: SourceRange)
        -> RuleExpression?
    {
        let key = name.key
        if let function = EventFunction(rawValue: key) {
            return checkEventCall(function, name, arguments, range: range)
        }
        let plain = arguments.compactMap { argument -> ExpressionSyntax? in
            if case .expression(let expression) = argument.kind { return expression }
            return nil
        }
        let window = arguments.first { if case .expression = $0.kind { return false } else { return true } }
        if let function = DateFunction(rawValue: key) {
            // A window, the number of arguments and the argument itself are each checked on their own.
            if let window { report(Messages.windowNotAllowed(name.text), at: window.range) }
            guard plain.count == 1 else {
                report(Messages.argumentCount(name.text, expected: "one date"), at: range)
                for argument in plain { _ = check(argument) }
                return nil
            }
            guard let argument = check(plain[0]) else { return nil }
            guard argument.type == .date else {
                report(Messages.argumentType(name.text, expected: .date, found: argument.type), at: plain[0].range)
                return nil
            }
            guard window == nil else { return nil }
            return RuleExpression(.dateFunction(function, argument), type: .number, range: range)
        }
        if let symbol = symbols[key] {
            // Not a lookup: the arguments are not checked, as they may be a codelist ('diabetes(x)'
            // for 'has(diabetes)'), and 'x used as a value' would only repeat this mistake.
            guard symbol.kind == .lookup else {
                report(
                    Messages.notAFunction(name.text, kind: symbol.kind.described, isCodelist: symbol.kind == .codelist),
                    at: name.range)
                return nil
            }
            used.insert(key)
            if let window { report(Messages.windowNotAllowed(name.text), at: window.range) }
            guard plain.count == 1 else {
                report(Messages.argumentCount(name.text, expected: "one key, such as \(name.text)(lsoa)"), at: range)
                for argument in plain { _ = check(argument) }
                return nil
            }
            guard let argument = check(plain[0]) else { return nil }
            guard argument.type == .text || argument.type == .number else {
                report(Messages.lookupKeyType(name.text, found: argument.type), at: plain[0].range)
                return nil
            }
            guard window == nil, let valueType = lookupTypes[key] else { return nil }
            return RuleExpression(.lookup(key, key: argument), type: valueType, range: range)
        }
        // An unknown function: neither a window nor the arguments are checked, as it is most likely
        // a misspelt event function ('hass(bereavement, within 90 days)').
        let lookupNames = symbols.values.filter { $0.kind == .lookup }.map(\.name.key)
        let suggestion = Suggestions.closest(to: key, among: Checker.functionNames + lookupNames.sorted())
        report(Messages.unknownFunction(name.text, suggestion: suggestion), at: name.range)
        return nil
    }

    /// Resolves a codelist name for an event function.
    mutating func resolveCodelist(_ name: NameSyntax, function: String) -> Bool {
        guard let symbol = symbols[name.key] else {
            let lists = symbols.values.filter { $0.kind == .codelist }.map(\.name.key).sorted()
            report(
                Messages.unknownCodelist(name.text, suggestion: Suggestions.closest(to: name.key, among: lists)),
                at: name.range)
            return false
        }
        guard symbol.kind == .codelist else {
            report(
                Messages.needsCodelist(function, found: "'\(name.text)' is \(symbol.kind.described)"), at: name.range)
            return false
        }
        used.insert(name.key)
        return true
    }

    fileprivate mutating func checkEventCall(
        _ function: EventFunction, _ name: NameSyntax, _ arguments: [ArgumentSyntax], range: SourceRange
    ) -> RuleExpression? {
        var codelist: NameSyntax?
        /// The codelist as written when it is one or may be one misspelt, for the current() hint.
        var writtenCodelist: NameSyntax?
        var resolvedBy: NameSyntax?
        var sawResolvedBy = false
        var window: EventWindow?
        var ok = true
        var plainCount = 0
        for argument in arguments {
            switch argument.kind {
            case .expression(let expression):
                plainCount += 1
                guard plainCount == 1 else {
                    report(
                        Messages.argumentCount(
                            name.text, expected: "one codelist and optionally a window, such as within 90 days"),
                        at: argument.range)
                    ok = false
                    continue
                }
                guard case .name(let listName) = expression.kind else {
                    if case .error = expression.kind {
                        ok = false
                        continue
                    }
                    report(
                        Messages.needsCodelist(
                            name.text, found: "'\(sources.text(expression.range))' is not a codelist's name"),
                        at: expression.range)
                    ok = false
                    continue
                }
                let key = listName.key
                if key == "age" || key == "today" || PatientColumn(rawValue: key) != nil {
                    let what =
                        key == "age" ? "the patient's age" : key == "today" ? "the date of the run" : "a patient column"
                    report(
                        Messages.needsCodelist(name.text, found: "'\(listName.text)' is \(what)"), at: listName.range)
                    ok = false
                } else if resolveCodelist(listName, function: name.text) {
                    codelist = listName
                    writtenCodelist = listName
                } else {
                    if symbols[key] == nil { writtenCodelist = listName }
                    ok = false
                }
            case .resolvedBy(let listName):
                sawResolvedBy = true
                guard function == .current else {
                    report(Messages.resolvedByOnlyInCurrent(name.text), at: argument.range)
                    ok = false
                    continue
                }
                if resolveCodelist(listName, function: name.text) { resolvedBy = listName } else { ok = false }
            case .within, .since, .before, .between:
                guard window == nil else {
                    report(Messages.oneWindow, at: argument.range)
                    ok = false
                    continue
                }
                if let checked = checkWindow(argument) { window = checked } else { ok = false }
            }
        }
        // What is missing is reported whatever else is wrong in the call.
        if plainCount == 0 {
            report(Messages.needsCodelist(name.text, found: "none was given"), at: range)
            ok = false
        }
        if function == .current, !sawResolvedBy, let writtenCodelist {
            report(Messages.currentNeedsResolvedBy(writtenCodelist.text), at: range)
            ok = false
        }
        guard ok, let codelist else { return nil }
        return RuleExpression(
            .event(function, codelist: codelist.key, resolvedBy: resolvedBy?.key, window: window),
            type: function.resultType, range: range)
    }

    fileprivate mutating func checkWindow(_ argument: ArgumentSyntax) -> EventWindow? {
        switch argument.kind {
        case .within(let syntax):
            if case .error = syntax.kind { return nil }
            guard case .duration(let period) = syntax.kind else {
                report(Messages.withinNeedsDuration(found: sources.text(syntax.range)), at: syntax.range)
                return nil
            }
            return .within(period)
        case .since(let syntax), .before(let syntax):
            guard let date = checkDateArgument(syntax, word: argument.kind.windowWord) else { return nil }
            if case .since = argument.kind { return .since(date) }
            return .before(date)
        case .between(let lowSyntax, let highSyntax):
            let low = checkDateArgument(lowSyntax, word: "between")
            let high = checkDateArgument(highSyntax, word: "between")
            guard let low, let high else { return nil }
            return .between(low, high)
        default:
            return nil
        }
    }

    fileprivate mutating func checkDateArgument(_ syntax: ExpressionSyntax, word: String) -> RuleExpression? {
        guard let date = check(syntax) else { return nil }
        guard date.type == .date else {
            report(Messages.windowNeedsDate(word, found: date.type), at: syntax.range)
            return nil
        }
        guard isFixedForEveryone(date) else {
            report(Messages.windowDependsOnPatient(word), at: syntax.range)
            return nil
        }
        return date
    }

    /// Whether an expression has one value for everyone (dates, lengths of time, `today`, and defines
    /// of those): event windows are worked out before any patient is read.
    fileprivate func isFixedForEveryone(_ expression: RuleExpression) -> Bool {
        var known: [String: Bool] = [:]
        return isFixedForEveryone(expression, known: &known)
    }

    /// Each define is judged once (`known`), however often a chain of defines uses it.
    fileprivate func isFixedForEveryone(_ expression: RuleExpression, known: inout [String: Bool]) -> Bool {
        switch expression.kind {
        case .literal, .today: return true
        case .arithmetic(_, let left, let right):
            return isFixedForEveryone(left, known: &known) && isFixedForEveryone(right, known: &known)
        case .define(let name):
            if let answer = known[name] { return answer }
            guard case .done(let resolved?)? = defineStates[name] else { return false }
            let answer = isFixedForEveryone(resolved, known: &known)
            known[name] = answer
            return answer
        default: return false
        }
    }

    mutating func checkTemplate(_ syntax: TemplateSyntax) -> Template? {
        var segments: [Template.Segment] = []
        var ok = true
        for segment in syntax.segments {
            switch segment {
            case .text(let text): segments.append(.text(text))
            case .expression(let expressionSyntax):
                if let expression = check(expressionSyntax) {
                    segments.append(.expression(expression))
                } else {
                    ok = false
                }
            }
        }
        return ok ? Template(segments: segments) : nil
    }
}

extension ArgumentSyntax.Kind {
    fileprivate var windowWord: String {
        switch self {
        case .since: return "since"
        case .before: return "before"
        case .between: return "between"
        case .within: return "within"
        default: return ""
        }
    }
}
