import Basics
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The end-to-end tests, one at a time: they spawn processes, and the SIGTERM test's five
/// seconds should not be shared with another test's daemon.
@Suite("End to end", .serialized)
enum EndToEnd {}

/// The `outreach` executable built beside this test bundle.
let outreachBinary: String = {
    let bundle =
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    let beside = FileIO.join(FileIO.parentDirectory(of: bundle), "outreach")
    if FileIO.isFile(beside) { return beside }
    return FileIO.join(Repository.root, ".build/debug/outreach")
}()

/// A finished run of the binary.
struct Finished {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// A running `outreach` process, its output going to files (pipes could fill and block it).
final class Spawned {
    let process = Process()
    let outPath: String
    let errPath: String

    init(_ arguments: [String], in folder: String) throws {
        let stamp = UUID().uuidString.prefix(8)
        outPath = FileIO.join(folder, "run-\(stamp).out")
        errPath = FileIO.join(folder, "run-\(stamp).err")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: outreachBinary)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to end; `nil` if it is still running after `seconds` (a hang).
    func wait(seconds: Double) -> Finished? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            if Date() > deadline { return nil }
            usleep(10_000)
        }
        process.waitUntilExit()
        let status =
            process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return Finished(
            status: status, stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// Kills a process a test gave up on, so it cannot outlive the test.
    func kill9() {
        if process.isRunning { send(SIGKILL) }
        process.waitUntilExit()
    }
}

/// Runs `outreach ARGUMENTS` to the end (a generous timeout that only catches a hang).
@discardableResult
func outreach(_ arguments: [String], in folder: String, timeout: Double = 300) throws -> Finished {
    let spawned = try Spawned(arguments, in: folder)
    guard let finished = spawned.wait(seconds: timeout) else {
        spawned.kill9()
        throw OutreachError(
            "outreach \(arguments.joined(separator: " ")) did not finish in \(timeout) s", exitCode: .ioError)
    }
    try? FileManager.default.removeItem(atPath: spawned.outPath)
    try? FileManager.default.removeItem(atPath: spawned.errPath)
    return finished
}

/// Waits until `condition` holds, polling; false if it never does within `seconds`.
func eventually(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(50_000)
    }
    return try condition()
}

/// Reads a CSV file (or text) into rows, header first.
func csvRows(_ bytes: [UInt8], name: String = "csv") throws -> [[String]] {
    let reader = CSVReader(bytes: bytes, name: name)
    var rows: [[String]] = []
    while try reader.next() { rows.append(reader.record) }
    if !rows.isEmpty { rows[0] = rows[0].map { $0.replacingOccurrences(of: "\u{FEFF}", with: "") } }
    return rows
}

/// The journal of a home, exported through `outreach journal --csv --out`, as dictionaries by column.
func journalRecords(home: String, scratch: String) throws -> [[String: String]] {
    let out = FileIO.join(scratch, "journal-\(UUID().uuidString.prefix(6)).csv")
    let run = try outreach(["journal", "--home", home, "--csv", "--out", out], in: scratch)
    guard run.status == 0 else { throw OutreachError("journal export failed: \(run.stderr)", exitCode: .ioError) }
    defer { try? FileManager.default.removeItem(atPath: out) }
    let rows = try csvRows(try FileIO.readAll(out))
    let header = rows[0]
    return rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
}

/// Every returned list for a day's outbox, filled in: `pick(row number)` gives each row's outcome.
/// - Returns: the rows of each file by file name (header first).
func filledLists(outbox: String, pick: (Int) -> String) throws -> [String: [[String]]] {
    var files: [String: [[String]]] = [:]
    var number = 0
    for name in try FileIO.listDirectory(outbox) where name.hasSuffix(".csv") {
        var rows = try csvRows(try FileIO.readAll(FileIO.join(outbox, name)))
        let outcome = rows[0].firstIndex(of: "outcome")!
        let callBack = rows[0].firstIndex(of: "call_back_on")!
        let date = rows[0].firstIndex(of: "date")!
        for index in rows.indices.dropFirst() {
            let code = pick(number)
            number += 1
            rows[index][outcome] = code
            if code == "call_back", let day = Day(iso: rows[index][date]) {
                rows[index][callBack] = day.adding(days: 7).description
            }
        }
        if rows.count > 1 { files[name] = rows }
    }
    return files
}

/// Writes rows as a CSV file the way a spreadsheet would save it.
func writeCSV(_ rows: [[String]], to path: String) throws {
    var writer = CSVWriter(byteOrderMark: true)
    for row in rows { writer.append(row) }
    try FileIO.writeAtomically(text: writer.output, to: path)
}

/// Every file and folder under `root` whose permissions are not 0600 or 0400 (files: the stored
/// extracts and their archived names are read-only) or 0700 (folders).
func looseModes(under root: String) throws -> [String] {
    var loose: [String] = []
    let mode = try FileIO.permissions(root)
    if FileIO.isDirectory(root) {
        if mode != 0o700 { loose.append("\(root) \(String(mode, radix: 8))") }
        for name in try FileIO.listDirectory(root) { loose += try looseModes(under: FileIO.join(root, name)) }
    } else if mode != 0o600, mode != 0o400 {
        loose.append("\(root) \(String(mode, radix: 8))")
    }
    return loose
}

/// Every file under `root`, recursively.
func allFiles(under root: String) throws -> [String] {
    guard FileIO.isDirectory(root) else { return [root] }
    return try FileIO.listDirectory(root).flatMap { try allFiles(under: FileIO.join(root, $0)) }
}

/// How many times a crash suite kills the daemon: `OUTREACH_CRASH_KILLS` when set (a longer run,
/// say before a release), else `fallback`, small enough for every `swift test`.
func crashKills(default fallback: Int) -> Int {
    ProcessInfo.processInfo.environment["OUTREACH_CRASH_KILLS"].flatMap { Int($0) }.map { max(0, $0) } ?? fallback
}
