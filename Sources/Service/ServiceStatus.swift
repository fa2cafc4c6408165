import Foundation
import Basics
import Journal
import Operations
import Planning
import RuleLanguage

/// What the service did last, what is queued, and what went wrong: `state/status.json`, written
/// atomically (0600) whenever it changes, and printed by `outreach status`.
///
/// It holds counts, file names, practice codes, days and error messages of the machine (never a
/// failed file's reason, which may quote its contents: that stays in `failed/NAME.error.txt`).
public struct ServiceStatus: Sendable, Equatable, Codable {
    /// Bumped when a field changes meaning.
    public var format = 1
    /// `running`, `stopped`, or `waiting for valid rules`.
    public var state: String
    public var pid: Int
    /// When the service started and when this status last changed (service time, Europe/London).
    public var started: String
    public var updated: String
    /// Whether `--now` pinned the service's clock.
    public var pinnedClock: Bool
    public var rules: Rules
    public var lastPublish: Publication?
    public var nextPublish: String?
    /// The latest extract file of each practice, by practice code, with the patients of its
    /// latest patients file.
    public var lastIngest: [PracticeIngest]
    public var lastOutcomes: OutcomeFile?
    public var queues: Queues
    /// The latest problems, newest last (at most ``maximumErrors``).
    public var errors: [Problem]
    /// Urgent concerns the duty clinician has not yet dealt with (`outbox/escalations/`).
    public var openEscalations: Int?
    /// Practices not called from because their newest extract is stale, in words (no patient data).
    public var staleExtracts: [String]?
    /// Conditions in force now that stop or skip publishing, in words (days only): a published day
    /// after today (the clock was wrong). `nil` when there are none.
    public var warnings: [String]?
    /// Inbox entries that can never be inputs and could not be moved to `failed/` (a folder, or an
    /// entry whose move failed), each as `inbox/FOLDER/NAME: why` (file names only).
    public var inboxLeft: [String]?

    public init(
        state: String, pid: Int, started: String, updated: String, pinnedClock: Bool, rules: Rules,
        lastPublish: Publication?, nextPublish: String?, lastIngest: [PracticeIngest], lastOutcomes: OutcomeFile?,
        queues: Queues, errors: [Problem]
    ) {
        self.state = state
        self.pid = pid
        self.started = started
        self.updated = updated
        self.pinnedClock = pinnedClock
        self.rules = rules
        self.lastPublish = lastPublish
        self.nextPublish = nextPublish
        self.lastIngest = lastIngest
        self.lastOutcomes = lastOutcomes
        self.queues = queues
        self.errors = errors
    }

    /// How many problems status keeps.
    public static let maximumErrors = 20

    public struct Rules: Sendable, Equatable, Codable {
        /// The version of the rules in force (the first 12 hex digits of their content hash), if any.
        public var version: String?
        /// Whether the rules folder as it is now checked without errors.
        public var valid: Bool
        /// When the folder was last checked.
        public var checked: String
        /// The errors of the last check, when not valid (the rules in force stay the older ones).
        public var errors: [String]

        public init(version: String?, valid: Bool, checked: String, errors: [String]) {
            self.version = version
            self.valid = valid
            self.checked = checked
            self.errors = errors
        }
    }

    public struct Publication: Sendable, Equatable, Codable {
        public var day: String
        public var items: Int

        public init(day: String, items: Int) {
            self.day = day
            self.items = items
        }
    }

    public struct PracticeIngest: Sendable, Equatable, Codable {
        public var practice: String
        public var file: String
        public var at: String
        public var patients: Int

        public init(practice: String, file: String, at: String, patients: Int) {
            self.practice = practice
            self.file = file
            self.at = at
            self.patients = patients
        }
    }

    public struct OutcomeFile: Sendable, Equatable, Codable {
        public var file: String
        public var at: String
        public var summary: String

        public init(file: String, at: String, summary: String) {
            self.file = file
            self.at = at
            self.summary = summary
        }
    }

    public struct Queues: Sendable, Equatable, Codable {
        /// Files in `inbox/extracts/` and `inbox/outcomes/` not yet taken.
        public var extractsWaiting: Int
        public var outcomesWaiting: Int
        /// Published items with no outcome recorded yet and not marked as not attempted.
        public var itemsAwaitingOutcome: Int
        /// Inputs in `failed/`.
        public var failedFiles: Int

