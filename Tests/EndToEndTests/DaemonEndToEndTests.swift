import Basics
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon as a user runs it: the real binary on a real home, one cycle at a time with
/// `--once --now`, or running, signalled and killed.
extension EndToEnd {
    @Suite("the daemon")
    struct DaemonEndToEndTests {
        static let monday = "2026-11-23"
        static let tuesday = "2026-11-24"
        static let wednesday = "2026-11-25"

        /// `init` a home and synthesise an extract beside it.
        private func makeHome(_ scratch: String, patients: Int, practices: Int = 3, rules: String? = nil) throws -> (
            home: String, extract: String
        ) {
            let home = FileIO.join(scratch, "home")
            let extract = FileIO.join(scratch, "extract")
            let initialise = try outreach(["init", home] + (rules.map { ["--rules", $0] } ?? []), in: scratch)
            #expect(initialise.status == 0, "\(initialise.stderr)")
            let synth = try outreach(
                [
                    "synth", "--patients", String(patients), "--practices", String(practices), "--seed", "7", "--as-of",
                    "2026-11-20", "--out", extract,
                ], in: scratch)
            #expect(synth.status == 0, "\(synth.stderr)")
            return (home, extract)
        }

        private func dropExtract(_ extract: String, into home: String) throws {
            for name in try FileIO.listDirectory(extract) where !name.hasPrefix(".") {
                try FileIO.writeAtomically(
                    try FileIO.readAll(FileIO.join(extract, name)), to: FileIO.join(home, "inbox/extracts", name))
            }
        }

        private func daemonOnce(_ home: String, at time: String, in scratch: String) throws -> Finished {
            try outreach(["daemon", "--home", home, "--once", "--now", time], in: scratch)
        }

        private func count(_ records: [[String: String]], _ kind: String, day: String? = nil) -> Int {
            records.filter { $0["kind"] == kind && (day == nil || $0["day"] == day) }.count
        }

