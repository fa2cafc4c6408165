import Foundation
import Basics
import Cohorts
import Operations
import Planning
import Population
import RuleLanguage
import TestSupport
@testable import Tooling

/// A home with the shipped rules and a small synthetic population ingested on `asOf`, in `root`
/// (a temporary folder the caller removes).
func homeWithPopulation(_ name: String, patients: Int = 1500, seed: UInt64 = 5, asOf: Day, in root: String) throws
    -> (HomeSession, SyntheticExtract)
{
    let home = try Home.create(at: FileIO.join(root, "home"), rulesFrom: Repository.rules)
    let extractFolder = FileIO.join(root, "extract")
    let synthetic = try Synthesizer.write(
        SynthOptions(patients: patients, practices: 3, seed: seed, asOf: asOf, eventsPerPatient: 12), to: extractFolder)
    let session = try HomeSession(home: home)
    let files = try FileIO.listDirectory(extractFolder).filter { $0.hasSuffix(".csv") && !$0.hasPrefix(".") }.map {
        FileIO.join(extractFolder, $0)
    }
    _ = try Ingestor.ingest(session, paths: files, at: LocalDateTime(day: asOf, minuteOfDay: 8 * 60), moveInputs: false)
    return (session, synthetic)
}

/// The first person of the run's population who is alive, registered and has a phone but is in
/// no cohort today: someone only a promise made earlier could put on a list.
func livingPhoneablePersonInNoCohort(_ run: CohortRun) -> Int? {
    let inCohorts = Set(run.cohortsByPatient().keys)
    let population = run.population
    return (0..<population.count).first {
        !inCohorts.contains(Int32($0)) && population.datesOfDeath[$0] == nil && population.deregisteredOn[$0] == nil
            && (population.mobilePhones[$0] != nil || population.homePhones[$0] != nil)
    }
}
