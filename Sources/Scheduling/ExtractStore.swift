import Basics
import Journal
import Population

/// The current population's files: a copy of every ingested extract file in `state/extracts/`,
/// and the rule that picks the current ones: a practice's newest patients file replaces its
/// previous patients files, and its newest events file its previous events files; other
/// practices are untouched. Files ingested together (one batch: a report split over several
/// files) add to each other and replace only what came before.
public struct ExtractStore: Sendable {
    public let home: Home

    public init(home: Home) {
        self.home = home
    }

    /// The kinds of extract file, kept apart so a new patients file does not drop the events.
    public enum Kind: String, Sendable {
        case patients, events
    }

    /// One stored file.
    public struct StoredFile: Sendable, Hashable {
        public let kind: Kind
        public let practices: Set<String>
        public let path: String
    }

    /// Where an ingested file's copy lives: `state/extracts/<hash>.<kind>/<name>`.
    public func path(for hash: ContentHash, kind: Kind, fileName: String) -> String {
        FileIO.join(home.currentExtracts, "\(hash.shortHex).\(kind.rawValue)", fileName)
    }

    /// Copies an extract file into the store (0600, synced) before it is journalled.
    func store(_ bytes: [UInt8], hash: ContentHash, kind: Kind, fileName: String) throws {
        let path = path(for: hash, kind: kind, fileName: fileName)
        try FileIO.createDirectory(FileIO.parentDirectory(of: path))
        try FileIO.writeAtomically(bytes, to: path)
    }

    /// The current files, replaying the journal's extract records in order, a batch at a time.
    public func currentFiles(history: JournalHistory) -> [StoredFile] {
        history.extractBatches.reduce(into: []) { current, batch in
            current = Self.replacing(in: current, with: batch.compactMap(stored))
        }
    }

    /// `current` with the files of one batch added, and each earlier file whose practices are all
    /// covered by a batch file of its kind taken out.
    static func replacing(in current: [StoredFile], with batch: [StoredFile]) -> [StoredFile] {
        current.filter { old in !batch.contains { $0.kind == old.kind && old.practices.isSubset(of: $0.practices) } } + batch
    }

    private func stored(_ record: ExtractIngested) -> StoredFile? {
        for kind in [Kind.patients, .events] {
            let path = path(for: record.contentHash, kind: kind, fileName: record.fileName)
            if FileIO.isFile(path) { return StoredFile(kind: kind, practices: Set(record.practices), path: path) }
        }
        return nil
    }
}
