import Testing
import Basics
import Journal
import Vocabulary

@Suite("Outcome codes")
struct OutcomeCodeTests {
    @Test("every spec code parses, in any case and with spaces around", arguments: OutcomeCode.allCases)
    func parsesSpecCodes(_ code: OutcomeCode) throws {
        #expect(try OutcomeCode.parse(code.rawValue) == code)
        #expect(try OutcomeCode.parse(code.rawValue.uppercased()) == code)
        #expect(try OutcomeCode.parse("  \(code.rawValue)\t") == code)
    }

    @Test("the spec's eleven codes and urgent_concern, spelt as the spec spells them")
    func specSpelling() {
        #expect(
            OutcomeCode.allCases.map(\.rawValue) == [
                "reached", "reached_support", "declined", "no_answer", "voicemail", "call_back", "wrong_number",
                "deceased", "moved_away", "opted_out", "opted_in", "urgent_concern",
            ])
    }

    @Test("spaces and hyphens stand for underscores, as people type in spreadsheets")
    func spacesAndHyphens() throws {
        #expect(try OutcomeCode.parse("No answer") == .noAnswer)
        #expect(try OutcomeCode.parse("call-back") == .callBack)
        #expect(try OutcomeCode.parse("Reached Support") == .reachedSupport)
    }

    @Test("a blank cell means not attempted, not an error")
    func blankIsNotAttempted() throws {
        #expect(try OutcomeCode.parse("") == nil)
        #expect(try OutcomeCode.parse("   ") == nil)
    }

    @Test("a typo is refused with a did-you-mean")
    func typoSuggests() {
        #expect(throws: UnknownOutcomeCode(text: "reachd", suggestion: "reached")) { try OutcomeCode.parse("reachd") }
        #expect(throws: UnknownOutcomeCode(text: "voicemial", suggestion: "voicemail")) {
            try OutcomeCode.parse("voicemial")
        }
        let error = UnknownOutcomeCode(text: "no_anser", suggestion: "no_answer")
        #expect(error.message == "unknown outcome 'no_anser'; did you mean 'no_answer'?")
        #expect(error.exitCode == .dataError)
    }

    @Test("nonsense is refused with the list of codes, and a long cell is shortened in the message")
    func nonsenseListsCodes() throws {
        do {
            _ = try OutcomeCode.parse("spoke to the neighbour who said she had gone into hospital last week")
            Issue.record("expected an error")
        } catch {
            #expect(error.suggestion == nil)
            #expect(error.message.hasPrefix("unknown outcome 'spoke to the neighbour who said she had …'"))
            #expect(
                error.message.hasSuffix(
                    "expected one of: reached, reached_support, declined, no_answer, voicemail, call_back, wrong_number, deceased, moved_away, opted_out, opted_in, urgent_concern"
                ))
        }
    }
}
