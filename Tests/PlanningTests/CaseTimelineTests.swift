import Testing
import Basics
import Journal
@testable import Planning
import RuleLanguage
import TestSupport
import Vocabulary

private let roster = Roster(workers: [Worker(id: "amy", name: "Amy", callsPerDay: 10)])
private let policy = Policy()

private let highRisk = CohortCallRules(
    id: "high_risk", title: "High risk", priority: 1, callWithin: .days(14), recallEvery: .days(30))
private let carers = CohortCallRules(id: "carers", title: "Carers", priority: 3)

private func person(
    _ cohorts: [(CohortCallRules, String)] = [(highRisk, "2026-11-02")], history: [Attempt] = [], phone: Bool = true,
    fingerprint: UInt64 = 1
) -> CaseInput {
    CaseInput(
        nhsNumber: 9_990_000_018, practice: "E82001", hasUsablePhone: phone, phoneFingerprint: fingerprint,
        memberships: cohorts.map { Membership(cohort: $0.0, joinedOn: day($0.1), reason: $0.0.title) },
        history: history)
}

private func attempt(
    _ on: String, _ outcome: OutcomeCode?, band: TimeBand = .morning, callBack: String? = nil, worker: String = "amy",
    fingerprint: UInt64 = 1, cohorts: [String] = ["high_risk"]
) -> Attempt {
    Attempt(
        itemID: "i-\(on)", day: day(on), worker: worker, band: band, cohorts: cohorts, outcome: outcome,
        callBackOn: callBack.map(day), phoneFingerprint: fingerprint)
}

private func status(_ input: CaseInput, _ on: String) -> CaseStatus {
    CaseTimeline.status(of: input, on: day(on), policy: policy, roster: roster)
}

@Suite struct CaseTimelineTests {
    @Test func aNewMemberIsDueFromTheDayTheyJoinedWithTheirDeadline() {
        guard case .due(let call) = status(person(), "2026-11-04") else {
            Issue.record("not due")
            return
        }
        #expect(call.kind == .first)
        #expect(call.dueOn == day("2026-11-02"))
        #expect(call.deadline == day("2026-11-16"))
        #expect(call.attempt == 1)
    }

    @Test func joiningOnAWeekendFallsDueOnTheNextWorkingDay() {
        guard case .waiting(let call, _) = status(person([(highRisk, "2026-11-28")]), "2026-11-28") else {
            Issue.record("expected waiting")
            return
        }
        #expect(call.dueOn == day("2026-11-30"))
    }

    @Test func noAnswerIsRetriedAfterTwoDaysInTheOtherBandUntilThreeAttempts() {
        let once = person(history: [attempt("2026-11-02", .noAnswer, band: .morning)])
        guard case .waiting(let retry, .retryPending) = status(once, "2026-11-03") else {
            Issue.record("no retry")
            return
        }
        #expect(retry.kind == .retry)
        #expect(retry.dueOn == day("2026-11-04"))
        #expect(retry.attempt == 2)
        #expect(retry.previousBand == .morning)
        guard case .due = status(once, "2026-11-04") else {
            Issue.record("retry not due on its day")
            return
        }

        let thrice = person(history: [
            attempt("2026-11-02", .noAnswer), attempt("2026-11-04", .voicemail), attempt("2026-11-06", .noAnswer),
        ])
        // Out of attempts: a new episode after the shortest recall, counted from the last attempt.
        guard case .waiting(let recall, .recallPending) = status(thrice, "2026-11-09") else {
            Issue.record("expected a recall")
            return
        }
        #expect(recall.kind == .recall)
        #expect(recall.dueOn == day("2026-12-07"))  // 6 Dec is a Sunday
        #expect(recall.attempt == 1)
    }

    @Test func unreachableWithoutRecallIsInactive() {
        let thrice = person(
            [(carers, "2026-11-02")],
            history: [
                attempt("2026-11-02", .noAnswer), attempt("2026-11-04", .noAnswer), attempt("2026-11-06", .noAnswer),
            ])
        #expect(status(thrice, "2026-11-09") == .inactive(.unreachable(since: day("2026-11-06"))))
    }

