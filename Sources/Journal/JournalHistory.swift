import Basics
import Vocabulary

/// What the journal's records add up to, for the scheduler's questions: who joined which cohort
/// when, which days are published, what became of each item, which files were already ingested.
///
/// Built by replaying the records in order when a journal is opened or read, and kept up to date
/// by appends; every answer is a dictionary look-up. It holds no more than the records
/// themselves, so memory grows with the history, not with the population.
public struct JournalHistory: Equatable, Sendable {
    /// How many records the history is built from.
    public private(set) var recordCount = 0
    private var kindCounts = [Int](repeating: 0, count: JournalRecord.Kind.allCases.count + 1)

    /// Every rule set adopted, oldest first.
    public private(set) var ruleSets: [RuleSetAdopted] = []
    /// Every extract ingested, oldest first: replaying them in order gives the current population's files.
    public private(set) var extracts: [ExtractIngested] = []
    private var ingested: [ContentHash: IngestedFile] = [:]
    private var extractsByPractice: [String: ExtractIngested] = [:]
    private var persons: [UInt64: PersonHistory] = [:]

    /// Every published day, in order.
    public private(set) var publishedDays: [Day] = []
    private var publications: [Day: DayPublished] = [:]

    private var items: [ItemPublished] = []
    private var itemIndexes: [String: Int] = [:]
    private var itemIndexesByDay: [Day: [Int]] = [:]
    /// Per item: the index in `outcomes` of its effective (latest) outcome, or -1.
    private var latestOutcomes: [Int] = []
    /// Per item: the index in `notAttempted` of its latest not-attempted record, or -1.
    private var latestNotAttempted: [Int] = []
    private var outcomes: [StoredOutcome] = []
    private var notAttempted: [ItemNotAttempted] = []
    /// Items whose escalation was recorded as handled.
    private var escalationsHandled: [String: EscalationHandled] = [:]
    /// Per person: the latest call a text announced.
    private var announcements: [UInt64: CallAnnounced] = [:]

    /// An empty history: a new journal's.
    public init() {}

    // MARK: - Records and rules

    /// How many records of a kind the history holds.
    public func count(of kind: JournalRecord.Kind) -> Int {
        kindCounts[Int(kind.wireCode)]
    }

    /// The rule set in force: the last one adopted.
    public var currentRuleSet: RuleSetAdopted? { ruleSets.last }

    // MARK: - Ingested files

    /// A file recorded as ingested, found by its content hash.
    public enum IngestedFile: Hashable, Sendable {
        case extract(ExtractIngested)
        case outcomeFile(OutcomeFileIngested)
    }

    /// Whether a file with these bytes was already ingested (as an extract or a returned list):
    /// ingesting it again must change nothing.
    public func hasIngested(_ contentHash: ContentHash) -> Bool {
        ingested[contentHash] != nil
    }

    /// The ingest record of the file with these bytes, if it was ingested.
    public func ingestedFile(_ contentHash: ContentHash) -> IngestedFile? {
        ingested[contentHash]
    }

    /// The latest extract that covered a practice (ODS code), for status and "last ingest per practice".
    public func latestExtract(forPractice practice: String) -> ExtractIngested? {
        extractsByPractice[practice]
    }

    // MARK: - Cohorts

    /// A person's history in one cohort.
    public struct Membership: Hashable, Sendable {
        public var cohort: String
        /// The first day the person joined: "call within" counts from here.
        public var firstJoined: Day
        /// The day the current (or, after leaving, the last) stay began: after a `declined`, a
        /// cohort joined later starts fresh from this day.
        public var latestJoined: Day
        /// The day the person last left, or `nil` while they are a member.
        public var leftOn: Day?

        public init(cohort: String, firstJoined: Day, latestJoined: Day, leftOn: Day?) {
            self.cohort = cohort
            self.firstJoined = firstJoined
            self.latestJoined = latestJoined
            self.leftOn = leftOn
        }

        /// Whether the person is in the cohort now.
        public var isCurrent: Bool { leftOn == nil }
    }

    /// A person's history in a cohort, or `nil` if they never joined it.
    public func membership(of nhsNumber: UInt64, in cohort: String) -> Membership? {
        persons[nhsNumber]?.memberships.first { $0.cohort == cohort }
    }

    /// Every cohort a person ever joined, in the order of first joining.
    public func memberships(of nhsNumber: UInt64) -> [Membership] {
        persons[nhsNumber]?.memberships ?? []
    }

    /// The NHS numbers of everyone with a cohort or item in the journal, in no particular order.
    public var people: some Collection<UInt64> { persons.keys }

    // MARK: - Published days and items

    /// Whether a day's lists were published: a published day is never planned again.
    public func isPublished(_ day: Day) -> Bool {
        publications[day] != nil
    }

