import Basics
import Vocabulary

/// An extra patient column declared with `field`.
public struct Field: Sendable, Hashable {
    public let name: String
    public let type: ValueType
    /// The column header to read (`from "…"`), or `nil` for the column whose normalised header is `name`.
    public let sourceHeader: String?
    public let range: SourceRange
}
