import Basics

/// Prints syntax trees and checked expressions back as canonical rule text.
///
/// Parsing what it prints gives the same tree again (the property tests check this), so it can
/// reformat files and show conditions in `explain`. Parentheses appear only where precedence
/// needs them; indentation is two spaces inside blocks.
public enum PrettyPrinter {
    /// A whole file: declarations separated by blank lines.
    public static func print(_ file: FileSyntax) -> String {
        file.declarations.map(print).joined(separator: "\n\n") + (file.declarations.isEmpty ? "" : "\n")
    }

    /// A checked expression in canonical syntax.
    public static func print(_ expression: RuleExpression) -> String {
        print(syntax(of: expression))
    }

    /// An expression in canonical syntax.
    public static func print(_ expression: ExpressionSyntax) -> String {
        print(expression, context: 0)
    }

    /// Text in double quotes with `"` and `\` escaped.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for character in text {
            if character == "\"" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out + "\""
    }

    // MARK: - Expressions

    private static func precedence(_ kind: ExpressionSyntax.Kind) -> Int {
        switch kind {
        case .binary(let op, _, _): return op.precedence
        case .not: return 3
        case .membership, .between, .isMissing: return 4
        case .number(let value) where value < 0: return 5
        case .duration(let period) where period.count < 0: return 5
        default: return 6
        }
    }

    private static func print(_ expression: ExpressionSyntax, context: Int) -> String {
        let text = bare(expression)
        return precedence(expression.kind) < context ? "(" + text + ")" : text
    }

    private static func bare(_ expression: ExpressionSyntax) -> String {
        switch expression.kind {
        case .number(let value): return Formatting.number(value)
        case .text(let text): return quoted(text)
        case .date(let day): return day.description
        case .duration(let period): return period.description
        case .truth(let value): return value ? "yes" : "no"
        case .list(let items): return "[" + items.map { print($0, context: 5) }.joined(separator: ", ") + "]"
        case .name(let name): return name.text
        case .call(let name, let arguments): return name.text + "(" + arguments.map(print).joined(separator: ", ") + ")"
        case .not(let operand): return "not " + print(operand, context: 3)
        case .binary(let op, let left, let right):
            if op.isComparison { return print(left, context: 5) + " \(op.rawValue) " + print(right, context: 5) }
            return print(left, context: op.precedence) + " \(op.rawValue) " + print(right, context: op.precedence + 1)
        case .membership(let subject, let items, let negated):
            let list = "[" + items.map { print($0, context: 5) }.joined(separator: ", ") + "]"
            return print(subject, context: 5) + (negated ? " not in " : " in ") + list
        case .between(let subject, let low, let high):
            return print(subject, context: 5) + " between " + print(low, context: 5) + " and " + print(high, context: 5)
        case .isMissing(let subject, let negated):
            return print(subject, context: 5) + (negated ? " is present" : " is missing")
        case .error: return "?"
        }
    }

    private static func print(_ argument: ArgumentSyntax) -> String {
        switch argument.kind {
        case .expression(let expression): return print(expression, context: 0)
        case .resolvedBy(let name): return "resolved by " + name.text
        case .within(let expression): return "within " + print(expression, context: 5)
        case .since(let expression): return "since " + print(expression, context: 5)
        case .before(let expression): return "before " + print(expression, context: 5)
        case .between(let low, let high): return "between " + print(low, context: 5) + " and " + print(high, context: 5)
        }
    }

    /// The syntax a checked expression would be written as.
    static func syntax(of expression: RuleExpression) -> ExpressionSyntax {
        let range = expression.range
        func name(_ text: String) -> NameSyntax { NameSyntax(text, range: range) }
        func node(_ kind: ExpressionSyntax.Kind) -> ExpressionSyntax { ExpressionSyntax(kind, range: range) }
        switch expression.kind {
        case .literal(let value):
            switch value {
            case .yesNo(let truth): return node(.truth(truth))
            case .number(let number): return node(.number(number))
            case .date(let day): return node(.date(day))
            case .text(let text): return node(.text(text))
            case .duration(let period): return node(.duration(period))
            }
        case .today: return node(.name(name("today")))
        case .age: return node(.name(name("age")))
        case .column(let column): return node(.name(name(column.name)))
        case .field(let field): return node(.name(name(field)))
        case .define(let define): return node(.name(name(define)))
        case .event(let function, let codelist, let resolvedBy, let window):
            var arguments = [ArgumentSyntax(.expression(node(.name(name(codelist)))), range: range)]
            if let resolvedBy { arguments.append(ArgumentSyntax(.resolvedBy(name(resolvedBy)), range: range)) }
            if let window {
                let kind: ArgumentSyntax.Kind
                switch window {
                case .within(let period): kind = .within(node(.duration(period)))
                case .since(let date): kind = .since(syntax(of: date))
                case .before(let date): kind = .before(syntax(of: date))
                case .between(let low, let high): kind = .between(syntax(of: low), syntax(of: high))
                }
                arguments.append(ArgumentSyntax(kind, range: range))
            }
            return node(.call(name(function.rawValue), arguments))
        case .lookup(let lookup, let key):
            return node(.call(name(lookup), [ArgumentSyntax(.expression(syntax(of: key)), range: range)]))
        case .dateFunction(let function, let argument):
            return node(
                .call(name(function.rawValue), [ArgumentSyntax(.expression(syntax(of: argument)), range: range)]))
        case .not(let operand): return node(.not(syntax(of: operand)))
        case .and(let left, let right): return node(.binary(.and, syntax(of: left), syntax(of: right)))
        case .or(let left, let right): return node(.binary(.or, syntax(of: left), syntax(of: right)))
        case .comparison(let op, let left, let right):
            return node(.binary(BinaryOperator(rawValue: op.rawValue)!, syntax(of: left), syntax(of: right)))
        case .membership(let subject, let values, let negated):
            let items = values.map { syntax(of: RuleExpression(.literal($0), type: $0.type, range: range)) }
            return node(.membership(syntax(of: subject), items, negated: negated))
        case .between(let subject, let low, let high):
            return node(.between(syntax(of: subject), syntax(of: low), syntax(of: high)))
        case .isMissing(let subject, let negated): return node(.isMissing(syntax(of: subject), negated: negated))
        case .arithmetic(let op, let left, let right):
            return node(.binary(op == .plus ? .plus : .minus, syntax(of: left), syntax(of: right)))
        }
    }

    // MARK: - Declarations

    private static func print(_ template: TemplateSyntax) -> String {
        var out = "\""
        for segment in template.segments {
            switch segment {
            case .text(let text): out += String(quoted(text).dropFirst().dropLast())
            case .expression(let expression): out += "{" + print(expression) + "}"
            }
        }
        return out + "\""
    }

    private static func print(_ weekdays: WeekdaysSyntax) -> String {
        weekdays.items.map { item in
            switch item.value {
            case .day(let day): return day.shortName
            case .range(let from, let to): return "\(from.shortName) to \(to.shortName)"
            }
        }.joined(separator: ", ")
    }

    private static func print(_ retry: RetrySyntax) -> String {
        var out = "retry \(retry.outcome.text)"
        if let after = retry.after { out += " after \(after.value)" }
        if let attempts = retry.attempts { out += ", at most \(attempts.value) attempts" }
        return out
    }

    private static func block(_ header: String, _ lines: [String]) -> String {
        ([header] + lines.map { "  " + $0 } + ["end"]).joined(separator: "\n")
    }

    private static func print(_ declaration: DeclarationSyntax) -> String {
        switch declaration {
        case .codelist(let codelist):
            var out = "codelist \(codelist.name.text) = "
            switch codelist.source {
            case .file(let path, let column)?:
                out += quoted(path.value)
                if let column { out += " column " + quoted(column.value) }
            case .inline(let codes)?:
                out += "[" + codes.map { quoted($0.value) }.joined(separator: ", ") + "]"
            case nil:
                out += "[]"
            }
            return out
        case .lookup(let lookup):
            return
                "lookup \(lookup.name.text) = \(quoted(lookup.path?.value ?? "")) key \(quoted(lookup.key?.value ?? "")) value \(quoted(lookup.value?.value ?? ""))"
        case .field(let field):
            var out = "field \(field.name.text) as \(field.type?.value.rawValue ?? "text")"
            if let header = field.header { out += " from " + quoted(header.value) }
            return out
        case .define(let define):
            return "define \(define.name.text) = " + print(define.expression)
        case .cohort(let cohort):
            var header = "cohort \(cohort.id.text)"
            if let title = cohort.title { header += " " + quoted(title.value) }
            return block(header, cohort.statements.compactMap(print))
        case .team(let team):
            let header = "team" + (team.name.map { " " + quoted($0.value) } ?? "")
            return block(
                header,
                team.statements.compactMap { statement in
                    switch statement.kind {
                    case .workingDays(let days?): return "working days " + print(days)
                    case .workingDays(nil): return nil
                    case .closed(let days): return "closed " + days.map(\.value.description).joined(separator: ", ")
                    }
                })
        case .worker(let worker):
            let header = "worker \(worker.id.text)" + (worker.name.map { " " + quoted($0.value) } ?? "")
            return block(
                header,
                worker.statements.compactMap { statement in
                    switch statement.kind {
                    case .callsPerDay(let calls?): return "calls per day \(calls)"
                    case .callsPerDay(nil): return nil
                    case .works(let days?): return "works " + print(days)
                    case .works(nil): return nil
                    case .practices(let codes): return "practices " + codes.map(\.text).joined(separator: ", ")
                    case .speaks(let languages): return "speaks " + languages.map(\.text).joined(separator: ", ")
                    case .skills(let skills): return "skills " + skills.map(\.text).joined(separator: ", ")
                    case .away(let from, let to): return "away \(from.value) to \(to.value)"
                    }
                })
        case .policy(let policy):
            return block("policy", policy.statements.compactMap(print))
        case .contact(let contact):
            return block(
                "contact",
                contact.statements.map { statement in
                    switch statement.kind {
                    case .notByTelephone(let condition): return "not by telephone if " + print(condition)
                    case .noTexts(let condition): return "no texts if " + print(condition)
                    case .interpreter(let language, let condition):
                        return "interpreter " + quoted(language.value) + " if " + print(condition)
                    }
                })
        case .extract(let extract):
            return block(
                "extract \(extract.name.text)",
                extract.mappings.map { "map \(quoted($0.header.value)) to \($0.target.text)" })
        case .example(let example):
            return block("example " + quoted(example.title?.value ?? ""), example.statements.map(print))
        }
    }

    private static func print(_ statement: CohortStatement) -> String? {
        switch statement.kind {
        case .priority(let value?): return "priority \(value)"
        case .include(let condition): return "include if " + print(condition)
        case .exclude(let condition): return "exclude if " + print(condition)
        case .reason(let template?): return "reason " + print(template)
        case .talkAbout(let template?): return "talk about " + print(template)
        case .callWithin(let period?): return "call within \(period.value)"
        case .recallEvery(let period?): return "recall every \(period.value)"
        case .needsSkill(let skill?): return "needs skill \(skill.text)"
        case .whenUnreachable(let text?): return "when unreachable " + quoted(text.value)
        case .retry(let retry?): return print(retry)
        case .writeWhenUnreachable(let on): return "write when unreachable: " + (on ? "yes" : "no")
        default: return nil
        }
    }

    private static func print(_ statement: PolicyStatement) -> String? {
        switch statement.kind {
        case .publishAt(let minutes?):
            let hours = minutes / 60
            let rest = minutes % 60
            return "publish lists at " + (hours < 10 ? "0" : "") + "\(hours):" + (rest < 10 ? "0" : "") + "\(rest)"
        case .planAhead(let days?): return "plan ahead \(days) days"
        case .retry(let retry?): return print(retry)
        case .followUpSupport(let period?): return "follow up support after \(period.value)"
        case .rest(let period?): return "rest \(period.value) between calls"
        case .keepSameWorker(let on): return "keep the same worker" + (on ? "" : ": no")
        case .whenUnreachable(let text?): return "when unreachable " + quoted(text.value)
        case .assumeAnswer(let percent?): return "assume \(Formatting.number(percent))% answer"
        case .favourMostDeprived(let on): return "favour the most deprived: " + (on ? "yes" : "no")
        case .extractsStaleAfter(let period?): return "extracts go stale after \(period.value)"
        case .code(let outcome, let code, let term):
            // Digits print bare, as people write them; anything else (a mistake) in quotes, so it reads back the same.
            let written =
                !code.value.isEmpty && code.value.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
                ? code.value : quoted(code.value)
            return "code \(outcome.text) as \(written) " + quoted(term.value)
        case .textBeforeCalling(let on): return "text before calling: " + (on ? "yes" : "no")
        case .writeWhenUnreachable(let on): return "write when unreachable: " + (on ? "yes" : "no")
        default: return nil
        }
    }

    private static func print(_ statement: ExampleStatement) -> String {
        switch statement.kind {
        case .asOf(let day): return "as of \(day.value)"
        case .age(let years): return "age \(years.value)"
        case .born(let day): return "born \(day.value)"
        case .set(let name, let value):
            let written: String
            switch value.value {
            case .word(let word): written = word
            case .text(let text): written = quoted(text)
            case .number(let number): written = Formatting.number(number)
            case .date(let day): written = day.description
            case .truth(let truth): written = truth ? "yes" : "no"
            }
            return "\(name.text) \(written)"
        case .event(let code, let day, let value):
            var out = "event "
            switch code {
            case .codelist(let name): out += name.text
            case .code(let text): out += "code " + quoted(text.value)
            }
            out += " \(day.value)"
            if let value { out += " value " + Formatting.number(value.value) }
            return out
        case .expect(let cohort, let member): return "expect " + (member ? "in " : "not in ") + cohort.text
        }
    }
}
