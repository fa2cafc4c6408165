import Basics
import Cohorts
import Planning
import Population
import RuleLanguage

/// Letters for the people the telephone cannot reach, per practice: cohort members whose retries
/// are used up, who have no usable phone, or whose record says not to telephone them, when one of
/// their cohorts says `write when unreachable: yes` (or the policy does). Each person with an
/// address GOV.UK Notify accepts (``NotifyLetterAddress``) is a row of `PRACTICE-letters-DAY.csv`
/// in Notify's letter layout; everyone else is listed apart in `PRACTICE-letters-by-hand-DAY.csv`
/// with why, for the practice to post itself.
///
/// Nobody whose practice's extract is stale is written to: they may have died or moved since.
/// The list is everyone in those states on the day, not only those new since the last export.
public enum LetterExport {
    /// Notify's letter columns, then the NHS number and why, for the practice's own reference
    /// (Notify ignores columns its template does not use).
    public static let columns = [
        "address_line_1", "address_line_2", "address_line_3", "address_line_4", "address_line_5", "address_line_6",
        "postcode", "nhs_number", "why",
    ]
    public static let byHandColumns = ["nhs_number", "name", "address_as_held", "postcode", "why_not_sent", "why"]

    /// The files for `day` and the people left out by why. `statuses[i]` is the scheduling status
    /// of `cases[i]` on `day`; `patients[i]` its population index.
    public static func files(
        run: CohortRun, cases: [CaseInput], patients: [Int32], statuses: [CaseStatus], day: Day, policy: Policy,
        stalePractices: Set<String>
    ) -> (files: [ExportFile], left: ExportExclusions) {
        let population = run.population
        var letters: [String: [[String]]] = [:]
        var byHand: [String: [[String]]] = [:]
        var left = ExportExclusions()
        for (index, person) in cases.enumerated() {
            guard let why = reason(statuses[index]) else {
                left.note("not a letter: \(status(statuses[index]))", nhsNumber: person.nhsNumber)
                continue
            }
            guard person.writesWhenUnreachable(policy: policy) else {
                left.add("\(why), but no cohort of theirs says to write", nhsNumber: person.nhsNumber)
                continue
            }
            guard !stalePractices.contains(person.practice) else {
                left.add("\(why), but their practice's extract is stale", nhsNumber: person.nhsNumber)
                continue
            }
            let p = Int(patients[index])
            let name = population.name(of: p)
            let lines = population.addressLines(of: p)
            let postcode = population.postcodes[p]
            let nhs = NHSNumber.digits(person.nhsNumber)
            let checked: Result<NotifyLetterAddress, NotifyLetterAddress.Problem> =
                name.isEmpty
                ? .failure(.notEnoughLines)
                : NotifyLetterAddress.check(recipient: name, addressLines: lines, postcode: postcode)
            switch checked {
            case .success(let address):
                letters[person.practice, default: []].append(address.lines + [address.postcode, nhs, why])
            case .failure(let problem):
                let whyNot =
                    name.isEmpty
                    ? "no name in the extract" : lines.isEmpty ? "no address in the extract" : problem.rawValue
                byHand[person.practice, default: []].append([
                    nhs, name, lines.joined(separator: ", "), postcode ?? "", whyNot, why,
                ])
            }
        }
        var files: [ExportFile] = []
        for practice in Set(letters.keys).union(byHand.keys).sorted() {
            if let rows = letters[practice] {
                files.append(
                    ExportFile(
                        practice: practice, name: "\(practice)-letters-\(day).csv",
                        content: .csv([columns] + rows.sorted { $0[7] < $1[7] })))
            }
            if let rows = byHand[practice] {
                files.append(
                    ExportFile(
                        practice: practice, name: "\(practice)-letters-by-hand-\(day).csv",
                        content: .csv([byHandColumns] + rows.sorted { $0[0] < $1[0] })))
            }
        }
        return (files, left)
    }

    /// A status in words, for someone who gets no letter.
    static func status(_ status: CaseStatus) -> String {
        switch status {
        case .due: return "due a call"
        case .waiting(let call, let reason): return "\(reason.rawValue) (next call \(call.dueOn))"
        case .inactive(let reason): return reason.description
        }
    }

    /// Why the telephone cannot reach someone, or `nil` when it still can (or they are not to be contacted).
    static func reason(_ status: CaseStatus) -> String? {
        guard case .inactive(let reason) = status else { return nil }
        switch reason {
        case .unreachable(let since): return "unreachable by phone since \(since)"
        case .noUsablePhone: return "no usable phone number"
        case .wrongNumber: return "the number on record did not reach them"
        case .notByTelephone: return "not to be telephoned (their contact preference)"
        case .stopped, .declined, .done: return nil
        }
    }
}
