import Basics
import Journal
import Operations
import Planning
import RuleLanguage
import Vocabulary

/// What one simulated day did.
public struct SimulatedDay: Sendable {
    public let day: Day
    public let published: Int
    public let ingest: [IngestResult]
}
