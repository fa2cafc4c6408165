import Basics
import Foundation
import TestSupport
import Testing

/// The exit statuses `outreach --help` promises, from the real binary: 0 for success, 64 for a
/// usage mistake, 65 for invalid data, 66 for missing input. A failure is one message on standard
/// error that starts `error:` and names what is wrong; nothing is written to standard output.
extension EndToEnd {
    @Suite("exit statuses")
    struct ExitStatusTests {
        /// Rules whose only mistake is a priority that is not a number (line 2, column 12).
        private func brokenRules(in scratch: String) throws -> String {
            let rules = FileIO.join(scratch, "broken-rules")
            try FileIO.createDirectory(rules)
            try FileIO.writeAtomically(
                text: "cohort x \"X\"\n  priority one\n  include if age >= 75\nend\n",
                to: FileIO.join(rules, "cohorts.rules"))
            return rules
        }

        /// Runs `outreach ARGUMENTS` and checks that it failed with `status`, saying only on
        /// standard error a message that starts `error: ` followed by `message`.
        private func expectFailure(
            _ arguments: [String], status: Int32, message: String, in scratch: String,
            sourceLocation: SourceLocation = #_sourceLocation
        ) throws {
            let run = try outreach(arguments, in: scratch)
            #expect(run.status == status, "\(run.stderr)", sourceLocation: sourceLocation)
            #expect(run.stderr.hasPrefix("error: " + message), "\(run.stderr)", sourceLocation: sourceLocation)
            #expect(run.stdout.isEmpty, "\(run.stdout)", sourceLocation: sourceLocation)
        }

        // MARK: 0

        @Test("0: --help, COMMAND --help and a clean check succeed, with nothing on standard error")
        func success() throws {
            try withTemporaryDirectory { scratch in
                let snapshots = FileIO.join(Repository.tests, "CLITests", "Snapshots")
                let help = try outreach(["--help"], in: scratch)
                #expect(help.status == 0)
                #expect(help.stderr.isEmpty)
                assertSnapshot(help.stdout, named: "help", in: snapshots)

                let checkHelp = try outreach(["check", "--help"], in: scratch)
                #expect(checkHelp.status == 0)
                #expect(checkHelp.stderr.isEmpty)
                assertSnapshot(checkHelp.stdout, named: "help-check", in: snapshots)

                let check = try outreach(["check", "--rules", Repository.rules, "--as-of", "2026-11-23"], in: scratch)
                #expect(check.status == 0, "\(check.stderr)")
                #expect(check.stderr.isEmpty)
                #expect(check.stdout.hasSuffix(": no errors, no warnings\n"))
            }
        }

        // MARK: 64, usage

        @Test("64: an unknown command, named, with the nearest command suggested")
        func unknownCommand() throws {
            try withTemporaryDirectory { scratch in
                try expectFailure(
                    ["chek"], status: 64,
                    message: "unknown command 'chek'; did you mean 'check'?\nSee 'outreach --help'.", in: scratch)
                try expectFailure(["frobnicate"], status: 64, message: "unknown command 'frobnicate'\n", in: scratch)
            }
        }

        @Test("64: an unknown option, named, pointing at the command's help")
        func unknownOption() throws {
            try withTemporaryDirectory { scratch in
                try expectFailure(
                    ["check", "--rules", Repository.rules, "--bogus"], status: 64,
                    message: "unknown option '--bogus'\nSee 'outreach check --help'.", in: scratch)
            }
        }

        @Test("64: a date that does not exist, or is not a date, with the option and the text given")
        func badDate() throws {
            try withTemporaryDirectory { scratch in
                try expectFailure(
                    ["check", "--rules", Repository.rules, "--as-of", "2026-02-30"], status: 64,
                    message: "--as-of needs a date written YYYY-MM-DD that exists, not '2026-02-30'", in: scratch)
                try expectFailure(
                    ["cohorts", "--extract", FileIO.join(scratch, "x.csv"), "--as-of", "23/11/2026"], status: 64,
                    message: "--as-of needs a date written YYYY-MM-DD that exists, not '23/11/2026'", in: scratch)
            }
        }

