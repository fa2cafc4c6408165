import Basics
import Foundation
import Service
import TestSupport
import Testing

@Suite("Status")
struct StatusTests {
    static func sample() -> ServiceStatus {
        ServiceStatus(
            state: "running", pid: 42, started: "2026-11-23T07:00", updated: "2026-11-23T07:31", pinnedClock: false,
            rules: .init(
                version: "8aadf6f96a1f", valid: false, checked: "2026-11-23T07:31",
                errors: ["Rules/team.rules:3:5: error: unknown keyword 'wroker'"]),
            lastPublish: .init(day: "2026-11-23", items: 47), nextPublish: "2026-11-24T07:30",
            lastIngest: [.init(practice: "E82001", file: "practice-E82001.csv", at: "2026-11-23T07:00", patients: 597)],
            lastOutcomes: .init(file: "gina.csv", at: "2026-11-23T17:00", summary: "20 outcomes recorded"),
            queues: .init(extractsWaiting: 1, outcomesWaiting: 2, itemsAwaitingOutcome: 27, failedFiles: 3),
            errors: [.init(at: "2026-11-23T07:31", step: "ingest", message: "x.csv: not ingested", count: 1)])
    }

    @Test("status.json reads back as written, keys in a fixed order")
    func roundTrip() throws {
        try withTemporaryDirectory { folder in
            let path = FileIO.join(folder, "status.json")
            let status = Self.sample()
            try status.write(to: path)
            #expect(ServiceStatus.read(path) == status)
            #expect(try FileIO.permissions(path) == 0o600)
            let text = try FileIO.readText(path)
            let keys = ["format", "state", "rules", "last_publish", "last_ingest", "queues", "errors"].map {
                "\n  \"\($0)\""
            }
            let positions = keys.map { text.range(of: $0)?.lowerBound }
            #expect(positions.allSatisfy { $0 != nil })
            #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        }
    }

    @Test("a repeated problem counts up instead of filling the list, and the list is bounded")
    func problems() {
        var status = Self.sample()
        status.errors = []
        let first = status.note(step: "publish", message: "no population yet", at: "07:30")
        let again = status.note(step: "publish", message: "no population yet", at: "07:31")
        #expect(first)
        #expect(!again)
        #expect(status.errors.count == 1 && status.errors[0].count == 2 && status.errors[0].at == "07:31")
        for index in 0..<50 { status.note(step: "ingest", message: "file \(index)", at: "08:00") }
        #expect(status.errors.count == ServiceStatus.maximumErrors)
        #expect(status.errors.last?.message == "file 49")
    }

    @Test("the printed status says what is queued and what went wrong")
    func rendered() {
        let text = Self.sample().rendered(running: true)
        #expect(text.contains("running (pid 42)"))
        #expect(text.contains("the rules folder has errors"))
        #expect(text.contains("Rules/team.rules:3:5: error: unknown keyword 'wroker'"))
        #expect(text.contains("1 extract file and 2 returned lists waiting"))
        #expect(text.contains("27 items awaiting outcomes"))
        #expect(text.contains("x.csv: not ingested"))
        #expect(Self.sample().rendered(running: false).contains("not running"))
    }
}
