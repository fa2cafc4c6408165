import Basics
import Testing

@testable import Population
import TestSupport

/// One test at least for each quirk extracts.md lists under "What real exports look like".
@Suite struct ReaderQuirkTests {
    let header = "nhs_number,practice,date_of_birth,given_name,family_name,postcode\n"

    @Test func readsUTF8WithAndWithoutAByteOrderMark() throws {
        let text = header + "\(Numbers.a),E82001,1950-01-02,Zoë,Smith,SG1 1AA\n"
        let plain = try read([("p.csv", text)])
        let marked = try readBytes([("p.csv", [0xEF, 0xBB, 0xBF] + Array(text.utf8))])
        #expect(plain.population.givenNames == ["Zoë"])
        #expect(marked.population.givenNames == ["Zoë"])
        #expect(marked.population.presentColumns.contains(.nhsNumber))
    }

    @Test func convertsWindows1252Names() throws {
        // "Zoë" and "£" as Windows-1252 bytes (0xEB, 0xA3): accepted and converted, not rejected.
        var bytes = Array((header + "\(Numbers.a),E82001,1950-01-02,Zo").utf8)
        bytes += [0xEB] + Array(",Sm".utf8) + [0xA3] + Array("th,SG1 1AA\r\n".utf8)
        let extract = try readBytes([("p.csv", bytes)])
        #expect(extract.population.givenNames == ["Zoë"])
        #expect(extract.population.familyNames == ["Sm£th"])
    }

    @Test func acceptsCRLFAndLFAndALastLineWithoutALineEnd() throws {
        let crlf =
            "nhs_number,practice,date_of_birth\r\n\(Numbers.a),E82001,1950-01-02\r\n\(Numbers.b),E82001,1960-01-02"
        let lf = "nhs_number,practice,date_of_birth\n\(Numbers.a),E82001,1950-01-02\n\(Numbers.b),E82001,1960-01-02\n"
        #expect(try read([("a.csv", crlf)]).population.count == 2)
        #expect(try read([("b.csv", lf)]).population.count == 2)
    }

    @Test func readsQuotedCommasQuotesAndLineBreaksAndKeepsLineNumbers() throws {
        let text =
            "nhs_number,practice,date_of_birth,family_name,address\n"
            + "\(Numbers.a),E82001,1950-01-02,\"O'Brien, \"\"Jack\"\"\",\"1 High St\nHertford\"\n"
            + "\(Numbers.badCheck),E82001,1950-01-02,Smith,x\n"
        let extract = try read([("p.csv", text)])
        #expect(extract.population.familyNames == ["O'Brien, \"Jack\""])
        #expect(extract.population.extra("address")?.values == ["1 High St\nHertford"])
        #expect(rowRejects(extract.rejects) == ["p.csv:4 nhs_number nhsCheckDigit"])
    }

    @Test func findsTheHeaderAfterAnEMISPreambleAndKeepsTheRunDate() throws {
        let text = """
            Search Name,Outreach population
            Run Date,01-Mar-2024
            Run Time,09:14
            Population Count,1
            ,
            "NHS Number","Forename","Surname","Date of Birth"
            999 001 0013,Ann,Smith,02-Jan-1950

            """
        let extract = try read([("practice-E82001.csv", text)])
        #expect(extract.population.count == 1)
        #expect(extract.population.extractDate == day("2024-03-01"))
        #expect(extract.files[0].layout.headerLine == 6)
        #expect(extract.files[0].layout.profile == "emis")
        #expect(extract.files[0].layout.runDate == day("2024-03-01"))
    }

    @Test func readsARunDateWrittenInOneCell() throws {
        let text = "Report: Outreach\nExtract date: 2024-02-29\nnhs_number,date_of_birth\n\(Numbers.a),1950-01-02\n"
        #expect(try read([("E82001.csv", text)]).population.extractDate == day("2024-02-29"))
    }

