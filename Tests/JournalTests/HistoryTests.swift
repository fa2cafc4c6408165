import Testing
import Basics
import Journal
import TestSupport
import Vocabulary

@Suite("The history the scheduler asks")
struct HistoryTests {
    private func sampleHistory() throws -> JournalHistory {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            try write(Sample.batches, to: path)
            return try Journal(path: path).history
        }
    }

    @Test("a later, different outcome supersedes the earlier one, and both stay")
    func supersession() throws {
        let history = try sampleHistory()
        #expect(history.effectiveOutcome(of: Sample.item1.itemId) == Sample.correction)
        #expect(history.outcomeHistory(of: Sample.item1.itemId) == [Sample.firstOutcome, Sample.correction])
        #expect(history.status(of: Sample.item1.itemId) == .outcome(Sample.correction))
        #expect(history.count(of: .outcomeRecorded) == 2)
    }

    @Test("the same outcome again is not new information; a different one is")
    func sameOutcomeIsNotNew() throws {
        let history = try sampleHistory()
        var again = Sample.correction
        again.source = OutcomeSource(fileHash: Sample.extractHash, row: 9)
        again.recordedOn = Sample.monday.adding(days: 20)
        #expect(history.isNewInformation(again) == false)
        again.notes += "."
        #expect(history.isNewInformation(again))
        let forItem2 = OutcomeRecorded(
            itemId: Sample.item2.itemId, nhsNumber: Sample.people[1], outcome: .noAnswer,
            source: OutcomeSource(fileHash: Sample.extractHash, row: 3), recordedOn: Sample.monday)
        #expect(history.isNewInformation(forItem2))
    }

    @Test("files are recognised by their content hash, whatever their name")
    func idempotentIngestion() throws {
        let history = try sampleHistory()
        #expect(history.hasIngested(Sample.extractHash))
        #expect(history.hasIngested(Sample.returnedHash))
        #expect(history.hasIngested(Sample.correctedHash))
        #expect(history.hasIngested(ContentHash(of: Array("something else".utf8))) == false)
        guard case .extract(let extract) = history.ingestedFile(Sample.extractHash) else {
            Issue.record("the extract should be recorded as an extract")
            return
        }
        #expect(extract.patientCount == 10_412)
        #expect(history.latestExtract(forPractice: "E82004") == extract)
        #expect(history.latestExtract(forPractice: "E82099") == nil)
    }

    @Test("cohort joins keep the first day; leaving and rejoining keeps it and records the new start")
    func memberships() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            let person = Sample.people[2]
            let day = Sample.monday
            func change(_ offset: Int) -> CohortMembershipChange {
                CohortMembershipChange(nhsNumber: person, cohort: "bereaved", day: day.adding(days: offset))
            }
            let journal = try Journal(path: path)
            try journal.append(.cohortJoined(change(0)))
            #expect(journal.history.membership(of: person, in: "bereaved")?.isCurrent == true)
            try journal.append(.cohortLeft(change(30)))
            let left = try #require(journal.history.membership(of: person, in: "bereaved"))
            #expect(left.isCurrent == false)
            #expect(left.leftOn == day.adding(days: 30))
            try journal.append(.cohortJoined(change(60)))
            let back = try #require(journal.history.membership(of: person, in: "bereaved"))
            #expect(
                back
                    == JournalHistory.Membership(
                        cohort: "bereaved", firstJoined: day, latestJoined: day.adding(days: 60), leftOn: nil))
            #expect(journal.history.memberships(of: person).map(\.cohort) == ["bereaved"])
            #expect(journal.history.membership(of: person, in: "carers") == nil)
            #expect(Set(journal.history.people) == [person])
        }
    }

    @Test("published days, items by day and by person, and the rule set in force")
    func publishedItems() throws {
        let history = try sampleHistory()
        let tuesday = Sample.monday.adding(days: 1)
        #expect(history.publishedDays == [tuesday])
        #expect(history.isPublished(tuesday))
        #expect(history.isPublished(Sample.monday) == false)
        #expect(history.publication(of: tuesday)?.itemCount == 2)
        #expect(history.items(on: tuesday) == [Sample.item1, Sample.item2])
        #expect(history.items(of: Sample.people[0]) == [Sample.item1])
        #expect(history.items(of: Sample.people[2]) == [])
        #expect(history.item(Sample.item2.itemId) == Sample.item2)
        #expect(history.item("nope") == nil)
        #expect(history.itemCount == 2)
        #expect(history.currentRuleSet?.version == Sample.rulesV1)
    }

    @Test("an item returned empty counts as not attempted until an outcome arrives; an outcome always wins")
    func notAttempted() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            try write(Sample.batches, to: path)
            let journal = try Journal(path: path)
            let mark = ItemNotAttempted(
                itemId: Sample.item2.itemId, reason: .returnedEmpty, recordedOn: Sample.monday.adding(days: 2))
            #expect(journal.history.status(of: Sample.item2.itemId) == .notAttempted(mark))
            #expect(journal.history.status(of: "nope") == nil)
            let late = OutcomeRecorded(
                itemId: Sample.item2.itemId, nhsNumber: Sample.people[1], outcome: .voicemail,
                source: OutcomeSource(fileHash: Sample.extractHash, row: 3), recordedOn: Sample.monday.adding(days: 5))
            try journal.append(.outcomeRecorded(late))
            try journal.append(
                .itemNotAttempted(
                    ItemNotAttempted(
                        itemId: Sample.item2.itemId, reason: .notReturned, recordedOn: Sample.monday.adding(days: 6))))
            #expect(journal.history.status(of: Sample.item2.itemId) == .outcome(late))
        }
    }

    @Test("items still awaiting an outcome are found for the morning's not-returned sweep")
    func awaitingOutcome() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "journal")
            try write(Array(Sample.batches.prefix(3)), to: path)
            let history = try Journal(path: path).history
            let tuesday = Sample.monday.adding(days: 1)
            #expect(history.itemsAwaitingOutcome(publishedBefore: tuesday) == [])
            #expect(
                history.itemsAwaitingOutcome(publishedBefore: tuesday.adding(days: 1)) == [Sample.item1, Sample.item2])
            #expect(history.status(of: Sample.item1.itemId) == .awaitingOutcome)
        }
    }

    @Test("phone fingerprints tell numbers apart and are 0 only when there is no number")
    func phoneFingerprints() {
        let one = ItemPublished.phoneFingerprint(of: ["07700900123"])
        #expect(one == ItemPublished.phoneFingerprint(of: ["07700900123", ""]))
        #expect(one != ItemPublished.phoneFingerprint(of: ["07700900124"]))
        #expect(
            ItemPublished.phoneFingerprint(of: ["0770", "0900123"])
                != ItemPublished.phoneFingerprint(of: ["07700900123"]))
        #expect(ItemPublished.phoneFingerprint(of: []) == 0)
        #expect(ItemPublished.phoneFingerprint(of: ["", ""]) == 0)
        #expect(one != 0)
    }
}
