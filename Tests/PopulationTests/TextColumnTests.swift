import Basics
import Testing

@testable import Population

/// A text column gives back exactly the values put into it, whatever mix of appends, copies of
/// another column's rows, padding and edits built it: checked against a plain `[String?]`.
/// Columns whose values are all missing keep no span per value, so the sequences often start
/// (and stay) all missing, and then take a first value at any point.
@Suite struct TextColumnTests {
    /// A value, often missing, sometimes lower-case or not ASCII (for `uppercaseLast`).
    static func value(_ random: inout SeededRandom, missingShare: Double) -> String? {
        if random.chance(missingShare) { return nil }
        return ["Ann", "o'neil", "SG1 2UX", "", "zoë", "07700 900123", "e01009318"].randomElement(using: &random)!
    }

    /// A column built by appending only (as parsed rows are), with its values.
    static func appended(_ random: inout SeededRandom) -> (TextColumn, [String?]) {
        let missingShare = [1.0, 0.9, 0.3].randomElement(using: &random)!
        let values = (0..<Int.random(in: 0...12, using: &random)).map { _ in
            value(&random, missingShare: missingShare)
        }
        return (TextColumn(values), values)
    }

    static func expectSame(_ column: TextColumn, _ model: [String?], _ step: String) {
        #expect(column.count == model.count, "\(step)")
        guard column.count == model.count else { return }
        for index in model.indices {
            #expect(column[index] == model[index], "\(step): value \(index)")
            #expect(column.hasValue(index) == (model[index] != nil), "\(step): hasValue \(index)")
        }
        #expect(column == TextColumn(model), "\(step): equal to a column of the same values")
    }

    @Test(arguments: 0..<300)
    func everyEditGivesTheValuesOfAPlainArray(seed: Int) {
        var random = SeededRandom(seed: UInt64(seed))
        var column = TextColumn()
        var model: [String?] = []
        let missingShare = [1.0, 0.97, 0.5].randomElement(using: &random)!
        for step in 0..<40 {
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<45:
                let value = Self.value(&random, missingShare: missingShare)
                column.append(value)
                model.append(value)
            case 45..<60:
                let (other, values) = Self.appended(&random)
                let lower = Int.random(in: 0...values.count, using: &random)
                let upper = Int.random(in: lower...values.count, using: &random)
                column.append(contentsOf: other, rows: lower..<upper)
                model += values[lower..<upper]
            case 60..<67:
                let target = model.count + Int.random(in: 0...5, using: &random)
                column.pad(to: target)
                while model.count < target { model.append(nil) }
            case 67..<75 where !model.isEmpty:
                let index = Int.random(in: 0..<model.count, using: &random)
                let value = Self.value(&random, missingShare: 0)!
                column.set(index, value)
                model[index] = value
            case 75..<80 where !model.isEmpty:
                let index = Int.random(in: 0..<model.count, using: &random)
                column.setMissing(index)
                model[index] = nil
            case 84..<88 where !model.isEmpty:
                column.uppercaseLast()
                model[model.count - 1] = model.last!.map { $0.uppercased() }
            case 88..<93:
                // A normaliser that writes, then finds a problem: what it wrote is dropped.
                let fails = random.chance(0.5)
                let problem = column.append { buffer in
                    buffer.append(contentsOf: Array("0121 496 0000".utf8))
                    return fails ? .notAPhoneNumber : nil
                }
                #expect((problem != nil) == fails)
                model.append(fails ? nil : "0121 496 0000")
            case 93..<97 where !model.isEmpty:
                let drop = Set((0..<model.count).filter { _ in random.chance(0.3) })
                column = column.removing(drop)
                model = model.indices.filter { !drop.contains($0) }.map { model[$0] }
            case 97..<100:
                column.removeAll()
                model.removeAll()
            default:
                continue
            }
            Self.expectSame(column, model, "seed \(seed), step \(step)")
        }
    }

    @Test func aColumnOfOnlyMissingValuesCopiesAndPadsAsMissing() {
        var none = TextColumn()
        for _ in 0..<5 { none.append(FieldBytes?.none) }
        var column = TextColumn(["Ann", nil])
        column.append(contentsOf: none, rows: 1..<4)
        column.pad(to: 7)
        column.append("Bo")
        Self.expectSame(column, ["Ann", nil, nil, nil, nil, nil, nil, "Bo"], "after the copy")

        var empty = TextColumn()
        empty.append(contentsOf: none, rows: 0..<5)
        empty.set(2, "Cy")
        Self.expectSame(empty, [nil, nil, "Cy", nil, nil], "a value set into a column of missing values")
    }
}