        public init(extractsWaiting: Int, outcomesWaiting: Int, itemsAwaitingOutcome: Int, failedFiles: Int) {
            self.extractsWaiting = extractsWaiting
            self.outcomesWaiting = outcomesWaiting
            self.itemsAwaitingOutcome = itemsAwaitingOutcome
            self.failedFiles = failedFiles
        }

        enum CodingKeys: String, CodingKey {
            case extractsWaiting = "extracts_waiting"
            case outcomesWaiting = "outcomes_waiting"
            case itemsAwaitingOutcome = "items_awaiting_outcome"
            case failedFiles = "failed_files"
        }
    }

    public struct Problem: Sendable, Equatable, Codable {
        /// When it happened last (service time).
        public var at: String
        /// The step: `ingest`, `publish`, `rules`, `reports`, `status`, `home`.
        public var step: String
        public var message: String
        /// How many times in a row it happened.
        public var count: Int

        public init(at: String, step: String, message: String, count: Int) {
            self.at = at
            self.step = step
            self.message = message
            self.count = count
        }
    }

    enum CodingKeys: String, CodingKey {
        case format, state, pid, started, updated, rules, queues, errors
        case pinnedClock = "pinned_clock"
        case lastPublish = "last_publish"
        case nextPublish = "next_publish"
        case lastIngest = "last_ingest"
        case lastOutcomes = "last_outcomes"
        case openEscalations = "open_escalations"
        case staleExtracts = "stale_extracts"
        case warnings
        case inboxLeft = "inbox_left"
    }

    /// Records a problem: the same step and message as the latest one of that step counts up
    /// instead of filling the list. Returns whether it is new (worth a log line).
    @discardableResult
    public mutating func note(step: String, message: String, at: String) -> Bool {
        if let index = errors.lastIndex(where: { $0.step == step }), errors[index].message == message {
            errors[index].count += 1
            errors[index].at = at
            return false
        }
        errors.append(Problem(at: at, step: step, message: message, count: 1))
        if errors.count > ServiceStatus.maximumErrors { errors.removeFirst(errors.count - ServiceStatus.maximumErrors) }
        return true
    }

    // MARK: - JSON

    /// The JSON written to `status.json`: keys in a fixed order, two-space indent.
    public var json: String {
        func optional<T>(_ value: T?, _ body: (T) -> JSONValue) -> JSONValue { value.map(body) ?? .null }
        let value = JSONValue.object([
            ("format", .int(format)),
            ("state", .string(state)),
            ("pid", .int(pid)),
            ("started", .string(started)),
            ("updated", .string(updated)),
            ("pinned_clock", .bool(pinnedClock)),
            (
                "rules",
                .object([
                    ("version", .optional(rules.version)), ("valid", .bool(rules.valid)),
                    ("checked", .string(rules.checked)), ("errors", .array(rules.errors.map { .string($0) })),
                ])
            ),
            ("last_publish", optional(lastPublish) { .object([("day", .string($0.day)), ("items", .int($0.items))]) }),
            ("next_publish", .optional(nextPublish)),
            (
                "last_ingest",
                .array(
                    lastIngest.map {
                        .object([
                            ("practice", .string($0.practice)), ("file", .string($0.file)), ("at", .string($0.at)),
                            ("patients", .int($0.patients)),
                        ])
                    })
            ),
            (
                "last_outcomes",
                optional(lastOutcomes) {
                    .object([("file", .string($0.file)), ("at", .string($0.at)), ("summary", .string($0.summary))])
                }
            ),
            (
                "queues",
                .object([
                    ("extracts_waiting", .int(queues.extractsWaiting)),
                    ("outcomes_waiting", .int(queues.outcomesWaiting)),
                    ("items_awaiting_outcome", .int(queues.itemsAwaitingOutcome)),
                    ("failed_files", .int(queues.failedFiles)),
                ])
            ),
            ("open_escalations", openEscalations.map { .int($0) } ?? .null),
            ("stale_extracts", staleExtracts.map { .array($0.map { .string($0) }) } ?? .null),
            ("warnings", warnings.map { .array($0.map { .string($0) }) } ?? .null),
            ("inbox_left", inboxLeft.map { .array($0.map { .string($0) }) } ?? .null),
            (
                "errors",
                .array(
                    errors.map {
                        .object([
                            ("at", .string($0.at)), ("step", .string($0.step)), ("message", .string($0.message)),
                            ("count", .int($0.count)),
                        ])
                    })
            ),
        ])
        return value.rendered(indent: 2) + "\n"
    }