        @Test(
            "a working week: ingest before 07:30, publish once after it, outcomes back, retries; clean logs, tight modes"
        )
        func workingWeek() throws {
            try withTemporaryDirectory { scratch in
                let (home, extract) = try makeHome(scratch, patients: 1800)
                try dropExtract(extract, into: home)

                var run = try daemonOnce(home, at: "\(Self.monday)T07:00", in: scratch)
                #expect(run.status == 0, "\(run.stderr)")
                var journal = try journalRecords(home: home, scratch: scratch)
                #expect(count(journal, "extract_ingested") == 6)
                #expect(count(journal, "day_published") == 0, "before the publish time")
                #expect(try FileIO.listDirectory(FileIO.join(home, "inbox/extracts")).isEmpty)
                #expect(
                    try FileIO.listDirectory(FileIO.join(home, "archive")).filter { !$0.hasSuffix(".rejects.csv") }
                        .count
                        == 6)
                #expect(try FileIO.listDirectory(FileIO.join(home, "outbox")).isEmpty)

                run = try daemonOnce(home, at: "\(Self.monday)T07:31", in: scratch)
                #expect(run.status == 0, "\(run.stderr)")
                journal = try journalRecords(home: home, scratch: scratch)
                #expect(count(journal, "day_published", day: Self.monday) == 1)
                let outbox = FileIO.join(home, "outbox", Self.monday)
                let lists = try FileIO.listDirectory(outbox).filter { FileIO.isFile(FileIO.join(outbox, $0)) }
                #expect(lists.contains("gina.csv") && lists.contains("gina.html"))
                #expect(FileIO.isDirectory(FileIO.join(outbox, "texts")), "the texts for Tuesday's calls")
                let before = try lists.map { try FileIO.readAll(FileIO.join(outbox, $0)) }

                run = try daemonOnce(home, at: "\(Self.monday)T09:00", in: scratch)
                #expect(run.status == 0, "\(run.stderr)")
                journal = try journalRecords(home: home, scratch: scratch)
                #expect(count(journal, "day_published") == 1, "never twice for one day")
                #expect(try lists.map { try FileIO.readAll(FileIO.join(outbox, $0)) } == before)

                // The workers return their lists, with a mix of outcomes and some rows left empty;
                // saved by a spreadsheet with the default umask (the archive must still be owner-only).
                let codes = [
                    "no_answer", "reached", "voicemail", "reached_support", "", "call_back", "no_answer", "declined",
                ]
                let filled = try filledLists(outbox: outbox) { codes[$0 % codes.count] }
                var answered = 0
                for (name, rows) in filled {
                    var writer = CSVWriter(byteOrderMark: true)
                    for row in rows { writer.append(row) }
                    _ = FileManager.default.createFile(
                        atPath: FileIO.join(home, "inbox/outcomes", "returned-\(name)"),
                        contents: Data(writer.output.utf8))
                    answered += rows.dropFirst().filter { !$0[rows[0].firstIndex(of: "outcome")!].isEmpty }.count
                }

                run = try daemonOnce(home, at: "\(Self.tuesday)T07:31", in: scratch)
                #expect(run.status == 0, "\(run.stderr)")
                run = try daemonOnce(home, at: "\(Self.wednesday)T07:31", in: scratch)
                #expect(run.status == 0, "\(run.stderr)")
                journal = try journalRecords(home: home, scratch: scratch)
                #expect(count(journal, "outcome_file_ingested") == filled.count)
                #expect(count(journal, "outcome_recorded") == answered)
                #expect(count(journal, "day_published") == 3)

                // Retries: people not answering on Monday are called again (attempt 2) on Wednesday.
                let mondayItems = Dictionary(
                    uniqueKeysWithValues: journal.filter { $0["kind"] == "item_published" && $0["day"] == Self.monday }
                        .map { ($0["item_id"]!, $0["nhs_number"]!) })
                let unanswered = Set(
                    journal.filter {
                        $0["kind"] == "outcome_recorded" && ["no_answer", "voicemail"].contains($0["outcome"]!)
                    }
                    .compactMap { mondayItems[$0["item_id"]!] })
                let retries = journal.filter { $0["kind"] == "item_published" && $0["attempt"] == "2" }
                #expect(!retries.isEmpty)
                #expect(retries.allSatisfy { unanswered.contains($0["nhs_number"]!) })
                let retry = try #require(retries.first)
                let retryList = try FileIO.readText(
                    FileIO.join(home, "outbox", retry["day"]!, "\(retry["worker"]!).csv"))
                #expect(retryList.contains(retry["item_id"]!), "the retry is on the worker's list in the outbox")

                let status = try outreach(["status", "--home", home], in: scratch)
                #expect(status.status == 0)
                #expect(status.stdout.contains("Last publish:   \(Self.wednesday)"))
                #expect(status.stdout.contains("Errors:         none"))

                let export = FileIO.join(scratch, "audit.csv")
                #expect(try outreach(["journal", "--home", home, "--csv", "--out", export], in: scratch).status == 0)
                #expect(try FileIO.permissions(export) == 0o600)

                try expectNoPatientData(inLogsOf: home, extract: extract)
                #expect(try looseModes(under: home) == [])
            }
        }

        /// Scans every file under `logs/` for the extract's NHS numbers, names, phone numbers and postcodes.
        private func expectNoPatientData(inLogsOf home: String, extract: String) throws {
            var identifiers: [String] = []
            for name in try FileIO.listDirectory(extract) where name.hasSuffix(".csv") && !name.contains("events") {
                let rows = try csvRows(try FileIO.readAll(FileIO.join(extract, name)))
                let header = rows[0]
                for row in rows.dropFirst() {
                    func cell(_ column: String) -> String {
                        guard let index = header.firstIndex(of: column), index < row.count else { return "" }
                        return row[index]
                    }
                    identifiers += [
                        cell("nhs_number"), cell("given_name") + " " + cell("family_name"), cell("postcode"),
                        cell("phone_mobile"), cell("phone_home"),
                    ]
                }
            }
            identifiers = identifiers.filter { $0.trimmingCharacters(in: .whitespaces).count >= 6 }
            #expect(identifiers.count > 1000)
            let logs = try allFiles(under: FileIO.join(home, "logs"))
            #expect(!logs.isEmpty)
            let text = try logs.map { try FileIO.readText($0) }.joined(separator: "\n")
            #expect(text.contains("published"))
            let leaks = identifiers.filter { text.contains($0) }
            #expect(leaks.isEmpty, "patient data in the logs: \(leaks.prefix(5))")
        }

