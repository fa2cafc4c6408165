import Basics
import Journal
import Planning
import Population
import RuleLanguage
import Vocabulary

/// The duty clinician's list of urgent concerns: `outbox/escalations/YYYY-MM-DD.csv`.
///
/// A worker who hears suicidal thoughts, abuse or an urgent clinical need records `urgent_concern`
/// with notes. On ingest the day's file is rewritten with every escalation still open, so the
/// newest file is always the whole list. The clinician fills in `handled_by` and returns the file
/// through `inbox/outcomes/`; each filled row records an `escalation_handled`. An escalation also
/// closes once the person has an outcome on a later list item.
public enum Escalations {
    /// The escalation file's columns. `handled_by` (and `handled_on`) are the clinician's to fill in.
    public static let columns = [
        "item_id", "raised_on", "worker", "practice", "nhs_number", "name", "date_of_birth", "phone_mobile",
        "phone_home", "notes", "handled_by", "handled_on",
    ]

    /// `outbox/escalations`.
    public static func folder(in home: Home) -> String { FileIO.join(home.outbox, "escalations") }

    /// `outbox/escalations/DAY.csv`.
    public static func file(in home: Home, on day: Day) -> String { FileIO.join(folder(in: home), "\(day).csv") }

    /// Rewrites `day`'s escalation file with every open escalation (0600, in a 0700 folder), or
    /// leaves things as they are when none is open and no file for the day exists yet, unless
    /// `evenIfNoneOpen` (some closed since the newest file: it must not go on listing them).
    /// - Parameter entries: what the clinician filled in on rows of the file being replaced, by
    ///   item id, kept on the rows still open.
    /// - Returns: the file written, if one was.
    @discardableResult
    static func write(
        _ session: HomeSession, on day: Day, evenIfNoneOpen: Bool = false,
        keeping entries: [String: ClinicianEntry] = [:]
    ) throws -> String? {
        let open = session.journal.history.openEscalations
        let path = file(in: session.home, on: day)
        guard !open.isEmpty || evenIfNoneOpen || FileIO.exists(path) else { return nil }
        let people = try details(of: Set(open.map(\.item.nhsNumber)), session: session)
        var writer = CSVWriter(lineEnd: "\r\n", neutraliseFormulas: true, byteOrderMark: true)
        writer.append(columns)
        for escalation in open {
            let item = escalation.item
            let person = people[item.nhsNumber]
            writer.append([
                item.itemId, escalation.outcome.recordedOn.description, item.worker, item.practice,
                NHSNumber.digits(item.nhsNumber), person?.name ?? "(not in the current extract)",
                person?.dateOfBirth?.description ?? "", person?.mobile ?? "", person?.home ?? "",
                escalation.outcome.notes,
                entries[item.itemId]?.handledBy ?? "", entries[item.itemId]?.handledOn ?? "",
            ])
        }
        try FileIO.createDirectory(folder(in: session.home))
        try FileIO.writeAtomically(text: writer.output, to: path)
        return path
    }

    /// Writes the escalation file again when the newest one does not list exactly the open
    /// escalations: what a run killed between recording an urgent concern and writing its file
    /// leaves, or a write that failed (the outcome is recorded all the same). The file written is
    /// `day`'s, or the newest one's if that is dated later, so that it is the newest; what the
    /// clinician has filled in on the newest file's rows (it may be edited in place) is kept.
    /// - Returns: the file written; `nil` when the newest file is right, or there is none and
    ///   nothing is open.
    @discardableResult
    public static func rewriteIfStale(_ session: HomeSession, on day: Day) throws -> String? {
        let open = Set(session.journal.history.openEscalations.map(\.item.itemId))
        let newest = (try? FileIO.listDirectory(folder(in: session.home)))?
            .compactMap { name in name.hasSuffix(".csv") ? Day(iso: String(name.dropLast(4))) : nil }.max()
        guard let newest else { return open.isEmpty ? nil : try write(session, on: day) }
        let listed = entries(listedIn: file(in: session.home, on: newest))
        if let listed, Set(listed.keys) == open { return nil }
        return try write(session, on: max(day, newest), evenIfNoneOpen: true, keeping: listed ?? [:])
    }

    /// What the duty clinician has filled in on an escalation's row.
    struct ClinicianEntry {
        let handledBy: String
        let handledOn: String
    }

