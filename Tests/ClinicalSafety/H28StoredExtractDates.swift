import Testing

import Basics
import Operations
import Population
import TestSupport

/// H28: dates are read as the practice wrote them. A two-digit year in a stored extract pivots on
/// the extract's own date (its run date, else the day it was ingested), never on the day a later
/// command runs: the same stored file gives the same dates of birth, so the same ages and
/// cohorts, on every day it is read.
@Suite("H28 a stored extract's two-digit years read the same on every later day")
struct H28StoredExtractDates {
    @Test func aTwoDigitYearOfBirthPivotsOnTheDayTheExtractWasIngested() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            // Ingested on Monday 23 November 2026 with no run date: `26/11/26` cannot be three days
            // ahead of the extract, so it is 1926, the day the file is read notwithstanding.
            let path = try home.write(
                "nhs_number,practice,given_name,family_name,date_of_birth,phone_mobile\n"
                    + "9990010013,E82001,Ada,Byron,26/11/26,07700 900123\n",
                as: "practice-E82001.csv")
            _ = try home.ingest([path], confirm: true)
            for day in [SafetyHome.monday, SafetyHome.monday.adding(days: 4), SafetyHome.monday.adding(days: 400)] {
                let population = try HomeSession(home: home.home).evaluateCohorts(on: day).population
                let ada = try #require(population.nhsNumbers.firstIndex(of: 999_001_0013))
                #expect(population.datesOfBirth[ada] == Day(iso: "1926-11-26"), "read on \(day)")
            }
        }
    }
}
