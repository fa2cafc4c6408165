import Basics
import Testing

@testable import Population
import TestSupport

/// Every patients row is used or reported: the same NHS number twice in one file is a repeat
/// (reported as a duplicate), more events for the patient (used), or a conflict (rejected and
/// reported with the columns that differ); and every data row is in exactly one of a file's counts.
@Suite struct DuplicateRowTests {
    let header = "nhs_number,practice,date_of_birth,given_name,phone_mobile\n"

    /// The file's counts, as one line to compare.
    private func counts(_ summary: FileSummary) -> String {
        "rows \(summary.rows): new \(summary.newPatients), merged \(summary.mergedRows), "
            + "duplicates \(summary.duplicates), rejected \(summary.rowsRejected), "
            + "continuation \(summary.continuationRows)"
    }

    @Test func aDifferentRowForTheSameNHSNumberInOneFileIsRejectedAndReported() throws {
        let text =
            header + "\(Numbers.a),E82001,1950-01-02,Ann,07700 900123\n\(Numbers.b),E82001,1960-01-02,Cy,\n"
            + "\(Numbers.a),E82001,1950-01-02,Bob,07700 900999\n"
        let extract = try read([("practice-E82001.csv", text)])
        let population = extract.population
        #expect(population.count == 2)
        let a = try #require(population.index(of: 9_990_010_013))
        // The first row is kept whole; nothing of the second is merged into it.
        #expect(population.givenNames[a] == "Ann")
        #expect(population.mobilePhones[a] == "07700 900123")
        #expect(
            extract.rejects.entries.map(\.message) == [
                "practice-E82001.csv:4: nhs_number \"999 001 0013\": NHS number already used earlier in this file, "
                    + "by a row with different details: this row not used "
                    + "(given_name, phone_mobile differ; kept practice-E82001.csv:2)"
            ])
        #expect(extract.rejects.entries.map(\.action) == [.rowRejected])
        #expect(counts(extract.files[0]) == "rows 3: new 2, merged 0, duplicates 0, rejected 1, continuation 0")
    }

    @Test func aDifferentDateOfBirthIsAConflictEvenAtAnotherPractice() throws {
        let text =
            "nhs_number,practice,date_of_birth,registered_on\n\(Numbers.a),E82001,1950-01-02,2020-01-01\n"
            + "\(Numbers.a),E82002,1951-01-02,2023-01-01\n"
        let extract = try read([("pcn.csv", text)])
        #expect(extract.population.count == 1)
        #expect(extract.population.practice(of: 0) == "E82001")
        #expect(extract.population.datesOfBirth[0] == day("1950-01-02"))
        #expect(rowRejects(extract.rejects) == ["pcn.csv:3 nhs_number conflictingDuplicate"])
        #expect(
            extract.rejects.entries[0].reason.hasSuffix(
                "(practice, date_of_birth, registered_on differ; kept pcn.csv:2)"))
    }

    @Test func aRowThatOnlyFillsAGapIsAConflictNotAMerge() throws {
        // A phone the first row lacks: which row is right cannot be told, so neither is merged.
        let text =
            header + "\(Numbers.a),E82001,1950-01-02,Ann,\n\(Numbers.a),E82001,1950-01-02,Ann,07700 900999\n"
        let extract = try read([("practice-E82001.csv", text)])
        #expect(extract.population.mobilePhones == [nil])
        #expect(
            extract.rejects.entries.map(\.reason) == [
                "NHS number already used earlier in this file, by a row with different details: this row not used "
                    + "(phone_mobile differs; kept practice-E82001.csv:2)"
            ])
    }

    @Test func anExactRepeatIsAReportedDuplicateAndItsContinuationRowsStayWithThePatient() throws {
        let text = """
            NHS Number,Date of Birth,Forename,Postcode,Code,Date
            \(Numbers.a),02-Jan-1950,Ann,sg1 1aa,,
            \(Numbers.a),02-Jan-1950,Ann,SG1 1AA,,
            ,,,,44054006,03-Mar-2021

            """
        let extract = try read([("practice-E82001.csv", text)])
        #expect(extract.population.count == 1)
        #expect(
            extract.rejects.entries.map(\.message) == [
                "practice-E82001.csv:3: nhs_number \"999 001 0013\": duplicate: the same row is earlier in this file "
                    + "(kept practice-E82001.csv:2)"
            ])
        #expect(extract.rejects.entries.map(\.action) == [.duplicate])
        #expect(extract.rejects.rowsRejected == 0)
        #expect(extract.population.embeddedEvents.count == 1)
        #expect(counts(extract.files[0]) == "rows 3: new 1, merged 0, duplicates 1, rejected 0, continuation 1")
    }

    @Test func aRowRepeatingThePatientForAnotherEventIsUsedForIt() throws {
        let text = """
            nhs_number,practice,date_of_birth,given_name,code,date
            \(Numbers.a),E82001,1950-01-02,Ann,195967001,2020-02-01
            \(Numbers.a),E82001,1950-01-02,Ann,44054006,2021-03-03
            \(Numbers.a),E82001,1950-01-02,Anne,271649006,2022-04-04

            """
        let extract = try read([("p.csv", text)])
        #expect(extract.population.embeddedEvents.map(\.code) == ["195967001", "44054006"])
        #expect(rowRejects(extract.rejects) == ["p.csv:4 nhs_number conflictingDuplicate"])
        #expect(counts(extract.files[0]) == "rows 3: new 1, merged 1, duplicates 0, rejected 1, continuation 0")
    }

    @Test func twoPracticesInOneFileKeepTheLatestRegistrationAsTwoFilesDo() throws {
        let text = """
            nhs_number,practice,date_of_birth,registered_on,phone_mobile
            \(Numbers.a),E82001,1950-01-02,2020-01-01,07700 900123
            \(Numbers.b),E82001,1960-01-02,2019-01-01,
            \(Numbers.a),E82002,1950-01-02,2023-06-01,07700 900999
            \(Numbers.b),E82002,1960-01-02,2010-01-01,

            """
        let extract = try read([("pcn.csv", text)])
        let population = extract.population
        let a = try #require(population.index(of: 9_990_010_013))
        #expect(population.practice(of: a) == "E82002")
        #expect(population.mobilePhones[a] == "07700 900999")
        let b = try #require(population.index(of: 9_990_010_021))
        #expect(population.practice(of: b) == "E82001")
        let duplicates = extract.rejects.entries.filter { $0.action == .duplicate }
        #expect(
            duplicates.map { "\($0.file):\($0.line) \($0.problem)" } == [
                "pcn.csv:2 duplicatePatient", "pcn.csv:5 duplicatePatient",
            ])
        #expect(duplicates.map(\.detail) == ["kept pcn.csv:4", "kept pcn.csv:3"])
        #expect(extract.rejects.rowsRejected == 0)
        #expect(counts(extract.files[0]) == "rows 4: new 2, merged 0, duplicates 2, rejected 0, continuation 0")
    }

    @Test func aSplitReportStillJoinsAndARepeatInALaterPartIsComparedWithThatPartsRow() throws {
        let first = "NHS number,Date of birth,Surname\n\(Numbers.a),02/01/1950,Smith\n"
        let second = """
            NHS number,Mobile number
            \(Numbers.a),07700 900123
            \(Numbers.a),07700 900123
            \(Numbers.a),07700 900999

            """
        let extract = try read([("E82001_part1.csv", first), ("E82001_part2.csv", second)])
        #expect(extract.population.familyNames == ["Smith"])
        #expect(extract.population.mobilePhones == ["07700 900123"])
        #expect(
            extract.rejects.entries.map { "\($0.file):\($0.line) \($0.problem) \($0.detail ?? "")" } == [
                "E82001_part2.csv:3 repeatedRow kept E82001_part2.csv:2",
                "E82001_part2.csv:4 conflictingDuplicate phone_mobile differs; kept E82001_part2.csv:2",
            ])
        #expect(counts(extract.files[1]) == "rows 3: new 0, merged 1, duplicates 1, rejected 1, continuation 0")
    }

    /// For random files full of repeats, broken rows and continuation rows (read whole, in
    /// batches and in parts): every data row is in exactly one count, the patients are the new
    /// ones, and every row not used has its reject.
    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func everyRowIsInExactlyOneCount(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        for iteration in 0..<10 {
            let files = [
                ("practice-E82001.csv", PartReadTests.patientsFile(rows: 1 + Int(random.next() % 80), random: &random)),
                ("practice-E82002.csv", PartReadTests.patientsFile(rows: 1 + Int(random.next() % 80), random: &random)),
            ]
            for options in [PartReadTests.options(), PartReadTests.options(partBytes: 97)] {
                let extract = try read(files, options: options)
                let context = Comment(rawValue: "seed \(seed) iteration \(iteration)")
                var patients = 0
                for summary in extract.files {
                    #expect(
                        summary.rows
                            == summary.newPatients + summary.mergedRows + summary.duplicates + summary.rowsRejected
                            + summary.continuationRows, context)
                    patients += summary.newPatients
                    let file = summary.layout.file
                    let rejectedLines = Set(
                        extract.rejects.entries.filter { $0.file == file && $0.action == .rowRejected }.map(\.line))
                    #expect(rejectedLines.count == summary.rowsRejected, context)
                    let duplicates = extract.rejects.entries.filter { $0.action == .duplicate }
                    // A row of a later practice's file that wins is counted in that file; its reject is the loser's.
                    #expect(duplicates.count == extract.files.map(\.duplicates).reduce(0, +), context)
                }
                #expect(patients == extract.population.count, context)
                let rows = extract.files.map(\.rows).reduce(0, +)
                let used = extract.files.map { $0.newPatients + $0.mergedRows + $0.continuationRows }.reduce(0, +)
                #expect(
                    used + extract.files.map(\.rowsRejected).reduce(0, +)
                        + extract.rejects.entries.filter {
                            $0.action == .duplicate
                        }.count == rows, context)
            }
        }
    }
}
