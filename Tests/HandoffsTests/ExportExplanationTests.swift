import Testing

@testable import Handoffs

/// `export --nhs`: one person's place in an export, or why they are not in it.
@Suite struct ExportExplanationTests {
    static let files = [
        ExportFile(
            practice: "E82001", name: "E82001-coding-2026-11-18.csv",
            content: .csv([["nhs_number", "code", "worker"], ["9434765919", "871711000000103", "Gina Patel"]])),
        ExportFile(
            practice: "E82001", name: "E82001-871711000000103-nhs-numbers-2026-11-18.txt",
            content: .lines(["9434765919"])),
    ]

    @Test func namesEachFileAndRowThatHoldsThePerson() {
        let lines = ExportExplanation.lines(nhsNumber: 9_434_765_919, files: Self.files, left: ExportExclusions())
        #expect(
            lines == [
                "in E82001-coding-2026-11-18.csv: nhs_number=9434765919, code=871711000000103, worker=Gina Patel",
                "in E82001-871711000000103-nhs-numbers-2026-11-18.txt",
            ])
    }

    @Test func saysWhySomeoneIsLeftOut() {
        var left = ExportExclusions()
        left.add("no UK mobile number", nhsNumber: 9_434_765_870)
        left.note("outcome reached of item x: the policy gives it no code", nhsNumber: 9_999_999_999)
        #expect(
            ExportExplanation.lines(nhsNumber: 9_434_765_870, files: Self.files, left: left)
                == ["not in this export: no UK mobile number"])
        #expect(left.counts == ["no UK mobile number": 1], "a note is not counted")
        #expect(
            ExportExplanation.lines(nhsNumber: 9_434_765_871, files: Self.files, left: left).first?.hasPrefix(
                "not in this export: not one of the people it looks at") == true)
    }
}
