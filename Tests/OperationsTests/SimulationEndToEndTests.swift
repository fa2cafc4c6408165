import Testing
import Basics
import Journal
@testable import Operations
@testable import Planning
import RuleLanguage
import TestSupport
@testable import Tooling
import Vocabulary

/// Issue 5's end-to-end check: a home, a synthetic extract, 20 simulated working days, and then
/// the journal must show that the scheduler kept every promise the policy makes.
@Suite struct SimulationEndToEndTests {
    @Test func twentyWorkingDaysKeepEveryPromise() throws {
        let start = Day(iso: "2026-11-02")!
        try withTemporaryDirectory { root in
            let (session, _) = try homeWithPopulation("simulate", asOf: start, in: root)
            let played = try Simulator.run(
                session, days: 20, from: start, model: OutcomeModel(answerRate: 0.55, seed: 11))
            #expect(played.count == 20)
            let history = session.journal.history
            let roster = session.roster
            let policy = session.ruleSet.policy
            let lastDay = played.last!.day

            // No outcome lost: every row filled in is in the journal, and every published item before
            // the last day has an outcome or is marked not attempted.
            let recorded = played.flatMap(\.ingest).compactMap { result -> Int? in
                if case .ingested(let text) = result.outcome {
                    return Int(text.split(separator: " ")[0])
                } else {
                    return nil
                }
            }.reduce(0, +)
            #expect(recorded == history.count(of: .outcomeRecorded))
            #expect(recorded > 500)
            for day in history.publishedDays where day < lastDay {
                for item in history.items(on: day) {
                    #expect(history.status(of: item.itemId) != .awaitingOutcome, "\(item.itemId) lost its outcome")
                }
            }

            let rules = Dictionary(uniqueKeysWithValues: session.ruleSet.cohorts.map { ($0.id, CohortCallRules($0)) })
            var retriesChecked = 0
            var callBacksChecked = 0
            var followUpsChecked = 0
            for nhs in history.people.sorted() {
                let items = history.items(of: nhs)
                guard !items.isEmpty else { continue }
                for (index, item) in items.enumerated() {
                    let next = index + 1 < items.count ? items[index + 1] : nil
                    guard let outcome = history.effectiveOutcome(of: item.itemId) else { continue }
                    let cohorts = item.cohorts.compactMap { rules[$0] }
                    let person = CaseInput(
                        nhsNumber: nhs, practice: item.practice,
                        memberships: cohorts.map { Membership(cohort: $0, joinedOn: start, reason: "") })
                    func firstPossibleDay(onOrAfter day: Day) -> Day {
                        var candidate = roster.workingDay(onOrAfter: day)
                        while !roster.workers(on: candidate).contains(where: {
                            $0.serves(item.practice) && $0.hasSkills(person.neededSkills)
                        }) {
                            candidate = roster.workingDay(after: candidate)
                        }
                        return candidate
                    }
                    switch outcome.outcome {
                    case .noAnswer, .voicemail:
                        let rule = person.retryRule(for: outcome.outcome, policy: policy)!
                        // Unanswered calls since they were last reached (items left empty were not attempts).
                        let unanswered = items[...index].reversed().compactMap {
                            history.effectiveOutcome(of: $0.itemId)?.outcome
                        }
                        .prefix { [.noAnswer, .voicemail].contains($0) }.count
                        guard unanswered < rule.attempts else {
                            // Out of attempts: no retry; the next call (if any) starts a new episode.
                            if let next { #expect(next.attempt == 1, "\(item.itemId): retried past the limit") }
                            continue
                        }
                        let expected = firstPossibleDay(onOrAfter: item.day.adding(rule.after))
                        guard expected <= lastDay else { continue }
                        #expect(
                            next?.day == expected,
                            "\(item.itemId): retry due \(expected), made \(String(describing: next?.day))")
                        #expect(next?.attempt == item.attempt + 1)
                        #expect(next?.timeBand == item.timeBand.other, "\(item.itemId): retry in the same band")
                        retriesChecked += 1
                    case .callBack:
                        let expected = firstPossibleDay(onOrAfter: outcome.callBackOn!)
                        guard expected <= lastDay else { continue }
                        #expect(
                            next?.day == expected,
                            "\(item.itemId): call-back promised for \(expected), made \(String(describing: next?.day))")
                        callBacksChecked += 1
                    case .reachedSupport:
                        let expected = firstPossibleDay(onOrAfter: item.day.adding(policy.followUpSupportAfter))
                        guard expected <= lastDay else { continue }
                        #expect(
                            next != nil && next!.day <= expected.adding(days: 7),
                            "\(item.itemId): no follow-up near \(expected)")
                        followUpsChecked += 1
                    default:
                        break
                    }
                }
                // Nobody called inside their rest period, except a promised call-back or a retry.
                var lastReached: Day?
                var previous: OutcomeCode?
                for item in items {
                    if let lastReached, previous != .callBack, previous != .noAnswer, previous != .voicemail {
                        #expect(item.day >= lastReached.adding(policy.rest), "\(item.itemId): inside the rest period")
                    }
                    let outcome = history.effectiveOutcome(of: item.itemId)?.outcome
                    if [.reached, .reachedSupport, .declined, .callBack].contains(outcome) { lastReached = item.day }
                    if outcome != nil { previous = outcome }
                }
            }
            #expect(retriesChecked > 20)
            #expect(callBacksChecked > 3)
            #expect(followUpsChecked >= 1)
        }
    }

    @Test func aPublishedDayIsNeverPublishedAgain() throws {
        let day = Day(iso: "2026-11-02")!
        try withTemporaryDirectory { root in
            let (session, _) = try homeWithPopulation("publish-once", patients: 600, asOf: day, in: root)
            let first = try Publisher.publish(session, day: day)
            #expect(first.outcome == .published)
            let again = try Publisher.publish(session, day: day)
            #expect(again.outcome == .alreadyPublished)
            #expect(session.journal.history.count(of: .dayPublished) == 1)
            let saturday = try Publisher.publish(session, day: Day(iso: "2026-11-07")!)
            #expect(saturday.outcome == .closed("not a working day (saturday)"))
        }
    }

    @Test func aPromisedCallBackIsKeptAfterThePersonLeavesEveryCohort() throws {
        let monday = Day(iso: "2026-11-02")!
        let wednesday = monday.adding(days: 2)
        try withTemporaryDirectory { root in
            let (session, _) = try homeWithPopulation("promise-kept", patients: 400, asOf: monday, in: root)
            let run = try session.evaluateCohorts(on: wednesday)
            let population = run.population
            let outsider = try #require(livingPhoneablePersonInNoCohort(run))
            let nhs = population.nhsNumbers[outsider]
            let practice = population.practice(of: outsider)
            let worker = try #require(
                session.roster.workers(on: wednesday).first { $0.serves(practice) && $0.skills.isEmpty })
            // Called on Monday as a member of a cohort they have since left; they asked for Wednesday.
            let cohort = try #require(session.ruleSet.cohorts.first { $0.needsSkills.isEmpty })
            try session.journal.append(contentsOf: [
                .itemPublished(
                    ItemPublished(
                        itemId: "20261102-\(worker.id)-900", day: monday, worker: worker.id, nhsNumber: nhs,
                        practice: practice,
                        cohorts: [cohort.id], attempt: 1, timeBand: .morning, priority: 1, phoneFingerprint: 0)),
                .dayPublished(DayPublished(day: monday, itemCount: 1, ruleVersion: session.ruleSet.contentHash)),
                .outcomeRecorded(
                    OutcomeRecorded(
                        itemId: "20261102-\(worker.id)-900", nhsNumber: nhs, outcome: .callBack, callBackOn: wednesday,
                        source: OutcomeSource(fileHash: ContentHash(of: [1]), row: 2), recordedOn: monday)),
            ])
            let builder = CaseBuilder(run: run, history: session.journal.history)
            #expect(!builder.cases().cases.contains { $0.nhsNumber == nhs }, "not in a cohort today")
            let kept = builder.cases(keepingPromisesUnder: session.ruleSet.policy, roster: session.roster)
            let person = try #require(
                kept.cases.first { $0.nhsNumber == nhs }, "the promised call-back is still planned")
            #expect(person.memberships.map(\.cohort.id) == [cohort.id])
            #expect(
                try Publisher.publish(session, day: wednesday).lists.contains {
                    $0.rows.contains { $0.nhsNumber == nhs }
                })

            // No answer on Wednesday: the promise still stands, so the retry is planned.
            let call = try #require(session.journal.history.items(on: wednesday).first { $0.nhsNumber == nhs })
            try session.journal.append(
                .outcomeRecorded(
                    OutcomeRecorded(
                        itemId: call.itemId, nhsNumber: nhs, outcome: .noAnswer,
                        source: OutcomeSource(fileHash: ContentHash(of: [2]), row: 2), recordedOn: wednesday)))
            let nextWeek = wednesday.adding(days: 7)
            let later = CaseBuilder(run: try session.evaluateCohorts(on: nextWeek), history: session.journal.history)
                .cases(keepingPromisesUnder: session.ruleSet.policy, roster: session.roster)
            #expect(later.cases.contains { $0.nhsNumber == nhs }, "an unanswered promised call is retried")
        }
    }

    /// Cases are built on every core, in parts taken back in order: after days of calls, outcomes
    /// and promises, the same people in the same order, each the same, as built in one piece.
    @Test func casesBuiltInPartsAreTheCasesBuiltWhole() throws {
        let start = Day(iso: "2026-11-02")!
        try withTemporaryDirectory { root in
            let (session, _) = try homeWithPopulation("cases-in-parts", patients: 600, asOf: start, in: root)
            let played = try Simulator.run(
                session, days: 6, from: start, model: OutcomeModel(answerRate: 0.55, seed: 3))
            let run = try session.evaluateCohorts(on: played.last!.day.adding(days: 1))
            let whole = CaseBuilder(run: run, history: session.journal.history)
            var inParts = whole
            inParts.peoplePerCore = 7
            let policy = session.ruleSet.policy
            let one = whole.cases(keepingPromisesUnder: policy, roster: session.roster)
            let parted = inParts.cases(keepingPromisesUnder: policy, roster: session.roster)
            #expect(one.cases.count > 100)
            #expect(one.cases.contains { !$0.history.isEmpty })
            #expect(parted.patients == one.patients)
            #expect(parted.inCohorts == one.inCohorts)
            #expect(parted.cases.map(\.nhsNumber) == one.cases.map(\.nhsNumber))
            #expect(parted.cases.map(\.memberships) == one.cases.map(\.memberships))
            #expect(parted.cases.map(\.history) == one.cases.map(\.history))
            #expect(parted.cases.map(\.phoneFingerprint) == one.cases.map(\.phoneFingerprint))
            #expect(parted.cases.map(\.imdDecile) == one.cases.map(\.imdDecile))
            #expect(parted.cases.map(\.preferredLanguage) == one.cases.map(\.preferredLanguage))
        }
    }

    /// The report after a publish reuses the publish's cases, rebuilding only the people it
    /// recorded calls and texts for: after days of calls, outcomes and promises, the same cases as
    /// built afresh from the journal after the publish.
    @Test func casesAPublishHandsOnAreTheCasesBuiltAfresh() throws {
        let start = Day(iso: "2026-11-02")!
        // Six working days played from Monday; the publish is the Tuesday after.
        let day = Day(iso: "2026-11-10")!
        try withTemporaryDirectory { root in
            let (session, _) = try homeWithPopulation("cases-handed-on", patients: 600, asOf: start, in: root)
            // Two people in no cohort who asked to be called back, one on the day published (so
            // the publish lists them) and one a week later (so they are owed a call, and kept).
            let population = try session.evaluateCohorts(on: day).population
            let inCohorts = Set(try session.evaluateCohorts(on: day).cohortsByPatient().keys)
            let outsiders = (0..<population.count).filter {
                !inCohorts.contains(Int32($0)) && population.datesOfDeath[$0] == nil
                    && population.deregisteredOn[$0] == nil && population.mobilePhones[$0] != nil
            }.prefix(2).map { population.nhsNumbers[$0] }
            try #require(outsiders.count == 2)
            let before = start.adding(days: -7)
            let cohort = try #require(session.ruleSet.cohorts.first { $0.needsSkills.isEmpty })
            let worker = try #require(session.roster.workers(on: before).first { $0.skills.isEmpty })
            var records: [JournalRecord] = []
            for (index, (nhs, callBackOn)) in zip(outsiders, [day, day.adding(days: 7)]).enumerated() {
                let itemID = "20261026-\(worker.id)-90\(index)"
                let practice = population.practice(of: population.index(of: nhs)!)
                records += [
                    .itemPublished(
                        ItemPublished(
                            itemId: itemID, day: before, worker: worker.id, nhsNumber: nhs, practice: practice,
                            cohorts: [cohort.id], attempt: 1, timeBand: .morning, priority: 1, phoneFingerprint: 0)),
                    .outcomeRecorded(
                        OutcomeRecorded(
                            itemId: itemID, nhsNumber: nhs, outcome: .callBack, callBackOn: callBackOn,
                            source: OutcomeSource(fileHash: ContentHash(of: [UInt8(index)]), row: 2),
                            recordedOn: before)),
                ]
            }
            try session.journal.append(
                contentsOf: records + [
                    .dayPublished(DayPublished(day: before, itemCount: 2, ruleVersion: session.ruleSet.contentHash))
                ])
            let played = try Simulator.run(
                session, days: 6, from: start, model: OutcomeModel(answerRate: 0.55, seed: 3))
            #expect(session.roster.workingDay(after: played.last!.day) == day)
            let published = try Publisher.publish(session, day: day)
            let handed = try #require(published.cases)
            let run = try #require(published.run)
            let history = session.journal.history
            #expect(handed.recordCount == history.recordCount, "the publish noted all it recorded")
            #expect(handed.changed.count >= published.lists.reduce(0) { $0 + $1.rows.count })

            let policy = session.ruleSet.policy
            let builder = CaseBuilder(run: run, history: history)
            let reused = builder.cases(reusing: handed, keepingPromisesUnder: policy, roster: session.roster)
            let fresh = builder.cases(keepingPromisesUnder: policy, roster: session.roster)
            #expect(
                zip(handed.cases, fresh.cases).contains { $0.history != $1.history },
                "the publish changed some cases")
            let owed = Set(fresh.cases[fresh.inCohorts...].map(\.nhsNumber))
            #expect(owed == Set(outsiders), "both are owed a call")
            #expect(handed.changed.contains(outsiders[0]), "the first was called today")
            #expect(!handed.changed.contains(outsiders[1]), "the second was not")
            #expect(reused.patients == fresh.patients)
            #expect(reused.inCohorts == fresh.inCohorts)
            #expect(reused.cases.map(\.nhsNumber) == fresh.cases.map(\.nhsNumber))
            #expect(reused.cases.map(\.practice) == fresh.cases.map(\.practice))
            #expect(reused.cases.map(\.imdDecile) == fresh.cases.map(\.imdDecile))
            #expect(reused.cases.map(\.preferredLanguage) == fresh.cases.map(\.preferredLanguage))
            #expect(reused.cases.map(\.hasUsablePhone) == fresh.cases.map(\.hasUsablePhone))
            #expect(reused.cases.map(\.notByTelephone) == fresh.cases.map(\.notByTelephone))
            #expect(reused.cases.map(\.announced) == fresh.cases.map(\.announced))
            #expect(reused.cases.map(\.phoneFingerprint) == fresh.cases.map(\.phoneFingerprint))
            #expect(reused.cases.map(\.memberships) == fresh.cases.map(\.memberships))
            #expect(reused.cases.map(\.history) == fresh.cases.map(\.history))

            // Cases of another run (a later day) are not reused.
            let later = try session.evaluateCohorts(on: day.adding(days: 1))
            let notReused = CaseBuilder(run: later, history: history).cases(
                reusing: handed, keepingPromisesUnder: policy, roster: session.roster)
            #expect(!handed.areCurrent(for: later, history: history))
            #expect(notReused.asOf == later.asOf)

            // Any other record, or one not noted, and the cases are built afresh.
            var stale = handed
            let item = try #require(history.items(on: day).first)
            stale.note(
                [
                    .outcomeRecorded(
                        OutcomeRecorded(
                            itemId: item.itemId, nhsNumber: item.nhsNumber, outcome: .noAnswer,
                            source: OutcomeSource(fileHash: ContentHash(of: [9]), row: 2), recordedOn: day))
                ], journalNowAt: history.recordCount + 1)
            #expect(stale.recordCount == nil)
            var missed = handed
            missed.note([], journalNowAt: history.recordCount + 1)
            #expect(missed.recordCount == nil)
            #expect(
                builder.cases(reusing: missed, keepingPromisesUnder: policy, roster: session.roster).cases.map(
                    \.history) == fresh.cases.map(\.history))
        }
    }

    @Test func listsAppearOnlyOnceTheJournalHoldsThem() throws {
        let monday = Day(iso: "2026-11-02")!
        try withTemporaryDirectory { root in
            let (session, _) = try homeWithPopulation("publish-staged", patients: 400, asOf: monday, in: root)
            let outbox = session.home.outbox
            // A crash before the seal left a half-written day behind: the next publish starts afresh.
            let staging = Publisher.stagingFolder(for: monday, in: session.home)
            try FileIO.createDirectory(staging)
            try FileIO.writeAtomically(text: "half a list", to: FileIO.join(staging, "gina.csv"))
            #expect(try Publisher.publish(session, day: monday).outcome == .published)
            #expect(try FileIO.listDirectory(outbox) == ["2026-11-02"], "no staging folder left")
            let published = try FileIO.listDirectory(session.home.outbox(for: monday))
            #expect(published.contains("gina.csv"))
            #expect(
                try String(contentsOfFile: FileIO.join(session.home.outbox(for: monday), "gina.csv"), encoding: .utf8)
                    != "half a list")

            // A crash after the seal, before the rename: the lists are moved into place on the next run.
            try FileIO.move(session.home.outbox(for: monday), to: staging)
            // And the staged lists of a day never sealed are removed, not left as hidden patient data.
            let unsealed = Publisher.stagingFolder(for: monday.adding(days: 1), in: session.home)
            try FileIO.createDirectory(unsealed)
            try FileIO.writeAtomically(text: "half a list", to: FileIO.join(unsealed, "gina.csv"))
            try Publisher.finishInterrupted(session)
            #expect(try FileIO.listDirectory(session.home.outbox(for: monday)) == published)
            #expect(!FileIO.exists(staging))
            #expect(!FileIO.exists(unsealed))
        }
    }

    @Test func listsArePublishedForwardOnly() throws {
        let monday = Day(iso: "2026-11-02")!
        try withTemporaryDirectory { root in
            let (session, _) = try homeWithPopulation("publish-forward", patients: 400, asOf: monday, in: root)
            let wednesday = monday.adding(days: 2)
            #expect(try Publisher.publish(session, day: wednesday).outcome == .published)
            let tuesday = try Publisher.publish(session, day: monday.adding(days: 1))
            #expect(
                tuesday.outcome == .beforeLastPublished(wednesday),
                "a day before a published one would re-plan its calls")
            #expect(tuesday.summary.contains("published forward only"))
            #expect(session.journal.history.count(of: .dayPublished) == 1)
            #expect(try Publisher.publish(session, day: wednesday.adding(days: 1)).outcome == .published)
        }
    }
}
