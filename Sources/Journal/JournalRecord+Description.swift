// Descriptions safe for logs. The spec allows counts, file names, practice codes, cohort ids and
// item ids in logs, nothing else: no NHS numbers, no notes, no outcomes (which say something
// about a person's health once joined to an item). `debugDescription` is the same text, so
// `"\([record])"` and `"\(optionalRecord)"` are as safe as `"\(record)"`.

extension JournalRecord: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        switch self {
        case .ruleSetAdopted(let record): record.description
        case .extractIngested(let record): record.description
        case .outcomeFileIngested(let record): record.description
        case .cohortJoined(let record): "cohort_joined \(record)"
        case .cohortLeft(let record): "cohort_left \(record)"
        case .dayPublished(let record): record.description
        case .itemPublished(let record): record.description
        case .outcomeRecorded(let record): record.description
        case .itemNotAttempted(let record): record.description
        case .escalationHandled(let record): "escalation_handled item \(record.itemId) on \(record.on)"
        case .callAnnounced(let record): record.description
        }
    }

    public var debugDescription: String { description }
}

extension CallAnnounced: CustomStringConvertible, CustomDebugStringConvertible {
    /// The day, worker and band; never the person.
    public var description: String { "call_announced day=\(day) worker=\(worker) band=\(timeBand) on=\(on)" }
    public var debugDescription: String { description }
}

extension RuleSetAdopted: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "rule_set_adopted version=\(version.shortHex) day=\(day)" }
    public var debugDescription: String { description }
}

extension ExtractIngested: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        "extract_ingested file=\(fileName) hash=\(contentHash.shortHex) practices=\(practices.joined(separator: ","))"
            + " patients=\(patientCount) rejected=\(rejectedRowCount) at=\(at)"
    }
    public var debugDescription: String { description }
}

extension OutcomeFileIngested: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        "outcome_file_ingested file=\(fileName) hash=\(contentHash.shortHex) accepted=\(acceptedCount)"
            + " rejected=\(rejectedCount) empty=\(emptyCount) at=\(at)"
    }
    public var debugDescription: String { description }
}

extension CohortMembershipChange: CustomStringConvertible, CustomDebugStringConvertible {
    /// The cohort and the day; never the person.
    public var description: String { "cohort=\(cohort) day=\(day)" }
    public var debugDescription: String { description }
}

extension DayPublished: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        "day_published day=\(day) items=\(itemCount) rules=\(ruleVersion.shortHex)"
    }
    public var debugDescription: String { description }
}

extension ItemPublished: CustomStringConvertible, CustomDebugStringConvertible {
    /// The item, its list and its place on it; never the person.
    public var description: String {
        "item_published item=\(itemId) day=\(day) worker=\(worker) practice=\(practice)"
            + " cohorts=\(cohorts.joined(separator: ",")) attempt=\(attempt) band=\(timeBand) priority=\(priority)"
    }
    public var debugDescription: String { description }
}

extension OutcomeRecorded: CustomStringConvertible, CustomDebugStringConvertible {
    /// The item and where the outcome came from; never the person, the outcome or the notes.
    public var description: String {
        "outcome_recorded item=\(itemId) file=\(source.fileHash.shortHex) row=\(source.row) day=\(recordedOn)"
    }
    public var debugDescription: String { description }
}

extension ItemNotAttempted: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "item_not_attempted item=\(itemId) reason=\(reason) day=\(recordedOn)" }
    public var debugDescription: String { description }
}

extension OutcomeSource: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "file=\(fileHash.shortHex) row=\(row)" }
    public var debugDescription: String { description }
}
