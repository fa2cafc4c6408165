import Basics
import Vocabulary

/// A checked rule set: everything the later stages need, with no errors in it.
public struct RuleSet: Sendable {
    /// The rules folder as given.
    public let directory: String
    /// Every rule file, for source text and locations.
    public let sources: SourceFiles
    public let codelists: [String: Codelist]
    public let lookups: [String: Lookup]
    public let fields: [String: Field]
    public let defines: [String: Define]
    /// Define names with every define after the defines it uses: compile in this order.
    public let defineOrder: [String]
    /// Sorted by priority, then id.
    public let cohorts: [Cohort]
    public let team: Team
    /// Sorted by id.
    public let workers: [Worker]
    public let policy: Policy
    public let extractProfiles: [ExtractProfile]
    /// The `contact` block: who is not to be rung or texted, and who needs an interpreter
    /// (empty when the rules have no `contact` block).
    public let contact: ContactRules
    /// In file order.
    public let examples: [RuleExample]
    /// SHA-256 of every rule file and every file they read, with their relative paths: the rule
    /// set's identity in the journal (the digest of nothing until the loader has read the folder).
    public internal(set) var contentHash: ContentHash
    /// The files the rules read besides themselves (codelists, lookups), relative to the folder,
    /// sorted: with the rule files, what ``contentHash`` covers.
    public internal(set) var dataFiles: [String] = []

    /// A short version string for people: the first 12 hex digits of ``contentHash``.
    public var version: String { contentHash.shortHex }

    /// The exact source text of any node: what `explain` prints for a condition.
    public func sourceText(of range: SourceRange) -> String { sources.text(range) }

    /// `path:line:col` of a node.
    public func location(of range: SourceRange) -> String { sources.describe(range) }

    public func cohort(_ id: String) -> Cohort? { cohorts.first { $0.id == id.lowercased() } }
}