        /// A home with Monday published, for the tests that start from there.
        private func publishedHome(_ scratch: String, patients: Int = 600) throws -> (home: String, extract: String) {
            let made = try makeHome(scratch, patients: patients, practices: 2)
            try dropExtract(made.extract, into: made.home)
            let run = try daemonOnce(made.home, at: "\(Self.monday)T07:31", in: scratch)
            #expect(run.status == 0, "\(run.stderr)")
            return made
        }

        @Test(
            "a half-written file is not taken until complete; a garbage file goes to failed/ and the daemon carries on")
        func halfWrittenAndGarbage() throws {
            try withTemporaryDirectory { scratch in
                let (home, _) = try publishedHome(scratch)
                let filled = try filledLists(outbox: FileIO.join(home, "outbox", Self.monday)) { _ in "reached" }
                let rows = try #require(filled.values.max { $0.count < $1.count })
                #expect(rows.count > 10)

                let daemon = try Spawned(["daemon", "--home", home, "--now", "\(Self.monday)T17:00"], in: scratch)
                defer { daemon.kill9() }
                #expect(eventually(seconds: 60) { ServiceStatusFile(home: home).state == "running" })

                // A worker's list arrives slowly: a few rows every 0.4 s, for longer than two polls.
                let slow = FileIO.join(home, "inbox/outcomes", "slow.csv")
                _ = FileManager.default.createFile(atPath: slow, contents: nil)
                let handle = try #require(FileHandle(forWritingAtPath: slow))
                var writer = CSVWriter(byteOrderMark: true)
                writer.append(rows[0])
                try handle.write(contentsOf: Data(writer.output.utf8))
                let chunks = stride(from: 1, to: rows.count, by: max(1, rows.count / 12)).map {
                    Array(rows[$0..<min(rows.count, $0 + max(1, rows.count / 12))])
                }
                for chunk in chunks {
                    usleep(400_000)
                    #expect(FileIO.isFile(slow), "taken while still being written")
                    var part = CSVWriter()
                    for row in chunk { part.append(row) }
                    try handle.write(contentsOf: Data(part.output.utf8))
                }
                try handle.close()
                try FileIO.writeAtomically(
                    Array("\u{0}\u{1}PK\u{3}\u{4} not a csv at all \u{FF}\u{FE}".utf8) + [0xC3, 0x28],
                    to: FileIO.join(home, "inbox/extracts", "garbage.csv"))

                let archived = try eventually(seconds: 60) {
                    try FileIO.listDirectory(FileIO.join(home, "archive")).contains { $0.hasSuffix("-slow.csv") }
                }
                #expect(archived)
                #expect(
                    try eventually(seconds: 60) {
                        try FileIO.listDirectory(FileIO.join(home, "failed")).contains {
                            $0.hasSuffix("garbage.csv.error.txt")
                        }
                    })
                #expect(daemon.isRunning, "a bad file never stops the daemon")
                let journal = try journalRecords(home: home, scratch: scratch)
                let ingested = try #require(
                    journal.first { $0["kind"] == "outcome_file_ingested" && $0["file"] == "slow.csv" })
                #expect(ingested["accepted"] == String(rows.count - 1), "every row of the finished file")
                #expect(ingested["rejected"] == "0")
                let reasonFile = try #require(
                    try FileIO.listDirectory(FileIO.join(home, "failed")).first { $0.hasSuffix(".error.txt") })
                let reason = try FileIO.readText(FileIO.join(home, "failed", reasonFile))
                #expect(reason.hasPrefix("garbage.csv could not be ingested"))

                daemon.send(SIGTERM)
                let finished = try #require(daemon.wait(seconds: 5), "no exit within 5 s of SIGTERM")
                #expect(finished.status == 0)
                #expect(ServiceStatusFile(home: home).state == "stopped")
            }
        }

        @Test("a second SIGTERM stops the daemon at once, and the next start carries on")
        func secondSignalEscalates() throws {
            try withTemporaryDirectory { scratch in
                // A big extract, so the first signal finds the daemon busy ingesting it.
                let (home, extract) = try makeHome(scratch, patients: 6000, practices: 2)
                try dropExtract(extract, into: home)
                for name in try FileIO.listDirectory(extract) where !name.hasPrefix(".") {
                    try FileIO.writeAtomically(text: "", to: FileIO.join(home, "inbox/extracts", name + ".done"))
                }
                let daemon = try Spawned(["daemon", "--home", home, "--now", "\(Self.monday)T07:00"], in: scratch)
                defer { daemon.kill9() }
                let log = FileIO.join(home, "logs", "outreach.log")
                let busy = eventually(seconds: 60) { ((try? FileIO.readText(log)) ?? "").contains("journal open") }
                #expect(busy)
                daemon.send(SIGTERM)
                usleep(100_000)
                daemon.send(SIGTERM)
                let finished = try #require(daemon.wait(seconds: 5), "no exit within 5 s of the second SIGTERM")
                #expect([0, 128 + SIGTERM].contains(finished.status), "stopped at once, or had finished already")
                let rest = try daemonOnce(home, at: "\(Self.monday)T07:00", in: scratch)
                #expect(rest.status == 0, "\(rest.stderr)")
                let journal = try journalRecords(home: home, scratch: scratch)
                #expect(count(journal, "extract_ingested") == 4)
            }
        }

        @Test(
            "a second daemon on the same home exits 75; SIGTERM during work exits 0 within 5 s with the journal consistent"
        )
        func lockAndGracefulStop() throws {
            try withTemporaryDirectory { scratch in
                let (home, extract) = try publishedHome(scratch)
                // Work for the daemon: the returned lists and a bigger new extract of the same practices.
                let filled = try filledLists(outbox: FileIO.join(home, "outbox", Self.monday)) {
                    $0 % 3 == 0 ? "no_answer" : "reached"
                }
                for (name, rows) in filled {
                    let path = FileIO.join(home, "inbox/outcomes", "returned-\(name)")
                    try writeCSV(rows, to: path)
                    try FileIO.writeAtomically(text: "", to: path + ".done")
                }
                let bigger = FileIO.join(scratch, "bigger")
                #expect(
                    try outreach(
                        [
                            "synth", "--patients", "6000", "--practices", "2", "--seed", "8", "--as-of", "2026-11-23",
                            "--out", bigger,
                        ], in: scratch
                    ).status == 0)
                try dropExtract(bigger, into: home)
                for name in try FileIO.listDirectory(bigger) where !name.hasPrefix(".") {
                    try FileIO.writeAtomically(text: "", to: FileIO.join(home, "inbox/extracts", name + ".done"))
                }

                let first = try Spawned(["daemon", "--home", home, "--now", "\(Self.tuesday)T07:31"], in: scratch)
                defer { first.kill9() }
                let log = FileIO.join(home, "logs", "outreach.log")
                let started = eventually(seconds: 60) {
                    ((try? FileIO.readText(log)) ?? "").contains("starting on \(home) (pid \(first.pid))")
                }
                #expect(started)
                let second = try outreach(["daemon", "--home", home, "--once"], in: scratch)
                #expect(second.status == 75)
                #expect(second.stderr.contains("is in use by another outreach process"))
                let oneShot = try outreach(
                    ["ingest", "--home", home, FileIO.join(extract, "practice-E82001.csv")], in: scratch)
                #expect(oneShot.status == 75)

                first.send(SIGTERM)
                let finished = try #require(first.wait(seconds: 5), "no exit within 5 s of SIGTERM")
                #expect(finished.status == 0)

                // Consistent: the journal opens (and its export reads) with no outcome recorded twice;
                // another run finishes what was left.
                var journal = try journalRecords(home: home, scratch: scratch)
                let outcomes = journal.filter { $0["kind"] == "outcome_recorded" }.map { $0["item_id"]! }
                #expect(outcomes.count == Set(outcomes).count)
                let rest = try daemonOnce(home, at: "\(Self.tuesday)T07:31", in: scratch)
                #expect(rest.status == 0, "\(rest.stderr)")
                journal = try journalRecords(home: home, scratch: scratch)
                #expect(count(journal, "outcome_file_ingested") == filled.count)
                #expect(count(journal, "day_published", day: Self.tuesday) == 1)
                #expect(try FileIO.listDirectory(FileIO.join(home, "inbox/outcomes")).isEmpty)
                #expect(try FileIO.listDirectory(FileIO.join(home, "inbox/extracts")).isEmpty)
            }
        }
    }
}

/// The fields of `state/status.json` the tests look at.
struct ServiceStatusFile {
    let state: String?
    let pid: Int?

    init(home: String) {
        let path = FileIO.join(home, "state/status.json")
        guard let data = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            state = nil
            pid = nil
            return
        }
        state = object["state"] as? String
        pid = object["pid"] as? Int
    }
}
