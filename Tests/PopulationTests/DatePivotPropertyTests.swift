import Testing

import Basics
import Population
import TestSupport

/// Two-digit years against the extract's date, over seeded random extract dates and birth dates:
/// a patients file reads each `dd/mm/yy` as the latest such date not after the extract's date, in
/// every written form, and a stored file given its extract date reads the same whatever day the
/// command runs.
@Suite struct DatePivotPropertyTests {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The reference: the latest day with this day, month and two-digit year not after `latest`.
    private func expected(day: Int, month: Int, twoDigitYear: Int, latest: Day) -> Day? {
        (0...2).lazy.compactMap { back -> Day? in
            let year = (latest.year / 100 - back) * 100 + twoDigitYear
            guard let candidate = Day(year: year, month: month, day: day), candidate <= latest else { return nil }
            return candidate
        }.first
    }

    @Test func everyFormPivotsOnTheExtractDate() throws {
        var random = SeededRandom(seed: 17)
        for _ in 0..<300 {
            let extractDay = Day(iso: "2000-01-01")!.adding(days: Int.random(in: 0..<(40 * 365), using: &random))
            let birth = extractDay.adding(days: -Int.random(in: -400..<(105 * 365), using: &random))
            let yy = birth.year % 100
            let cell: String
            switch Int.random(in: 0..<3, using: &random) {
            case 0: cell = String(format: "%02d/%02d/%02d", birth.dayOfMonth, birth.month, yy)
            case 1:
                cell =
                    String(format: "%02d-", birth.dayOfMonth) + Self.months[birth.month - 1].uppercased()
                    + String(format: "-%02d", yy)
            default: cell = "\(birth.dayOfMonth)-\(Self.months[birth.month - 1])-" + String(format: "%02d", yy)
            }
            let want = expected(day: birth.dayOfMonth, month: birth.month, twoDigitYear: yy, latest: extractDay)
            let text = "nhs_number,practice,date_of_birth\n9990010013,E82001,\(cell)\n"
            // Read as a stored file is: dated by the journal, on a random later day.
            let later = extractDay.adding(days: Int.random(in: 0..<800, using: &random))
            let extract = try ExtractReader.read(
                [.bytes(Array(text.utf8), name: "E82001.csv", extractDate: extractDay)],
                options: ReadOptions(maxRejectRate: 1, today: later))
            #expect(
                extract.population.datesOfBirth[0] == want, "\(cell) in an extract of \(extractDay) read on \(later)")
        }
    }

    @Test func aRunDateInTheFileWinsOverTheDayItIsRead() throws {
        let text = "Run Date,01/03/2024\nnhs_number,practice,date_of_birth\n9990010013,E82001,02/03/24\n"
        for today in ["2024-03-01", "2024-03-05", "2030-01-01"] {
            let extract = try ExtractReader.read(
                [.bytes(Array(text.utf8), name: "E82001.csv")],
                options: ReadOptions(maxRejectRate: 1, today: day(today)))
            #expect(extract.population.datesOfBirth[0] == day("1924-03-02"), "read on \(today)")
        }
    }
}
