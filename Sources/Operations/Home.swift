import Basics
import Planning

/// The home folder of a deployment: rules, inbox, outbox, archive, state and logs
/// (daemon.md "Home folder"). Everything the service writes under it is 0600, folders 0700.
public struct Home: Sendable {
    /// The home folder as given.
    public let path: String

    public init(path: String) {
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    public var rules: String { FileIO.join(path, "Rules") }
    public var inbox: String { FileIO.join(path, "inbox") }
    public var extractsInbox: String { FileIO.join(path, "inbox", "extracts") }
    public var outcomesInbox: String { FileIO.join(path, "inbox", "outcomes") }
    public var outbox: String { FileIO.join(path, "outbox") }
    public var reports: String { FileIO.join(path, "reports") }
    public var archive: String { FileIO.join(path, "archive") }
    public var failed: String { FileIO.join(path, "failed") }
    public var state: String { FileIO.join(path, "state") }
    public var logs: String { FileIO.join(path, "logs") }
    /// The journal file.
    public var journal: String { FileIO.join(state, "journal") }
    /// The current population: the latest extract files of each practice.
    public var currentExtracts: String { FileIO.join(state, "extracts") }
    /// Where inputs are copied as they are hashed, until each is filed away (see `StagedInput`).
    public var incoming: String { FileIO.join(state, "incoming") }
    /// Where the daemon moves a morning's ingested inbox entries, to be removed there while it
    /// publishes (see `HomeSession.removeInputs`); what a stopped run leaves is removed at start.
    public var removing: String { FileIO.join(state, "removing") }
    /// The lock a running daemon (or one-shot command) holds.
    public var lock: String { FileIO.join(state, "lock") }
    public var statusFile: String { FileIO.join(state, "status.json") }

    /// The folder of one day's published lists.
    public func outbox(for day: Day) -> String { FileIO.join(outbox, day.description) }

    /// The hand-offs to the practices' systems (patient data): `exports/coding/`, `messages/`, `letters/`.
    public var exports: String { FileIO.join(path, "exports") }

    /// The folder of one kind of export for one day: `exports/messages/2026-11-24/`.
    public func exports(_ kind: String, for day: Day) -> String { FileIO.join(exports, kind, day.description) }

    /// Every folder of the layout, parents first.
    public var folders: [String] {
        [
            path, rules, inbox, extractsInbox, outcomesInbox, outbox, reports, archive, failed, state, currentExtracts,
            logs, exports,
        ]
    }

    /// Creates any missing folder of the layout (0700); existing ones are left alone.
    public func createFolders() throws(FileIOError) {
        for folder in folders { try FileIO.createDirectory(folder) }
    }

    /// Whether `path` looks like a home (it has a `state` folder and a `Rules` folder).
    public var exists: Bool { FileIO.isDirectory(state) && FileIO.isDirectory(rules) }

    /// Fails with a clear message (exit 66) when `path` is not a home folder.
    public func requireExists() throws(OutreachError) {
        guard exists else {
            throw OutreachError(
                "\(path) is not an outreach home folder (no Rules/ and state/); create one with 'outreach init \(path)'",
                exitCode: .noInput)
        }
    }
}

extension Home {
    /// Creates a home: the folder layout (0700) and a copy of `rules` as its `Rules/`.
    /// - Throws: `OutreachError` (73) when `path` already holds a home or files, so nothing is overwritten.
    public static func create(at path: String, rulesFrom rules: String) throws -> Home {
        let home = Home(path: path)
        if FileIO.isDirectory(path), !(try FileIO.listDirectory(path)).isEmpty {
            throw OutreachError(
                "\(path) already exists and is not empty; choose a new folder for the home", exitCode: .cannotCreate)
        }
        guard FileIO.isDirectory(rules) else {
            throw OutreachError(
                "the example rules folder \(rules) does not exist (give one with --rules DIR)", exitCode: .noInput)
        }
        try home.createFolders()
        try FileIO.copyTree(from: rules, to: home.rules)
        return home
    }
}
