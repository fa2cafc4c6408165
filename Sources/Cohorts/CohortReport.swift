import Basics
import Population
import RuleLanguage

/// The `outreach cohorts` output: a table for people, CSV and JSON for machines.
public enum CohortReport {
    /// One row per membership: `nhs_number,practice,cohort,priority`, sorted by cohort in priority
    /// order, then NHS number (the spec's command-line contract).
    public static func csv(_ run: CohortRun) -> String {
        var writer = CSVWriter(lineEnd: "\n", neutraliseFormulas: true)
        writer.append(["nhs_number", "practice", "cohort", "priority"])
        let population = run.population
        // An ICB's run has a few hundred thousand rows, so the cells many rows share (a practice's
        // code, a cohort's id and priority) are escaped once, and each row is only bytes appended.
        // An NHS number is digits, which need no escaping.
        let practices = population.practices.map { Array(CSVWriter.escape($0).utf8) }
        var bytes = Array(writer.output.utf8)
        for result in run.results {
            let members = result.members.sorted { population.nhsNumbers[Int($0)] < population.nhsNumbers[Int($1)] }
            let rowEnd = Array(
                ("," + CSVWriter.escape(result.cohort.id) + "," + CSVWriter.escape(String(result.cohort.priority))
                    + "\n")
                    .utf8)
            for patient in members {
                appendDigits(population.nhsNumbers[Int(patient)], to: &bytes)
                bytes.append(UInt8(ascii: ","))
                bytes.append(contentsOf: practices[Int(population.practiceIndex[Int(patient)])])
                bytes.append(contentsOf: rowEnd)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends an NHS number's digits, ten at least, as ``NHSNumber/digits(_:)`` writes them.
    static func appendDigits(_ number: UInt64, to bytes: inout [UInt8]) {
        guard number < 10_000_000_000 else {
            bytes.append(contentsOf: NHSNumber.digits(number).utf8)
            return
        }
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 10))
        var rest = number
        var index = bytes.count - 1
        while rest > 0 {
            bytes[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            index -= 1
        }
    }

    /// The human summary: cohorts with members and unknowns, overlaps, codelist matches, rejects.
    public static func table(_ run: CohortRun) -> String {
        let population = run.population
        var out = "Cohorts as of \(run.asOf): \(Formatting.count(population.count, "patient")) in "
        out += "\(Formatting.count(population.practices.count, "practice")), "
        out += "\(Formatting.grouped(run.eligible)) alive and registered\n\n"

        var cohorts = TextTable(
            header: ["cohort", "title", "priority", "members", "unknown only"],
            alignments: [.left, .left, .right, .right, .right])
        for result in run.results {
            cohorts.append([
                result.cohort.id, result.cohort.title, String(result.cohort.priority),
                Formatting.grouped(result.members.count), Formatting.grouped(result.unknownOnly),
            ])
        }
        out += cohorts.render() + "\n"
        out += "'unknown only': left out only because a value was missing (see 'outreach explain').\n\n"

        if run.results.count > 1 {
            let overlaps = run.overlaps()
            var table = TextTable(
                header: ["in both"] + run.results.map(\.cohort.id),
                alignments: [.left] + run.results.map { _ in .right })
            for (index, result) in run.results.enumerated() {
                table.append([result.cohort.id] + overlaps[index].map(Formatting.grouped))
            }
            out += "Overlaps (people in both cohorts; one call covers all of a person's cohorts):\n"
            out += table.render(indent: "  ") + "\n\n"
        }

        var codelists = TextTable(
            header: ["codelist", "codes", "events matched", ""], alignments: [.left, .right, .right, .left])
        for match in run.codelistMatches {
            codelists.append([
                match.name, Formatting.grouped(match.codes), Formatting.grouped(match.events),
                match.events == 0 ? "warning: matched no events; is it in the coding system the extracts use?" : "",
            ])
        }
        out += codelists.render() + "\n\n"
        for field in run.missingFields {
            out += "warning: field '\(field)' is in no extract file: every value is unknown\n"
        }
        if !run.fieldProblems.isEmpty {
            out +=
                "warning: \(Formatting.count(run.fieldProblems.count, "field value")) did not parse and count as unknown\n"
        }
        out += extractSummary(run) + "\n"
        return out
    }

    /// The summary as JSON (stable keys and order), for scripts and dashboards.
    public static func json(_ run: CohortRun) -> String {
        let overlaps = run.overlaps()
        let value: JSONValue = .object([
            ("format", "outreach-cohorts/1"),
            ("as_of", .string(run.asOf.description)),
            ("patients", .int(run.population.count)),
            ("eligible", .int(run.eligible)),
            ("practices", .array(run.population.practices.map { .string($0) })),
            ("events", .int(run.scan.total.events)),
            ("events_for_unknown_patients", .int(run.scan.total.unknownPatients)),
            (
                "cohorts",
                .array(
                    run.results.enumerated().map { index, result in
                        .object([
                            ("id", .string(result.cohort.id)), ("title", .string(result.cohort.title)),
                            ("priority", .int(result.cohort.priority)), ("members", .int(result.members.count)),
                            ("unknown_only", .int(result.unknownOnly)),
                            (
                                "overlaps",
                                .object(
                                    run.results.enumerated().map { other, peer in
                                        (peer.cohort.id, .int(overlaps[index][other]))
                                    })
                            ),
                        ])
                    })
            ),
            (
                "codelists",
                .array(
                    run.codelistMatches.map { match in
                        .object([
                            ("name", .string(match.name)), ("codes", .int(match.codes)), ("events", .int(match.events)),
                        ])
                    })
            ),
            ("missing_fields", .array(run.missingFields.map { .string($0) })),
            ("problems", .int(run.extract.rejects.entries.count + run.scan.total.rejects.entries.count)),
        ])
        return value.rendered() + "\n"
    }

    /// One line on what the extract held and how much was rejected.
    static func extractSummary(_ run: CohortRun) -> String {
        let rejected = run.extract.rejects.entries.count + run.scan.total.rejects.entries.count
        var line = "Extract: \(Formatting.count(run.extract.files.count, "file")), "
        line +=
            "\(Formatting.count(run.population.count, "patient")), \(Formatting.count(run.scan.total.events, "event"))"
        if run.scan.total.unknownPatients > 0 {
            line += " (\(Formatting.grouped(run.scan.total.unknownPatients)) for unknown patients)"
        }
        line += ", \(Formatting.count(rejected, "problem")) reported"
        if rejected > 0 { line += " (see 'outreach inspect PATH... --rejects FILE')" }
        return line
    }
}
