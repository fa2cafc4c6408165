import RuleLanguage

/// People grouped by what decides who may call them, their practice and the skills their cohorts
/// need, with the workers who may take each group's calls: worked out once per group, not per person.
public struct EligibilityGroups: Sendable {
    private(set) var workers: [[Int]] = []
    private(set) var servesAnyone: [Bool] = []
    private var index: [String: [Set<String>: Int]] = [:]
    /// The group asked for last, found again without looking it up in ``index``: a plan asks about
    /// its people in their order, practice by practice, most of them needing no skill, so most
    /// questions repeat the one before.
    private var last: (practice: String, skills: Set<String>, group: Int)?
    private let roster: Roster

    /// No groups yet: each is made the first time one of its people is asked about.
    public init(roster: Roster) {
        self.roster = roster
    }

    var count: Int { workers.count }

    mutating func group(practice: String, skills: Set<String>) -> Int {
        if let last, last.skills == skills, last.practice == practice { return last.group }
        let group = index[practice]?[skills] ?? newGroup(practice: practice, skills: skills)
        last = (practice, skills, group)
        return group
    }

    private mutating func newGroup(practice: String, skills: Set<String>) -> Int {
        let serving = roster.workers.indices.filter { roster.workers[$0].serves(practice) }
        workers.append(serving.filter { roster.workers[$0].hasSkills(skills) })
        servesAnyone.append(!serving.isEmpty)
        index[practice, default: [:]][skills] = workers.count - 1
        return workers.count - 1
    }

    /// Why no worker of the team could ever take this person's calls, or `nil` when someone could.
    public mutating func neverAssignable(_ person: CaseInput) -> NotListedReason? {
        let group = group(practice: person.practice, skills: person.neededSkills)
        return neverAssignable(group)
    }

    /// Why nobody could ever take the group's calls, or `nil`.
    func neverAssignable(_ group: Int) -> NotListedReason? {
        if !servesAnyone[group] { return .noWorkerServesPractice }
        if workers[group].isEmpty { return .noWorkerHasSkill }
        return nil
    }
}
