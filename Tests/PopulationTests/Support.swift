import Basics
import Testing

@testable import Population
import TestSupport

/// Valid test NHS numbers (999 range, Modulus 11 check digits right).
enum Numbers {
    static let a = "9990010013"
    static let b = "9990010021"
    static let c = "9990010048"
    static let d = "9990010056"
    static let e = "9990010064"
    /// The first nine digits of `a` with a wrong check digit.
    static let badCheck = "9990010014"
}

/// Reads in-memory files: `(name, text)` pairs.
func read(_ files: [(String, String)], options: ReadOptions = ReadOptions(maxRejectRate: 1, today: day("2024-03-01")))
    throws -> Extract
{
    try ExtractReader.read(files.map { .bytes(Array($0.1.utf8), name: $0.0) }, options: options)
}

/// Reads in-memory files given as bytes.
func readBytes(
    _ files: [(String, [UInt8])], options: ReadOptions = ReadOptions(maxRejectRate: 1, today: day("2024-03-01"))
)
    throws -> Extract
{
    try ExtractReader.read(files.map { .bytes($0.1, name: $0.0) }, options: options)
}

/// An event as a sink received it, with the code as text.
struct SeenEvent: Hashable {
    let nhs: UInt64
    let code: String
    let day: Day
    let value: Double?
}

/// A sink that keeps everything it receives.
struct CollectingSink: EventSink {
    var received: [(patient: Int32, code: Int32, day: Day, value: Double?)] = []

    mutating func receive(patient: Int32, code: Int32, day: Day, value: Double?) {
        received.append((patient, code, day, value))
    }
}

/// Scans every event of `extract` whose code is in `codes`, returning them by NHS number and code text.
func scan(_ extract: Extract, codes: [String]) throws -> (events: [SeenEvent], result: EventScanResult) {
    let table = CodeTable(codes)
    var sink = CollectingSink()
    let result = try EventScanner(extract: extract, codes: table).scan(into: &sink)
    let events = sink.received.map {
        SeenEvent(
            nhs: extract.population.nhsNumbers[Int($0.patient)], code: table.codes[Int($0.code)], day: $0.day,
            value: $0.value)
    }
    return (events, result)
}

/// The rows rejected, as `file:line column problem`.
func rowRejects(_ log: RejectLog) -> [String] {
    log.entries.filter { $0.action == .rowRejected }.map { "\($0.file):\($0.line) \($0.column) \($0.problem)" }
}

/// This target's fixtures (read in place, not bundled as resources).
let fixtures = FileIO.join(Repository.testTargetFolder(), "Fixtures")
