import Testing

import Basics
import Population

/// H9: a person who has died or left the practice is never rung. A date of death or
/// deregistration written with a two-digit year (as EMIS's `01-Mar-24` style does) is read as the
/// past, pivoted on the extract's date like a date of birth, never as the 9900s, which would
/// leave the person alive and registered.
@Suite("H9 dates of death and deregistration with two-digit years")
struct H9DeathDates {
    private let header = "nhs_number,practice,date_of_birth,date_of_death,deregistered_on\n"

    private func read(_ rows: String, today: String) throws -> Extract {
        let bytes = Array((header + rows).utf8)
        return try ExtractReader.read(
            [.bytes(bytes, name: "E82001.csv")], options: ReadOptions(maxRejectRate: 1, today: Day(iso: today)!))
    }

    @Test func aTwoDigitYearOfDeathIsInThePastOfTheExtract() throws {
        let extract = try read("9990010013,E82001,02/01/1950,01-Mar-24,\n", today: "2026-11-20")
        #expect(extract.population.datesOfDeath[0] == Day(iso: "2024-03-01"))
    }

    @Test func aTwoDigitYearOfDeregistrationIsInThePastOfTheExtract() throws {
        let extract = try read("9990010013,E82001,02/01/1950,,15/06/26\n", today: "2026-11-20")
        #expect(extract.population.deregisteredOn[0] == Day(iso: "2026-06-15"))
    }

    @Test func aTwoDigitYearAfterTheExtractDateIsTheCenturyBefore() throws {
        // `27` cannot be 2027 in an extract of 2026, so it is 1927: still a death, still not rung.
        let extract = try read("9990010013,E82001,02/01/1920,01-Mar-27,\n", today: "2026-11-20")
        #expect(extract.population.datesOfDeath[0] == Day(iso: "1927-03-01"))
    }
}
