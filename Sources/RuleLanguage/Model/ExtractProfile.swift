import Basics
import Vocabulary

/// A custom extract column profile.
public struct ExtractProfile: Sendable, Hashable {
    public struct Mapping: Sendable, Hashable {
        public let sourceHeader: String
        /// A canonical column or a declared field (lower case).
        public let target: String
    }

    public let name: String
    public let mappings: [Mapping]
    public let range: SourceRange
}
