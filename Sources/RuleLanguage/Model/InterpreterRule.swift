/// `interpreter "Polish" if CONDITION` in the `contact` block: the language a person needs an
/// interpreter for when the condition is yes.
public struct InterpreterRule: Sendable, Hashable {
    /// As written in the rules, such as `Polish` or `British Sign Language`.
    public let language: String
    /// A yes/no condition.
    public let condition: RuleExpression

    public init(language: String, condition: RuleExpression) {
        self.language = language
        self.condition = condition
    }
}