    /// The publish record of a day.
    public func publication(of day: Day) -> DayPublished? {
        publications[day]
    }

    /// The number of items published.
    public var itemCount: Int { items.count }

    /// A published item by its id.
    public func item(_ itemId: String) -> ItemPublished? {
        itemIndexes[itemId].map { items[$0] }
    }

    /// A person's items, in the order they were published.
    public func items(of nhsNumber: UInt64) -> [ItemPublished] {
        (persons[nhsNumber]?.items ?? []).map { items[$0] }
    }

    /// The items on a day's lists, in the order they were published.
    public func items(on day: Day) -> [ItemPublished] {
        (itemIndexesByDay[day] ?? []).map { items[$0] }
    }

    /// What became of an item so far.
    public enum ItemStatus: Hashable, Sendable {
        /// No outcome recorded and not marked as not attempted.
        case awaitingOutcome
        /// Marked not attempted, and no outcome recorded since.
        case notAttempted(ItemNotAttempted)
        /// The effective outcome: the latest recorded (earlier ones are superseded).
        case outcome(OutcomeRecorded)
    }

    /// An item's status, or `nil` for an id that was never published. An outcome always wins over
    /// a not-attempted mark, whatever their order: a list returned late still counts.
    public func status(of itemId: String) -> ItemStatus? {
        guard let index = itemIndexes[itemId] else { return nil }
        if latestOutcomes[index] >= 0 { return .outcome(outcomes[latestOutcomes[index]].record) }
        if latestNotAttempted[index] >= 0 { return .notAttempted(notAttempted[latestNotAttempted[index]]) }
        return .awaitingOutcome
    }

    /// The effective outcome of an item: the latest recorded, which supersedes any earlier one.
    public func effectiveOutcome(of itemId: String) -> OutcomeRecorded? {
        guard let index = itemIndexes[itemId], latestOutcomes[index] >= 0 else { return nil }
        return outcomes[latestOutcomes[index]].record
    }

    /// Every outcome recorded for an item, oldest first; the last is the effective one.
    public func outcomeHistory(of itemId: String) -> [OutcomeRecorded] {
        guard let index = itemIndexes[itemId] else { return [] }
        var chain: [OutcomeRecorded] = []
        var next = latestOutcomes[index]
        while next >= 0 {
            chain.append(outcomes[next].record)
            next = outcomes[next].superseded
        }
        return chain.reversed()
    }

    /// Whether recording `candidate` would tell the journal something new: true when its item has
    /// no outcome yet or the effective one says something different. Recording the same outcome
    /// again (a list returned twice with the same row) is not a supersession and is skipped.
    public func isNewInformation(_ candidate: OutcomeRecorded) -> Bool {
        guard let current = effectiveOutcome(of: candidate.itemId) else { return true }
        return !current.saysTheSame(as: candidate)
    }

    /// Items published on days before `day` still awaiting an outcome: at the morning run these
    /// are the lists that did not come back, to be marked ``NotAttemptedReason/notReturned``.
    public func itemsAwaitingOutcome(publishedBefore day: Day) -> [ItemPublished] {
        items.indices.filter { index in
            items[index].day < day && latestOutcomes[index] < 0 && latestNotAttempted[index] < 0
        }.map { items[$0] }
    }

    // MARK: - Escalations

    /// An `urgent_concern` outcome the duty clinician must act on, with the item it was recorded for.
    public struct Escalation: Hashable, Sendable {
        public let item: ItemPublished
        public let outcome: OutcomeRecorded
    }

    /// Escalations not yet dealt with, oldest first. One stays open until an `escalation_handled`
    /// record names its item, or the same person has an outcome on a later list item (someone
    /// has spoken to them since). Superseding the item's outcome with another also closes it.
    public var openEscalations: [Escalation] {
        var open: [Escalation] = []
        for (index, item) in items.enumerated() {
            guard latestOutcomes[index] >= 0 else { continue }
            let outcome = outcomes[latestOutcomes[index]].record
            guard outcome.outcome == .urgentConcern, escalationsHandled[item.itemId] == nil else { continue }
            let later = (persons[item.nhsNumber]?.items ?? []).contains { $0 > index && latestOutcomes[$0] >= 0 }
            if !later { open.append(Escalation(item: item, outcome: outcome)) }
        }
        return open
    }

    /// The calls texts announced for `day`, by NHS number: each person's latest announcement.
    public func announcements(for day: Day) -> [CallAnnounced] {
        announcements.values.filter { $0.day == day }.sorted { $0.nhsNumber < $1.nhsNumber }
    }

    /// The latest call a text announced to this person, kept or not.
    public func announcedCall(of nhsNumber: UInt64) -> CallAnnounced? {
        announcements.isEmpty ? nil : announcements[nhsNumber]
    }

