import Testing
import Basics
import Operations
import Planning
import TestSupport

/// H2: no extract may silently shrink or empty a practice's population.
@Suite("H2 No extract silently shrinks a practice")
struct H2NoSilentShrink {
    @Test func patientsFileWithoutDateOfBirthIsRefused() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let rows = spreadsheetImport(
                String(decoding: try FileIO.readAll(home.firstPatientsFile), as: UTF8.self), separators: [","])
            let column = try #require(rows[0].firstIndex(of: "date_of_birth"))
            let damaged = spreadsheetSave(
                rows.map { row in
                    var row = row
                    row.remove(at: column)
                    return row
                })
            let before = try home.peopleInCohorts()
            let results = try home.ingest([try home.write(damaged, as: "practice-E82001.csv")])
            guard case .failed(let reason) = results[0].outcome else {
                Issue.record("taken: \(results[0].line)")
                return
            }
            #expect(reason.contains("rejected"))
            #expect(try home.peopleInCohorts() == before)
        }
    }

    @Test func extractHalvingAPracticeIsRefusedUnlessConfirmed() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let text = String(decoding: try FileIO.readAll(home.firstPatientsFile), as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            // The header and a third of the rows: a report cut short.
            let partial = lines.prefix(1 + (lines.count - 1) / 3).joined(separator: "\n") + "\n"
            let path = try home.write(partial, as: "practice-E82001.csv")
            let before = try home.peopleInCohorts()
            let refused = try home.ingest([path])
            guard case .failed(let reason) = refused[0].outcome else {
                Issue.record("taken: \(refused[0].line)")
                return
            }
            #expect(reason.contains("down from"))
            #expect(reason.contains("--confirm-smaller-population"))
            #expect(try home.peopleInCohorts() == before)

            let confirmed = try home.ingest([path], confirm: true)
            guard case .ingested = confirmed[0].outcome else {
                Issue.record("not taken when confirmed: \(confirmed[0].line)")
                return
            }
            #expect(try home.peopleInCohorts() < before)
        }
    }

    @Test func fileRejectingMoreThanFivePercentIsRefusedUnlessConfirmed() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            var rows = spreadsheetImport(
                String(decoding: try FileIO.readAll(home.firstPatientsFile), as: UTF8.self), separators: [","])
            let column = try #require(rows[0].firstIndex(of: "date_of_birth"))
            // One row in ten has an impossible date of birth: each is rejected, 10% of the file.
            for index in stride(from: 1, to: rows.count, by: 10) { rows[index][column] = "31/02/1950" }
            let path = try home.write(spreadsheetSave(rows), as: "practice-E82001.csv")
            let refused = try home.ingest([path])
            guard case .failed(let reason) = refused[0].outcome else {
                Issue.record("taken: \(refused[0].line)")
                return
            }
            #expect(reason.contains("rows rejected"))
            #expect(reason.contains("--confirm-smaller-population"))
            #expect(!reason.contains("--max-reject-rate"), "ingest has no such option")

            let confirmed = try home.ingest([path], confirm: true)
            guard case .ingested = confirmed[0].outcome else {
                Issue.record("not taken when confirmed: \(confirmed[0].line)")
                return
            }
        }
    }

    @Test func eventsFileWithoutAPracticeCodeIsRefusedInAHomeOfSeveralPractices() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let events = try #require(home.extractFiles.first { $0.contains("events") })
            // A practice's events saved under a name without its ODS code: taken for every practice,
            // it would replace the other practice's events too.
            // (This week's: the same rows but the last, so it is not the file already ingested.)
            let lines = String(decoding: try FileIO.readAll(events), as: UTF8.self).split(separator: "\n")
            let unnamed = try home.write(lines.dropLast().joined(separator: "\n") + "\n", as: "events.csv")
            let before = try home.peopleInCohorts()
            let results = try home.ingest([unnamed])
            guard case .failed(let reason) = results[0].outcome else {
                Issue.record("taken: \(results[0].line)")
                return
            }
            #expect(reason.contains("ODS code"))
            #expect(try home.peopleInCohorts() == before)
        }
    }

    /// An events file's rows are checked within the one read that evaluates the cohorts, not by a
    /// read of their own: a file rejecting too many rows is still refused, alone, and the file
    /// dropped with it is taken.
    @Test func eventsFileRejectingMoreThanFivePercentIsRefusedAloneInItsBatch() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let events = home.extractFiles.filter { $0.contains("events") }
            try #require(events.count == 2)
            var rows = spreadsheetImport(
                String(decoding: try FileIO.readAll(events[0]), as: UTF8.self), separators: [","])
            let column = try #require(rows[0].firstIndex(of: "date"))
            for index in stride(from: 1, to: rows.count, by: 10) { rows[index][column] = "31/02/2026" }
            let damaged = try home.write(spreadsheetSave(rows), as: FileIO.fileName(of: events[0]))
            // The other practice's events, this week's (one row fewer, so not the file already ingested).
            let lines = String(decoding: try FileIO.readAll(events[1]), as: UTF8.self).split(separator: "\n")
            let good = try home.write(
                lines.dropLast().joined(separator: "\n") + "\n", as: FileIO.fileName(of: events[1]))
            let before = try home.history.extracts.count

            let results = try home.ingest([damaged, good])
            let refused = try #require(results.first { $0.fileName == FileIO.fileName(of: damaged) })
            guard case .failed(let reason) = refused.outcome else {
                Issue.record("taken: \(refused.line)")
                return
            }
            #expect(reason.contains("rows rejected"))
            #expect(reason.contains("--confirm-smaller-population"))
            let taken = try #require(results.first { $0.fileName == FileIO.fileName(of: good) })
            guard case .ingested = taken.outcome else {
                Issue.record("the good file was not taken: \(taken.line)")
                return
            }
            let history = try home.history
            #expect(history.extracts.count == before + 1)
            #expect(history.extracts.last?.fileName == FileIO.fileName(of: good))
            let stored = try FileIO.listDirectory(home.home.currentExtracts)
            #expect(stored.count == 5, "the refused file's copy is not kept: \(stored)")

            let confirmed = try home.ingest([damaged], confirm: true)
            guard case .ingested(let text) = confirmed[0].outcome else {
                Issue.record("not taken when confirmed: \(confirmed[0].line)")
                return
            }
            #expect(text.contains("rows rejected"))
            let rejects = try #require(confirmed[0].rejectsFile)
            let report = String(decoding: try FileIO.readAll(rejects), as: UTF8.self)
            let reported = report.split(whereSeparator: \.isNewline).dropFirst()
            #expect(reported.count { $0.contains(",date,31/02/2026,") } == (rows.count - 1 + 9) / 10)
            #expect(
                reported.allSatisfy { $0.hasPrefix(FileIO.fileName(of: damaged) + ",") },
                "rejects name the file as it was dropped, not the stored copy")
            #expect(reported.first?.split(separator: ",")[1] == "2", "the first data row is on line 2")
        }
    }

    /// An events file whose rows cannot be read at all (a quote never closed) is refused with the
    /// reader's words, and the file dropped with it is taken.
    @Test func unreadableEventsFileIsRefusedAloneInItsBatch() throws {
        try withTemporaryDirectory { root in
            let home = try SafetyHome(root: root)
            let events = home.extractFiles.filter { $0.contains("events") }
            try #require(events.count == 2)
            var lines = String(decoding: try FileIO.readAll(events[0]), as: UTF8.self).split(separator: "\n")
                .map(String.init)
            lines[lines.count / 2] += ",\"unclosed"
            let broken = try home.write(lines.joined(separator: "\n") + "\n", as: FileIO.fileName(of: events[0]))
            let other = String(decoding: try FileIO.readAll(events[1]), as: UTF8.self).split(separator: "\n")
            let good = try home.write(
                other.dropLast().joined(separator: "\n") + "\n", as: FileIO.fileName(of: events[1]))

            let results = try home.ingest([broken, good])
            let refused = try #require(results.first { $0.fileName == FileIO.fileName(of: broken) })
            guard case .failed(let reason) = refused.outcome else {
                Issue.record("taken: \(refused.line)")
                return
            }
            #expect(reason.contains("never closed"))
            let taken = try #require(results.first { $0.fileName == FileIO.fileName(of: good) })
            guard case .ingested = taken.outcome else {
                Issue.record("the good file was not taken: \(taken.line)")
                return
            }
        }
    }
}