    /// The rows of an escalation file by item id, with what the clinician filled in on each; `nil`
    /// when it cannot be read as one. Read as a returned one is (``ReturnedListReader``): saved
    /// with `,` or `;` (a spreadsheet's choice when the clinician saves it in place), its header
    /// perhaps under a title.
    static func entries(listedIn path: String) -> [String: ClinicianEntry]? {
        let name = FileIO.fileName(of: path)
        guard let bytes = try? FileIO.readAll(path), let separator = ReturnedListReader.separator(of: bytes, name: name)
        else { return nil }
        let reader = CSVReader(bytes: bytes, name: name, separator: separator)
        do {
            for _ in 0..<ReturnedListReader.maxRowsAboveHeader {
                guard try reader.next() else { return nil }
                let header = reader.record.map(ReturnedListReader.normalise)
                guard let item = header.firstIndex(of: "item_id"), let handledBy = header.firstIndex(of: "handled_by")
                else { continue }
                let handledOn = header.firstIndex(of: "handled_on")
                var entries: [String: ClinicianEntry] = [:]
                while try reader.next() {
                    let id = reader.string(item).trimmed
                    guard !reader.isBlank, !id.isEmpty, entries[id] == nil else { continue }
                    entries[id] = ClinicianEntry(
                        handledBy: reader.string(handledBy), handledOn: handledOn.map(reader.string) ?? "")
                }
                return entries
            }
        } catch {
            return nil
        }
        return nil
    }

    /// Who a person is, for the clinician who rings them back.
    struct Person {
        let name: String
        let dateOfBirth: Day?
        let mobile: String
        let home: String
    }

    /// Names, dates of birth and phones of `numbers` from the current patients files.
    static func details(of numbers: Set<UInt64>, session: HomeSession) throws -> [UInt64: Person] {
        guard !numbers.isEmpty else { return [:] }
        let files = ExtractStore(home: session.home).currentFiles(history: session.journal.history)
            .filter { $0.kind == .patients }.map(\.input)
        guard !files.isEmpty else { return [:] }
        let population = try ExtractReader.read(files, options: ReadOptions(maxRejectRate: 1)).population
        var found: [UInt64: Person] = [:]
        for (index, nhs) in population.nhsNumbers.enumerated() where numbers.contains(nhs) {
            let name = population.name(of: index)
            found[nhs] = Person(
                name: name, dateOfBirth: population.datesOfBirth[index], mobile: population.mobilePhones[index] ?? "",
                home: population.homePhones[index] ?? "")
        }
        return found
    }
}

extension ReturnedListReader {
    /// Reads a returned escalations file (it has `item_id` and `handled_by`, no `outcome`): each row
    /// whose `handled_by` is filled records that its escalation was dealt with.
    static func readEscalationsReturned(
        _ reader: CSVReader, header: [String], fileName: String, hash: ContentHash, history: JournalHistory,
        at: LocalDateTime
    ) throws -> ReturnedList {
        let itemColumn = header.firstIndex(of: "item_id")!
        let handledColumn = header.firstIndex(of: "handled_by")!
        var records: [JournalRecord] = []
        var rejects: [OutcomeReject] = []
        var empty = 0
        // An escalation marked handled already (earlier in the file or before): counted, not recorded again.
        var unchanged = 0
        var handled = Set<String>()
        while try reader.next() {
            if reader.isBlank { continue }
            let itemID = reader.string(itemColumn).trimmed
            let handledBy = reader.string(handledColumn).trimmed
            func reject(_ column: String, _ reason: String) {
                rejects.append(OutcomeReject(line: reader.line, column: column, itemID: itemID, reason: reason))
            }
            guard !handledBy.isEmpty else {
                empty += 1
                continue
            }
            guard !isSpreadsheetError(handledBy) else {
                reject("handled_by", "handled_by holds the spreadsheet error '\(handledBy)'")
                continue
            }
            guard history.effectiveOutcome(of: itemID)?.outcome == .urgentConcern else {
                reject("item_id", "item '\(itemID)' has no urgent_concern to mark handled")
                continue
            }
            guard history.escalationHandled(itemID) == nil, handled.insert(itemID).inserted else {
                unchanged += 1
                continue
            }
            records.append(.escalationHandled(EscalationHandled(itemId: itemID, handledBy: handledBy, on: at.day)))
        }
        return ReturnedList.ingested(
            fileName: fileName, contentHash: hash, records: records, accepted: records.count, unchanged: unchanged,
            empty: empty, rejects: rejects, at: at)
    }
}