    /// Reads `status.json` as written by ``json``; `nil` when it is missing or unreadable.
    public static func read(_ path: String) -> ServiceStatus? {
        guard let bytes = try? FileIO.readAll(path) else { return nil }
        return try? JSONDecoder().decode(ServiceStatus.self, from: Data(bytes))
    }

    /// Writes `status.json` atomically, 0600.
    public func write(to path: String) throws(FileIOError) {
        try FileIO.writeAtomically(text: json, to: path)
    }
}

extension ServiceStatus {
    /// The parts that come from the journal: the latest extract of each practice and the latest
    /// published day.
    mutating func update(from history: JournalHistory, today: Day, policy: Policy) {
        openEscalations = history.openEscalations.count
        staleExtracts = ExtractFreshness.stale(history: history, policy: policy, on: today).map {
            "\($0.description) (stale after \(policy.extractsStaleAfter)): its patients are not called"
        }
        var latest: [String: ExtractIngested] = [:]
        var patients: [String: Int] = [:]
        for extract in history.extracts {
            for practice in extract.practices {
                latest[practice] = extract
                if extract.patientCount > 0 { patients[practice] = extract.patientCount }
            }
        }
        lastIngest = latest.keys.sorted().compactMap { practice in
            latest[practice].map {
                PracticeIngest(
                    practice: practice, file: $0.fileName, at: $0.at.description, patients: patients[practice] ?? 0)
            }
        }
        lastPublish = history.publishedDays.last.map {
            Publication(day: $0.description, items: history.publication(of: $0)?.itemCount ?? 0)
        }
        queues.itemsAwaitingOutcome = history.itemsAwaitingOutcome(publishedBefore: today.adding(days: 1)).count
    }

    /// The text `outreach status` prints.
    public func rendered(running: Bool?) -> String {
        var lines: [String] = []
        let stateText: String
        switch (state, running) {
        case ("stopped", _): stateText = "stopped"
        case (_, false?): stateText = "not running (it stopped without saying so: killed or crashed)"
        default: stateText = state + " (pid \(pid))"
        }
        lines.append(
            "Service:        \(stateText); started \(started), last change \(updated)"
                + (pinnedClock ? " (clock pinned with --now)" : ""))
        var rulesLine = "Rules:          " + (rules.version.map { "version \($0)" } ?? "none in force")
        rulesLine += rules.valid ? ", valid" : ", the rules folder has errors (the version above stays in force)"
        lines.append(rulesLine + " (checked \(rules.checked))")
        for error in rules.errors { lines.append("                \(error)") }
        lines.append(
            "Last publish:   " + (lastPublish.map { "\($0.day), \(Formatting.count($0.items, "item"))" } ?? "none yet"))
        if let nextPublish { lines.append("Next publish:   \(nextPublish)") }
        if lastIngest.isEmpty {
            lines.append("Last ingest:    no extract yet")
        } else {
            lines.append("Last ingest:")
            var table = TextTable(
                header: ["practice", "at", "patients", "file"], alignments: [.left, .left, .right, .left])
            for ingest in lastIngest {
                table.append([ingest.practice, ingest.at, Formatting.grouped(ingest.patients), ingest.file])
            }
            lines.append(table.render(indent: "  "))
        }
        if let lastOutcomes { lines.append("Last outcomes:  \(lastOutcomes.at) \(lastOutcomes.summary)") }
        if let open = openEscalations, open > 0 {
            lines.append(
                "URGENT:         \(Formatting.count(open, "urgent concern")) open for the duty clinician: "
                    + "see outbox/escalations/ (the newest file lists every open one)")
        }
        for stale in staleExtracts ?? [] { lines.append("Stale extract:  \(stale)") }
        for warning in warnings ?? [] { lines.append("WARNING:        \(warning)") }
        lines.append(
            "Queues:         \(Formatting.count(queues.extractsWaiting, "extract file")) and "
                + "\(Formatting.count(queues.outcomesWaiting, "returned list")) waiting in the inbox; "
                + "\(Formatting.count(queues.itemsAwaitingOutcome, "item")) awaiting outcomes; "
                + "\(Formatting.count(queues.failedFiles, "file")) in failed/")
        for left in inboxLeft ?? [] { lines.append("Left in inbox:  \(left)") }
        if errors.isEmpty {
            lines.append("Errors:         none")
        } else {
            lines.append("Errors (latest last):")
            for problem in errors {
                lines.append(
                    "  \(problem.at) \(problem.step): \(problem.message)"
                        + (problem.count > 1 ? " (×\(problem.count))" : ""))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
