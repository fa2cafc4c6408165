/// The rules' `contact` block: how a person may be reached. Each list is in file order and
/// empty when the rules say nothing (no `contact` block at all: everything empty).
public struct ContactRules: Sendable, Hashable {
    /// `not by telephone if CONDITION`: when any is yes, the person is never put on a call list.
    public var notByTelephone: [RuleExpression]
    /// `no texts if CONDITION`: when any is yes, the person is never sent a text message.
    public var noTexts: [RuleExpression]
    /// `interpreter "LANGUAGE" if CONDITION`: the first whose condition is yes names the language.
    public var interpreters: [InterpreterRule]

    public init(
        notByTelephone: [RuleExpression] = [], noTexts: [RuleExpression] = [], interpreters: [InterpreterRule] = []
    ) {
        self.notByTelephone = notByTelephone
        self.noTexts = noTexts
        self.interpreters = interpreters
    }

    /// No contact statement at all.
    public var isEmpty: Bool { notByTelephone.isEmpty && noTexts.isEmpty && interpreters.isEmpty }

    /// Every condition, in the order above: what the engine plans its event summaries for.
    public var conditions: [RuleExpression] { notByTelephone + noTexts + interpreters.map(\.condition) }
}