    /// The record that closed an item's escalation, if one did.
    public func escalationHandled(_ itemId: String) -> EscalationHandled? {
        escalationsHandled[itemId]
    }

    // MARK: - Building

    /// Checks a record read back from the file and adds it, or says why it cannot follow the
    /// history (a file written by a faulty build, or damage that kept its checksum).
    mutating func replay(_ record: JournalRecord) -> String? {
        if let problem = problem(with: record, pending: PendingRecords()) { return problem }
        apply(record)
        return nil
    }

    /// Adds one record at the end of the history. The journal calls this after checking the
    /// record with ``problem(with:pending:)``; it trusts what it is given.
    mutating func apply(_ record: JournalRecord) {
        recordCount += 1
        kindCounts[Int(record.kind.wireCode)] += 1
        switch record {
        case .ruleSetAdopted(let record):
            ruleSets.append(record)
        case .extractIngested(let record):
            ingested[record.contentHash] = .extract(record)
            extracts.append(record)
            for practice in record.practices { extractsByPractice[practice] = record }
        case .outcomeFileIngested(let record):
            ingested[record.contentHash] = .outcomeFile(record)
        case .cohortJoined(let change):
            persons[change.nhsNumber, default: PersonHistory()].join(change.cohort, on: change.day)
        case .cohortLeft(let change):
            persons[change.nhsNumber, default: PersonHistory()].leave(change.cohort, on: change.day)
        case .dayPublished(let record):
            publications[record.day] = record
            if let last = publishedDays.last, record.day < last {
                publishedDays.insert(
                    record.day, at: publishedDays.firstIndex { $0 > record.day } ?? publishedDays.count)
            } else {
                publishedDays.append(record.day)
            }
        case .itemPublished(let record):
            let index = items.count
            items.append(record)
            latestOutcomes.append(-1)
            latestNotAttempted.append(-1)
            itemIndexes[record.itemId] = index
            itemIndexesByDay[record.day, default: []].append(index)
            persons[record.nhsNumber, default: PersonHistory()].items.append(index)
        case .outcomeRecorded(let record):
            guard let index = itemIndexes[record.itemId] else { return }
            outcomes.append(StoredOutcome(record: record, superseded: latestOutcomes[index]))
            latestOutcomes[index] = outcomes.count - 1
        case .itemNotAttempted(let record):
            guard let index = itemIndexes[record.itemId] else { return }
            notAttempted.append(record)
            latestNotAttempted[index] = notAttempted.count - 1
        case .escalationHandled(let record):
            escalationsHandled[record.itemId] = record
        case .callAnnounced(let record):
            announcements[record.nhsNumber] = record
        }
    }

    /// Why `record` cannot follow this history (and the records of its batch already checked,
    /// `pending`), or `nil` when it can. The text names items, cohorts, days and files, never a person.
    func problem(with record: JournalRecord, pending: PendingRecords) -> String? {
        switch record {
        case .ruleSetAdopted:
            return nil
        case .extractIngested(let record):
            return alreadyIngested(record.contentHash, record.fileName, pending)
        case .outcomeFileIngested(let record):
            return alreadyIngested(record.contentHash, record.fileName, pending)
        case .cohortJoined(let change):
            guard !isMember(change, pending) else {
                return "cohort_joined for someone already in cohort '\(change.cohort)' (day \(change.day))"
            }
            return nil
        case .cohortLeft(let change):
            guard isMember(change, pending) else {
                return "cohort_left for someone not in cohort '\(change.cohort)' (day \(change.day))"
            }
            return nil
        case .dayPublished(let record):
            if isPublished(record.day) || pending.isPublished(record.day) {
                return "day \(record.day) is already published"
            }
            // Items for a published day are refused, so all of an unpublished day's items await this record.
            let recorded = (itemIndexesByDay[record.day]?.count ?? 0) + pending.unsealedItemCount(record.day)
            guard recorded == record.itemCount else {
                return
                    "day \(record.day) published with \(record.itemCount) items, but \(recorded) were recorded for it"
            }
            return nil
        case .itemPublished(let record):
            if itemIndexes[record.itemId] != nil || pending.nhsNumber(ofItem: record.itemId) != nil {
                return "item '\(record.itemId)' was already published"
            }
            if isPublished(record.day) || pending.isPublished(record.day) {
                return "item '\(record.itemId)' is for day \(record.day), which is already published"
            }
            guard record.attempt >= 1 else { return "item '\(record.itemId)' has attempt \(record.attempt)" }
            return nil
        case .outcomeRecorded(let record):
            guard
                let nhsNumber = itemIndexes[record.itemId].map({ items[$0].nhsNumber })
                    ?? pending.nhsNumber(ofItem: record.itemId)
            else { return "outcome for item '\(record.itemId)', which was never published" }
            if nhsNumber != record.nhsNumber {
                return "outcome for item '\(record.itemId)' gives a different NHS number from the item's"
            }
            if (record.outcome == .callBack) != (record.callBackOn != nil) {
                return record.outcome == .callBack
                    ? "outcome call_back for item '\(record.itemId)' has no call-back day"
                    : "outcome for item '\(record.itemId)' has a call-back day but is not call_back"
            }
            return nil
        case .itemNotAttempted(let record):
            guard itemIndexes[record.itemId] != nil || pending.nhsNumber(ofItem: record.itemId) != nil else {
                return "item_not_attempted for item '\(record.itemId)', which was never published"
            }
            return nil
        case .escalationHandled(let record):
            guard itemIndexes[record.itemId] != nil else {
                return "escalation_handled for item '\(record.itemId)', which was never published"
            }
            return nil
        case .callAnnounced(let record):
            if isPublished(record.day) || pending.isPublished(record.day) {
                return "call_announced for day \(record.day), which is already published"
            }
            return nil
        }
    }

