import Basics
import Journal
import Operations
import Planning
import RuleLanguage
import Vocabulary

/// What one simulated day did.
public struct SimulatedDay: Sendable {
    public let day: Day
    /// Calls on the lists played that day.
    public let published: Int
    /// Whether the lists were published before the simulation (it only filled them in).
    public var publishedEarlier = false
    public let ingest: [IngestResult]

    public init(day: Day, published: Int, publishedEarlier: Bool = false, ingest: [IngestResult]) {
        self.day = day
        self.published = published
        self.publishedEarlier = publishedEarlier
        self.ingest = ingest
    }
}
