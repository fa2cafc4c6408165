import Testing
import Basics
import Journal
@testable import Operations
@testable import Planning
@testable import Reports
import RuleLanguage
import TestSupport
import Vocabulary

private let highRisk = CohortCallRules(
    id: "high_risk", title: "High risk", priority: 1, callWithin: .days(14), recallEvery: .days(30),
    whenUnreachable: "Ask the duty GP")
private let policy = Policy()

private func person(
    joined: String = "2026-11-02", cohort: CohortCallRules = highRisk, _ history: [(String, OutcomeCode?)] = []
)
    -> CaseInput
{
    CaseInput(
        nhsNumber: 9_990_000_018, practice: "E82001",
        memberships: [Membership(cohort: cohort, joinedOn: day(joined), reason: "test")],
        history: history.enumerated().map { index, call in
            Attempt(
                itemID: "i\(index)", day: day(call.0), worker: "amy", band: .morning, cohorts: [cohort.id],
                outcome: call.1, callBackOn: call.1 == .callBack ? day(call.0).adding(days: 3) : nil)
        })
}

private func standing(_ person: CaseInput, asOf: String = "2026-11-10", cannotCall: CannotCallReason? = nil)
    -> MembershipStanding
{
    MembershipStanding.classify(
        person.memberships[0], of: person, attempts: person.history.filter { $0.outcome != nil },
        cannotCall: cannotCall,
        policy: policy, asOf: day(asOf))
}

/// The definitions the report rests on (ProgressCategory's documentation), one case each.
@Suite struct DefinitionTests {
    @Test func aMemberNotYetCalledIsPendingUntilTheirDeadlineThenOverdue() {
        #expect(standing(person(), asOf: "2026-11-16") == MembershipStanding(category: .pending, called: false))
        #expect(standing(person(), asOf: "2026-11-17") == MembershipStanding(category: .overdue, called: false))
    }

    @Test(arguments: [OutcomeCode.reached, .reachedSupport, .callBack])
    func speakingToThemIsReached(_ outcome: OutcomeCode) {
        #expect(standing(person([("2026-11-03", outcome)])) == MembershipStanding(category: .reached, called: true))
    }

    @Test func theLatestConversationDecidesBetweenReachedAndDeclined() {
        #expect(standing(person([("2026-11-03", .callBack), ("2026-11-06", .declined)])).category == .declined)
        #expect(standing(person([("2026-11-03", .declined), ("2026-11-06", .reached)])).category == .reached)
        #expect(standing(person([("2026-11-03", .reached), ("2026-11-06", .noAnswer)])).category == .reached)
    }

    @Test func unansweredCallsAreInProgressUntilRetriesRunOut() {
        let twice = person([("2026-11-03", .noAnswer), ("2026-11-05", .voicemail)])
        #expect(standing(twice) == MembershipStanding(category: .inProgress, called: true))
        let thrice = person([("2026-11-03", .noAnswer), ("2026-11-05", .voicemail), ("2026-11-09", .noAnswer)])
        #expect(
            standing(thrice)
                == MembershipStanding(
                    category: .unreachable, called: true, unansweredAttempts: 3, lastAttempt: day("2026-11-09")))
        // Past the deadline, retries still left: overdue, and still called.
        #expect(standing(twice, asOf: "2026-11-20") == MembershipStanding(category: .overdue, called: true))
        // Retries used up is unreachable whatever the deadline.
        #expect(standing(thrice, asOf: "2026-11-20").category == .unreachable)
    }

    @Test func aCohortsOwnRetryRuleDecidesWhenRetriesRunOut() {
        let persistent = CohortCallRules(
            id: "high_risk", title: "High risk", priority: 1, callWithin: .days(14),
            retries: [RetryRule(outcome: .noAnswer, after: .days(1), attempts: 4)])
        let thrice = person(
            cohort: persistent, [("2026-11-03", .noAnswer), ("2026-11-04", .noAnswer), ("2026-11-05", .noAnswer)])
        #expect(standing(thrice).category == .inProgress)
    }

    @Test func aNewEpisodeAfterRetriesRanOutIsInProgressAgain() {
        let calls: [(String, OutcomeCode?)] = [
            ("2026-11-02", .noAnswer), ("2026-11-04", .noAnswer), ("2026-11-06", .noAnswer), ("2026-12-07", .voicemail),
        ]
        #expect(standing(person(calls), asOf: "2026-12-07").category == .overdue)
        #expect(standing(person(joined: "2026-11-30", calls), asOf: "2026-12-07").category == .inProgress)
    }

    @Test func callsBeforeTheSpellBeganDoNotCount() {
        let rejoined = person(joined: "2026-11-09", [("2026-11-03", .reached)])
        #expect(standing(rejoined, asOf: "2026-11-10") == MembershipStanding(category: .pending, called: false))
    }

    @Test func anItemLeftEmptyOrNotReturnedIsNotACall() {
        let empty = person([("2026-11-03", nil)])
        #expect(standing(empty) == MembershipStanding(category: .pending, called: false))
    }

    @Test func someoneWhoCannotBeCalledIsCannotCallUnlessAlreadySpokenTo() {
        #expect(
            standing(person(), cannotCall: .noUsablePhone) == MembershipStanding(category: .cannotCall, called: false))
        let wrong = person([("2026-11-03", .wrongNumber)])
        #expect(standing(wrong, cannotCall: .wrongNumber) == MembershipStanding(category: .cannotCall, called: true))
        let movedAfterReach = person([("2026-11-03", .reached), ("2026-11-06", .movedAway)])
        #expect(standing(movedAfterReach, cannotCall: .stopped(.movedAway)).category == .reached)
    }

    @Test func cannotCallReasonsComeFromTheSchedulingStatus() {
        #expect(CannotCallReason(.inactive(.noUsablePhone)) == .noUsablePhone)
        #expect(CannotCallReason(.inactive(.stopped(.deceased))) == .stopped(.deceased))
        #expect(CannotCallReason(.inactive(.unreachable(since: day("2026-11-02")))) == nil)
        #expect(CannotCallReason.noUsablePhone.needsAction)
        #expect(!CannotCallReason.stopped(.optedOut).needsAction)
        #expect(
            CannotCallReason.wrongNumber.action(escalations: ["Send a letter"])
                == "Send a letter; ask the practice for a current number")
        #expect(CannotCallReason.stopped(.deceased).action(escalations: ["Send a letter"]).hasPrefix("Do not contact"))
    }
}
