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

/// An entry in an inbox that can never be an input: not a regular file, or a name that is not
/// UTF-8. The service moves it to `failed/` with the reason, or (a folder) names it in its status.
public struct InboxOddity: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case symbolicLink = "a symbolic link"
        case fifo = "a named pipe (FIFO)"
        case folder = "a folder"
        case special = "a socket or device"
        case badName = "a file whose name is not UTF-8 text"
    }

    /// The name as the log may show it: invalid bytes replaced by `?`.
    public var name: String
    /// The name's bytes as they are on disk.
    public var rawName: [UInt8]
    public var kind: Kind

    public init(name: String, rawName: [UInt8], kind: Kind) {
        self.name = name
        self.rawName = rawName
        self.kind = kind
    }
}

/// What one look at an inbox folder found: the input files and the `.done` markers.
public struct InboxListing: Sendable, Equatable {
    /// Candidate input files by name (see ``InboxFolder/isCandidate(_:)``).
    public var files: [String: FileObservation]
    /// Names that have a `NAME.done` marker beside them (the marked name, without `.done`).
    public var markers: Set<String>
    /// Entries that are not hidden but can never be inputs, sorted by name.
    public var oddities: [InboxOddity]

    public init(files: [String: FileObservation] = [:], markers: Set<String> = [], oddities: [InboxOddity] = []) {
        self.files = files
        self.markers = markers
        self.oddities = oddities
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

    /// Lists a folder: regular files only are inputs; symbolic links, pipes, folders and names
    /// that are not UTF-8 are never inputs, and are listed as oddities (unless hidden).
    public static func list(_ folder: String) throws(FileIOError) -> InboxListing {
        var listing = InboxListing()
        for raw in try rawNames(folder) {
            guard let name = String(validating: raw, as: UTF8.self) else {
                if raw.first != UInt8(ascii: ".") {
                    listing.oddities.append(
                        InboxOddity(name: printable(raw), rawName: raw, kind: .badName))
                }
                continue
            }
            let path = FileIO.join(folder, name)
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            let type = info.st_mode & S_IFMT
            guard type == S_IFREG else {
                if !name.hasPrefix(".") {
                    let kind: InboxOddity.Kind =
                        switch type {
                        case S_IFLNK: .symbolicLink
                        case S_IFIFO: .fifo
                        case S_IFDIR: .folder
                        default: .special
                        }
                    listing.oddities.append(InboxOddity(name: name, rawName: raw, kind: kind))
                }
                continue
            }
            if name.hasSuffix(markerSuffix), !name.hasPrefix(".") {
                listing.markers.insert(String(name.dropLast(markerSuffix.count)))
            } else if isCandidate(name) {
                listing.files[name] = FileObservation(
                    size: Int(info.st_size),
                    modified: Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec))
            }
        }
        listing.oddities.sort { $0.rawName.lexicographicallyPrecedes($1.rawName) }
        return listing
    }

    /// The names in a folder as bytes, as they are on disk (without `.` and `..`).
    static func rawNames(_ folder: String) throws(FileIOError) -> [[UInt8]] {
        guard let directory = opendir(folder) else {
            throw FileIOError(call: "opendir", path: folder, errno: errno)
        }
        defer { closedir(directory) }
        var names: [[UInt8]] = []
        while let entry = readdir(directory) {
            let raw = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix(while: { $0 != 0 })) }
            if raw != [46], raw != [46, 46] { names.append(raw) }
        }
        return names
    }

    /// A name for the log and the status: bytes that are not UTF-8, and control characters, as `?`.
    static func printable(_ raw: [UInt8]) -> String {
        String(
            String(decoding: raw, as: UTF8.self).map {
                $0 == "\u{FFFD}" || $0.isASCII && ($0.asciiValue! < 32 || $0.asciiValue! == 127) ? "?" : $0
            })
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
