import Basics
import Foundation
import Testing

@testable import RuleLanguage

/// Paths and helpers shared by the rule-language tests.
enum Support {
    /// This test folder, found from this file's path (fixtures are not bundled as resources).
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
    static let fixtures = testsFolder + "/Fixtures"
    static let snapshots = testsFolder + "/Snapshots"
    /// The repository's shipped `Rules/` folder.
    static let shippedRules = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Rules").path

    /// Compares `actual` with `Snapshots/<name>.txt`; with `RECORD_SNAPSHOTS=1` in the environment,
    /// writes it instead. The diff of a re-recorded file is the review.
    static func assertSnapshot(_ actual: String, named name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let path = snapshots + "/" + name + ".txt"
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil {
            try? FileIO.writeAtomically(text: actual, to: path, mode: 0o644)
            return
        }
        guard let expected = try? FileIO.readText(path) else {
            Issue.record("no snapshot \(path); run with RECORD_SNAPSHOTS=1 to record it", sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(expectedLines.count, actualLines.count)
            let expectedLine = first < expectedLines.count ? String(expectedLines[first]) : "<end>"
            let actualLine = first < actualLines.count ? String(actualLines[first]) : "<end>"
            Issue.record(
                "\(name) differs from its snapshot at line \(first + 1):\n  expected: \(expectedLine)\n  actual:   \(actualLine)\n(RECORD_SNAPSHOTS=1 re-records)",
                sourceLocation: sourceLocation)
        }
    }

    /// Loads rule text held in memory; codelists resolve against `directory`.
    static func load(_ text: String, directory: String = Support.fixtures + "/empty", path: String = "test.rules")
        -> RuleSetLoadResult
    {
        RuleSetLoader.load(files: [SourceFile(path: path, relativePath: path, text: text)], directory: directory)
    }

    /// A fresh temporary folder.
    static func temporaryFolder() -> String {
        let path = NSTemporaryDirectory() + "outreach-rules-\(UUID().uuidString)"
        try? FileIO.createDirectory(path)
        return path
    }
}

/// Rule text with one `^` marking where a diagnostic must start: the marker is removed and its
/// line and column remembered.
struct Marked {
    let text: String
    let line: Int
    let column: Int

    init(_ source: String) {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        var found: (Int, Int)?
        var cleaned: [String] = []
        for (index, line) in lines.enumerated() {
            if found == nil, let marker = line.firstIndex(of: "⏵") {
                found = (index + 1, line.distance(from: line.startIndex, to: marker) + 1)
                var copy = String(line)
                copy.remove(at: copy.index(copy.startIndex, offsetBy: line.distance(from: line.startIndex, to: marker)))
                cleaned.append(copy)
            } else {
                cleaned.append(String(line))
            }
        }
        precondition(found != nil, "no ⏵ marker in test source")
        text = cleaned.joined(separator: "\n")
        (line, column) = found!
    }
}
