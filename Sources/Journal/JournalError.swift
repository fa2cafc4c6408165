import Basics

/// Why the journal could not be opened, read or appended to.
///
/// Messages name the file and, for a bad record, its byte offset; they never quote record
/// contents, so they are safe for logs and `status.json`.
public struct JournalError: UserFacingError, Equatable {
    /// What kind of failure this is; compare with the static members (`error.code == .corruptRecord`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case corruptRecord = "corrupt record"
            case notAJournal = "not a journal"
            case unsupportedFormat = "unsupported format"
            case invalidRecord = "invalid record"
            case recordTooLarge = "record too large"
            case ioFailure = "I/O failure"
            case locked = "locked"
            case unusable = "unusable"
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// A record before the end of the file is damaged (bad checksum, impossible length, or
        /// contents that cannot be read). The journal refuses to guess what it said.
        public static let corruptRecord = Code(.corruptRecord)
        /// The file does not start with a journal header.
        public static let notAJournal = Code(.notAJournal)
        /// The file was written in a format version this build does not know (a newer outreach).
        public static let unsupportedFormat = Code(.unsupportedFormat)
        /// A record contradicts the history (an outcome for an unpublished item, a day published
        /// twice…): refused when appended, and reported with its offset if found on replay.
        public static let invalidRecord = Code(.invalidRecord)
        /// A record is larger than ``JournalFormat/maximumPayloadLength``.
        public static let recordTooLarge = Code(.recordTooLarge)
        /// A system call failed; `errno` says why.
        public static let ioFailure = Code(.ioFailure)
        /// Another process holds the journal open for writing.
        public static let locked = Code(.locked)
        /// The journal was closed, an earlier failed write could not be undone, or a sync failed;
        /// reopen it.
        public static let unusable = Code(.unusable)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// The journal file.
    public let path: String
    /// The byte offset of the record concerned, when there is one.
    public let offset: Int?
    /// What exactly is wrong, without record contents.
    public let detail: String
    /// The system's error number, for ``Code/ioFailure``.
    public let errno: Int32?
    public let exitCode: ExitCode

    init(_ code: Code, path: String, offset: Int? = nil, detail: String) {
        self.code = code
        self.path = path
        self.offset = offset
        self.detail = detail
        self.errno = nil
        switch code {
        case .locked: exitCode = .locked
        case .unusable: exitCode = .ioError
        default: exitCode = .dataError
        }
    }

    init(_ failure: FileIOError) {
        code = .ioFailure
        path = failure.path
        offset = nil
        detail = "\(FileIOError.describe(failure.errno)) (\(failure.call))"
        errno = failure.errno
        exitCode = failure.exitCode
    }

    public var message: String {
        let place = offset.map { " at byte offset \($0)" } ?? ""
        switch code {
        case .corruptRecord:
            return "\(path): error: corrupt journal record\(place): \(detail)\n"
                + "This is damage, not an interrupted write, so outreach will not guess at the history. "
                + "The file has not been changed; restore it from a backup."
        case .invalidRecord where offset != nil:
            return "\(path): error: journal record\(place) contradicts the records before it: \(detail)\n"
                + "The file has not been changed; restore it from a backup."
        case .invalidRecord:
            return "\(path): error: record refused: \(detail)"
        case .ioFailure:
            return "\(path): error: \(detail)"
        case .locked:
            return "\(path): error: the journal is open in another process (a running daemon?); "
                + "try again when it has finished"
        default:
            return "\(path): error: \(detail)"
        }
    }
}
