import Basics
import Vocabulary

/// A list of codes from a CSV file or written inline.
public struct Codelist: Sendable, Hashable {
    public let name: String
    /// The codes in file order, each once.
    public let codes: [String]
    /// The same codes as a set, for matching.
    public let codeSet: Set<String>
    /// The file, relative to the rules folder; `nil` for an inline list.
    public let sourcePath: String?
    /// Whether every code is a valid SNOMED CT concept id.
    public let looksSNOMED: Bool
    /// The declaration's name in the rule file.
    public let range: SourceRange
}
