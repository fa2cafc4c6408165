import Foundation
import Testing
import Basics
@testable import Population
import TestSupport
@testable import Tooling

/// Synthetic extracts: deterministic, valid test data only, and read back exactly as meant.
@Suite struct SynthTests {
    /// Generates in memory: file name → bytes.
    static func generate(_ options: SynthOptions, keepRecords: Bool = true) -> (SyntheticExtract, [(String, [UInt8])]) {
        var files: [(String, [UInt8])] = []
        let result = Synthesizer.generate(options, keepRecords: keepRecords) { files.append(($0, $1)) }
        return (result, files)
    }

    @Test(arguments: SynthLayout.allCases)
    func writesTheSameBytesForTheSameSeed(_ layout: SynthLayout) {
        let options = SynthOptions(patients: 600, practices: 2, layout: layout, seed: 42, asOf: day("2024-03-01"))
        let (_, first) = Self.generate(options, keepRecords: false)
        let (_, second) = Self.generate(options, keepRecords: false)
        #expect(
            first.map(\.0) == [
                "practice-E82001.csv", "practice-E82001-events.csv", "practice-E82002.csv",
                "practice-E82002-events.csv",
            ])
        #expect(first.map(\.1) == second.map(\.1))
        var other = options
        other.seed = 43
        #expect(Self.generate(other, keepRecords: false).1.map(\.1) != first.map(\.1))
    }

    @Test func writesByteIdenticalFilesToDisk() throws {
        let options = SynthOptions(patients: 300, practices: 2, layout: .emis, seed: 7, asOf: day("2024-03-01"))
        try withTemporaryDirectory { base in
            _ = try Synthesizer.write(options, to: base + "/a")
            _ = try Synthesizer.write(options, to: base + "/b")
            let names = try FileIO.listDirectory(base + "/a")
            #expect(names.contains(SyntheticExtract.manifestName))
            for name in names {
                #expect(try FileIO.readAll(base + "/a/" + name) == FileIO.readAll(base + "/b/" + name), "\(name)")
                #expect(try FileIO.permissions(base + "/a/" + name) == 0o600)
            }
            #expect(try FileIO.permissions(base + "/a") == 0o700)
        }
    }

    @Test func usesOnlyValidNHSNumbersFromThe999TestRange() {
        var random = SeededRandom(seed: 5)
        let numbers = Synthesizer.nhsNumbers(count: 20_000, random: &random)
        #expect(Set(numbers).count == numbers.count)
        #expect(numbers.allSatisfy { (9_990_000_000...9_999_999_999).contains($0) && NHSNumber($0) != nil })
    }

    /// The property: whatever the seed and layout, reading synth's files gives back exactly the
    /// records it meant, the events it meant, and exactly the rejects it broke on purpose.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func readsBackExactlyWhatItWrote(_ seed: UInt64) throws {
        for layout in SynthLayout.allCases {
            let options = SynthOptions(
                patients: 400, practices: 2, layout: layout, seed: seed, asOf: day("2024-03-01"), eventsPerPatient: 6)
            let (synthetic, files) = Self.generate(options)
            let extract = try readBytes(files, options: ReadOptions(today: day("2024-03-01")))
            let population = extract.population
            #expect(population.count == synthetic.patients.count, "seed \(seed) \(layout)")
            #expect(population.count == 400 - synthetic.broken.filter { !$0.file.contains("events") }.count)
            for expected in synthetic.patients {
                guard let index = population.index(of: expected.nhsNumber.value) else {
                    Issue.record("seed \(seed) \(layout): \(expected.nhsNumber) missing")
                    continue
                }
                #expect(population.record(index) == expected, "seed \(seed) \(layout)")
            }
            let codes = Array(Set(synthetic.events.map(\.code))).sorted()
            let (seen, result) = try scan(extract, codes: codes)
            let expected = synthetic.events.map {
                SeenEvent(nhs: $0.nhsNumber, code: $0.code, day: $0.day, value: $0.value)
            }
            #expect(seen.count == expected.count, "seed \(seed) \(layout)")
            #expect(
                Dictionary(grouping: seen, by: { $0 }).mapValues(\.count)
                    == Dictionary(grouping: expected, by: { $0 }).mapValues(\.count))
            var rejects = extract.rejects
            rejects.append(contentsOf: result.total.rejects)
            let found = Set(
                rejects.entries.map {
                    "\(FileIO.fileName(of: $0.file)):\($0.line): \($0.column) \"\($0.value)\": \($0.reason)"
                })
            #expect(found == Set(synthetic.broken.map(\.message)), "seed \(seed) \(layout)")
            #expect(rejects.entries.allSatisfy { $0.action == .rowRejected })
        }
    }

    @Test func hasRealisticPrevalences() {
        let options = SynthOptions(
            patients: 20_000, practices: 2, layout: .canonical, seed: 9, asOf: day("2024-03-01"), eventsPerPatient: 2)
        let (synthetic, _) = Self.generate(options, keepRecords: false)
        func share(_ group: String) -> Double { Double(synthetic.groupCounts[group] ?? 0) / 20_000 }
        #expect((0.03...0.05).contains(share("high-risk list")))
        #expect((0.03...0.05).contains(share("carer")))
        #expect((0.004...0.011).contains(share("bereaved in 90 days")))
        #expect((0.2...0.3).contains(share("long-term condition")))
        #expect((0.015...0.05).contains(share("over 75 living alone")))
    }

    @Test func writesAnEMISPreambleAndEMISDates() throws {
        let options = SynthOptions(patients: 50, practices: 1, layout: .emis, seed: 1, asOf: day("2024-03-01"))
        let (_, files) = Self.generate(options)
        let text = String(decoding: files[0].1, as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines[0].hasPrefix("\u{FEFF}Search Name,"))
        #expect(lines.contains("Run Date,01-Mar-2024"))
        #expect(lines[11].hasPrefix("NHS Number,Forename,Surname,Date of Birth"))
        let extract = try readBytes(files)
        #expect(extract.population.extractDate == day("2024-03-01"))
        #expect(extract.files.map(\.layout.profile) == ["emis", "emis"])
    }
}
