// Checks across the whole rule set: skills, recall, empty cohorts, unused names.

import Basics

extension Checker {
    mutating func crossCheck(cohorts: [Cohort], workers: [Worker], policy: Policy) {
        // A skill some cohort needs that no worker has.
        let workerSkills = Set(
            workerSyntax.flatMap { worker in
                worker.statements.flatMap { statement -> [String] in
                    if case .skills(let names) = statement.kind { return names.map(\.key) }
                    return []
                }
            })
        for syntax in cohortSyntax {
            for statement in syntax.statements {
                guard case .needsSkill(let skill?) = statement.kind, !workerSkills.contains(skill.key) else { continue }
                let suggestion = Suggestions.closest(to: skill.key, among: workerSkills.sorted())
                report(
                    Messages.skillNobodyHas(skill.text, cohort: syntax.id.text, suggestion: suggestion), at: skill.range
                )
            }
        }
        // Recall shorter than the rest between calls.
        for syntax in cohortSyntax {
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
        for cohort in cohorts {
            if let reason = Feasibility.whyEmpty(cohort, defines: defines) {
                report(
                    Messages.cohortAlwaysEmpty(cohortIDs[cohort.id]?.text ?? cohort.id, reason: reason),
                    at: cohort.range)
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
        if workerSyntax.isEmpty, let first = cohortSyntax.first {
            report(Messages.noWorkers, at: first.id.range)
        }
    }
}