    @Test(arguments: ["NHS number", "NHS Number", "NHSNumber", "nhs_number", " \"NHS  Number\" ", "NHS-Number"])
    func mapsTheNHSNumberHeaderInAnyCaseSpacingOrQuoting(_ nhsHeader: String) throws {
        let text = "\(nhsHeader),DOB,Postcode,Mobile Telephone\n\(Numbers.a),02/01/1950,sg1 1aa,07700900123\n"
        let population = try read([("practice-E82001.csv", text)]).population
        #expect(population.nhsNumbers == [9_990_010_013])
        #expect(population.datesOfBirth[0] == day("1950-01-02"))
        #expect(population.postcodes == ["SG1 1AA"])
        #expect(population.mobilePhones == ["07700 900123"])
    }

    @Test func pairsRepeatedDateColumnsWithTheCodeColumnBeforeThem() throws {
        let text = """
            NHS number,Date of birth,Shielding code,Date of issue,Carer code,Date of issue
            \(Numbers.a),02/01/1950,1300561000000107,01/04/2020,133932002,05/06/2021
            \(Numbers.b),03/01/1960,,,133932002,07/08/2022

            """
        let extract = try read([("practice-E82001.csv", text)])
        let columns = extract.files[0].layout.columns
        #expect(
            columns.map(\.name) == [
                "nhs_number", "date_of_birth", "shielding_code", "date_of_issue", "carer_code", "date_of_issue_2",
            ])
        #expect(columns[3].pairedCodeColumn == 2)
        #expect(columns[5].pairedCodeColumn == 4)
        let (events, _) = try scan(extract, codes: ["1300561000000107", "133932002"])
        #expect(
            Set(events) == [
                SeenEvent(nhs: 9_990_010_013, code: "1300561000000107", day: day("2020-04-01"), value: nil),
                SeenEvent(nhs: 9_990_010_013, code: "133932002", day: day("2021-06-05"), value: nil),
                SeenEvent(nhs: 9_990_010_021, code: "133932002", day: day("2022-08-07"), value: nil),
            ])
    }

    @Test func givesEMISContinuationRowsToThePatientAbove() throws {
        let text = """
            NHS Number,Date of Birth,Code,Date,Value
            \(Numbers.a),02-Jan-1950,195967001,01-Feb-2020,
            ,,44054006,03-Mar-2021,
            ,,271649006,04-Apr-2022,132
            \(Numbers.badCheck),02-Jan-1950,195967001,01-Feb-2020,
            ,,44054006,03-Mar-2021,

            """
        let extract = try read([("practice-E82001.csv", text)])
        #expect(extract.population.count == 1)
        let (events, result) = try scan(extract, codes: ["195967001", "44054006", "271649006"])
        #expect(events.count == 3)
        #expect(events.contains(SeenEvent(nhs: 9_990_010_013, code: "271649006", day: day("2022-04-04"), value: 132)))
        #expect(result.embedded == 3)
        #expect(
            rowRejects(extract.rejects) == [
                "practice-E82001.csv:5 nhs_number nhsCheckDigit", "practice-E82001.csv:6 nhs_number orphanContinuation",
            ])
    }

    @Test func continuationRowsInAnEventsFileBelongToThePatientAbove() throws {
        let patients = "nhs_number,practice,date_of_birth\n\(Numbers.a),E82001,1950-01-02\n"
        let events = """
            NHS Number,Code,Term,Date
            \(Numbers.a),195967001,Asthma,01-Feb-2020
            ,44054006,Diabetes,03-Mar-2021
            \(Numbers.badCheck),195967001,Asthma,01-Feb-2020
            ,44054006,Diabetes,03-Mar-2021

            """
        let extract = try read([("p.csv", patients), ("events.csv", events)])
        let (seen, result) = try scan(extract, codes: ["195967001", "44054006"])
        #expect(seen.count == 2)
        #expect(
            rowRejects(result.total.rejects) == [
                "events.csv:4 nhs_number nhsCheckDigit", "events.csv:5 nhs_number orphanContinuation",
            ])
    }

    @Test func joinsAReportSplitOverSeveralFilesOnNHSNumber() throws {
        let first = "NHS number,Date of birth,Surname\n\(Numbers.a),02/01/1950,Smith\n\(Numbers.b),03/01/1960,Jones\n"
        let second =
            "NHS number,Mobile number,Lives alone\n\(Numbers.b),07700 900123,Y\n\(Numbers.a),,N\n\(Numbers.c),07700 900999,Y\n"
        let extract = try read([("E82001_part1.csv", first), ("E82001_part2.csv", second)])
        let population = extract.population
        #expect(population.count == 2)
        let b = try #require(population.index(of: 9_990_010_021))
        #expect(population.familyNames[b] == "Jones")
        #expect(population.mobilePhones[b] == "07700 900123")
        #expect(population.extra("Lives alone")?.values[b] == "Y")
        // A patient only the supplementary file names has no date of birth: reported, not kept.
        #expect(rowRejects(extract.rejects) == ["E82001_part2.csv:4 nhs_number noDateOfBirth"])
    }

    @Test func trimsStraySpacesAndIgnoresATrailingComma() throws {
        let text = " nhs_number , practice , date_of_birth , sex ,\n  \(Numbers.a) ,  E82001 , 1950-01-02 , F ,\n"
        let extract = try read([("p.csv", text)])
        #expect(extract.population.nhsNumbers == [9_990_010_013])
        #expect(extract.population.sexes == [.female])
        #expect(extract.population.practices == ["E82001"])
        #expect(extract.rejects.entries.isEmpty)
    }

    @Test func readsEveryDateFormInAFile() throws {
        let forms = [
            "2024-03-01", "01/03/2024", "1/3/2024", "01-Mar-2024", "1 Mar 2024", "01-MAR-24", "2024-03",
            "2024-03-01 10:15",
        ]
        var text = "nhs_number,practice,date_of_birth,registered_on\n"
        let numbers = [
            Numbers.a, Numbers.b, Numbers.c, Numbers.d, Numbers.e, "9990010072", "9990010080", "9990010099",
        ]
        for (form, number) in zip(forms, numbers) { text += "\(number),E82001,1950-01-02,\(form)\n" }
        let extract = try read([("p.csv", text)])
        #expect(extract.rejects.entries.map(\.message) == [])
        #expect((0..<extract.population.count).allSatisfy { extract.population.registeredOn[$0] == day("2024-03-01") })
    }

    @Test func rejectsImpossibleBirthDatesWithTheirLine() throws {
        let text = "nhs_number,practice,date_of_birth\n\(Numbers.a),E82001,31/02/1950\n\(Numbers.b),E82001,1950-01-02\n"
        let extract = try read([("practice-E82001.csv", text)])
        #expect(extract.population.count == 1)
        #expect(
            extract.rejects.entries.map(\.message) == [
                "practice-E82001.csv:2: date_of_birth \"31/02/1950\": no such date"
            ])
    }

    @Test func rejectsExcelMangledAndBadNHSNumbersWithTheirReasons() throws {
        let text = """
            nhs_number,practice,date_of_birth
            9.99001E+09,E82001,1950-01-02
            999 001 0014,E82001,1950-01-02
            999-001-0013,E82001,1950-01-02
            999 001 0021,E82001,1950-01-02

            """
        let extract = try read([("p.csv", text)])
        #expect(extract.population.count == 2)
        #expect(extract.rejects.entries.map(\.problem) == [.nhsExcelMangled, .nhsCheckDigit])
        #expect(extract.rejects.entries[1].message == "p.csv:3: nhs_number \"999 001 0014\": check digit is wrong")
    }

    @Test func normalisesPostcodesAndReportsInvalidOnesAsMissing() throws {
        let text = """
            nhs_number,practice,date_of_birth,postcode
            \(Numbers.a),E82001,1950-01-02,sg1 1aa
            \(Numbers.b),E82001,1950-01-02,SG11AA
            \(Numbers.c),E82001,1950-01-02,SG1  1AA
            \(Numbers.d),E82001,1950-01-02,SG1 1A
            \(Numbers.e),E82001,1950-01-02,"SG1 1AA "

            """
        let extract = try read([("p.csv", text)])
        #expect(extract.population.postcodes == ["SG1 1AA", "SG1 1AA", "SG1 1AA", nil, "SG1 1AA"])
        #expect(extract.rejects.entries.map(\.action) == [.valueIgnored])
        #expect(extract.rejects.rowsRejected == 0)
    }

    @Test func takesTheFirstUsablePhoneNumberAndKeepsTheRawCell() throws {
        let text = """
            nhs_number,practice,date_of_birth,phone_mobile,phone_home
            \(Numbers.a),E82001,1950-01-02,"mob: 07700 900123, or 07700 900456",+44 (0)20 7946 0000 ext 12

            """
        let population = try read([("p.csv", text)]).population
        #expect(population.mobilePhones == ["07700 900123"])
        #expect(population.mobilePhonesRaw == ["mob: 07700 900123, or 07700 900456"])
        #expect(population.homePhones == ["020 7946 0000"])
    }

    /// A number with a digit too many or too few is reported with why and ignored, never cut to
    /// fit: `07700 9001234` cut to `07700 900123` would ring someone else.
    @Test func reportsAPhoneNumberWithADigitTooManyOrTooFewAndNeverCutsIt() throws {
        let text = """
            nhs_number,practice,date_of_birth,phone_mobile,phone_home
            \(Numbers.a),E82001,1950-01-02,07700 9001234,020 7946 0000
            \(Numbers.b),E82001,1950-01-02,+44 7700 90012,020 7946 000 ext 2
            \(Numbers.c),E82001,1950-01-02,447700900123,07700 900123 / 020 7946 00000

            """
        let extract = try read([("p.csv", text)])
        #expect(extract.population.count == 3)
        #expect(extract.population.mobilePhones == [nil, nil, "07700 900123"])
        #expect(extract.population.mobilePhonesRaw == [nil, nil, "447700900123"])
        #expect(extract.population.homePhones == ["020 7946 0000", nil, nil])
        #expect(extract.population.homePhonesRaw == [nil, nil, nil])
        #expect(extract.rejects.rowsRejected == 0)
        #expect(extract.rejects.entries.allSatisfy { $0.action == .valueIgnored && $0.problem == .notAPhoneNumber })
        #expect(
            extract.rejects.entries.map(\.message) == [
                "p.csv:2: phone_mobile \"07700 9001234\": holds no usable UK phone number "
                    + "(12 digits, more than a UK number beginning 07 has (11): never cut to fit)",
                "p.csv:3: phone_mobile \"+44 7700 90012\": holds no usable UK phone number "
                    + "(10 digits, fewer than a UK number beginning 07 has (11))",
                "p.csv:3: phone_home \"020 7946 000 ext 2\": holds no usable UK phone number "
                    + "(10 digits, fewer than a UK number beginning 02 has (11))",
                "p.csv:4: phone_home \"07700 900123 / 020 7946 00000\": holds no usable UK phone number "
                    + "(number 2 of 2 in the cell: 12 digits, more than a UK number beginning 02 has (11): "
                    + "never cut to fit)",
            ])
        #expect(
            extract.rejects.csv().contains(
                "p.csv,2,phone_mobile,07700 9001234,\"holds no usable UK phone number (12 digits, more than a UK number "
                    + "beginning 07 has (11): never cut to fit)\",value ignored"))
    }

    @Test func keepsEMISLocalAndCTV3CodesAsCodes() throws {
        let patients = "nhs_number,practice,date_of_birth\n\(Numbers.a),E82001,1950-01-02\n"
        let events = """
            nhs_number,code,term,date
            \(Numbers.a),EMISNQBL12,BP recorded,2024-01-01
            \(Numbers.a),1461.,Dementia,2024-01-02
            \(Numbers.a),0123,Leading zero,2024-01-03
            \(Numbers.a),52448006,Dementia,2024-01-04

            """
        let extract = try read([("p.csv", patients), ("e.csv", events)])
        let (seen, result) = try scan(extract, codes: ["1461.", "EMISNQBL12", "0123", "123"])
        #expect(Set(seen.map(\.code)) == ["1461.", "EMISNQBL12", "0123"])
        #expect(result.total.events == 4)
        #expect(result.total.rejects.entries.isEmpty)
    }

    @Test func treatsEmptySpacesNULLAndNAAsMissing() throws {
        let text = """
            nhs_number,practice,date_of_birth,sex,postcode,interpreter_needed,lives_alone
            \(Numbers.a),E82001,1950-01-02,   ,NULL,N/A,
            \(Numbers.b),E82001,1950-01-02,null,n/a,#N/A,NA

            """
        let extract = try read([("p.csv", text)])
        #expect(extract.rejects.entries.isEmpty)
        #expect(extract.population.sexes == [nil, nil])
        #expect(extract.population.postcodes == [nil, nil])
        #expect(extract.population.interpreterNeeded == [nil, nil])
        #expect(extract.population.extra("lives_alone")?.values == [nil, nil])
    }

    @Test func skipsBlankLinesAndAcceptsAHeaderWithNoRows() throws {
        let blank = "\n\nnhs_number,practice,date_of_birth\n\n\(Numbers.a),E82001,1950-01-02\n\n,,\n"
        let extract = try read([("p.csv", blank)])
        #expect(extract.population.count == 1)
        #expect(extract.rejects.entries.isEmpty)
        let empty = try read([("practice-E82001.csv", "nhs_number,date_of_birth\r\n")])
        #expect(empty.population.count == 0)
        #expect(empty.files[0].rows == 0)
    }
}