        // MARK: 65, invalid data

        @Test("65: check on rules with an error reports it, at its place, on standard output (for editors and CI)")
        func checkOnBrokenRules() throws {
            try withTemporaryDirectory { scratch in
                let rules = try brokenRules(in: scratch)
                let run = try outreach(["check", "--rules", rules, "--as-of", "2026-11-23"], in: scratch)
                #expect(run.status == 65)
                #expect(
                    run.stdout.contains(
                        "cohorts.rules:2:12: error: 'priority' needs a whole number from 1 upwards, not 'one'"),
                    "\(run.stdout)")
                #expect(run.stdout.contains(": 1 error"), "\(run.stdout)")
                #expect(run.stderr.isEmpty, "\(run.stderr)")
            }
        }

        @Test("65: any other command refuses rules with an error, naming the file, line and mistake")
        func otherCommandOnBrokenRules() throws {
            try withTemporaryDirectory { scratch in
                let rules = try brokenRules(in: scratch)
                try FileIO.writeAtomically(
                    text: "nhs_number,date_of_birth\n9990010013,1950-01-01\n",
                    to: FileIO.join(scratch, "practice-E82001.csv"))
                try expectFailure(
                    [
                        "cohorts", "--rules", rules, "--extract", FileIO.join(scratch, "practice-E82001.csv"),
                        "--as-of", "2026-11-23",
                    ], status: 65,
                    message: FileIO.join(rules, "cohorts.rules")
                        + ":2:12: error: 'priority' needs a whole number from 1 upwards, not 'one'", in: scratch)
            }
        }

        @Test("65: a patients file that cannot be read as one, or rejects too many rows, is named with the reason")
        func badPatientsFile() throws {
            try withTemporaryDirectory { scratch in
                let file = FileIO.join(scratch, "practice-E82001.csv")
                let cohorts = ["cohorts", "--rules", Repository.rules, "--extract", file, "--as-of", "2026-11-23"]
                try FileIO.writeAtomically(text: "name,dob\nA,1950-01-01\n", to: file)
                try expectFailure(
                    cohorts, status: 65,
                    message: "\(file): no recognisable header row: no NHS number column in the first lines",
                    in: scratch)

                try FileIO.writeAtomically(
                    text: "nhs_number,date_of_birth\n123,1950-01-01\n456,x\n9990010013,1950-01-01\n", to: file)
                try expectFailure(
                    cohorts, status: 65,
                    message: "\(file): 2 of 3 rows rejected (66.7%), more than --max-reject-rate 5%", in: scratch)
                try expectFailure(
                    ["inspect", file], status: 65,
                    message: "\(file): 2 of 3 rows rejected (66.7%), more than --max-reject-rate 5%", in: scratch)
            }
        }

        // MARK: 66, missing input

        @Test("66: a missing rules folder, extract file, extract folder or home is named")
        func missingInput() throws {
            try withTemporaryDirectory { scratch in
                let missing = FileIO.join(scratch, "missing")
                try expectFailure(
                    ["check", "--rules", missing], status: 66,
                    message: "rules folder '\(missing)' does not exist", in: scratch)
                try expectFailure(
                    ["cohorts", "--rules", Repository.rules, "--extract", missing + ".csv", "--as-of", "2026-11-23"],
                    status: 66, message: "\(missing).csv: no such file or folder", in: scratch)
                try expectFailure(
                    ["inspect", missing], status: 66, message: "\(missing): no such file or folder", in: scratch)
                try expectFailure(
                    ["schedule", "--home", missing, "--as-of", "2026-11-23"], status: 66,
                    message: "\(missing) is not an outreach home folder", in: scratch)
            }
        }
    }
}
