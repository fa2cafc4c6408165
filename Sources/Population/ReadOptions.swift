import Basics
import Vocabulary

/// How extracts are read.
public struct ReadOptions: Sendable {
    /// Read every file with this profile (a built-in or custom name) instead of detecting it.
    public var profile: String?
    /// Profiles from the rules' `extract` blocks.
    public var customProfiles: [CustomProfile]
    /// A file with a larger share of rejected rows is an error (0.05 = 5%).
    public var maxRejectRate: Double
    /// The latest day a two-digit year may mean when a file has no run date and its input no
    /// extract date (usually today).
    public var today: Day?

    /// Contact-detail columns not to read at all: neither stored nor checked (a command that only
    /// evaluates cohorts whose rules do not use them). Only ``CanonicalColumn/contactDetails`` can
    /// be left out; every other column decides who is who and who is eligible.
    public var unreadContactDetails: Set<CanonicalColumn> = []

    /// Whether the read keeps each patients file's parsed rows (``Extract/parsedPatients``), for a
    /// later read of the same files to place without parsing again; each file is then parsed
    /// whole, however large.
    public var keepsParsedPatients = false

    /// The size of the parts a patients file is read in on every core; `nil` chooses
    /// (``defaultPartBytes(dataBytes:)``, and one piece for a file under ``partsFromBytes`` or on
    /// one core).
    var partBytes: Int?
    /// Rows parsed before they are placed, when a file is read in one piece.
    var batchRows = 1 << 14
    /// Whether small patients files are parsed whole on other cores ahead of their turn (see
    /// `PatientFilesAhead`); without, each is read a batch at a time when its turn comes.
    var parsesFilesAhead = true
    /// The size from which a patients file counts as large, and is read in parts; `nil` chooses
    /// (2 MiB). Tests make it small to mix large and small files.
    var partsFromBytes: Int?
    /// Whether a read may use other threads (small patients files parsed ahead, large ones in
    /// parts, the text columns of long runs of new patients copied); without, it reads everything
    /// on the calling thread: for a read that is itself one of several running at once, which must
    /// not wait on threads of the same pool.
    public var usesOtherThreads = true
    /// From how many new patients in a row their text columns are copied on every core (see
    /// `PopulationBuilder.appendPatients`). Tests make it small.
    var columnsOnEveryCoreFrom = 4096

    /// The size of the parts a file of `dataBytes` is read in, when `partBytes` does not say:
    /// eight parts a core, so that the last part parsed (while the others wait to be placed)
    /// is short, but no part under 256 KiB (each part opens the file and fills a buffer of its
    /// own) or over 2 MiB.
    func defaultPartBytes(dataBytes: Int) -> Int {
        min(2 << 20, max(256 << 10, dataBytes / (8 * Processors.active)))
    }

    /// Whether a patients file is read in parts on every core (a large file on a machine with
    /// several); a smaller one is parsed whole, on a core of its own (see `PatientFilesAhead`).
    func readsInParts(dataBytes: Int) -> Bool {
        guard usesOtherThreads else { return false }
        return partBytes != nil
            || (Processors.active > 1 && dataBytes >= (partsFromBytes ?? 2 << 20))
    }

    public init(
        profile: String? = nil, customProfiles: [CustomProfile] = [], maxRejectRate: Double = 0.05, today: Day? = nil
    ) {
        self.profile = profile
        self.customProfiles = customProfiles
        self.maxRejectRate = maxRejectRate
        self.today = today
    }
}
