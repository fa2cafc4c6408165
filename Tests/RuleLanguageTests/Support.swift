import Basics
import Foundation
import TestSupport
import Testing

@testable import RuleLanguage

/// Paths and helpers shared by the rule-language tests.
enum Support {
    /// This target's fixtures (read in place, not bundled as resources).
    static let fixtures = FileIO.join(Repository.testTargetFolder(), "Fixtures")

    /// Loads rule text held in memory; codelists resolve against `directory`.
    static func load(_ text: String, directory: String = Support.fixtures + "/empty", path: String = "test.rules")
        -> RuleSetLoadResult
    {
        RuleSetLoader.load(files: [SourceFile(path: path, relativePath: path, text: text)], directory: directory)
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
