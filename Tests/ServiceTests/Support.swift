import Foundation
import Testing
import Basics
import Journal
@testable import Operations
import Planning
import Population
import RuleLanguage
import Service
import Synchronization
import TestSupport
@testable import Tooling

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let state: Mutex<(now: LocalDateTime, monotonic: Double)>

    init(_ now: LocalDateTime) {
        state = Mutex((now, 1000))
    }

    var now: LocalDateTime {
        get { state.withLock { $0.now } }
        set { state.withLock { $0.now = newValue } }
    }

    func advance(seconds: Double) {
        state.withLock { $0.monotonic += seconds }
    }

    var serviceClock: ServiceClock {
        ServiceClock(now: { self.now }, monotonic: { self.state.withLock { $0.monotonic } })
    }
}

/// Counts the steps a daemon runs, and can make the next ingest calls fail.
final class StepRecorder: Sendable {
    private let state = Mutex<(ingests: Int, publishes: Int, refreshes: Int, failIngests: Int, deferIngests: Int)>(
        (0, 0, 0, 0, 0))

    var ingests: Int { state.withLock { $0.ingests } }
    var publishes: Int { state.withLock { $0.publishes } }
    var refreshes: Int { state.withLock { $0.refreshes } }

    /// The next `count` ingest calls fail as a full disk would.
    func failNextIngests(_ count: Int) {
        state.withLock { $0.failIngests = count }
    }

    /// The next `count` ingest calls find every file changed while it was read, as the ingest
    /// does of a file still being written, and so ingest none.
    func deferNextIngests(_ count: Int) {
        state.withLock { $0.deferIngests = count }
    }

    var steps: DaemonSteps {
        DaemonSteps(
            ingest: { session, paths, now in
                let (fail, deferAll) = self.state.withLock { state -> (Bool, Bool) in
                    state.ingests += 1
                    if state.failIngests > 0 {
                        state.failIngests -= 1
                        return (true, false)
                    }
                    guard state.deferIngests > 0 else { return (false, false) }
                    state.deferIngests -= 1
                    return (false, true)
                }
                if fail { throw FileIOError(call: "write", path: session.home.journal, errno: ENOSPC) }
                if deferAll {
                    return paths.map {
                        IngestResult(
                            fileName: FileIO.fileName(of: $0), kind: nil,
                            outcome: .deferred("it changed while it was read"), rejectsFile: nil)
                    }
                }
                return try DaemonSteps.standard.ingest(session, paths, now)
            },
            publish: { session, day in
                self.state.withLock { $0.publishes += 1 }
                return try DaemonSteps.standard.publish(session, day)
            },
            refreshReports: { _, _, _, _ in self.state.withLock { $0.refreshes += 1 } })
    }
}

/// A home made from the example rules, with a small synthetic extract, and a daemon on it.
struct Fixture {
    let root: String
    let home: Home
    let clock: TestClock
    let log = MemoryLogHandler()
    let recorder = StepRecorder()
    /// The synthetic extract's files (kept outside the home, to drop into the inbox).
    let extractFolder: String

    static let monday = Day(year: 2026, month: 11, day: 23)!

    init(root: String, patients: Int = 300, rules: String = Repository.rules) throws {
        self.root = root
        home = try Home.create(at: FileIO.join(root, "home"), rulesFrom: rules)
        clock = TestClock(LocalDateTime(day: Fixture.monday, minuteOfDay: 7 * 60))
        extractFolder = FileIO.join(root, "extract")
        _ = try Synthesizer.write(
            SynthOptions(patients: patients, practices: 2, seed: 11, asOf: Fixture.monday.adding(days: -3)),
            to: extractFolder)
    }

    var logger: Logger { Logger(handlers: [log], minimumLevel: .debug) }

    /// A daemon holding the home's lock.
    func daemon(stop: StopController = StopController()) throws -> Daemon {
        try Daemon(
            options: DaemonOptions(home: home, retryDelay: 30), lock: try HomeLock.acquire(home), logger: logger,
            steps: recorder.steps, clock: clock.serviceClock, stop: stop)
    }

    /// Copies the extract files into the inbox.
    func dropExtract() throws {
        for name in try FileIO.listDirectory(extractFolder) where !name.hasPrefix(".") {
            try FileIO.writeAtomically(
                try FileIO.readAll(FileIO.join(extractFolder, name)), to: FileIO.join(home.extractsInbox, name))
        }
    }

    /// Runs a daemon until it has ingested the extract, then stops it: a home with a journal.
    func recordAnIngest() throws {
        let daemon = try self.daemon()
        try dropExtract()
        daemon.cycle()
        daemon.cycle()
        daemon.shutDown()
    }

    /// Flips a byte in the journal's first record, with records after it: damage, not a torn write.
    func damageJournal() throws {
        let handle = try #require(FileHandle(forUpdatingAtPath: home.journal))
        try handle.seek(toOffset: 16 + 8 + 3)
        try handle.write(contentsOf: Data([0xFF]))
        try handle.close()
    }

    /// Reads the journal without the lock.
    var history: JournalHistory {
        get throws { try Journal.read(at: home.journal).history }
    }

    /// The synthetic patients' identifiable values: NHS numbers, full names, phones, postcodes, dates of birth.
    func identifiers() throws -> [String] {
        var found: [String] = []
        for name in try FileIO.listDirectory(extractFolder)
        where name.hasSuffix(".csv") && !name.contains("events") && !name.hasPrefix(".") {
            let reader = CSVReader(bytes: try FileIO.readAll(FileIO.join(extractFolder, name)), name: name)
            guard try reader.next() else { continue }
            let header = reader.record
            func column(_ name: String) -> Int? { header.firstIndex(of: name) }
            while try reader.next() {
                let cells = reader.record
                func cell(_ name: String) -> String {
                    column(name).flatMap { $0 < cells.count ? cells[$0] : nil } ?? ""
                }
                found.append(cell("nhs_number"))
                found.append(cell("given_name") + " " + cell("family_name"))
                found.append(cell("postcode"))
                found.append(cell("phone_mobile"))
                found.append(cell("phone_home"))
                found.append(cell("date_of_birth"))
            }
        }
        return found.filter { $0.trimmingCharacters(in: .whitespaces).count >= 6 }
    }

    /// The outbox lists of a day returned with outcomes: `outcome(row index)` picks each row's.
    func returnLists(of day: Day, outcome: (Int) -> String) throws -> [String] {
        var written: [String] = []
        var index = 0
        for name in try FileIO.listDirectory(home.outbox(for: day)) where name.hasSuffix(".csv") {
            let reader = CSVReader(bytes: try FileIO.readAll(FileIO.join(home.outbox(for: day), name)), name: name)
            var writer = CSVWriter(byteOrderMark: true)
            guard try reader.next() else { continue }
            let header = reader.record.map { $0.replacingOccurrences(of: "\u{FEFF}", with: "") }
            writer.append(header)
            let outcomeColumn = header.firstIndex(of: "outcome")!
            let callBackColumn = header.firstIndex(of: "call_back_on")!
            var rows = 0
            while try reader.next() {
                var cells = reader.record
                let code = outcome(index)
                index += 1
                cells[outcomeColumn] = code
                cells[callBackColumn] = code == "call_back" ? day.adding(days: 7).description : ""
                writer.append(cells)
                rows += 1
            }
            guard rows > 0 else { continue }
            let path = FileIO.join(home.outcomesInbox, "returned-\(day)-\(name)")
            try FileIO.writeAtomically(text: writer.output, to: path)
            written.append(path)
        }
        return written
    }
}

extension String {
    func occurs(in text: String) -> Bool { text.contains(self) }
}
