import Basics
import Cohorts
import Foundation
import Population
import RuleLanguage
import TestSupport
import Testing

/// Valid NHS numbers from the 999 range reserved for test data.
enum TestNHS {
    /// The first thousand valid numbers from 999 000 0000 upwards (Modulus 11 check digit right).
    static let numbers: [UInt64] = {
        var found: [UInt64] = []
        var base: UInt64 = 999_000_000
        while found.count < 1000 {
            let digits = String(base).compactMap(\.wholeNumberValue)
            let sum = zip(digits, (2...10).reversed()).reduce(0) { $0 + $1.0 * $1.1 }
            let check = (11 - sum % 11) % 11
            if check != 10 { found.append(base * 10 + UInt64(check)) }
            base += 1
        }
        return found
    }()

    /// The `index`-th valid number, for populations larger than ``numbers``.
    static func number(_ index: Int) -> UInt64 {
        if index < numbers.count { return numbers[index] }
        var base = 999_100_000 + UInt64(index) * 2
        while true {
            let digits = String(base).compactMap(\.wholeNumberValue)
            let sum = zip(digits, (2...10).reversed()).reduce(0) { $0 + $1.0 * $1.1 }
            let check = (11 - sum % 11) % 11
            if check != 10 { return base * 10 + UInt64(check) }
            base += 1
        }
    }
}

/// A failure to build a fixture (rules with errors), with what went wrong.
struct FixtureError: Error, CustomStringConvertible {
    let description: String
}

/// One coded event of a test person; dates and values as the extract writes them.
struct TestEvent: Sendable {
    var code: String
    var date: String
    var value: String = ""
}

/// A test person: a patients row (date of birth plus any other columns by header) and their events.
struct Person: Sendable {
    var born: String
    var cells: [String: String]
    var events: [TestEvent]

    init(born: String = "1960-06-15", _ cells: [String: String] = [:], events: [TestEvent] = []) {
        self.born = born
        self.cells = cells
        self.events = events
    }

    /// Someone with one event of `code` on `date`.
    static func withEvent(_ code: String, on date: String, value: String = "") -> Person {
        Person(events: [TestEvent(code: code, date: date, value: value)])
    }
}

/// Rule text in memory, loaded and checked as `outreach check` would.
enum TestRules {
    /// Checks `text` as one rule file; `files` (relative path → contents) are written to a fresh
    /// temporary rules folder first, for codelists and lookups read from CSV.
    static func load(_ text: String, files: [String: String] = [:]) throws -> RuleSet {
        let directory = files.isEmpty ? NSTemporaryDirectory() : try folder(with: files)
        defer { if !files.isEmpty { try? FileManager.default.removeItem(atPath: directory) } }
        return try load(text, directory: directory)
    }

    /// Checks `text` as one rule file whose codelists and lookups are in `directory`.
    static func load(_ text: String, directory: String) throws -> RuleSet {
        let result = RuleSetLoader.load(files: [SourceFile(path: "test.rules", text: text)], directory: directory)
        guard let ruleSet = result.ruleSet else {
            let errors = result.diagnostics.filter { $0.severity == .error }
            throw FixtureError(
                description: "the test rules have errors:\n"
                    + errors.map { DiagnosticRenderer.render($0, in: result.sources) }.joined())
        }
        return ruleSet
    }

    /// A fresh temporary folder holding `files` (relative path → contents), which the caller removes.
    static func folder(with files: [String: String]) throws -> String {
        let directory = try makeTemporaryDirectory()
        for (path, text) in files {
            let full = FileIO.join(directory, path)
            try FileIO.createDirectory(FileIO.parentDirectory(of: full))
            try FileIO.writeAtomically(text: text, to: full)
        }
        return directory
    }
}

/// People and rules evaluated by the real engine on one day. Person `i` has NHS number
/// `TestNHS.numbers[i]`, so results are reported by index into `people`.
struct Scenario {
    let ruleSet: RuleSet
    let asOf: Day
    let people: [Person]

    init(_ rules: String, files: [String: String] = [:], asOf: String = "2026-11-02", people: [Person]) throws {
        ruleSet = try TestRules.load(rules, files: files)
        self.asOf = day(asOf)
        self.people = people
    }

