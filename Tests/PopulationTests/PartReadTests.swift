import Basics
import Foundation
import Testing

@testable import Population
import TestSupport

/// Reading a patients file in parts (on several cores), in batches, or whole ahead of its turn
/// gives exactly what reading it in one piece gives: the same patients with the same values, the same rejects on the same
/// lines in the same order, the same summaries, and the same error for a file that is not CSV.
/// Parts and batches are made tiny so that their edges land everywhere: inside quoted line
/// breaks, between a patient row and its continuation rows, on repeats of a patient.
@Suite struct PartReadTests {
    static let header =
        "nhs_number,practice,given_name,family_name,date_of_birth,sex,postcode,phone_mobile,phone_home,imd_decile,"
        + "lsoa,date_of_death,registered_on,code,date,value,address"

    /// Valid NHS numbers, few enough that rows repeat patients.
    static let numbers: [String] = (999_001_000..<999_001_060).compactMap { first in
        NHSNumber.checkDigit(forFirstNine: UInt64(first)).map { "\(first)\($0)" }
    }

    /// A patients file of `rows` random rows, some broken on purpose.
    static func patientsFile(rows: Int, random: inout SeededRandom) -> String {
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        var text = header + "\n"
        for _ in 0..<rows {
            let nhs = pick(numbers + numbers + ["", "", "9990010014", "999 001 0013", "12"])
            let cells = [
                nhs, pick(["E82001", "E82002", " e82001", "XX", ""]), pick(["Ann", "Zoë", "\"O'Brien, Jack\"", ""]),
                pick(["Smith", "\"Two\nLines\"", ""]),
                pick(["1950-01-02", "1960-05-06", "31/02/1990", "", "2030-01-01"]),
                pick(["F", "M", "x", ""]), pick(["SG1 1AA", "sg11aa", "bad", ""]),
                pick(["07700 900123", "+44 (0)20 7946 0000 ext 2", "nope", ""]), pick(["01632 960001", ""]),
                pick(["1", "11", "", "3.5"]), pick(["e01000001", "É01", ""]), pick(["", "", "2020-01-01", "soon"]),
                pick(["2010-01-01", "2015-06-01", ""]), pick(["", "", "74506000"]), pick(["", "2020-01-01", "bad"]),
                pick(["", "1.5", "x"]), pick(["", "\"1 High St\nHertford\"", "\"a, \"\"b\"\"\"", "x"]),
            ]
            text += cells.joined(separator: ",") + pick(["\n", "\n", "\r\n", "\r", "\n\n"])
        }
        return text
    }

    /// Two practices' patients files of up to 50 random rows each.
    static func twoPracticesFiles(_ random: inout SeededRandom) -> [(String, String)] {
        [
            ("practice-E82001.csv", patientsFile(rows: 1 + Int(random.next() % 50), random: &random)),
            ("practice-E82002.csv", patientsFile(rows: 1 + Int(random.next() % 50), random: &random)),
        ]
    }

    /// Everything a read gives, or its error.
    struct Snapshot: Equatable {
        var columns: [String] = []
        var texts: [TextColumn] = []
        var days: [DayColumn] = []
        var numbers: [UInt64] = []
        var practices: [String] = []
        var sexes: [Sex?] = []
        var deciles: [UInt8?] = []
        var sources: [RowLocation] = []
        var events: [EmbeddedEvent] = []
        var extras: [TextColumn] = []
        var rejects: [Reject] = []
        var summaries: [[Int]] = []
        var error: String?

        init(_ files: [(String, String)], options: ReadOptions) {
            self.init(inputs: files.map { .bytes(Array($0.1.utf8), name: $0.0) }, options: options)
        }

        init(inputs: [ExtractInput], options: ReadOptions) {
            do {
                let extract = try ExtractReader.read(inputs, options: options)
                let population = extract.population
                columns = population.presentColumns.map(\.rawValue).sorted()
                texts = [
                    population.givenNames, population.familyNames, population.postcodes, population.mobilePhones,
                    population.mobilePhonesRaw, population.homePhones, population.homePhonesRaw, population.lsoas,
                ]
                days = [population.datesOfBirth, population.datesOfDeath, population.registeredOn]
                numbers = population.nhsNumbers
                practices = (0..<population.count).map { population.practice(of: $0) }
                sexes = population.sexes
                deciles = population.imdDeciles
                sources = population.sources
                events = population.embeddedEvents
                extras = population.extraNames.map { population.extras[$0]!.values }
                rejects = extract.rejects.entries
                summaries = extract.files.map {
                    [
                        $0.rows, $0.rowsRejected, $0.newPatients, $0.mergedRows, $0.duplicates, $0.continuationRows,
                        $0.embeddedEvents,
                    ]
                }
            } catch let failure as any UserFacingError {
                error = failure.message
            } catch {
                self.error = "\(error)"
            }
        }
    }

