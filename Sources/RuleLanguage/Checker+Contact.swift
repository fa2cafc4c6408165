// Checking the contact block.

import Basics

extension Checker {
    /// Checks a `contact` block: every condition must be yes/no, as in `include if`. A wrong
    /// statement is reported and left out; the others still count (the rule set is not used while
    /// there is any error, so nothing is called on part of a block).
    mutating func checkContact(_ syntax: ContactSyntax?) -> ContactRules {
        var rules = ContactRules()
        guard let syntax else { return rules }
        for statement in syntax.statements {
            switch statement.kind {
            case .notByTelephone(let condition):
                if let checked = checkCondition(condition, statement: "not by telephone if") {
                    rules.notByTelephone.append(checked)
                }
            case .noTexts(let condition):
                if let checked = checkCondition(condition, statement: "no texts if") { rules.noTexts.append(checked) }
            case .interpreter(let language, let condition):
                if let checked = checkCondition(condition, statement: "interpreter … if") {
                    rules.interpreters.append(InterpreterRule(language: language.value, condition: checked))
                }
            }
        }
        return rules
    }
}
