import Basics
import Journal
import Planning
import Population
import Vocabulary

/// The current population's files: a copy of every ingested extract file in `state/extracts/`,
/// and the rule that picks the current ones: a practice's newest patients file replaces its
/// previous patients files, and its newest events file its previous events files; other
/// practices are untouched. "Newest" is the journal's order, within a batch too: a backlog of
/// daily extracts ingested together leaves the last one current. (A report split over several
/// files must be joined into one file first; see the README.)
public struct ExtractStore: Sendable {
    public let home: Home

    public init(home: Home) {
        self.home = home
    }

    /// The kinds of extract file, kept apart so a new patients file does not drop the events.
    public typealias Kind = ExtractIngested.FileKind

    /// One stored file.
    public struct StoredFile: Sendable, Hashable {
        public let kind: Kind
        public let practices: Set<String>
        public let path: String
        /// The day the practice ran it: its run date, else the day it was ingested.
        public let extractDate: Day

        /// The input that reads it, dated so that it reads the same on every later day.
        public var input: ExtractInput { .file(path, extractDate: extractDate) }
    }

    /// Where an ingested file's copy lives: `state/extracts/<hash>.<kind>/<name>`.
    public func path(for hash: ContentHash, kind: Kind, fileName: String) -> String {
        FileIO.join(home.currentExtracts, "\(hash.shortHex).\(kind.rawValue)", fileName)
    }

    /// Where an input's copy lives once stored as a file of `kind`.
    func path(for staged: StagedInput, kind: Kind) -> String {
        path(for: staged.hash, kind: kind, fileName: staged.fileName)
    }

    /// Moves a batch's copies into the store, each read-only (0400), then syncs their folders
    /// together, before any is journalled: the cohorts are read from these copies, so none may
    /// change after it is recorded.
    func store(_ batch: [(staged: StagedInput, kind: Kind)]) throws(FileIOError) {
        try FileIO.createDirectory(home.currentExtracts)
        var folders = [home.currentExtracts]
        for (staged, kind) in batch {
            let path = path(for: staged, kind: kind)
            let folder = FileIO.parentDirectory(of: path)
            // Made here, synced below with the others (its parent's sync makes it durable).
            try FileIO.createDirectory(folder, syncingParent: false)
            try FileIO.setPermissions(staged.path, 0o400)
            try FileIO.move(staged.path, to: path)
            folders.append(folder)
        }
        try FileIO.syncDirectories(folders)
    }

    /// The current files, replaying the journal's extract records in order.
    public func currentFiles(history: JournalHistory) -> [StoredFile] {
        history.extracts.reduce(into: []) { current, record in
            if let file = stored(record) { current = Self.adding(file, to: current) }
        }
    }

    /// `current` with `file` added, and each earlier file of its kind whose practices it covers taken out.
    static func adding(_ file: StoredFile, to current: [StoredFile]) -> [StoredFile] {
        current.filter { !($0.kind == file.kind && $0.practices.isSubset(of: file.practices)) } + [file]
    }

    /// The stored copy a record names: from the kind it records, or (records written before the
    /// kind was kept) from the folder found on disk. A recorded kind is never second-guessed: a
    /// copy gone missing is then an error when it is read, not a practice silently left out.
    private func stored(_ record: ExtractIngested) -> StoredFile? {
        if let kind = record.fileKind {
            return StoredFile(
                kind: kind, practices: Set(record.practices),
                path: path(for: record.contentHash, kind: kind, fileName: record.fileName),
                extractDate: record.extractDate)
        }
        for kind in [Kind.patients, .events] {
            let path = path(for: record.contentHash, kind: kind, fileName: record.fileName)
            if FileIO.isFile(path) {
                return StoredFile(
                    kind: kind, practices: Set(record.practices), path: path, extractDate: record.extractDate)
            }
        }
        return nil
    }
}