    private func alreadyIngested(_ hash: ContentHash, _ fileName: String, _ pending: PendingRecords) -> String? {
        guard hasIngested(hash) || pending.hasIngested(hash) else { return nil }
        return "file '\(fileName)' (sha256 \(hash.shortHex)) was already ingested"
    }

    private func isMember(_ change: CohortMembershipChange, _ pending: PendingRecords) -> Bool {
        pending.isMember(change) ?? membership(of: change.nhsNumber, in: change.cohort)?.isCurrent ?? false
    }
}

/// What the records of a batch being appended change, so each can be checked against the
/// history plus the records before it in the batch before any is written.
///
/// Replay checks each record with an empty one; its look-ups test for emptiness first, so that
/// costs no hashing.
struct PendingRecords {
    private var contentHashes: Set<ContentHash> = []
    private var memberships: [MembershipKey: Bool] = [:]
    private var publishedDays: Set<Day> = []
    private var unsealedItemCounts: [Day: Int] = [:]
    /// Item id → NHS number.
    private var items: [String: UInt64] = [:]

    func hasIngested(_ hash: ContentHash) -> Bool {
        !contentHashes.isEmpty && contentHashes.contains(hash)
    }

    /// Whether the batch makes the person a member (`true`), not a member (`false`), or neither (`nil`).
    func isMember(_ change: CohortMembershipChange) -> Bool? {
        memberships.isEmpty ? nil : memberships[MembershipKey(nhsNumber: change.nhsNumber, cohort: change.cohort)]
    }

    func isPublished(_ day: Day) -> Bool {
        !publishedDays.isEmpty && publishedDays.contains(day)
    }

    func unsealedItemCount(_ day: Day) -> Int {
        unsealedItemCounts.isEmpty ? 0 : unsealedItemCounts[day, default: 0]
    }

    func nhsNumber(ofItem itemId: String) -> UInt64? {
        items.isEmpty ? nil : items[itemId]
    }

    mutating func note(_ record: JournalRecord) {
        switch record {
        case .ruleSetAdopted: break
        case .extractIngested(let record): contentHashes.insert(record.contentHash)
        case .outcomeFileIngested(let record): contentHashes.insert(record.contentHash)
        case .cohortJoined(let change):
            memberships[MembershipKey(nhsNumber: change.nhsNumber, cohort: change.cohort)] = true
        case .cohortLeft(let change):
            memberships[MembershipKey(nhsNumber: change.nhsNumber, cohort: change.cohort)] = false
        case .dayPublished(let record): publishedDays.insert(record.day)
        case .itemPublished(let record):
            items[record.itemId] = record.nhsNumber
            unsealedItemCounts[record.day, default: 0] += 1
        case .outcomeRecorded, .itemNotAttempted, .escalationHandled, .callAnnounced: break
        }
    }
}

struct MembershipKey: Hashable {
    var nhsNumber: UInt64
    var cohort: String
}

/// One person's cohorts and items; a handful each, so arrays searched in order.
private struct PersonHistory: Equatable {
    var memberships: [JournalHistory.Membership] = []
    var items: [Int] = []

    mutating func join(_ cohort: String, on day: Day) {
        if let index = memberships.firstIndex(where: { $0.cohort == cohort }) {
            memberships[index].latestJoined = day
            memberships[index].leftOn = nil
        } else {
            memberships.append(.init(cohort: cohort, firstJoined: day, latestJoined: day, leftOn: nil))
        }
    }

    mutating func leave(_ cohort: String, on day: Day) {
        if let index = memberships.firstIndex(where: { $0.cohort == cohort }) {
            memberships[index].leftOn = day
        }
    }
}

private struct StoredOutcome: Equatable {
    var record: OutcomeRecorded
    /// The index of the outcome this one superseded, or -1.
    var superseded: Int
}