    @Test func reachedMeansRecallAfterTheShortestRecallAndRestRespected() {
        let reached = person(history: [attempt("2026-11-02", .reached)])
        guard case .waiting(let call, .recallPending) = status(reached, "2026-11-03") else {
            Issue.record("no recall")
            return
        }
        #expect(call.dueOn == day("2026-12-02"))
        #expect(call.lastReachedBy == "amy")
        let noRecall = person([(carers, "2026-11-02")], history: [attempt("2026-11-02", .reached, cohorts: ["carers"])])
        #expect(status(noRecall, "2026-11-03") == .inactive(.done(reachedOn: day("2026-11-02"))))
    }

    @Test func reachedSupportGetsAFollowUp() {
        let supported = person(
            [(carers, "2026-11-02")], history: [attempt("2026-11-02", .reachedSupport, cohorts: ["carers"])])
        guard case .waiting(let call, .followUpPending) = status(supported, "2026-11-03") else {
            Issue.record("no follow-up")
            return
        }
        #expect(call.kind == .followUp)
        #expect(call.dueOn == day("2026-11-16"))
    }

    @Test func aCallBackIsPromisedOnItsDayOrTheNextWorkingDay() {
        let asked = person(history: [attempt("2026-11-02", .callBack, callBack: "2026-11-07")])
        guard case .waiting(let call, .callBackPending) = status(asked, "2026-11-03") else {
            Issue.record("no promise")
            return
        }
        #expect(call.kind == .promised)
        #expect(call.dueOn == day("2026-11-09"))  // 7 Nov is a Saturday
        #expect(call.attempt == 2)
    }

    @Test func declinedMeansNoRecallButANewCohortStartsFresh() {
        let declined = person(history: [attempt("2026-11-02", .declined)])
        #expect(status(declined, "2026-12-10") == .inactive(.declined(on: day("2026-11-02"))))
        let later = person(
            [(highRisk, "2026-11-02"), (carers, "2026-11-10")], history: [attempt("2026-11-02", .declined)])
        guard case .waiting(let call, .resting) = status(later, "2026-11-11") else {
            Issue.record("no fresh call")
            return
        }
        #expect(call.kind == .first)
        #expect(call.dueOn == day("2026-11-16"))  // after the 14-day rest
    }

