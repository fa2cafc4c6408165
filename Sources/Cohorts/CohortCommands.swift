import Basics
import Population
import RuleLanguage

/// The output formats of `outreach cohorts`.
public enum CohortOutputFormat: String, Sendable, CaseIterable {
    case table, csv, json
}

/// `outreach cohorts` and `outreach explain`: the library side of the commands.
public enum CohortCommands {
    /// Evaluates the rules over the extracts and renders the result.
    public static func cohorts(
        rulesDirectory: String, extracts: [String], asOf: Day, format: CohortOutputFormat, maxRejectRate: Double
    ) throws -> String {
        let ruleSet = try RuleSetLoader.checkedRuleSet(directory: rulesDirectory)
        let run = try CohortEngine.run(
            ruleSet, inputs: try ExtractReader.inputs(forPaths: extracts), asOf: asOf, maxRejectRate: maxRejectRate,
            cohortsOnly: true)
        switch format {
        case .table: return CohortReport.table(run)
        case .csv: return CohortReport.csv(run)
        case .json: return CohortReport.json(run)
        }
    }

    /// Explains one person, whose NHS number may be written with spaces or dashes.
    /// - Throws: `OutreachError` (65) for a number with a wrong check digit or one that is not in
    ///   the extracts (with a clear message), and whatever reading the rules and extracts throws.
    public static func explain(rulesDirectory: String, extracts: [String], nhs: String, asOf: Day) throws -> String {
        let number: NHSNumber
        switch NHSNumber.parse(nhs) {
        case .success(let parsed): number = parsed
        case .failure(let problem):
            throw OutreachError("NHS number '\(nhs)': \(problem.reason)", exitCode: .dataError)
        }
        let ruleSet = try RuleSetLoader.checkedRuleSet(directory: rulesDirectory)
        let run = try CohortEngine.run(
            ruleSet, inputs: try ExtractReader.inputs(forPaths: extracts), asOf: asOf, maxRejectRate: 1,
            witness: number.value)
        guard let explanation = try Explanation.explain(number.value, in: run) else {
            throw OutreachError(
                "NHS number \(NHSNumber.spaced(number.value)) is not in the extracts "
                    + "(\(Formatting.count(run.population.count, "patient")) read from "
                    + "\(Formatting.count(run.extract.files.count, "file"))); check the number and the files given",
                exitCode: .dataError)
        }
        return explanation.render()
    }
}