    /// The patients and events as canonical CSV bytes, as a practice would send them.
    var inputs: [ExtractInput] { Scenario.inputs(people) }

    static func inputs(_ people: [Person], nhs: (Int) -> UInt64 = { TestNHS.numbers[$0] }) -> [ExtractInput] {
        let (patients, events) = csv(people, nhs: nhs)
        return [
            .bytes(Array(patients.utf8), name: "patients.csv"),
            .bytes(Array(events.utf8), name: "events.csv"),
        ]
    }

    /// The patients file and the events file, as text.
    static func csv(_ people: [Person], nhs: (Int) -> UInt64 = { TestNHS.numbers[$0] }) -> (
        patients: String, events: String
    ) {
        let extraHeaders = Set(people.flatMap(\.cells.keys)).subtracting(["practice"]).sorted()
        var patients = CSVWriter(lineEnd: "\n", neutraliseFormulas: false)
        patients.append(["nhs_number", "practice", "date_of_birth"] + extraHeaders)
        var events = CSVWriter(lineEnd: "\n", neutraliseFormulas: false)
        events.append(["nhs_number", "code", "date", "value"])
        for (index, person) in people.enumerated() {
            let number = String(nhs(index))
            patients.append(
                [number, person.cells["practice"] ?? "E82001", person.born]
                    + extraHeaders.map { person.cells[$0] ?? "" })
            for event in person.events { events.append([number, event.code, event.date, event.value]) }
        }
        return (patients.output, events.output)
    }

    /// Runs the engine (rows that do not parse are reported, never fatal, in these tests).
    func run(witness: Int? = nil) throws -> CohortRun {
        try CohortEngine.run(
            ruleSet, inputs: inputs, asOf: asOf, maxRejectRate: 1, witness: witness.map { TestNHS.numbers[$0] })
    }

    /// The people (by index) in each cohort.
    func members() throws -> [String: [Int]] {
        Scenario.members(try run())
    }

    static func members(_ run: CohortRun) -> [String: [Int]] {
        var byCohort: [String: [Int]] = [:]
        for result in run.results {
            byCohort[result.cohort.id] = result.members.map { patient in
                TestNHS.numbers.firstIndex(of: run.population.nhsNumbers[Int(patient)])!
            }.sorted()
        }
        return byCohort
    }
}

/// One expression's value for each of several people: what a condition would see.
enum Probe {
    /// Evaluates `expression` (any type) for every person, in order, with `declarations` (codelists,
    /// fields, defines…) around it.
    static func values(
        _ expression: String, declarations: String = "", files: [String: String] = [:], asOf: String = "2026-11-02",
        people: [Person]
    ) throws -> [EvalValue] {
        let rules =
            declarations + """

                define probe = \(expression)
                cohort probe_cohort "Probe"
                  priority 1
                  include if probe is present
                end
                """
        let scenario = try Scenario(rules, files: files, asOf: asOf, people: people)
        let run = try scenario.run()
        guard let probe = scenario.ruleSet.defines["probe"] else { throw FixtureError(description: "no probe define") }
        return try people.indices.map { index in
            guard let patient = run.population.index(of: TestNHS.numbers[index]) else {
                throw FixtureError(description: "person \(index) was not read (born \(people[index].born))")
            }
            return try run.evaluate(probe.expression, patient: patient)
        }
    }

    /// The value of `expression` for one person.
    static func value(
        _ expression: String, declarations: String = "", files: [String: String] = [:], asOf: String = "2026-11-02",
        person: Person = Person()
    ) throws -> EvalValue {
        try values(expression, declarations: declarations, files: files, asOf: asOf, people: [person])[0]
    }

    /// For each event day, whether `condition` is yes for someone whose only event is of `code` on that day.
    static func eachEventDay(
        _ condition: String, declarations: String = "codelist flu = [\"1001\"]", code: String = "1001",
        asOf: String, days: [String]
    ) throws -> [String: Bool] {
        let people = days.map { Person.withEvent(code, on: $0) }
        let values = try values(condition, declarations: declarations, asOf: asOf, people: people)
        var result: [String: Bool] = [:]
        for (day, value) in zip(days, values) {
            guard let truth = value.truth else {
                throw FixtureError(description: "\(condition) is \(value) for \(day)")
            }
            result[day] = truth
        }
        return result
    }
}
