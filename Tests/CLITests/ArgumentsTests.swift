import Testing

import Basics
@testable import CLI

private let spec = CommandSpec(
    name: "cohorts", summary: "Who is in which cohort.", usage: "cohorts --extract PATH...",
    examples: ["outreach cohorts --extract a.csv"],
    options: [
        .value("rules", "DIR", help: "The rules folder.", default: "./Rules"),
        .value("extract", "PATH", help: "Extract files.", several: true),
        .value("nhs", "NUMBER", help: "NHS number.", several: true),
        .value("as-of", "DATE", help: "Day."),
        .value("weeks", "N", help: "Weeks."),
        .value("answer-rate", "RATE", help: "Rate."),
        .value("format", "FORMAT", help: "Format."),
        .flag("once", help: "Once."),
    ])

@Suite struct ArgumentParserTests {
    @Test func parsesValuesSeveralValuesFlagsAndDefaults() throws {
        let parsed = try ArgumentParser.parse(
            ["--extract", "a.csv", "b.csv", "--once", "--as-of=2026-11-02", "--nhs", "999", "001", "0013"], for: spec)
        #expect(parsed.allValues("extract") == ["a.csv", "b.csv"])
        #expect(parsed.has("once"))
        #expect(try parsed.day("as-of") == Day(year: 2026, month: 11, day: 2))
        #expect(parsed.value("rules") == "./Rules")
        #expect(parsed.allValues("nhs").joined(separator: " ") == "999 001 0013")
    }

    @Test func unknownOptionSuggestsTheNearestOne() {
        #expect {
            try ArgumentParser.parse(["--extrat", "a.csv"], for: spec)
        } throws: { error in
            (error as? UsageError)?.message == "unknown option '--extrat'; did you mean '--extract'?"
        }
    }

    @Test func singleDashOptionsGetAHint() {
        #expect { try ArgumentParser.parse(["-once"], for: spec) } throws: { error in
            (error as? UsageError)?.message.contains("'--once'") == true
        }
    }

    @Test func missingValueAndUnexpectedArgument() {
        #expect { try ArgumentParser.parse(["--as-of"], for: spec) } throws: { error in
            (error as? UsageError)?.message == "--as-of needs a value (DATE)"
        }
        #expect { try ArgumentParser.parse(["stray"], for: spec) } throws: { error in
            (error as? UsageError)?.message == "unexpected argument 'stray'"
        }
        #expect { try ArgumentParser.parse(["--once=yes"], for: spec) } throws: { error in
            (error as? UsageError)?.message == "--once takes no value"
        }
    }

    @Test func typedValuesExplainWhatIsWrong() throws {
        let parsed = try ArgumentParser.parse(
            ["--as-of", "2026-02-30", "--weeks", "x", "--answer-rate", "60%", "--format", "tabel"], for: spec)
        #expect { try parsed.day("as-of") } throws: { error in
            (error as? UsageError)?.message == "--as-of needs a date written YYYY-MM-DD that exists, not '2026-02-30'"
        }
        #expect { try parsed.integer("weeks", in: 1...104) } throws: { error in
            (error as? UsageError)?.message == "--weeks needs a whole number from 1 to 104, not 'x'"
        }
        #expect(try parsed.number("answer-rate", in: 0...1) == 0.6)
        #expect { try parsed.choice("format", from: ["table", "csv", "json"]) } throws: { error in
            (error as? UsageError)?.message
                == "--format must be one of table, csv, json, not 'tabel'; did you mean 'table'?"
        }
    }

    @Test func helpShowsUsageOptionsDefaultsAndAnExample() {
        let help = spec.help
        #expect(help.contains("Usage: outreach cohorts --extract PATH..."))
        #expect(help.contains("--rules DIR"))
        #expect(help.contains("(default: ./Rules)"))
        #expect(help.contains("--extract PATH..."))
        #expect(help.contains("Example:\n  outreach cohorts --extract a.csv"))
        #expect(help.contains("--help"))
    }
}
