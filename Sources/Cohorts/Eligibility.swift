import Dispatch
import Basics
import Population
import RuleLanguage
import Vocabulary

/// Who can be a member on a day: alive and registered (rules-language.md "Who can be a member").
struct Eligibility: Sendable {
    let deaths: [Int32]
    let deregistrations: [Int32]
    let today: Int32
    let count: Int

    init(population: Population, asOf: Day) {
        deaths = population.datesOfDeath.ordinals
        deregistrations = population.deregisteredOn.ordinals
        today = asOf.ordinal
        var eligible = 0
        for patient in 0..<population.count where Eligibility.check(patient, deaths, deregistrations, today) {
            eligible += 1
        }
        count = eligible
    }

    @inline(__always)
    func isEligible(_ patient: Int) -> Bool {
        Eligibility.check(patient, deaths, deregistrations, today)
    }

    /// Why a patient cannot be a member on the day, or `nil` when they can.
    func ineligibility(_ patient: Int) -> String? {
        if deaths[patient] != Int32.min, deaths[patient] <= today {
            return "died on \(Day(ordinal: deaths[patient]).description)"
        }
        if deregistrations[patient] != Int32.min, deregistrations[patient] <= today {
            return "deregistered on \(Day(ordinal: deregistrations[patient]).description)"
        }
        return nil
    }

    /// No death and no deregistration on or before today.
    @inline(__always)
    private static func check(_ p: Int, _ deaths: [Int32], _ deregistrations: [Int32], _ today: Int32) -> Bool {
        let death = deaths[p]
        if death != Int32.min, death <= today { return false }
        let left = deregistrations[p]
        if left != Int32.min, left <= today { return false }
        return true
    }
}
