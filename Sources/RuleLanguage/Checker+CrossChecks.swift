// Checks across the whole rule set: skills, recall, empty cohorts, unused names.

import Basics

extension Checker {
    /// Checks across the rule set. Every cohort block is looked at, including those with mistakes
    /// of their own and those whose name is wrong: what is checked here does not depend on those.
    mutating func crossCheck(cohorts: [CohortCheck], policy: Policy) {
        let allCohortSyntax = cohortSyntax + misnamedCohorts
        // A skill some cohort needs that no worker has. A worker whose name is wrong still counts as
        // having its skills: once its name is put right, it does.
        let workerSkills = Set(
            (workerSyntax + misnamedWorkers).flatMap { worker in
                worker.statements.flatMap { statement -> [String] in
                    if case .skills(let names) = statement.kind { return names.map(\.key) }
                    return []
                }
            })
        for syntax in allCohortSyntax where !syntax.id.text.isEmpty {
            for statement in syntax.statements {
                guard case .needsSkill(let skill?) = statement.kind, !workerSkills.contains(skill.key) else { continue }
                let suggestion = Suggestions.closest(to: skill.key, among: workerSkills.sorted())
                report(
                    Messages.skillNobodyHas(skill.text, cohort: syntax.id.text, suggestion: suggestion), at: skill.range
                )
            }
        }
        // Recall shorter than the rest between calls.
        for syntax in allCohortSyntax {
            for statement in syntax.statements {
                guard case .recallEvery(let period?) = statement.kind, period.value.count >= 1,
                    period.value.approximateDays < policy.rest.approximateDays
                else { continue }
                report(
                    Messages.recallShorterThanRest(period.value.description, rest: policy.rest.description),
                    at: period.range)
            }
        }
        // Cohorts no one could ever be in.
        var defines: [String: RuleExpression] = [:]
        for (name, state) in defineStates {
            if case .done(let expression?) = state { defines[name] = expression }
        }
        for checked in cohorts where !checked.id.text.isEmpty {
            if let reason = Feasibility.whyEmpty(
                includes: checked.includes, excludes: checked.excludes, includesComplete: checked.includesComplete,
                defines: defines)
            {
                report(Messages.cohortAlwaysEmpty(checked.id.text, reason: reason), at: checked.id.range)
            }
        }
        // Declarations never used.
        for (key, symbol) in symbols.sorted(by: { $0.key < $1.key }) where !used.contains(key) {
            switch symbol.kind {
            case .codelist where codelists[key] == nil, .lookup where lookups[key] == nil:
                continue  // failed to load: already reported
            case .define, .codelist, .lookup, .field:
                report(Messages.neverUsed(symbol.name.text, kind: symbol.kind.rawValue), at: symbol.name.range)
            case .cohort, .worker:
                break
            }
        }
        if workerSyntax.isEmpty, misnamedWorkers.isEmpty, let first = cohortSyntax.first {
            report(Messages.noWorkers, at: first.id.range)
        }
    }
}
