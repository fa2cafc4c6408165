import Basics
import Journal
import RuleLanguage
import TestSupport
import Testing
import Vocabulary

@testable import Planning

/// A call a text announced is kept like a promise: on its day, with the worker and band the text
/// named, past that worker's list size if it must be, and without taking room from anyone else.
@Suite struct AnnouncedCallTests {
    static let monday = day("2026-11-23")
    static let cohort = CohortCallRules(id: "carers", title: "Carers", priority: 3)

    static func person(_ nhs: UInt64, practice: String, announced: (String, TimeBand)? = nil, history: [Attempt] = [])
        -> CaseInput
    {
        CaseInput(
            nhsNumber: nhs, practice: practice,
            memberships: [Membership(cohort: cohort, joinedOn: day("2026-11-02"), reason: "Carer")], history: history,
            announced: announced.map {
                CallAnnounced(nhsNumber: nhs, day: monday, worker: $0.0, timeBand: $0.1, on: day("2026-11-20"))
            })
    }

    @Test func keptWithTheNamedWorkerPastTheirListWithoutTakingOthersRoom() {
        // Ann takes 1 call a day for either practice; Ben 5, for E82002 only.
        let roster = Roster(workers: [
            Worker(id: "ann", name: "Ann", callsPerDay: 1, practices: ["E82001", "E82002"]),
            Worker(id: "ben", name: "Ben", callsPerDay: 5, practices: ["E82002"]),
        ])
        // A promised call-back fills Ann's one place; a call announced with Ann in the afternoon
        // comes on top; five E82002 first calls all still fit with Ben.
        let callBack = Self.person(
            1, practice: "E82001",
            history: [
                Attempt(
                    itemID: "i1", day: day("2026-11-20"), worker: "ann", band: .morning, cohorts: ["carers"],
                    outcome: .callBack, callBackOn: Self.monday)
            ])
        let announced = Self.person(2, practice: "E82001", announced: ("ann", .afternoon))
        let others = (3...7).map { Self.person(UInt64($0), practice: "E82002") }
        let plan = Planner(roster: roster, policy: Policy()).plan(
            [callBack, announced] + others, from: Self.monday, days: 1)
        let calls = plan.days[0].calls
        let call = calls.first { $0.nhsNumber == 2 }
        #expect(call?.worker == "ann" && call?.band == .afternoon, "the worker and band the text named")
        #expect(calls.filter { $0.worker == "ann" }.count == 2, "past Ann's one place")
        #expect(calls.filter { $0.worker == "ben" }.count == 5, "Ben's five places all used")
        #expect(plan.notListed.allSatisfy { $0 == nil })
    }

    @Test func waitsForItsDayAndLapsesForSomeoneWhoCannotBeCalled() {
        let roster = Roster(workers: [Worker(id: "ann", name: "Ann", callsPerDay: 10)])
        let person = Self.person(2, practice: "E82001", announced: ("ann", .morning))
        let friday = day("2026-11-20")
        #expect(
            CaseTimeline.status(of: person, on: friday, policy: Policy(), roster: roster).nextCall?.dueOn == Self.monday
        )
        let unreachable = CaseInput(
            nhsNumber: 2, practice: "E82001", notByTelephone: true,
            memberships: person.memberships, announced: person.announced)
        #expect(
            CaseTimeline.status(of: unreachable, on: Self.monday, policy: Policy(), roster: roster)
                == .inactive(.notByTelephone))
    }
}
