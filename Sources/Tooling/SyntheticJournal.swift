import Basics
import Journal
import RuleLanguage
import Vocabulary

/// A seeded generator of realistic journal histories, batch by batch, each batch valid after the
/// ones before it: extracts with cohort joins and leaves, a published day at a time, returned lists
/// with outcomes (some superseded, some call-backs, some left empty), lists not returned.
///
/// For the benchmark and for tests here and in the modules above (it is `package`, not public).
/// With `variety`, values also reach the awkward corners: notes with quotes, commas, line breaks,
/// formulas and non-ASCII text, empty cohort lists, extreme numbers.
package struct SyntheticJournal {
    private var random: SeededRandom
    private let variety: Bool
    private var day: Day
    private var ruleVersion: ContentHash
    private var members: Set<Member> = []
    private var people: [UInt64]
    /// Items of the last published day, not yet returned.
    private var openItems: [ItemPublished] = []
    /// Items with an outcome, for occasional supersession.
    private var answered: [ItemPublished] = []
    private var nextItem = 0
    private var ingestMinute = 7 * 60

    private static let cohorts = ["high_risk", "carers", "bereaved", "lives_alone", "ltc_copd", "frailty"]
    private static let workers = ["aisha", "ben", "chloe", "dev", "emma"]
    private static let practices = ["E82001", "E82004", "E82012", "E82031"]
    private static let notes = [
        "", "", "", "Spoke to daughter, all well", "Needs help with shopping; referred to food bank",
        "Asked for a call next week", "Line busy twice",
    ]
    private static let awkwardNotes = [
        "=HYPERLINK(\"http://example.invalid\")", "said \"fine\", thanks", "line one\nline two", "+44 ring back",
        "Mrs O'Brien, née Ní Bhriain — café ☕", " leading and trailing ", "-minus", "@mention", "tab\tinside",
        "😀 emoji and\r\nCRLF",
    ]

    /// A generator for `seed`, about `peopleCount` people, starting on `start`.
    package init(
        seed: UInt64, peopleCount: Int = 2000, start: Day = Day(year: 2026, month: 1, day: 5)!, variety: Bool = false
    ) {
        random = SeededRandom(seed: seed)
        self.variety = variety
        day = start
        people = SyntheticJournal.testNHSNumbers(count: max(1, peopleCount))
        ruleVersion = ContentHash(words: (0, 0, 0, 0))
        ruleVersion = randomHash()
    }

    /// Batches until they hold at least `recordCount` records (the last batch may overshoot).
    package mutating func batches(recordCount: Int) -> [[JournalRecord]] {
        var result: [[JournalRecord]] = [[.ruleSetAdopted(RuleSetAdopted(version: ruleVersion, day: day))]]
        var total = 1
        while total < recordCount {
            let batch = nextBatch()
            total += batch.count
            result.append(batch)
        }
        return result
    }

    /// The next batch: an extract, a rule change, a returned list, a not-returned sweep or a published day.
    package mutating func nextBatch() -> [JournalRecord] {
        if !openItems.isEmpty {
            return random.chance(0.9) ? returnedList() : notReturned()
        }
        switch Int.random(in: 0..<10, using: &random) {
        case 0, 1: return extract()
        case 2: return ruleChange()
        case 3 where !answered.isEmpty: return supersedingList()
        default: return publishDay()
        }
    }

    private mutating func extract() -> [JournalRecord] {
        var batch: [JournalRecord] = []
        for person in people where random.chance(0.02) {
            for cohort in SyntheticJournal.cohorts where random.chance(0.25) {
                let key = Member(nhsNumber: person, cohort: cohort)
                let change = CohortMembershipChange(nhsNumber: person, cohort: cohort, day: day)
                if members.contains(key) {
                    if random.chance(0.2) {
                        members.remove(key)
                        batch.append(.cohortLeft(change))
                    }
                } else {
                    members.insert(key)
                    batch.append(.cohortJoined(change))
                }
            }
        }
        let practices = SyntheticJournal.practices.filter { _ in random.chance(0.6) }
        batch.append(
            .extractIngested(
                ExtractIngested(
                    fileName: variety ? "extract, \"quoted\" \(nextItem).csv" : "extract-\(day).csv",
                    contentHash: randomHash(), practices: practices, patientCount: people.count,
                    rejectedRowCount: Int.random(in: 0..<5, using: &random), at: nextInstant())))
        return batch
    }

    private mutating func ruleChange() -> [JournalRecord] {
        ruleVersion = randomHash()
        return [.ruleSetAdopted(RuleSetAdopted(version: ruleVersion, day: day))]
    }

    private mutating func publishDay() -> [JournalRecord] {
        day = day.adding(days: random.chance(0.2) ? 3 : 1)
        var items: [JournalRecord] = []
        let count = Int.random(in: 0...(variety ? 12 : 400), using: &random)
        for _ in 0..<count {
            let person = people[Int.random(in: 0..<people.count, using: &random)]
            let cohorts = SyntheticJournal.cohorts.filter { _ in random.chance(0.3) }
            let item = ItemPublished(
                itemId: nextItemId(), day: day,
                worker: SyntheticJournal.workers[Int.random(in: 0..<SyntheticJournal.workers.count, using: &random)],
                nhsNumber: person,
                practice: SyntheticJournal.practices[
                    Int.random(in: 0..<SyntheticJournal.practices.count, using: &random)],
                cohorts: variety || !cohorts.isEmpty ? cohorts : ["high_risk"],
                attempt: variety && random.chance(0.1)
                    ? Int.random(in: 1...Int.max, using: &random) : Int.random(in: 1...3, using: &random),
                timeBand: random.chance(0.5) ? .morning : .afternoon,
                priority: variety && random.chance(0.1)
                    ? Int.random(in: Int.min...Int.max, using: &random) : Int.random(in: 1...4, using: &random),
                phoneFingerprint: random.chance(0.05) ? 0 : random.next())
            openItems.append(item)
            items.append(.itemPublished(item))
        }
        items.append(.dayPublished(DayPublished(day: day, itemCount: count, ruleVersion: ruleVersion)))
        return items
    }

    private mutating func returnedList() -> [JournalRecord] {
        let fileHash = randomHash()
        var batch: [JournalRecord] = []
        var accepted = 0
        var empty = 0
        var row = 1
        for item in openItems {
            row += 1
            if random.chance(0.08) {
                empty += 1
                batch.append(
                    .itemNotAttempted(ItemNotAttempted(itemId: item.itemId, reason: .returnedEmpty, recordedOn: day)))
                continue
            }
            accepted += 1
            batch.append(.outcomeRecorded(randomOutcome(for: item, fileHash: fileHash, row: row)))
            answered.append(item)
        }
        openItems.removeAll()
        batch.append(
            .outcomeFileIngested(
                OutcomeFileIngested(
                    fileName: "returned-\(day).csv", contentHash: fileHash, acceptedCount: accepted,
                    rejectedCount: Int.random(in: 0..<3, using: &random), emptyCount: empty, at: nextInstant())))
        return batch
    }

    private mutating func supersedingList() -> [JournalRecord] {
        let fileHash = randomHash()
        var batch: [JournalRecord] = []
        for row in 2..<Int.random(in: 3...6, using: &random) {
            let item = answered[Int.random(in: 0..<answered.count, using: &random)]
            batch.append(.outcomeRecorded(randomOutcome(for: item, fileHash: fileHash, row: row)))
        }
        batch.append(
            .outcomeFileIngested(
                OutcomeFileIngested(
                    fileName: "corrected-\(day).csv", contentHash: fileHash, acceptedCount: batch.count,
                    rejectedCount: 0, emptyCount: 0, at: nextInstant())))
        return batch
    }

    private mutating func notReturned() -> [JournalRecord] {
        defer { openItems.removeAll() }
        return openItems.map {
            .itemNotAttempted(ItemNotAttempted(itemId: $0.itemId, reason: .notReturned, recordedOn: day))
        }
    }

    private mutating func randomOutcome(for item: ItemPublished, fileHash: ContentHash, row: Int) -> OutcomeRecorded {
        let outcome = OutcomeCode.allCases[Int.random(in: 0..<OutcomeCode.allCases.count, using: &random)]
        let pool = variety && random.chance(0.5) ? SyntheticJournal.awkwardNotes : SyntheticJournal.notes
        return OutcomeRecorded(
            itemId: item.itemId, nhsNumber: item.nhsNumber, outcome: outcome,
            callBackOn: outcome == .callBack ? day.adding(days: Int.random(in: 1...14, using: &random)) : nil,
            notes: pool[Int.random(in: 0..<pool.count, using: &random)],
            source: OutcomeSource(fileHash: fileHash, row: row), recordedOn: day)
    }

    /// Unique by the counter, unguessable by the random part: `k3x-9f2a1c`.
    private mutating func nextItemId() -> String {
        nextItem += 1
        return String(nextItem, radix: 36) + "-" + String(random.next() & 0xFF_FFFF, radix: 16)
    }

    private mutating func nextInstant() -> LocalDateTime {
        ingestMinute = (ingestMinute + Int.random(in: 1...90, using: &random)) % 1440
        return LocalDateTime(day: day, minuteOfDay: ingestMinute)
    }

    private mutating func randomHash() -> ContentHash {
        ContentHash(words: (random.next(), random.next(), random.next(), random.next()))
    }

    /// The first `count` NHS numbers of the 999 test range with a valid Modulus 11 check digit.
    package static func testNHSNumbers(count: Int) -> [UInt64] {
        var numbers: [UInt64] = []
        numbers.reserveCapacity(count)
        var stem = 999_000_000
        while numbers.count < count {
            var sum = 0
            var rest = stem
            for weight in 2...10 {
                sum += (rest % 10) * weight
                rest /= 10
            }
            let check = (11 - sum % 11) % 11
            if check != 10 { numbers.append(UInt64(stem) * 10 + UInt64(check)) }
            stem += 1
        }
        return numbers
    }
}

/// A person in a cohort, as the synthetic journal tracks membership.
private struct Member: Hashable {
    var nhsNumber: UInt64
    var cohort: String
}
