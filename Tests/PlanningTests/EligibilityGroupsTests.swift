import Basics
import RuleLanguage
import Testing

@testable import Planning

/// A plan groups its people by practice and needed skills to know who may call them. Asked about
/// them in any order, again and again, each practice and set of skills must keep its own group,
/// with exactly the workers who serve that practice and have those skills: a wrong group would
/// list a person for a worker who may not call them, or for nobody.
@Suite struct EligibilityGroupsTests {
    @Test func eachQuestionKeepsItsGroupInAnyOrder() {
        let roster = Roster(workers: [
            Worker(id: "amy", name: "Amy", callsPerDay: 10, practices: ["E82001"]),
            Worker(id: "bo", name: "Bo", callsPerDay: 10, practices: ["E82001", "E82002"], skills: ["bereavement"]),
            Worker(id: "cy", name: "Cy", callsPerDay: 10, skills: ["bereavement", "gujarati"]),
        ])
        let questions: [(practice: String, skills: Set<String>)] = [
            ("E82001", []), ("E82002", []), ("E82001", ["bereavement"]), ("E82002", ["bereavement"]),
            ("E82003", []), ("E82003", ["bereavement", "gujarati"]), ("E82001", ["gujarati"]),
        ]
        var groups = EligibilityGroups(roster: roster)
        var asked: [Int: Int] = [:]
        var random = SeededRandom(seed: 41)
        for _ in 0..<2_000 {
            // Runs of the same question, as a plan asks practice by practice, between jumps.
            let question = Int(random.next() % UInt64(questions.count))
            for _ in 0..<Int(random.next() % 3 + 1) {
                let (practice, skills) = questions[question]
                let group = groups.group(practice: practice, skills: skills)
                #expect(asked[group, default: question] == question, "one group, one question")
                asked[group] = question
                let mayCall = roster.workers.indices.filter {
                    roster.workers[$0].serves(practice) && roster.workers[$0].hasSkills(skills)
                }
                #expect(groups.workers[group] == mayCall, "\(practice) \(skills.sorted())")
            }
        }
        #expect(asked.count == questions.count)
        #expect(groups.count == questions.count, "a group is made once per question")
    }
}
