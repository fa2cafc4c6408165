import Basics
import TestSupport
import Testing

@testable import CLI

/// What `outreach --help` and `outreach COMMAND --help` print, byte for byte, against golden files
/// in Snapshots/: a change to any help text shows in review as a diff of what a user reads.
@Suite("--help (golden)")
struct HelpGoldenTests {
    /// Every command `outreach` has, in the order `outreach --help` lists them.
    static let commandNames = CommandLineInterface.commands.map(\.spec.name)

    @Test("outreach --help")
    func overview() {
        assertSnapshot(CommandLineInterface.overview, named: "help")
    }

    @Test("outreach COMMAND --help", arguments: commandNames)
    func command(_ name: String) throws {
        let command = try #require(CommandLineInterface.commands.first { $0.spec.name == name })
        assertSnapshot(command.spec.help, named: "help-\(name)")
    }

    @Test("there is a golden file for each command and none for a command that is gone")
    func oneGoldenFilePerCommand() throws {
        let snapshots = FileIO.join(Repository.testTargetFolder(), "Snapshots")
        let golden = try FileIO.listDirectory(snapshots).filter { $0.hasPrefix("help-") && $0.hasSuffix(".txt") }
        #expect(Set(golden) == Set(Self.commandNames.map { "help-\($0).txt" }))
    }
}
