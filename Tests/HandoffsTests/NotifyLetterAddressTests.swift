import Basics
import Testing
import TestSupport

@testable import Handoffs

/// The letter address rules of GOV.UK Notify, checked with vectors from its own tests
/// (alphagov/notifications-utils, `tests/recipient_validation/test_postal_address.py`), so every
/// row of a letters file is one Notify accepts.
@Suite struct NotifyLetterAddressTests {
    @Test(arguments: [
        ("SW1 3EF", "SW1 3EF"), ("SW13EF", "SW1 3EF"), ("SE1 63EF", "SE16 3EF"), ("N5 1AA", "N5 1AA"),
        ("SO14 6WB", "SO14 6WB"), ("so14 6wb", "SO14 6WB"), ("so14\u{a0}6wb", "SO14 6WB"), ("BF1 3AA", "BF1 3AA"),
        (" BF2 0FR ", "BF2 0FR"), ("sw1  1aa", "SW1 1AA"),
    ])
    func realPostcodes(text: String, formatted: String) {
        #expect(NotifyLetterAddress.realUKPostcode(text) == formatted)
    }

    @Test(arguments: [
        "N5", "SO144 6WB", "SO14 6WBA", "NF1 1AA", "", "Bad postcode", "BFPO1234", "BFPO 1234", "BFPO", "GIR0AA",
        "GX111AA", "LS1 4CA",
    ])
    func notRealPostcodes(text: String) {
        #expect(NotifyLetterAddress.realUKPostcode(text) == nil)
    }

    @Test func aGoodAddressFillsNotifysColumns() throws {
        let address = try NotifyLetterAddress.check(
            recipient: "Jane  Smith", addressLines: ["12 Example Street ,", "", "Leeds"], postcode: "ls1 4ap"
        ).get()
        #expect(address.lines == ["Jane Smith", "12 Example Street", "Leeds", "", "", ""])
        #expect(address.postcode == "LS1 4AP")
    }

    @Test func aLineBreakInsideACellIsTwoLines() throws {
        let address = try NotifyLetterAddress.check(
            recipient: "Jane Smith", addressLines: ["Flat 2\n12 Example Street", "Leeds"], postcode: "LS1 4AP"
        ).get()
        #expect(address.lines.prefix(4) == ["Jane Smith", "Flat 2", "12 Example Street", "Leeds"])
    }

    @Test func refusesWhatNotifyRefuses() {
        func problem(_ lines: [String], _ postcode: String? = "LS1 4AP", name: String = "Jane Smith")
            -> NotifyLetterAddress.Problem?
        {
            if case .failure(let problem) = NotifyLetterAddress.check(
                recipient: name, addressLines: lines, postcode: postcode)
            {
                return problem
            }
            return nil
        }
        #expect(problem([]) == .notEnoughLines)
        #expect(problem(["1", "2", "3", "4", "5", "6"]) == .tooManyLines)
        #expect(problem(["12 Example Street", "Leeds"], nil) == .noRealPostcode)
        #expect(problem(["12 Example Street"], "NF1 1AA") == .noRealPostcode)
        #expect(problem(["=HYPERLINK(\"x\")"]) == .invalidFirstCharacter)
        #expect(problem(["~123 Example Street"]) == .invalidFirstCharacter)
        #expect(problem(["(Flat 2) Example Street"]) == .invalidFirstCharacter)
        #expect(problem(["-2 Example Street"]) == .formulaLike)
        #expect(problem(["NFA"]) == .noFixedAbode)
        #expect(problem(["NFA,"]) == .noFixedAbode)
        #expect(problem(["User with no Fixed Address,", "London"]) == .noFixedAbode)
        #expect(problem(["no fixed Abode"]) == .noFixedAbode)
        #expect(problem(["NFA NFA2024", "Leeds"]) == nil)
        #expect(problem(["...", "Leeds"]) == .noLetterOrDigit)
        #expect(problem(["12 Example Street"], name: "---") == .formulaLike)
        #expect(problem(["BFPO 1234"], "BF1 3AA") == .forcesPost)
    }

    @Test func sevenLinesAreTheMostNotifyTakes() throws {
        let address = try NotifyLetterAddress.check(
            recipient: "Jane Smith",
            addressLines: ["Flat 2", "12 Example Street", "Headingley", "Leeds", "West Yorkshire"],
            postcode: "LS6 3AA"
        ).get()
        #expect(address.lines.last == "West Yorkshire")
        #expect(address.postcode == "LS6 3AA")
    }

    /// A differential test against Notify's own validator (see `Fixtures/README.md`): never an
    /// address Notify refuses, the same lines when both accept, and a refusal Notify would not
    /// make only for Outreach's own rules (a line a spreadsheet would read as a formula, a
    /// British Forces Post Office address).
    @Test func agreesWithNotifysOwnValidator() throws {
        let path = FileIO.join(Repository.tests, "HandoffsTests/Fixtures/notify-address-vectors.csv")
        let records = try ReferenceCSV.records(try FileIO.readAll(path)).dropFirst()
        var agreed = 0
        var stricter = 0
        for record in records {
            let cells = record.map { String(decoding: $0, as: UTF8.self) }
            let lines =
                cells[1].isEmpty
                ? [] : cells[1].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let ours = NotifyLetterAddress.check(recipient: cells[0], addressLines: lines, postcode: cells[2])
            switch (ours, cells[3] == "yes") {
            case (.success(let address), true):
                let printed = address.lines.filter { !$0.isEmpty } + [address.postcode]
                #expect(printed.joined(separator: "\n") == cells[4], "\(cells)")
                agreed += 1
            case (.success, false):
                Issue.record("accepted an address Notify refuses: \(cells)")
            case (.failure, false):
                agreed += 1
            case (.failure(let problem), true):
                #expect(
                    problem == .formulaLike || problem == .forcesPost,
                    "refused for \(problem) an address Notify accepts: \(cells)")
                stricter += 1
            }
        }
        #expect(agreed + stricter == 1200)
        #expect(agreed > 1000, "\(stricter) refused that Notify accepts")
    }
}
