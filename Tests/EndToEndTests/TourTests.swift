import Basics
import Foundation
import TestSupport
import Testing

/// The README's five-minute tour, run exactly as written (its code blocks, in order, in a shell
/// from the repository's folder), twice in a row: every step must succeed both times. Only the
/// release build is swapped for the binary under test, so the tour checks the code being tested.
extension EndToEnd {
    @Suite("the README's tour")
    struct TourTests {
        /// The tour's shell lines: every fenced block between "## A five-minute tour" and the next
        /// section.
        static func tourLines() throws -> [String] {
            let readme = try FileIO.readText(FileIO.join(Repository.root, "README.md"))
            guard let start = readme.range(of: "## A five-minute tour\n") else { return [] }
            let rest = readme[start.upperBound...]
            let section = rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest
            var lines: [String] = []
            var inBlock = false
            for line in section.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("```") {
                    inBlock.toggle()
                } else if inBlock, !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    lines.append(String(line))
                }
            }
            return lines
        }

        @Test("runs as written, twice in a row, every step exiting 0")
        func tourRunsTwice() throws {
            let lines = try Self.tourLines()
            #expect(lines.contains("swift build -c release"), "the tour says how to make steps fast")
            #expect(lines.contains { $0.hasPrefix("$o simulate") })
            let script =
                ["set -eu"]
                + lines.map { line in
                    if line == "swift build -c release" { return "true  # the binary under test is built already" }
                    if line == "o=.build/release/outreach" { return "o='\(outreachBinary)'" }
                    return line
                } + ["rm -rf \"$tour\""]
            try withTemporaryDirectory { scratch in
                let path = FileIO.join(scratch, "tour.sh")
                try FileIO.writeAtomically(text: script.joined(separator: "\n") + "\n", to: path)
                for run in 1...2 {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/bin/sh")
                    process.arguments = [path]
                    process.currentDirectoryURL = URL(fileURLWithPath: Repository.root)
                    let errors = FileIO.join(scratch, "tour-\(run).err")
                    let output = FileIO.join(scratch, "tour-\(run).out")
                    _ = FileManager.default.createFile(atPath: errors, contents: nil)
                    _ = FileManager.default.createFile(atPath: output, contents: nil)
                    process.standardInput = FileHandle.nullDevice
                    process.standardOutput = FileHandle(forWritingAtPath: output)
                    process.standardError = FileHandle(forWritingAtPath: errors)
                    try process.run()
                    process.waitUntilExit()
                    let stderr = (try? FileIO.readText(errors)) ?? ""
                    #expect(process.terminationStatus == 0, "run \(run) stopped: \(stderr.suffix(2000))")
                    let stdout = (try? FileIO.readText(output)) ?? ""
                    // `plan` forecasts from the home's own days, whatever the machine's clock says.
                    #expect(
                        stdout.contains("Forecast from Tuesday 8 Dec 2026")
                            || stdout.contains("Forecast from 8 Dec 2026"))
                    #expect(!stdout.contains("week -"))
                    // `simulate` returned the lists `schedule` published: none is left "not returned".
                    #expect(stdout.contains(", 0 not returned"))
                }
            }
        }
    }
}
