import Basics
import Vocabulary
import Testing

@testable import Handoffs
@testable import Planning

/// Who a letter is for: the people the telephone cannot reach, never those not to be contacted.
@Suite struct LetterExportTests {
    @Test func theTelephoneCannotReachThem() {
        #expect(LetterExport.reason(.inactive(.unreachable(since: Day(year: 2026, month: 11, day: 20)!))) != nil)
        #expect(LetterExport.reason(.inactive(.noUsablePhone)) != nil)
        #expect(LetterExport.reason(.inactive(.wrongNumber)) != nil)
        #expect(LetterExport.reason(.inactive(.notByTelephone)) != nil)
    }

    @Test func neverTheDeceasedTheMovedTheOptedOutOrThoseStillBeingCalled() {
        for stop in [OutcomeCode.deceased, .movedAway, .optedOut] {
            #expect(LetterExport.reason(.inactive(.stopped(stop))) == nil)
        }
        #expect(LetterExport.reason(.inactive(.declined(on: Day(year: 2026, month: 11, day: 20)!))) == nil)
        #expect(LetterExport.reason(.inactive(.done(reachedOn: Day(year: 2026, month: 11, day: 20)!))) == nil)
        let call = DueCall(
            kind: .first, dueOn: Day(year: 2026, month: 11, day: 23)!, deadline: nil, attempt: 1, previousBand: nil,
            lastReachedBy: nil)
        #expect(LetterExport.reason(.due(call)) == nil)
        #expect(LetterExport.reason(.waiting(call, .retryPending)) == nil)
    }
}
