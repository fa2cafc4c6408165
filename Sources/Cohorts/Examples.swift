import Basics
import Population
import RuleLanguage

/// Runs a rule set's `example` blocks through the real cohort engine: each example becomes a
/// one-person extract (written as canonical CSV in memory and read by the same reader), so an
/// example tests exactly what a real extract would meet.
public struct CohortExampleRunner: ExampleRunner {
    public init() {}

    /// The NHS number every example person has: a valid number from the 999 test range.
    static let exampleNHSNumber: UInt64 = 9_990_000_018

    /// The ways the example's person's cohorts differ from what the example expects (none when it passes).
    public func run(_ example: RuleExample, in ruleSet: RuleSet, today: Day) -> [ExampleFailure] {
        let asOf = example.asOf ?? today
        let cohortRun: CohortRun
        do {
            cohortRun = try CohortEngine.run(
                ruleSet, inputs: CohortExampleRunner.inputs(for: example, ruleSet: ruleSet, asOf: asOf), asOf: asOf,
                maxRejectRate: 1, witness: CohortExampleRunner.exampleNHSNumber)
        } catch {
            return example.expectations.map {
                ExampleFailure(expectation: $0, explanation: "the example could not be evaluated: \(error)")
            }
        }
        guard let patient = cohortRun.population.index(of: CohortExampleRunner.exampleNHSNumber) else {
            return example.expectations.map {
                ExampleFailure(
                    expectation: $0, explanation: "the example person could not be read (a value is not valid)")
            }
        }
        let explanation = try? Explanation.explain(CohortExampleRunner.exampleNHSNumber, in: cohortRun)
        var failures: [ExampleFailure] = []
        for expectation in example.expectations {
            guard let index = cohortRun.results.firstIndex(where: { $0.cohort.id == expectation.cohort }) else {
                continue
            }
            let isMember = cohortRun.results[index].members.contains(Int32(patient))
            guard isMember != expectation.member else { continue }
            var why = isMember ? "they are in it:" : "they are not:"
            if let ineligible = explanation?.ineligibility { why += " \(ineligible);" }
            for condition in explanation?.verdicts[index].conditions ?? [] {
                why +=
                    "\n  \(condition.isInclude ? "include if" : "exclude if") \(condition.text) → \(condition.value.verdictWord)"
                if !condition.facts.isEmpty { why += " (" + condition.facts.joined(separator: "; ") + ")" }
            }
            failures.append(ExampleFailure(expectation: expectation, explanation: why))
        }
        return failures
    }

    /// The example person as a canonical patients file and an events file, in memory.
    static func inputs(for example: RuleExample, ruleSet: RuleSet, asOf: Day) -> [ExtractInput] {
        var header = ["nhs_number", "practice", "date_of_birth"]
        var row = [String(exampleNHSNumber), "E82001", ""]
        switch example.birth {
        case .age(let years): row[2] = asOf.subtracting(Period(years, .years)).description
        case .born(let day): row[2] = day.description
        case nil: row[2] = asOf.subtracting(Period(50, .years)).description
        }
        for setting in example.settings {
            let column: String
            switch setting.target {
            case .column(let canonical): column = canonical.name
            case .field(let name): column = ruleSet.fields[name]?.sourceHeader ?? name
            }
            let value = cell(setting.value)
            if let existing = header.firstIndex(of: column) {
                row[existing] = value
            } else {
                header.append(column)
                row.append(value)
            }
        }
        var patients = CSVWriter(lineEnd: "\n", neutraliseFormulas: false)
        patients.append(header)
        patients.append(row)

        var events = CSVWriter(lineEnd: "\n", neutraliseFormulas: false)
        events.append(["nhs_number", "code", "date", "value"])
        for event in example.events {
            let code: String
            switch event.code {
            case .code(let text): code = text
            case .codelist(let name): code = ruleSet.codelists[name]?.codes.first ?? ""
            }
            events.append([
                String(exampleNHSNumber), code, event.day.description, event.value.map(Formatting.number) ?? "",
            ])
        }
        return [
            .bytes(Array(patients.output.utf8), name: "example \"\(example.title)\" (patients)"),
            .bytes(Array(events.output.utf8), name: "example \"\(example.title)\" (events)"),
        ]
    }

    private static func cell(_ value: Value) -> String {
        switch value {
        case .yesNo(let truth): return truth ? "yes" : "no"
        case .number(let number): return Formatting.number(number)
        case .date(let day): return day.description
        case .text(let text): return text
        case .duration(let period): return period.description
        }
    }
}
