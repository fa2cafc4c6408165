import Basics
import Population
import Testing
import TestSupport

@testable import Cohorts

/// `outreach cohorts --format csv` writes its rows as bytes, not through `CSVWriter` row by row
/// (an ICB's run has a few hundred thousand): the text must be the writer's.
struct CohortCSVRowTests {
    @Test func csvIsWhatTheWriterWritesRowByRow() throws {
        let rules = """
            cohort older "Older"
              priority 1
              include if age >= 60
            end
            cohort everyone "Everyone"
              priority 12
              include if age >= 0
            end
            """
        let practices = ["E82001", "E82004", "Y01234"]
        let people = (0..<200).map { index in
            Person(born: "19\(10 + index % 80)-03-04", ["practice": practices[index % 3]])
        }
        let scenario = try Scenario(rules, people: people)
        let run = try CohortEngine.run(
            scenario.ruleSet, inputs: Scenario.inputs(people, nhs: { TestNHS.numbers[(7 * $0) % 200] }),
            asOf: scenario.asOf, maxRejectRate: 1)
        var writer = CSVWriter(lineEnd: "\n", neutraliseFormulas: true)
        writer.append(["nhs_number", "practice", "cohort", "priority"])
        let population = run.population
        for result in run.results {
            let members = result.members.sorted { population.nhsNumbers[Int($0)] < population.nhsNumbers[Int($1)] }
            for patient in members {
                writer.append([
                    NHSNumber.digits(population.nhsNumbers[Int(patient)]), population.practice(of: Int(patient)),
                    result.cohort.id, String(result.cohort.priority),
                ])
            }
        }
        #expect(run.results.map(\.members.count).reduce(0, +) > 250)
        #expect(CohortReport.csv(run) == writer.output)
    }

    @Test func nhsNumbersAreWrittenAsTheirTenDigits() {
        for number: UInt64 in [0, 7, 123_456_789, 9_990_000_018, 9_999_999_999, 10_000_000_000, .max] {
            var bytes = Array("x".utf8)
            CohortReport.appendDigits(number, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == "x" + NHSNumber.digits(number), "\(number)")
        }
    }
}
