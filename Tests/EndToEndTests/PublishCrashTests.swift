import Basics
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Kills the daemon with SIGKILL at seeded random instants while it ingests extracts and returned
/// lists and publishes day after day, beside a reference home given the same inputs and never
/// killed: the killed home must end with the same outbox, archive and journal, byte for byte
/// (quality.md "Crash safety"). A difference is a list lost, half-written or published twice.
extension EndToEnd {
    @Suite("crash safety: publish")
    struct PublishCrashTests {
        /// Kills over the whole walk: 16, or `OUTREACH_CRASH_KILLS` for a longer run.
        static let kills = crashKills(default: 16)
        static let seed: UInt64 = 20_261_123

        /// Where the home was when a kill landed.
        enum Phase: String, CaseIterable {
            case extracts = "ingesting extracts"
            case returnedLists = "ingesting returned lists"
            case publishing = "publishing"
            case staged = "publishing, lists staged"
            case published = "after the publish"
        }

        @Test("SIGKILL while extracts are ingested and days published: outbox, archive and journal as if never killed")
        func killedWhilePublishing() throws {
            try withTemporaryDirectory { scratch in
                let rules = try CrashTests.bigTeamRules(scratch)
                let reference = FileIO.join(scratch, "reference")
                let killed = FileIO.join(scratch, "killed")
                for home in [reference, killed] {
                    #expect(try outreach(["init", home, "--rules", rules], in: scratch).status == 0)
                }
                var random = SeededRandom(seed: PublishCrashTests.seed)
                var outcomes = random.split()
                // Two weeks for a long run, three days by default; extracts every other day. A day
                // whose work is done before its share of the kills is made leaves them to the next,
                // and the walk goes on until every kill is made.
                let planned = max(3, min(10, Self.kills / 6))
                var days: [Day] = []
                var day = Day(iso: "2026-11-23")!
                var extracts: Set<String> = []
                var returned: [String] = []
                var phases: [Phase: Int] = [:]
                var made = 0

                while days.count < planned || made < Self.kills && days.count < planned + Self.kills {
                    while day.weekday > .friday { day = day.adding(days: 1) }
                    days.append(day)
                    let index = days.count - 1
                    let now = "\(day)T07:31"
                    var inputs: [(folder: String, name: String, bytes: [UInt8])] = []
                    if index % 2 == 0 {
                        // The first extract, then fresh ones: the same people re-extracted, then others.
                        let out = FileIO.join(scratch, "extracts-\(day)")
                        let synth = try outreach(
                            [
                                "synth", "--patients", "3000", "--practices", "2", "--seed", "\(3 + index / 4)",
                                "--as-of", day.adding(days: -3).description, "--out", out,
                            ], in: scratch)
                        #expect(synth.status == 0, "\(synth.stderr)")
                        for name in try FileIO.listDirectory(out) where !name.hasPrefix(".") {
                            let bytes = try FileIO.readAll(FileIO.join(out, name))
                            inputs.append(("inbox/extracts", name, bytes))
                            extracts.insert(SHA256.hexDigest(bytes))
                        }
                    }
                    if index > 0 {
                        // The lists published the day before, returned filled in.
                        let codes = [
                            "reached", "no_answer", "voicemail", "declined", "call_back", "", "urgent_concern",
                        ]
                        let before = days[index - 1]
                        let filled = try filledLists(outbox: FileIO.join(reference, "outbox/\(before)")) { _ in
                            codes[Int(outcomes.next() % UInt64(codes.count))]
                        }
                        for (name, rows) in filled.sorted(by: { $0.key < $1.key }) {
                            let path = FileIO.join(scratch, "returned-\(before)-\(name)")
                            try writeCSV(rows, to: path)
                            inputs.append(("inbox/outcomes", "returned-\(before)-\(name)", try FileIO.readAll(path)))
                            returned.append("returned-\(before)-\(name)")
                        }
                    }
                    for home in [reference, killed] {
                        for input in inputs {
                            try FileIO.writeAtomically(input.bytes, to: FileIO.join(home, input.folder, input.name))
                            try FileIO.writeAtomically(
                                text: "", to: FileIO.join(home, input.folder, input.name + ".done"))
                        }
                    }

                    let timeline = try PublishCrashTests.run(reference: reference, now: now, day: day, scratch: scratch)
                    let due = min(Self.kills, Self.kills * days.count / planned)
                    while made < due, PublishCrashTests.isPending(home: killed, day: day) {
                        let phase = try PublishCrashTests.killAtRandom(
                            home: killed, day: day, timeline: timeline, scratch: scratch, &random)
                        phases[phase, default: 0] += 1
                        made += 1
                    }
                    let finish = try outreach(["daemon", "--home", killed, "--once", "--now", now], in: scratch)
                    #expect(finish.status == 0, "\(day): \(finish.stderr)")
                    day = day.adding(days: 1)
                }

                for folder in ["outbox", "archive"] {
                    let expected = try PublishCrashTests.tree(FileIO.join(reference, folder))
                    let found = try PublishCrashTests.tree(FileIO.join(killed, folder))
                    #expect(found.keys.sorted() == expected.keys.sorted(), "the same files in \(folder)/")
                    let differing = expected.keys.sorted().filter { found[$0] != nil && found[$0] != expected[$0] }
                    #expect(differing.isEmpty, "the same bytes in \(folder)/: \(differing.prefix(5))")
                }

                // Every field, the `time` of ingests too: the clock is pinned, so a record that a
                // killed run wrote differently is a real difference.
                let journal = try journalRecords(home: killed, scratch: scratch)
                let expectedJournal = try journalRecords(home: reference, scratch: scratch)
                #expect(journal.count == expectedJournal.count, "as many records as the reference")
                let first = zip(journal, expectedJournal).first { $0 != $1 }
                #expect(first == nil, "the first record that differs: \(String(describing: first))")

                let published = journal.filter { $0["kind"] == "day_published" }.map { $0["day"]! }
                #expect(published == days.map(\.description), "each day published once")
                let ingested = journal.filter { $0["kind"] == "extract_ingested" }.map { $0["content_hash"]! }
                #expect(ingested.sorted() == extracts.sorted(), "each extract ingested once")
                let lists = journal.filter { $0["kind"] == "outcome_file_ingested" }.map { $0["file"]! }
                #expect(lists.sorted() == returned.sorted(), "each returned list ingested once")

                for folder in ["inbox/extracts", "inbox/outcomes", "failed"] {
                    #expect(try FileIO.listDirectory(FileIO.join(killed, folder)).isEmpty, "\(folder) is empty")
                }
                let leftovers =
                    try allFiles(under: killed).filter { $0.contains(".tmp-") || $0.contains(".new-") }
                    + FileIO.listDirectory(FileIO.join(killed, "outbox")).filter { $0.hasSuffix(".partial") }
                #expect(leftovers.isEmpty, "no half-written files are left: \(leftovers.prefix(3))")
                let landed = Phase.allCases.map { "\(phases[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
                #expect(made == Self.kills, "every kill was made")
                print("crash safety: publish: \(Self.kills) kills over \(days.count) days: \(landed)")
            }
        }

        /// Whether `day`'s work is still to do in `home`: inputs in the inbox, or lists unpublished.
        static func isPending(home: String, day: Day) -> Bool {
            waiting(FileIO.join(home, "inbox/extracts")) > 0 || waiting(FileIO.join(home, "inbox/outcomes")) > 0
                || !FileIO.exists(FileIO.join(home, "outbox/\(day)"))
        }

        /// The input files in an inbox, without their `.done` markers.
        static func waiting(_ inbox: String) -> Int {
            ((try? FileIO.listDirectory(inbox)) ?? []).filter { !$0.hasSuffix(".done") }.count
        }

        /// When the reference's run of a day finished each step, in seconds from its start.
        struct Timeline {
            var extracts = 0.0
            var returnedLists = 0.0
            var published = 0.0
            var stopped = 0.0
        }

        /// Runs the daemon once on the reference home, watching when each step of the day ends.
        static func run(reference home: String, now: String, day: Day, scratch: String) throws -> Timeline {
            let started = Date()
            let daemon = try Spawned(["daemon", "--home", home, "--once", "--now", now], in: scratch)
            var timeline = Timeline()
            var steps = 0
            let extracts = FileIO.join(home, "inbox/extracts")
            let returned = FileIO.join(home, "inbox/outcomes")
            let folder = FileIO.join(home, "outbox/\(day)")
            while daemon.isRunning {
                let elapsed = Date().timeIntervalSince(started)
                if steps == 0, waiting(extracts) == 0 { (timeline.extracts, steps) = (elapsed, 1) }
                if steps == 1, waiting(returned) == 0 { (timeline.returnedLists, steps) = (elapsed, 2) }
                if steps == 2, FileIO.exists(folder) { (timeline.published, steps) = (elapsed, 3) }
                usleep(1_000)
            }
            timeline.stopped = Date().timeIntervalSince(started)
            let finished = daemon.wait(seconds: 60)
            #expect(finished?.status == 0, "\(day), the reference: \(finished?.stderr ?? "")")
            return timeline
        }

        /// Starts the daemon on `home` at `day`'s publish time and kills it at a random instant of
        /// a step still to do (ingesting extracts, then returned lists, then publishing), within
        /// the time that step took the reference, or just after the lists are staged; or, one time
        /// in five, at any instant before the reference had published.
        /// - Returns: the phase the home was in when the kill landed.
        static func killAtRandom(
            home: String, day: Day, timeline: Timeline, scratch: String, _ random: inout SeededRandom
        ) throws -> Phase {
            let extracts = FileIO.join(home, "inbox/extracts")
            let returned = FileIO.join(home, "inbox/outcomes")
            let staged = FileIO.join(home, "outbox/.\(day).partial")
            let folder = FileIO.join(home, "outbox/\(day)")
            // Each step: the moment it starts in this run, and how long it took the reference.
            var steps: [(starts: () -> Bool, seconds: Double)] = []
            if waiting(extracts) > 0 { steps.append(({ true }, timeline.extracts)) }
            if waiting(returned) > 0 {
                steps.append(({ waiting(extracts) == 0 }, timeline.returnedLists - timeline.extracts))
            }
            if !FileIO.exists(folder) {
                steps.append(
                    ({ waiting(extracts) + waiting(returned) == 0 }, timeline.published - timeline.returnedLists))
                // The lists are staged for a few milliseconds only: a moment after they appear.
                steps.append(({ FileIO.exists(staged) || FileIO.exists(folder) }, 0.005))
            }
            if steps.isEmpty || random.next() % 5 == 0 { steps = [({ true }, timeline.published)] }

            let daemon = try Spawned(["daemon", "--home", home, "--now", "\(day)T07:31"], in: scratch)
            // Mostly the first step still to do: a kill in a later step lets the earlier ones finish.
            let step = steps[random.next() % 3 != 0 ? 0 : Int(random.next() % UInt64(steps.count))]
            let deadline = Date().addingTimeInterval(60)
            while !step.starts(), daemon.isRunning, Date() < deadline { usleep(1_000) }
            usleep(UInt32(random.next() % UInt64(max(0.01, step.seconds) * 1_000_000)))
            let phase: Phase =
                waiting(extracts) > 0
                ? .extracts
                : waiting(returned) > 0
                    ? .returnedLists
                    : FileIO.exists(staged) ? .staged : FileIO.exists(folder) ? .published : .publishing
            daemon.send(SIGKILL)
            #expect(daemon.wait(seconds: 60)?.status == 128 + SIGKILL, "the daemon was still running to be killed")
            return phase
        }

        /// Every file under `root` by its path below `root`, with its bytes.
        static func tree(_ root: String) throws -> [String: [UInt8]] {
            var files: [String: [UInt8]] = [:]
            for path in try allFiles(under: root) where FileIO.isFile(path) {
                files[String(path.dropFirst(root.count))] = try FileIO.readAll(path)
            }
            return files
        }
    }
}
