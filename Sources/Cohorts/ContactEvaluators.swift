import RuleLanguage

/// The `contact` block's conditions compiled once for a run, each with its statement printed
/// for ``ContactNeeds/because``: cheap enough to ask for every cohort member.
struct ContactEvaluators: Sendable {
    struct Statement: Sendable {
        let evaluator: Evaluator
        /// As ``PrettyPrinter`` prints it: `no texts if current(sms_declined, resolved by sms_given)`.
        let text: String
    }

    let notByTelephone: [Statement]
    let noTexts: [Statement]
    let interpreters: [(language: String, statement: Statement)]

    /// No block: nothing to evaluate.
    static let empty = ContactEvaluators(notByTelephone: [], noTexts: [], interpreters: [])

    init(notByTelephone: [Statement], noTexts: [Statement], interpreters: [(language: String, statement: Statement)]) {
        self.notByTelephone = notByTelephone
        self.noTexts = noTexts
        self.interpreters = interpreters
    }

    /// Compiles every condition of `rules` with `compile`.
    init(_ rules: ContactRules, compile: (RuleExpression) throws -> Evaluator) throws {
        func statement(_ prefix: String, _ condition: RuleExpression) throws -> Statement {
            Statement(evaluator: try compile(condition), text: prefix + PrettyPrinter.print(condition))
        }
        notByTelephone = try rules.notByTelephone.map { try statement("not by telephone if ", $0) }
        noTexts = try rules.noTexts.map { try statement("no texts if ", $0) }
        interpreters = try rules.interpreters.map { rule in
            (
                rule.language,
                try statement("interpreter " + PrettyPrinter.quoted(rule.language) + " if ", rule.condition)
            )
        }
    }

    /// What the block says for one patient. Only a condition that is definitely yes holds; every
    /// statement that holds is listed in `because`, but only the first interpreter counts.
    /// Asked for every cohort member when cases are built: the statements are read in place, by
    /// index, rather than each copied out (its evaluator and text retained and released) per person.
    func needs(patient: Int) -> ContactNeeds {
        var needs = ContactNeeds()
        for index in notByTelephone.indices where notByTelephone[index].evaluator(patient).truth == true {
            needs.notByTelephone = true
            needs.because.append(notByTelephone[index].text)
        }
        for index in noTexts.indices where noTexts[index].evaluator(patient).truth == true {
            needs.noTexts = true
            needs.because.append(noTexts[index].text)
        }
        for index in interpreters.indices where interpreters[index].statement.evaluator(patient).truth == true {
            needs.interpreter = interpreters[index].language
            needs.because.append(interpreters[index].statement.text)
            break
        }
        return needs
    }
}
