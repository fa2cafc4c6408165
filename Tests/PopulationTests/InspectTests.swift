import Foundation
import Testing
import Basics
@testable import Population
import TestSupport
@testable import Tooling

@Suite struct InspectTests {
    /// The issue's acceptance check, at a size that keeps the suite fast: inspect finds exactly the
    /// rows synth broke, and counts every other patient.
    @Test func findsExactlyTheRowsSynthBroke() throws {
        try withTemporaryDirectory { directory in
            let options = SynthOptions(
                patients: 3_000, practices: 3, layout: .emis, seed: 1, asOf: day("2024-03-01"), eventsPerPatient: 10)
            let synthetic = try Synthesizer.write(options, to: directory + "/x")
            let paths = try FileIO.listDirectory(directory + "/x").filter { !$0.hasPrefix(".") }.map {
                directory + "/x/" + $0
            }
            let rejectsPath = directory + "/rejects.csv"
            let result = try Inspection.run(paths: paths, options: ReadOptions(), rejectsPath: rejectsPath)
            let brokenPatients = synthetic.broken.filter { !$0.file.contains("events") }.count
            #expect(brokenPatients > 0)
            #expect(result.extract.population.count == 3_000 - brokenPatients)
            #expect(
                result.text.hasSuffix(
                    "\(Formatting.grouped(3_000 - brokenPatients)) patients, \(synthetic.broken.count) rows rejected — see \(rejectsPath)\n"
                ))
            let written = try FileIO.readText(rejectsPath)
            let manifest = try FileIO.readText(directory + "/x/" + SyntheticExtract.manifestName)
            #expect(try FileIO.permissions(rejectsPath) == 0o600)
            func rows(_ text: String, dropLast: Bool) -> Set<String> {
                var lines = text.replacingAll("\r\n", with: "\n").split(separator: "\n").dropFirst().map(String.init)
                if dropLast { lines = lines.map { String($0[..<$0.lastIndex(of: ",")!]) } }
                return Set(lines)
            }
            #expect(rows(written, dropLast: true) == rows(manifest, dropLast: false))
        }
    }

    @Test func reportsTheFixturesAsTheGoldenFileShows() throws {
        let paths = try FileIO.listDirectory(fixtures).filter { $0.hasSuffix(".csv") }.map { FileIO.join(fixtures, $0) }
        let result = try Inspection.run(paths: paths, options: ReadOptions(today: day("2024-03-01")), rejectsPath: nil)
        assertSnapshot(result.text, named: "inspect-fixtures", in: fixtures)
    }

    @Test func namesAMissingInputWithExitStatus66() {
        do {
            _ = try Inspection.run(paths: ["/no/such/extract.csv"], options: ReadOptions(), rejectsPath: nil)
            Issue.record("expected an error")
        } catch let error as ExtractError {
            #expect(error.exitCode == .noInput)
            #expect(error.message.contains("/no/such/extract.csv"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func saysWhenTheRejectsFileCannotBeWritten() throws {
        let paths = try FileIO.listDirectory(fixtures).filter { $0.hasSuffix(".csv") }.map { FileIO.join(fixtures, $0) }
        do {
            _ = try Inspection.run(paths: paths, options: ReadOptions(), rejectsPath: "/no/such/folder/rejects.csv")
            Issue.record("expected an error")
        } catch let error as OutreachError {
            #expect(error.exitCode == .cannotCreate)
            #expect(error.message.hasPrefix("cannot write /no/such/folder/rejects.csv"))
        }
    }

    @Test func readsTheCSVFilesInAFolderButNotHiddenOnes() throws {
        try withTemporaryDirectory { directory in
            let options = SynthOptions(
                patients: 100, practices: 2, layout: .canonical, seed: 4, asOf: day("2024-03-01"), eventsPerPatient: 3)
            _ = try Synthesizer.write(options, to: directory)
            let inputs = try ExtractReader.inputs(forPaths: [directory])
            #expect(
                inputs.map { FileIO.fileName(of: $0.name) } == [
                    "practice-E82001-events.csv", "practice-E82001.csv", "practice-E82002-events.csv",
                    "practice-E82002.csv",
                ])
        }
    }
}

@Suite struct InspectWidthTests {
    /// A header name of 20,000 characters once padded every row of the column table to its width
    /// (a 109 KB file printed 373 MB): names are cut at 60 characters, so the output stays in
    /// proportion to the input.
    @Test func longColumnNamesAreCutSoTheOutputStaysSmall() throws {
        try withTemporaryDirectory { directory in
            let long = String(repeating: "x", count: 20_000)
            let extras = (1...200).map { "Extra \($0)" }
            var text =
                (["NHS number", "First name", "Surname", "Date of birth", "Gender", long] + extras)
                .joined(separator: ",") + "\n"
            text +=
                (["9990010048", "Raj", "Patel", "04/05/1960", "M", "1"] + extras.map { _ in "" })
                .joined(separator: ",") + "\n"
            let path = FileIO.join(directory, "E82002_patients.csv")
            try FileIO.writeAtomically(text: text, to: path)
            let result = try Inspection.run(
                paths: [path], options: ReadOptions(today: day("2024-03-01")), rejectsPath: nil)
            #expect(result.text.utf8.count < text.utf8.count + 40_000)
            #expect(result.text.contains(String(repeating: "x", count: 59) + "…"))
            #expect(!result.text.contains(String(repeating: "x", count: 61)))
            #expect(result.text.contains("Extra 200"))
        }
    }
}
