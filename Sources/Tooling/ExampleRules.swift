import Basics

/// Where the example rule set that ships with Outreach is: the repository's `Rules/` folder,
/// found from this source file's location (so `swift run` works from any folder), else `./Rules`.
public enum ExampleRulesLocation {
    public static var directory: String {
        let sourceFile = "\(#filePath)"
        let repository = FileIO.parentDirectory(of: FileIO.parentDirectory(of: FileIO.parentDirectory(of: sourceFile)))
        let shipped = FileIO.join(repository, "Rules")
        return FileIO.isDirectory(shipped) ? shipped : "Rules"
    }
}
