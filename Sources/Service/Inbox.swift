import Basics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file's size and modification time (nanoseconds) as one poll saw them.
public struct FileObservation: Hashable, Sendable {
    public var size: Int
    public var modified: Int

    public init(size: Int, modified: Int) {
        self.size = size
        self.modified = modified
    }
}

/// What one look at an inbox folder found: the input files and the `.done` markers.
public struct InboxListing: Sendable, Equatable {
    /// Candidate input files by name (see ``InboxFolder/isCandidate(_:)``).
    public var files: [String: FileObservation]
    /// Names that have a `NAME.done` marker beside them (the marked name, without `.done`).
    public var markers: Set<String>

    public init(files: [String: FileObservation] = [:], markers: Set<String> = []) {
        self.files = files
        self.markers = markers
    }
}

/// Reading an inbox folder.
public enum InboxFolder {
    /// The suffix of a marker file that says "NAME is complete": `NAME.done`.
    public static let markerSuffix = ".done"

    /// Whether a name in an inbox is an input to consider: not hidden, not a marker, and not one of
    /// the temporary names copy tools and editors use while a file is still being written.
    public static func isCandidate(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("."), !name.hasSuffix(markerSuffix), !name.hasSuffix("~") else {
            return false
        }
        let lower = name.lowercased()
        for suffix in [".tmp", ".temp", ".part", ".partial", ".filepart", ".crdownload", ".swp"]
        where lower.hasSuffix(suffix) {
            return false
        }
        return !lower.contains(".tmp-")
    }

    /// Lists a folder: regular files only (symbolic links and folders are never inputs).
    public static func list(_ folder: String) throws(FileIOError) -> InboxListing {
        var listing = InboxListing()
        for name in try FileIO.listDirectory(folder) {
            let path = FileIO.join(folder, name)
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            if name.hasSuffix(markerSuffix), !name.hasPrefix(".") {
                listing.markers.insert(String(name.dropLast(markerSuffix.count)))
            } else if isCandidate(name) {
                listing.files[name] = FileObservation(
                    size: Int(info.st_size),
                    modified: Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec))
            }
        }
        return listing
    }
}

/// Decides which inbox files are complete, poll by poll: a file is taken once its size and
/// modification time are the same on two polls in a row, or as soon as a `NAME.done` marker
/// stands beside it. An empty file is taken only with a marker (a copy that has just begun looks
/// like one). Pure: tests drive it with listings, no files or clocks.
public struct InboxTracker: Sendable, Equatable {
    private var previous: [String: FileObservation] = [:]
    private var orphanMarkers: Set<String> = []

    public init() {}

    /// What one poll decided.
    public struct Decision: Sendable, Equatable {
        /// Complete files to ingest now, sorted by name.
        public var ready: [String] = []
        /// Files seen but not yet known to be complete, sorted by name.
        public var waiting: [String] = []
        /// Markers (full names, with `.done`) whose file has been absent on two polls in a row:
        /// left over from a file already taken, to be removed.
        public var staleMarkers: [String] = []

        public init(ready: [String] = [], waiting: [String] = [], staleMarkers: [String] = []) {
            self.ready = ready
            self.waiting = waiting
            self.staleMarkers = staleMarkers
        }
    }

    /// Takes in a new listing of the folder and says what is ready.
    public mutating func poll(_ listing: InboxListing) -> Decision {
        var decision = Decision()
        for (name, seen) in listing.files.sorted(by: { $0.key < $1.key }) {
            let marked = listing.markers.contains(name)
            let stable = previous[name] == seen && seen.size > 0
            if marked || stable {
                decision.ready.append(name)
            } else {
                decision.waiting.append(name)
            }
        }
        let orphans = listing.markers.filter { listing.files[$0] == nil }
        decision.staleMarkers = orphans.intersection(orphanMarkers).sorted().map { $0 + InboxFolder.markerSuffix }
        orphanMarkers = orphans
        previous = listing.files
        return decision
    }

    /// Forgets what was seen of a file, so it must look complete afresh (after it was taken, or
    /// when it comes back under the same name).
    public mutating func forget(_ name: String) {
        previous[name] = nil
    }
}
