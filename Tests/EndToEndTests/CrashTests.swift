import Basics
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Kills the daemon with SIGKILL at seeded random instants while it ingests returned lists and
/// publishes, restarting it each time: in the end every outcome is in the journal exactly once,
/// every input is in archive/, and no day is published twice (quality.md "Crash safety").
extension EndToEnd {
    @Suite("crash safety")
    struct CrashTests {
        /// 24 kills, or `OUTREACH_CRASH_KILLS` for a longer run.
        static let kills = crashKills(default: 24)
        static let seed: UInt64 = 20_261_124

        /// The example rules with a big team, so one day publishes hundreds of items.
        static func bigTeamRules(_ scratch: String) throws -> String {
            let rules = FileIO.join(scratch, "rules")
            try FileIO.copyTree(from: Repository.rules, to: rules)
            var team = "team \"Crash test PCN\"\n  working days mon to fri\nend\n"
            for index in 1...3 {
                team += """

                    worker w\(index) "Worker \(index)"
                      calls per day 400
                      speaks english, gujarati, hindi, yoruba, bengali, urdu, polish
                      skills bereavement, mental_health
                    end

                    """
            }
            try FileIO.writeAtomically(text: team, to: FileIO.join(rules, "team.rules"))
            return rules
        }

        @Test(
            "SIGKILL at random instants, restart each time: every outcome recorded exactly once, every input archived")
        func killedRepeatedly() throws {
            try withTemporaryDirectory { scratch in
                let home = FileIO.join(scratch, "home")
                let rules = try CrashTests.bigTeamRules(scratch)
                #expect(try outreach(["init", home, "--rules", rules], in: scratch).status == 0)
                let synth = try outreach(
                    [
                        "synth", "--patients", "4000", "--practices", "2", "--seed", "3", "--as-of", "2026-11-20",
                        "--out",
                        FileIO.join(home, "inbox/extracts"),
                    ], in: scratch)
                #expect(synth.status == 0)
                let publish = try outreach(
                    ["daemon", "--home", home, "--once", "--now", "2026-11-23T07:31"], in: scratch)
                #expect(publish.status == 0, "\(publish.stderr)")

                var random = SeededRandom(seed: CrashTests.seed)
                let codes = ["reached", "no_answer", "voicemail", "declined", "reached_support", ""]
                let filled = try filledLists(outbox: FileIO.join(home, "outbox/2026-11-23")) { _ in
                    codes[Int(random.next() % UInt64(codes.count))]
                }

                // One large returned file with every item; then, before each start, twelve more files
                // holding the same rows grouped differently (lists returned again): each outcome must
                // be recorded once, and every file ingested once.
                let header = try #require(filled.values.first?.first)
                let rows = filled.keys.sorted().flatMap { filled[$0]!.dropFirst() }
                #expect(rows.count > 500, "a large outcome file")
                let outcomeColumn = header.firstIndex(of: "outcome")!
                let itemColumn = header.firstIndex(of: "item_id")!
                let answered = Set(rows.filter { !$0[outcomeColumn].isEmpty }.map { $0[itemColumn] })
                let inbox = FileIO.join(home, "inbox/outcomes")
                var names: [String] = []
                // Files with the same bytes: the first ingested gets the record, the others are archived
                // as already ingested.
                var contentOf: [String: [String]] = [:]
                func drop(_ name: String, _ body: ArraySlice<[String]>) throws {
                    try writeCSV([header] + body, to: FileIO.join(inbox, name))
                    try FileIO.writeAtomically(text: "", to: FileIO.join(inbox, name + ".done"))
                    names.append(name)
                    contentOf[name] = body.map { $0.joined(separator: ",") }
                }
                try drop("all-lists.csv", rows[...])
                func waiting() -> Int {
                    ((try? FileIO.listDirectory(inbox)) ?? []).filter { !$0.hasSuffix(".done") }.count
                }

                for kill in 0..<CrashTests.kills {
                    let size = rows.count / 12 + kill
                    for (index, start) in stride(from: 0, to: rows.count, by: size).enumerated() {
                        try drop("wave-\(kill)-part-\(index).csv", rows[start..<min(rows.count, start + size)])
                    }
                    let before = waiting()
                    let daemon = try Spawned(["daemon", "--home", home, "--now", "2026-11-24T07:31"], in: scratch)
                    if random.next() % 3 == 0 {
                        // Anywhere: starting up, ingesting, publishing, idle.
                        usleep(UInt32(random.next() % 1_500_000))
                    } else {
                        // In the middle of ingesting: once the first file has gone, a moment later.
                        _ = eventually(seconds: 30) { waiting() < before }
                        usleep(UInt32(random.next() % 40_000))
                    }
                    daemon.send(SIGKILL)
                    #expect(daemon.wait(seconds: 60)?.status == 128 + SIGKILL)
                }

                for _ in 0..<5 where !(try FileIO.listDirectory(FileIO.join(home, "inbox/outcomes")).isEmpty) {
                    let run = try outreach(
                        ["daemon", "--home", home, "--once", "--now", "2026-11-24T07:31"], in: scratch)
                    #expect(run.status == 0, "\(run.stderr)")
                }

                let journal = try journalRecords(home: home, scratch: scratch)
                var recorded: [String: Int] = [:]
                for record in journal where record["kind"] == "outcome_recorded" {
                    recorded[record["item_id"]!, default: 0] += 1
                }
                #expect(Set(recorded.keys) == answered, "every outcome is in the journal")
                #expect(recorded.values.allSatisfy { $0 == 1 }, "and none twice (seed \(CrashTests.seed))")
                let files = journal.filter { $0["kind"] == "outcome_file_ingested" }.map { $0["file"]! }
                #expect(Set(files).isSubset(of: Set(names)))
                #expect(
                    files.map { contentOf[$0] ?? [] }.sorted { $0.lexicographicallyPrecedes($1) }
                        == Set(contentOf.values).sorted { $0.lexicographicallyPrecedes($1) },
                    "each distinct file recorded once")
                let archive = try FileIO.listDirectory(FileIO.join(home, "archive"))
                #expect(names.allSatisfy { name in archive.contains { $0.hasSuffix("-" + name) } })
                #expect(try FileIO.listDirectory(FileIO.join(home, "inbox/outcomes")).isEmpty)
                #expect(try FileIO.listDirectory(FileIO.join(home, "failed")).isEmpty)
                #expect(
                    journal.filter { $0["kind"] == "day_published" }.map { $0["day"]! } == ["2026-11-23", "2026-11-24"])
                let leftovers = try allFiles(under: home).filter { $0.contains(".tmp-") || $0.contains(".new-") }
                #expect(leftovers.isEmpty, "temporary files of killed runs are swept: \(leftovers.prefix(3))")
            }
        }
    }
}
