import Basics
import Vocabulary

/// A named value or condition.
public struct Define: Sendable, Hashable {
    public let name: String
    public let expression: RuleExpression
    public let range: SourceRange
}
