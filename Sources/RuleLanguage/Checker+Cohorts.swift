// Checking cohort blocks and their statements.

import Basics
import Vocabulary

/// What checking one cohort block gave: the cohort when nothing in it was wrong, and the
/// conditions that did check, so the checks across cohorts (one no one could be in) still run on
/// a block with a mistake elsewhere in it.
struct CohortCheck {
    let id: NameSyntax
    /// `nil` when anything in the block was wrong.
    let cohort: Cohort?
    let includes: [RuleExpression]
    let excludes: [RuleExpression]
    /// Every `include if` of the block is in `includes`: none was wrong, and no line of the block
    /// was lost to a syntax error (it may have been an `include if`).
    let includesComplete: Bool
}

extension Checker {
    /// Checks every statement of a cohort block, each on its own: a mistake in one statement never
    /// stops another being checked, so one run reports every mistake in the block. A statement is
    /// reported missing only when no line of the block was lost to a syntax error.
    mutating func checkCohort(_ syntax: CohortSyntax) -> CohortCheck {
        var priority: Int?
        var sawPriority = false
        var includes: [RuleExpression] = []
        var sawInclude = false
        var includesComplete = syntax.skippedLines.isEmpty
        var excludes: [RuleExpression] = []
        var reason: Template?
        var talkAbout: Template?
        var callWithin: Period?
        var recallEvery: Period?
        var skills: [String] = []
        var whenUnreachable: String?
        var writeWhenUnreachable: Bool?
        var retries: [RetryRule] = []
        var retryOutcomes: Set<OutcomeCode> = []
        var seen: [String: SourceRange] = [:]
        var ok = true
        /// Reports a second statement of a kind that may appear once. The second is still checked
        /// on its own, as its own mistakes are not caused by its being there twice.
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
                if once("priority", statement.range, &self), let value { priority = value } else { ok = false }
            case .include(let conditionSyntax):
                sawInclude = true
                if let condition = checkCondition(conditionSyntax, statement: "include if") {
                    includes.append(condition)
                } else {
                    includesComplete = false
                    ok = false
                }
            case .exclude(let conditionSyntax):
                if let condition = checkCondition(conditionSyntax, statement: "exclude if") {
                    excludes.append(condition)
                } else {
                    ok = false
                }
            case .reason(let template):
                let first = once("reason", statement.range, &self)
                let checked = template.flatMap { checkTemplate($0) }
                if first, let checked { reason = checked } else { ok = false }
            case .talkAbout(let template):
                let first = once("talk about", statement.range, &self)
                let checked = template.flatMap { checkTemplate($0) }
                if first, let checked { talkAbout = checked } else { ok = false }
            case .callWithin(let period):
                let first = once("call within", statement.range, &self)
                let positive = period.map { checkPositive($0, "call within") } ?? false
                if first, positive, let period { callWithin = period.value } else { ok = false }
            case .recallEvery(let period):
                let first = once("recall every", statement.range, &self)
                let positive = period.map { checkPositive($0, "recall every") } ?? false
                if first, positive, let period { recallEvery = period.value } else { ok = false }
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
            case .writeWhenUnreachable(let on):
                if once("write when unreachable", statement.range, &self) {
                    writeWhenUnreachable = on
                } else {
                    ok = false
                }
            case .retry(let retry):
                guard let retry, let rule = checkRetry(retry, seen: &retryOutcomes) else {
                    ok = false
                    continue
                }
                retries.append(rule)
            }
        }
        // A line lost to a syntax error may have been the priority or the include: do not add
        // "no priority" to "unknown statement 'prority'". Any other mistake in the block (a type
        // error in a condition, a bad reason) says nothing about whether these are there.
        let couldBeMisspelt = !syntax.skippedLines.isEmpty
        if !sawPriority, !couldBeMisspelt, !syntax.id.text.isEmpty {
            report(Messages.missingPriority(syntax.id.text), at: syntax.id.range)
        }
        if !sawInclude, !couldBeMisspelt, !syntax.id.text.isEmpty {
            report(Messages.missingInclude(syntax.id.text), at: syntax.id.range)
        }
        let result = CohortCheck(
            id: syntax.id, cohort: nil, includes: includes, excludes: excludes,
            includesComplete: includesComplete && sawInclude)
        guard ok, let priority, !includes.isEmpty, !syntax.id.text.isEmpty else { return result }
        let title = syntax.title?.value ?? syntax.id.text
        let cohort = Cohort(
            id: syntax.id.key, title: title, priority: priority, includes: includes, excludes: excludes,
            reason: reason ?? .text(title), talkAbout: talkAbout, callWithin: callWithin, recallEvery: recallEvery,
            needsSkills: skills, whenUnreachable: whenUnreachable, writeWhenUnreachable: writeWhenUnreachable,
            retries: retries, range: syntax.id.range)
        return CohortCheck(
            id: syntax.id, cohort: cohort, includes: includes, excludes: excludes, includesComplete: true)
    }

    mutating func checkPositive(_ period: Located<Period>, _ statement: String) -> Bool {
        guard period.value.count >= 1 else {
            report(Messages.durationTooShort(statement), at: period.range)
            return false
        }
        return true
    }

    /// Checks a condition that must be yes/no (`include if`, `not by telephone if`, …).
    mutating func checkCondition(_ syntax: ExpressionSyntax, statement: String) -> RuleExpression? {
        guard let condition = check(syntax) else { return nil }
        guard condition.type == .yesNo else {
            report(Messages.conditionNotYesNo(statement, found: condition.type), at: syntax.range)
            return nil
        }
        return condition
    }

    /// Checks a `retry` statement's outcome and delay each on its own; `seen` holds the outcomes of
    /// the block's retries so far, wrong or not, so a second retry for one outcome is reported even
    /// when the first had a mistake of its own.
    mutating func checkRetry(_ syntax: RetrySyntax, seen: inout Set<OutcomeCode>) -> RetryRule? {
        var outcome = OutcomeCode(rawValue: syntax.outcome.key)
        if let found = outcome, OutcomeCode.retryable.contains(found) {
            if !seen.insert(found).inserted {
                report(Messages.retryTwice(found.rawValue), at: syntax.outcome.range)
                outcome = nil
            }
        } else {
            let suggestion = Suggestions.closest(to: syntax.outcome.key, among: OutcomeCode.retryable.map(\.rawValue))
            report(Messages.notRetryable(syntax.outcome.text, suggestion: suggestion), at: syntax.outcome.range)
            outcome = nil
        }
        var after = syntax.after
        if let period = after, !checkPositive(period, "retry … after") { after = nil }
        guard let outcome, let after, let attempts = syntax.attempts else { return nil }
        return RetryRule(outcome: outcome, after: after.value, attempts: attempts.value)
    }
}