    /// Whole files parsed ahead on other cores by default; batches (one file at a time, on this
    /// thread) when `batchRows` is given; parts when `partBytes` is.
    /// - Parameter columnsOnEveryCore: copy the text columns of every run of new patients on
    /// every core, however short the run (on a machine with one core, the columns are copied on
    /// it alone, and those cases test the usual path again).
    static func options(partBytes: Int? = nil, batchRows: Int? = nil, columnsOnEveryCore: Bool = false)
        -> ReadOptions
    {
        var options = ReadOptions(maxRejectRate: 1, today: day("2024-03-01"))
        options.partBytes = partBytes
        if columnsOnEveryCore { options.columnsOnEveryCoreFrom = 1 }
        if let batchRows {
            options.batchRows = batchRows
            options.parsesFilesAhead = false
        }
        return options
    }

    @Test func partsAndBatchesGiveWhatOnePieceGives() {
        let seed: UInt64 = 20_261_102
        var random = SeededRandom(seed: seed)
        for iteration in 0..<40 {
            let files = Self.twoPracticesFiles(&random)
            let expected = Snapshot(files, options: Self.options())
            #expect(expected.error == nil, "seed \(seed) iteration \(iteration)")
            for options in [
                Self.options(batchRows: 1), Self.options(batchRows: 3), Self.options(partBytes: 1),
                Self.options(partBytes: 13), Self.options(partBytes: 200), Self.options(columnsOnEveryCore: true),
                Self.options(partBytes: 13, columnsOnEveryCore: true),
            ] {
                #expect(
                    Snapshot(files, options: options) == expected,
                    "seed \(seed) iteration \(iteration) parts of \(options.partBytes ?? 0) bytes, batches of \(options.batchRows)"
                )
            }
        }
    }

    /// An ingest checks each new patients file on its own, keeping its parsed rows, and the
    /// cohorts' read of every current file places them without parsing again, under the stored
    /// copy's name: exactly what a fresh read gives, rejects naming the stored copy. Rows parsed
    /// under other dates are parsed afresh.
    @Test func rowsParsedByAnEarlierReadArePlacedAsAFreshReadGives() throws {
        let seed: UInt64 = 20_261_206
        var random = SeededRandom(seed: seed)
        for iteration in 0..<40 {
            let files = Self.twoPracticesFiles(&random)
            var keeping = Self.options()
            keeping.keepsParsedPatients = true
            let parsed = try files.map { name, text in
                let alone = try ExtractReader.read([.bytes(Array(text.utf8), name: name)], options: keeping)
                return try #require(alone.parsedPatients.first)
            }
            let stored = files.map { name, text in
                ExtractInput.bytes(Array(text.utf8), name: "state/extracts/0123.patients/\(name)")
            }
            let expected = Snapshot(inputs: stored, options: Self.options())
            #expect(expected.error == nil)
            for options in [
                Self.options(), Self.options(batchRows: 3), Self.options(partBytes: 13),
                Self.options(columnsOnEveryCore: true),
            ] {
                #expect(
                    Snapshot(inputs: zip(stored, parsed).map { $0.reusing($1) }, options: options) == expected,
                    "seed \(seed) iteration \(iteration)")
            }
            // The kept rows are what is placed: the second file's rows, parsed under the first
            // file's name, given for the first file.
            let secondAsFirst = try #require(
                try ExtractReader.read([.bytes(Array(files[1].1.utf8), name: files[0].0)], options: keeping)
                    .parsedPatients.first)
            let swapped = [stored[0].reusing(secondAsFirst), stored[1]]
            let secondTwice = [ExtractInput.bytes(Array(files[1].1.utf8), name: stored[0].name), stored[1]]
            #expect(
                Snapshot(inputs: swapped, options: Self.options())
                    == Snapshot(inputs: secondTwice, options: Self.options()))
            // Rows parsed against another day (two-digit years, dates of birth in the future) are not reused.
            var later = Self.options()
            later.today = day("2031-01-01")
            #expect(
                Snapshot(inputs: swapped, options: later) == Snapshot(inputs: stored, options: later))
        }
    }

    @Test func largeAndSmallFilesMixedGiveWhatBatchesGive() {
        var random = SeededRandom(seed: 29)
        // Small, four large (more than the files parsed ahead at once), small, large.
        let rows = [4, 60, 70, 60, 80, 5, 60]
        let files = rows.enumerated().map { index, count in
            ("practice-E8200\(index % 3 + 1)-\(index).csv", Self.patientsFile(rows: count, random: &random))
        }
        var mixed = Self.options()
        mixed.partsFromBytes = 2_000
        #expect(files.map(\.1.utf8.count).map { $0 >= 2_000 } == [false, true, true, true, true, false, true])
        #expect(Snapshot(files, options: mixed) == Snapshot(files, options: Self.options(batchRows: 7)))
    }

    @Test func partsReadFromDiskGiveWhatOnePieceGives() throws {
        var random = SeededRandom(seed: 11)
        let text = Self.patientsFile(rows: 4000, random: &random)
        try withTemporaryDirectory { directory in
            let path = FileIO.join(directory, "practice-E82001.csv")
            try FileIO.writeAtomically(Array(text.utf8), to: path)
            func read(_ options: ReadOptions) throws -> Extract {
                try ExtractReader.read([.file(path)], options: options)
            }
            let whole = try read(Self.options())
            #expect(whole.population.count > 40)
            for partBytes in [4_000, 50_000] {
                let parts = try read(Self.options(partBytes: partBytes))
                #expect(parts.population.nhsNumbers == whole.population.nhsNumbers)
                #expect(parts.population.familyNames == whole.population.familyNames)
                #expect(parts.population.extras["address"]?.values == whole.population.extras["address"]?.values)
                #expect(parts.population.embeddedEvents == whole.population.embeddedEvents)
                #expect(parts.rejects.entries == whole.rejects.entries)
            }
        }
    }

    /// A merged file of many practices in no order (an ICB's): each row's practice cell is read
    /// as written, however many practices the file has (more than the parser's recent cells hold,
    /// so cells share slots) and whichever read takes it: whole, kept for reuse, in parts or in
    /// batches. Cells that are not practice codes reject their rows each time they appear.
    @Test func manyPracticesInOneFileAreEachReadAsWritten() throws {
        var random = SeededRandom(seed: 20_261_207)
        let practices = (0..<700).map { "E8\(String(1_000 + $0).suffix(4))" }
        let notCodes = ["XX1", "E8", "ABCDEFG", "E820011", "8E0001"]
        let numbers = (999_100_000..<999_103_000).compactMap { first in
            NHSNumber.checkDigit(forFirstNine: UInt64(first)).map { "\(first)\($0)" }
        }
        var expected: [String: String] = [:]
        var rejected: Set<Int> = []
        var text = "nhs_number,practice,date_of_birth\n"
        for (row, number) in numbers.prefix(2_000).enumerated() {
            let draw = Int(random.next() % 100)
            let practice = practices[Int(random.next() % 700)]
            let cell = draw < 3 ? notCodes[Int(random.next() % 5)] : draw < 6 ? practice.lowercased() : practice
            if draw < 3 {
                rejected.insert(row + 2)
            } else {
                expected[number] = cell.uppercased()
            }
            text += "\(number),\(cell),1950-01-02\n"
        }
        let files = [("merged.csv", text)]
        var keeping = Self.options()
        keeping.keepsParsedPatients = true
        for options in [Self.options(), keeping, Self.options(partBytes: 2_000), Self.options(batchRows: 100)] {
            let extract = try read(files, options: options)
            let population = extract.population
            var read: [String: String] = [:]
            for index in 0..<population.count {
                read[NHSNumber.digits(population.nhsNumbers[index])] = population.practice(of: index)
            }
            #expect(read == expected, "parts of \(options.partBytes ?? 0) bytes, batches of \(options.batchRows)")
            let refused = extract.rejects.entries.filter { $0.problem == .notAPracticeCode }
            #expect(Set(refused.map(\.line)) == rejected)
        }
        #expect(Set(expected.values).count > 600)
    }

    @Test func aBrokenFileFailsTheSameWayInParts() {
        var random = SeededRandom(seed: 3)
        let good = Self.patientsFile(rows: 30, random: &random)
        let unterminated = good + "\(Self.numbers[0]),E82001,\"never closed,1950-01-02\n"
        for text in [unterminated, good + "\(Self.numbers[0]),E82001\u{0}x\n"] {
            let files = [("practice-E82001.csv", text)]
            let expected = Snapshot(files, options: Self.options())
            #expect(expected.error != nil)
            for partBytes in [1, 40] {
                #expect(Snapshot(files, options: Self.options(partBytes: partBytes)).error == expected.error)
            }
        }
    }
}
