// Checking cohort blocks and their statements.

import Basics
import Vocabulary

extension Checker {
    mutating func checkCohort(_ syntax: CohortSyntax) -> Cohort? {
        var priority: Int?
        var sawPriority = false
        var includes: [RuleExpression] = []
        var sawInclude = false
        var excludes: [RuleExpression] = []
        var reason: Template?
        var talkAbout: Template?
        var callWithin: Period?
        var recallEvery: Period?
        var skills: [String] = []
        var whenUnreachable: String?
        var retries: [RetryRule] = []
        var seen: [String: SourceRange] = [:]
        var ok = true
        func once(_ statement: String, _ range: SourceRange, _ checker: inout Checker) -> Bool {
            if let first = seen[statement] {
                checker.report(Messages.statementTwice(statement, first: checker.sources.describe(first)), at: range)
                return false
            }
            seen[statement] = range
            return true
        }
        for statement in syntax.statements {
            switch statement.kind {
            case .priority(let value):
                sawPriority = true
                guard once("priority", statement.range, &self) else {
                    ok = false
                    continue
                }
                if let value { priority = value } else { ok = false }
            case .include(let conditionSyntax):
                sawInclude = true
                if let condition = checkCondition(conditionSyntax, statement: "include if") {
                    includes.append(condition)
                } else {
                    ok = false
                }
            case .exclude(let conditionSyntax):
                if let condition = checkCondition(conditionSyntax, statement: "exclude if") {
                    excludes.append(condition)
                } else {
                    ok = false
                }
            case .reason(let template):
                guard once("reason", statement.range, &self), let template, let checked = checkTemplate(template) else {
                    ok = false
                    continue
                }
                reason = checked
            case .talkAbout(let template):
                guard once("talk about", statement.range, &self), let template, let checked = checkTemplate(template)
                else {
                    ok = false
                    continue
                }
                talkAbout = checked
            case .callWithin(let period):
                guard once("call within", statement.range, &self), let period, checkPositive(period, "call within")
                else {
                    ok = false
                    continue
                }
                callWithin = period.value
            case .recallEvery(let period):
                guard once("recall every", statement.range, &self), let period, checkPositive(period, "recall every")
                else {
                    ok = false
                    continue
                }
                recallEvery = period.value
            case .needsSkill(let skill):
                guard let skill else {
                    ok = false
                    continue
                }
                if !skills.contains(skill.key) { skills.append(skill.key) }
            case .whenUnreachable(let text):
                guard once("when unreachable", statement.range, &self), let text else {
                    ok = false
                    continue
                }
                whenUnreachable = text.value
            case .retry(let retry):
                guard let retry, let rule = checkRetry(retry, existing: retries) else {
                    ok = false
                    continue
                }
                retries.append(rule)
            }
        }
        // A misspelt statement inside the block is already reported; do not add "no priority" to it.
        let blockHasSyntaxErrors = diagnostics.diagnostics.contains {
            $0.severity == .error && $0.range.file == syntax.range.file && syntax.range.start <= $0.range.start
                && $0.range.start < syntax.range.end
        }
        if !sawPriority, !blockHasSyntaxErrors { report(Messages.missingPriority(syntax.id.text), at: syntax.id.range) }
        if !sawInclude, !blockHasSyntaxErrors { report(Messages.missingInclude(syntax.id.text), at: syntax.id.range) }
        guard ok, let priority, !includes.isEmpty, !syntax.id.text.isEmpty else { return nil }
        let title = syntax.title?.value ?? syntax.id.text
        return Cohort(
            id: syntax.id.key, title: title, priority: priority, includes: includes, excludes: excludes,
            reason: reason ?? .text(title), talkAbout: talkAbout, callWithin: callWithin, recallEvery: recallEvery,
            needsSkills: skills, whenUnreachable: whenUnreachable, retries: retries, range: syntax.id.range)
    }

    mutating func checkPositive(_ period: Located<Period>, _ statement: String) -> Bool {
        guard period.value.count >= 1 else {
            report(Messages.durationTooShort(statement), at: period.range)
            return false
        }
        return true
    }

    fileprivate mutating func checkCondition(_ syntax: ExpressionSyntax, statement: String) -> RuleExpression? {
        guard let condition = check(syntax) else { return nil }
        guard condition.type == .yesNo else {
            report(Messages.conditionNotYesNo(statement, found: condition.type), at: syntax.range)
            return nil
        }
        return condition
    }

    mutating func checkRetry(_ syntax: RetrySyntax, existing: [RetryRule]) -> RetryRule? {
        guard let outcome = OutcomeCode(rawValue: syntax.outcome.key), OutcomeCode.retryable.contains(outcome) else {
            let suggestion = Suggestions.closest(to: syntax.outcome.key, among: OutcomeCode.retryable.map(\.rawValue))
            report(Messages.notRetryable(syntax.outcome.text, suggestion: suggestion), at: syntax.outcome.range)
            return nil
        }
        guard let after = syntax.after, let attempts = syntax.attempts else { return nil }
        guard checkPositive(after, "retry … after") else { return nil }
        if existing.contains(where: { $0.outcome == outcome }) {
            report(Messages.retryTwice(outcome.rawValue), at: syntax.outcome.range)
            return nil
        }
        return RetryRule(outcome: outcome, after: after.value, attempts: attempts.value)
    }
}