/// Profiles, practices, duplicates and whole-file errors.
@Suite struct ReaderRuleTests {
    @Test func detectsEachBuiltInProfileFromItsHeader() throws {
        let headers = [
            ("canonical", "nhs_number,date_of_birth,phone_mobile,given_name"),
            ("emis", "NHS Number,Forename,Surname,Date of Birth,Mobile Telephone,Home Telephone"),
            ("systmone", "NHS number,First name,Surname,Date of birth,Mobile number,Main spoken language"),
            ("vision", "NHS Number,Forenames,Surname,DOB,Sex,Deduction Date"),
            ("systmone", "NHS number,First name,Surname,Date of birth,Gender"),
            ("emis", "NHS Number,First Name,Surname,Date of Birth,Gender"),
        ]
        for (profile, header) in headers {
            let extract = try read([("practice-E82001.csv", header + "\n")])
            #expect(extract.files[0].layout.profile == profile, "\(header)")
        }
    }

    @Test func usesTheProfileGivenInsteadOfDetecting() throws {
        let text = "NHS Number,DOB,Telephone\n\(Numbers.a),02/01/1950,020 7946 0000\n"
        let options = ReadOptions(profile: "vision", maxRejectRate: 1, today: day("2024-03-01"))
        let extract = try read([("E82001.csv", text)], options: options)
        #expect(extract.files[0].layout.profile == "vision")
        #expect(extract.population.homePhones == ["020 7946 0000"])
        #expect(throws: UnknownProfile.self) {
            try read([("E82001.csv", text)], options: ReadOptions(profile: "emsi"))
        }
    }

    @Test func appliesACustomProfileOnlyWhenEveryMappedHeaderIsPresent() throws {
        let custom = CustomProfile(
            name: "hertford_search",
            mappings: [
                ("Patient NHS No", "nhs_number"), ("Birth date", "date_of_birth"), ("Lives alone?", "lives_alone"),
            ])
        let options = ReadOptions(customProfiles: [custom], maxRejectRate: 1, today: day("2024-03-01"))
        let text = "Patient NHS No,Birth date,Lives alone?,Postcode,Shoe size\n\(Numbers.a),02/01/1950,Y,sg1 1aa,9\n"
        let extract = try read([("E82001.csv", text)], options: options)
        #expect(extract.files[0].layout.profile == "hertford_search")
        #expect(extract.population.postcodes == ["SG1 1AA"])
        #expect(extract.population.extraNames == ["lives_alone", "shoe_size"])
        let partial = "Patient NHS No,Lives alone?\n\(Numbers.a),Y\n"
        #expect(throws: ExtractError.self) { try read([("E82001.csv", partial)], options: ReadOptions()) }
    }

    @Test func refusesAFileWithNoRecognisableHeaderListingWhatItSaw() throws {
        do {
            _ = try read([("E82001.csv", "Patient,Born\nAnn,1950\n")])
            Issue.record("expected an error")
        } catch let error as ExtractError {
            #expect(error.message.contains("E82001.csv"))
            #expect(error.message.contains("'Patient', 'Born'"))
            #expect(error.exitCode == .dataError)
        }
    }

    @Test func readsAFileMatchingNoProfileAsCanonicalWhenItHasAnNHSNumberColumn() throws {
        let text = "nhs_number,Weird Column,date_of_birth\n\(Numbers.a),x,1950-01-02\n"
        let extract = try read([("E82001.csv", text)])
        #expect(extract.files[0].layout.profile == "canonical")
        #expect(extract.population.extra("weird_column")?.values == ["x"])
    }

    @Test func takesThePracticeFromAColumnOrTheFileNameAndRefusesNeither() throws {
        let withColumn = "nhs_number,practice,date_of_birth\n\(Numbers.a),e82002,1950-01-02\n"
        #expect(try read([("export.csv", withColumn)]).population.practices == ["E82002"])
        let without = "nhs_number,date_of_birth\n\(Numbers.a),1950-01-02\n"
        #expect(try read([("E82003_patients.csv", without)]).population.practices == ["E82003"])
        #expect(try read([("practice-E82004.csv", without)]).population.practices == ["E82004"])
        do {
            _ = try read([("export.csv", without)])
            Issue.record("expected an error")
        } catch let error as ExtractError {
            #expect(error.message.hasPrefix("export.csv: no practice column"))
        }
    }

    @Test func keepsTheLatestRegistrationWhenAPatientIsInTwoPractices() throws {
        let first =
            "nhs_number,date_of_birth,registered_on,postcode\n\(Numbers.a),1950-01-02,2020-01-01,SG1 1AA\n\(Numbers.b),1960-01-02,2019-01-01,\n"
        let second =
            "nhs_number,date_of_birth,registered_on,postcode\n\(Numbers.a),1950-01-02,2023-06-01,AL1 1AA\n\(Numbers.b),1960-01-02,2010-01-01,\n"
        let extract = try read([("practice-E82001.csv", first), ("practice-E82002.csv", second)])
        let population = extract.population
        #expect(population.count == 2)
        let a = try #require(population.index(of: 9_990_010_013))
        #expect(population.practice(of: a) == "E82002")
        #expect(population.postcodes[a] == "AL1 1AA")
        let b = try #require(population.index(of: 9_990_010_021))
        #expect(population.practice(of: b) == "E82001")
        let duplicates = extract.rejects.entries.filter { $0.action == .duplicate }
        #expect(duplicates.map { "\($0.file):\($0.line)" } == ["practice-E82001.csv:2", "practice-E82002.csv:3"])
        #expect(duplicates[0].reason.contains("kept practice-E82002.csv:2"))
        #expect(extract.rejects.rowsRejected == 0)
    }

    @Test func countsEventsForUnknownPatientsWithoutCallingThemErrors() throws {
        let patients = "nhs_number,practice,date_of_birth\n\(Numbers.a),E82001,1950-01-02\n"
        let events =
            "nhs_number,code,date,value\n\(Numbers.a),195967001,2024-01-01,\n\(Numbers.b),195967001,2024-01-01,\n\(Numbers.c),44054006,2024-01-01,7.5\n"
        let extract = try read([("p.csv", patients), ("e.csv", events)])
        #expect(extract.files.map(\.layout.kind) == [.patients, .events])
        let (seen, result) = try scan(extract, codes: ["195967001"])
        #expect(seen.count == 1)
        #expect(result.total.events == 3)
        #expect(result.total.unknownPatients == 2)
        #expect(result.total.matched == [1])
        #expect(result.total.rejects.entries.isEmpty)
    }

    @Test func rejectsBadEventRowsAndIgnoresBadValues() throws {
        let patients = "nhs_number,practice,date_of_birth\n\(Numbers.a),E82001,1950-01-02\n"
        let events = """
            nhs_number,code,date,value
            \(Numbers.a),195967001,31/02/2024,
            \(Numbers.badCheck),195967001,2024-01-01,
            \(Numbers.a),,2024-01-01,
            \(Numbers.a),271649006,2024-01-01,high
            \(Numbers.a),271649006,2024-01-02,132

            """
        let extract = try read([("p.csv", patients), ("e.csv", events)])
        let (seen, result) = try scan(extract, codes: ["271649006"])
        #expect(seen.map(\.value) == [nil, 132])
        #expect(result.total.rejects.entries.map(\.problem) == [.noSuchDate, .nhsCheckDigit, .noCode, .notANumber])
        #expect(result.total.rowsRejected == 3)
    }

    @Test func turnsAMostlyBrokenFileIntoAnErrorNamingIt() throws {
        var text = "nhs_number,practice,date_of_birth\n"
        for _ in 0..<5 { text += "\(Numbers.badCheck),E82001,1950-01-02\n" }
        for number in [Numbers.a, Numbers.b, Numbers.c] { text += "\(number),E82001,1950-01-02\n" }
        do {
            _ = try read([("practice-E82001.csv", text)], options: ReadOptions(maxRejectRate: 0.05))
            Issue.record("expected an error")
        } catch let error as ExtractError {
            #expect(error.exitCode == .dataError)
            #expect(error.message.hasPrefix("practice-E82001.csv: 5 of 8 rows rejected"))
        }
        #expect(
            try read([("practice-E82001.csv", text)], options: ReadOptions(maxRejectRate: 0.7)).population.count == 3)
    }

    @Test func rejectsRowsWhoseDeathOrDeregistrationDateCannotBeRead() throws {
        let text =
            "nhs_number,practice,date_of_birth,date_of_death\n\(Numbers.a),E82001,1950-01-02,31/02/2023\n\(Numbers.b),E82001,1950-01-02,2023-02-01\n"
        let extract = try read([("p.csv", text)])
        #expect(extract.population.count == 1)
        #expect(extract.population.datesOfDeath[0] == day("2023-02-01"))
        #expect(rowRejects(extract.rejects) == ["p.csv:2 date_of_death noSuchDate"])
    }

    @Test func refusesEmptyBinaryAndPathologicalFiles() throws {
        #expect(throws: ExtractError.self) { try read([("E82001.csv", "")]) }
        #expect(throws: ExtractError.self) { try read([("E82001.csv", "\n\n  \n")]) }
        #expect(throws: CSVError.self) { try readBytes([("E82001.csv", [0x6E, 0x68, 0x00, 0x73])]) }
        let wide = "nhs_number," + String(repeating: "x,", count: 5000) + "\n"
        #expect(throws: CSVError.self) { try read([("E82001.csv", wide)]) }
        let unterminated = "nhs_number,date_of_birth\n\(Numbers.a),\"1950-01-02\n"
        #expect(throws: CSVError.self) { try read([("E82001.csv", unterminated)]) }
    }

    @Test func readsDeclaredFieldsAsTypesAndReportsValuesThatDoNotParse() throws {
        let text = """
            nhs_number,practice,date_of_birth,Lives alone,Electronic frailty index,Last review
            \(Numbers.a),E82001,1950-01-02,Yes,0.36,01/02/2023
            \(Numbers.b),E82001,1950-01-02,perhaps,high,31/02/2023
            \(Numbers.c),E82001,1950-01-02,,,

            """
        let population = try read([("p.csv", text)]).population
        let alone = try #require(population.field("Lives alone", as: .yesNo))
        guard case .yesNo(let values) = alone.values else {
            Issue.record("wrong type")
            return
        }
        #expect(values == [true, nil, nil])
        #expect(alone.problems.map(\.message) == ["p.csv:3: lives_alone \"perhaps\": is not yes or no"])
        let efi = try #require(population.field("electronic_frailty_index", as: .number))
        guard case .number(let numbers) = efi.values else {
            Issue.record("wrong type")
            return
        }
        #expect(numbers == [0.36, nil, nil])
        let review = try #require(population.field("last_review", as: .date))
        guard case .date(let days) = review.values else {
            Issue.record("wrong type")
            return
        }
        #expect(days[0] == day("2023-02-01"))
        #expect(review.problems.map(\.problem) == [.noSuchDate])
        #expect(population.field("no_such_column", as: .text) == nil)
    }

    @Test func readsTheFixtureFiles() throws {
        let paths = try FileIO.listDirectory(fixtures).filter { $0.hasSuffix(".csv") }.map { FileIO.join(fixtures, $0) }
        let extract = try ExtractReader.read(
            paths.map { ExtractInput.file($0) }, options: ReadOptions(maxRejectRate: 1, today: day("2024-03-01")))
        #expect(extract.population.count == 3)
        #expect(extract.population.extractDate == day("2024-03-01"))
        let (seen, _) = try scan(extract, codes: ["1300561000000107", "74506000"])
        #expect(seen.count == 3)
        #expect(extract.population.familyNames.contains("Mu\u{F1}oz"))
    }

    @Test("contact details left unread are neither stored nor checked; everything else is read as before")
    func unreadContactDetails() throws {
        let csv = """
            nhs_number,practice,given_name,date_of_birth,phone_mobile,postcode,imd_decile
            9990000018,E82001,Ann,1950-01-02,not a phone,NOT A POSTCODE,2
            9990000026,E82001,Bob,1960-03-04,07700 900123,LS1 4AP,9
            """
        var options = ReadOptions(maxRejectRate: 1, today: day("2024-03-01"))
        let full = try read([("practice-E82001.csv", csv)], options: options)
        options.unreadContactDetails = [.phoneMobile, .postcode, .givenName, .dateOfBirth]
        let lean = try read([("practice-E82001.csv", csv)], options: options)
        #expect(full.population.mobilePhones[1] != nil && lean.population.mobilePhones[1] == nil)
        #expect(full.population.givenNames[0] == "Ann" && lean.population.givenNames[0] == nil)
        #expect(full.rejects.entries.count == 2, "the bad phone and postcode are reported when read")
        #expect(lean.rejects.entries.isEmpty)
        #expect(lean.population.datesOfBirth == full.population.datesOfBirth, "only contact details can be left out")
        #expect(lean.population.imdDeciles == full.population.imdDeciles)
        #expect(lean.population.nhsNumbers == full.population.nhsNumbers)
    }

    @Test("a text column the file lacks, or that is left unread, has a nil for each patient, beside the columns read")
    func absentTextColumnsHaveANilForEachPatient() throws {
        let csv = """
            nhs_number,practice,family_name,date_of_birth,address_line_2,lsoa,phone_home
            9990000018,E82001,Smith,1950-01-02,1 High St,e01000001,0113 496 0000
            9990000026,E82001,Jones,1960-03-04,,E01000002,
            9990000034,E82001,Brown,1970-05-06,2 Low Rd,E01000003,0113 496 0001
            """
        let whole = PartReadTests.options()
        for var options in [whole, PartReadTests.options(partBytes: 13), PartReadTests.options(batchRows: 1)] {
            options.unreadContactDetails = [.phoneHome]
            let population = try read([("practice-E82001.csv", csv)], options: options).population
            let none: TextColumn = [nil, nil, nil]
            #expect(population.givenNames == none)
            #expect(population.postcodes == none)
            #expect(population.mobilePhones == none && population.mobilePhonesRaw == none)
            #expect(population.homePhones == none && population.homePhonesRaw == none)
            #expect(population.preferredLanguages == none)
            #expect(population.familyNames == ["Smith", "Jones", "Brown"])
            #expect(population.addressColumns.count == 5)
            #expect(population.addressColumns[0] == none)
            #expect(population.addressColumns[1] == ["1 High St", nil, "2 Low Rd"])
            #expect(population.lsoas == ["E01000001", "E01000002", "E01000003"])
        }
    }
}
