import Basics
import Vocabulary
import Testing

@testable import Population
import TestSupport

/// A declared field's values and reports are those of parsing each stored cell on its own,
/// however often cells repeat (the read keeps the results of the first few distinct short cells).
@Suite struct DeclaredFieldTests {
    /// Valid NHS numbers, one a patient.
    static let numbers: [String] = (999_002_000..<999_003_000).compactMap { first in
        NHSNumber.checkDigit(forFirstNine: UInt64(first)).map { "\(first)\($0)" }
    }

    /// Cells of a yes/no or number column: more distinct short ones than are kept, some that
    /// differ only after their first byte (`yes`, `yep`; `10`, `12`), some that do not parse,
    /// and long ones.
    static let cells = [
        "yes", "yep", "no", "nO", "Y", "n", "TRUE", "false", "1", "0", "maybe", "", "3", "10", "12", "2.5", "-1",
        "x1", "NA", "yes please", "0.000001", "12345678", "Yes ", "#N/A",
    ]

    @Test(arguments: [FieldType.yesNo, .number], 0..<5)
    func repeatedCellsGiveWhatEachCellGivesAlone(type: FieldType, seed: Int) throws {
        var random = SeededRandom(seed: UInt64(seed))
        let rows = Self.numbers.prefix(400).map { ($0, Self.cells.randomElement(using: &random)!) }
        let text =
            "nhs_number,practice,date_of_birth,answer\n" + rows.map { "\($0.0),E82001,1950-01-02,\($0.1)\n" }.joined()
        let population = try read([("p.csv", text)]).population
        let stored = try #require(population.extra("answer")).values
        let field = try #require(population.field("answer", as: type))
        #expect(stored.count == rows.count)
        var values: [String] = []
        var expected: [String] = []
        var problems: [String] = []
        for index in stored.indices {
            let alone: Result<String, Problem>? = stored.withBytes(index) { cell -> Result<String, Problem>? in
                guard let cell else { return nil }
                return type == .yesNo
                    ? YesNo.parse(cell).map { "\($0)" } : NumberValue.parse(cell).map { "\($0)" }
            }
            switch alone {
            case .success(let value)?: expected.append(value)
            case .failure(let problem)?:
                expected.append("-")
                if problem != .missing { problems.append("\(index + 2) \(problem)") }
            case nil: expected.append("-")
            }
            switch field.values {
            case .yesNo(let all): values.append(all[index].map { "\($0)" } ?? "-")
            case .number(let all): values.append(all[index].map { "\($0)" } ?? "-")
            default: Issue.record("wrong type")
            }
        }
        #expect(values == expected)
        #expect(field.problems.map { "\($0.line) \($0.problem)" } == problems)
        #expect(Set(values).count > 2, "the cells give several values")
    }
}
