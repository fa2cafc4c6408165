import Basics

/// The repository the tests were compiled from, found from this file's path: fixtures, golden
/// files and the shipped rules are read in place, not bundled as resources.
public enum Repository {
    /// The folder holding `Package.swift` (this file is `Tests/TestSupport/Repository.swift`).
    public static let root: String = {
        var path = "\(#filePath)"
        for _ in 0..<3 { path = FileIO.parentDirectory(of: path) }
        return path
    }()

    /// The example rules that ship in the repository's `Rules/`.
    public static let rules = FileIO.join(root, "Rules")

    /// `Tests/`: one folder per test target.
    public static let tests = FileIO.join(root, "Tests")

    /// The folder of the test target whose source file is `filePath` (`Tests/NAME`), the home of
    /// its `Fixtures/` and `Snapshots/`. Pass nothing to mean the calling file.
    public static func testTargetFolder(containing filePath: String = #filePath) -> String {
        let prefix = tests + "/"
        guard filePath.hasPrefix(prefix), let target = filePath.dropFirst(prefix.count).split(separator: "/").first
        else {
            // Not compiled from this repository's Tests/ (a moved checkout): the file's own folder.
            return FileIO.parentDirectory(of: filePath)
        }
        return FileIO.join(tests, String(target))
    }
}
