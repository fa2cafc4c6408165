import Basics
import Foundation
import Testing

/// Compares `actual` with the golden file `NAME.txt` in `folder`, by default the calling test
/// target's `Snapshots/` (`Tests/ReportsTests/Snapshots/` for a test in ReportsTests).
///
/// A difference, or a golden file that does not exist, is a test failure naming the first line
/// that differs. Nothing is ever written unless `RECORD_SNAPSHOTS=1` is in the environment: then
/// `actual` is written as the golden file (0644, to be committed) and the comparison is skipped.
/// The diff of a re-recorded file is the review.
public func assertSnapshot(
    _ actual: String, named name: String, in folder: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let folder = folder ?? FileIO.join(Repository.testTargetFolder(containing: sourceLocation.filePath), "Snapshots")
    let path = FileIO.join(folder, name + ".txt")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil {
        do {
            try FileIO.writeAtomically(text: actual, to: path, mode: 0o644)
        } catch {
            Issue.record("cannot record the snapshot \(path): \(error.message)", sourceLocation: sourceLocation)
        }
        return
    }
    guard let expected = try? FileIO.readText(path) else {
        Issue.record("no snapshot \(path); run with RECORD_SNAPSHOTS=1 to record it", sourceLocation: sourceLocation)
        return
    }
    guard expected != actual else { return }
    // Lines end at LF or CRLF (one Character in Swift, so splitting on "\n" alone would miss it).
    func lines(_ text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    }
    let expectedLines = lines(expected)
    let actualLines = lines(actual)
    let first =
        zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        ?? min(expectedLines.count, actualLines.count)
    let expectedLine = first < expectedLines.count ? String(expectedLines[first]) : "<end>"
    let actualLine = first < actualLines.count ? String(actualLines[first]) : "<end>"
    Issue.record(
        """
        \(name) differs from its snapshot \(path) at line \(first + 1):
          expected: \(expectedLine)
          actual:   \(actualLine)
        (RECORD_SNAPSHOTS=1 re-records)
        """,
        sourceLocation: sourceLocation)
}