    @Test func stoppedOutcomesAreFinalAndOptedInUndoesOptedOut() {
        #expect(
            status(person(history: [attempt("2026-11-02", .deceased)]), "2026-12-01") == .inactive(.stopped(.deceased)))
        #expect(
            status(person(history: [attempt("2026-11-02", .movedAway)]), "2026-12-01")
                == .inactive(.stopped(.movedAway)))
        #expect(
            status(person(history: [attempt("2026-11-02", .optedOut)]), "2026-12-01") == .inactive(.stopped(.optedOut)))
        let back = person(history: [attempt("2026-11-02", .optedOut), attempt("2026-11-03", .optedIn)])
        #expect(status(back, "2026-12-01").nextCall != nil)
    }

    @Test func wrongNumberWaitsForADifferentNumber() {
        let wrong = person(history: [attempt("2026-11-02", .wrongNumber, fingerprint: 1)], fingerprint: 1)
        #expect(status(wrong, "2026-11-20") == .inactive(.wrongNumber))
        let newNumber = person(history: [attempt("2026-11-02", .wrongNumber, fingerprint: 1)], fingerprint: 2)
        guard case .due(let call) = status(newNumber, "2026-11-20") else {
            Issue.record("not due")
            return
        }
        #expect(call.kind == .first)
    }

    @Test func anEmptyOrMissingOutcomeIsNotAnAttempt() {
        let unreturned = person(history: [attempt("2026-11-02", nil)])
        guard case .due(let call) = status(unreturned, "2026-11-03") else {
            Issue.record("not due again")
            return
        }
        #expect(call.kind == .first)
        #expect(call.attempt == 1)
    }

    @Test func alreadyOnTodaysListIsNotDueAgainToday() {
        guard case .waiting(_, .onTodaysList) = status(person(history: [attempt("2026-11-04", nil)]), "2026-11-04")
        else {
            Issue.record("expected on today's list")
            return
        }
    }

    @Test func noPhoneMeansNoCall() {
        #expect(status(person(phone: false), "2026-11-04") == .inactive(.noUsablePhone))
    }

    @Test func severalCohortsTakeTheMostPersistentRetryPolicy() {
        let persistent = CohortCallRules(
            id: "urgent", title: "Urgent", priority: 1,
            retries: [RetryRule(outcome: .noAnswer, after: .days(1), attempts: 4)])
        let both = person([(carers, "2026-11-02"), (persistent, "2026-11-02")])
        #expect(
            both.retryRule(for: .noAnswer, policy: policy)
                == RetryRule(outcome: .noAnswer, after: .days(1), attempts: 4))
        #expect(
            both.retryRule(for: .voicemail, policy: policy)
                == RetryRule(outcome: .voicemail, after: .days(2), attempts: 3))
        let history = person(
            [(carers, "2026-11-02"), (persistent, "2026-11-02")],
            history: [
                attempt("2026-11-02", .noAnswer), attempt("2026-11-03", .noAnswer), attempt("2026-11-04", .noAnswer),
            ])
        guard case .due(let call) = status(history, "2026-11-05") else {
            Issue.record("fourth attempt not due")
            return
        }
        #expect(call.attempt == 4)
    }

    @Test func aCohortWithoutItsOwnRetryRuleKeepsThePolicysInTheMostPersistentChoice() {
        let stingy = CohortCallRules(
            id: "stingy", title: "Stingy", priority: 2,
            retries: [RetryRule(outcome: .noAnswer, after: .days(5), attempts: 2)])
        let both = person([(stingy, "2026-11-02"), (carers, "2026-11-02")])
        // The policy's 3 attempts after 2 days (for carers) is more persistent than stingy's 2 after 5.
        #expect(
            both.retryRule(for: .noAnswer, policy: policy)
                == RetryRule(outcome: .noAnswer, after: .days(2), attempts: 3))
    }

    @Test func everyEscalationIsKeptTheCohortsOwnAndThePolicys() {
        let urgent = CohortCallRules(id: "urgent", title: "Urgent", priority: 1, whenUnreachable: "Ask the duty GP")
        let both = person([(urgent, "2026-11-02"), (carers, "2026-11-02")])
        #expect(both.escalations(policy: policy) == ["Ask the duty GP", policy.whenUnreachable])
    }

    @Test func aDeclinedCohortIsNotRecalledThroughAnotherCohort() {
        let recalled = CohortCallRules(id: "recalled", title: "Recalled", priority: 2, recallEvery: .days(30))
        let declinedCall = Attempt(
            itemID: "d", day: day("2026-11-02"), worker: "amy", band: .morning, cohorts: ["recalled"],
            outcome: .declined)
        let laterCall = Attempt(
            itemID: "r", day: day("2026-11-20"), worker: "amy", band: .morning, cohorts: ["carers"], outcome: .reached)
        let input = person([(recalled, "2026-10-01"), (carers, "2026-11-19")], history: [declinedCall, laterCall])
        // Reached for carers (no recall); 'recalled' was declined, so nothing more is due.
        #expect(status(input, "2027-01-10") == .inactive(.done(reachedOn: day("2026-11-20"))))
    }

    @Test func aCohortJoinedOnTheDayOfACallButNotCoveredByItGetsItsFirstCall() {
        let call = Attempt(
            itemID: "h", day: day("2026-11-02"), worker: "amy", band: .morning, cohorts: ["high_risk"],
            outcome: .reached)
        let input = person([(highRisk, "2026-10-20"), (carers, "2026-11-02")], history: [call])
        guard case .waiting(let next, _) = status(input, "2026-11-03") else {
            Issue.record("no call for carers")
            return
        }
        #expect(next.kind == .first)
        #expect(next.dueOn == day("2026-11-16"))  // after the rest period
        let covered = person(
            [(highRisk, "2026-10-20"), (carers, "2026-11-02")],
            history: [
                Attempt(
                    itemID: "h", day: day("2026-11-02"), worker: "amy", band: .morning,
                    cohorts: ["high_risk", "carers"],
                    outcome: .reached)
            ])
        guard case .waiting(let recall, .recallPending) = status(covered, "2026-11-03") else {
            Issue.record("expected the recall only")
            return
        }
        #expect(recall.kind == .recall)
    }
}
