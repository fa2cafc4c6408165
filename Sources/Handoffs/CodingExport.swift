import Basics
import Journal
import Population
import RuleLanguage
import Vocabulary

/// The outcomes of one day's calls that the practice should code in each person's record: per
/// practice, a CSV of the people with their NHS number, date of birth, names, the code, its term,
/// the day of the call and the worker, and one plain NHS-number list per code to paste into a
/// search or patient list (EMIS *Batch Add*, SystmOne *Add Read code* on a list of patients).
///
/// Only each person's own, effective outcome is coded (a later outcome for the same call
/// supersedes an earlier one), and only when the policy maps that outcome to a code; nothing is
/// coded cohort-wide. 871731000000106 (referral to social prescribing service) is never written:
/// national guidance keeps it for an accepted referral at the first interaction, never for an
/// outreach call (`check` warns when the rules map it).
public enum CodingExport {
    /// The national code for an accepted social prescribing referral: never an outreach outcome's.
    public static let referralCode = "871731000000106"

    public static let columns = [
        "nhs_number", "date_of_birth", "given_name", "family_name", "code", "term", "call_date", "outcome", "worker",
    ]

    /// The files for the calls of `day`, and the people left out by why.
    /// - Parameters:
    ///   - population: the current extracts, for names and dates of birth (and the practice each
    ///     person is registered with now, whose record is the one to code).
    ///   - workerNames: worker id → name, for the `worker` column (the id when not known).
    public static func files(
        day: Day, history: JournalHistory, population: Population, policy: Policy, workerNames: [String: String]
    ) -> (files: [ExportFile], left: ExportExclusions) {
        var rowsByPractice: [String: [[String]]] = [:]
        var listsByPracticeAndCode: [String: [String: [String]]] = [:]
        var left = ExportExclusions()
        for item in history.items(on: day) {
            guard let outcome = history.effectiveOutcome(of: item.itemId) else { continue }
            guard let coding = policy.coding(for: outcome.outcome) else {
                left.note(
                    "outcome \(outcome.outcome.rawValue) of item \(item.itemId): the policy gives it no code",
                    nhsNumber: item.nhsNumber)
                continue
            }
            guard coding.code != referralCode else {
                left.add(
                    "mapped to 871731000000106, which is never used for an outreach call", nhsNumber: item.nhsNumber)
                continue
            }
            guard let patient = population.index(of: item.nhsNumber) else {
                left.add("no longer in their practice's extract (code by hand)", nhsNumber: item.nhsNumber)
                continue
            }
            let practice = population.practice(of: patient)
            let nhs = NHSNumber.digits(item.nhsNumber)
            rowsByPractice[practice, default: []].append([
                nhs, population.datesOfBirth[patient]?.description ?? "", population.givenNames[patient] ?? "",
                population.familyNames[patient] ?? "", coding.code, coding.term, day.description,
                outcome.outcome.rawValue, workerNames[item.worker] ?? item.worker,
            ])
            listsByPracticeAndCode[practice, default: [:]][coding.code, default: []].append(nhs)
        }
        var files: [ExportFile] = []
        for practice in rowsByPractice.keys.sorted() {
            let rows = rowsByPractice[practice]!.sorted { ($0[4], $0[0]) < ($1[4], $1[0]) }
            files.append(
                ExportFile(practice: practice, name: "\(practice)-coding-\(day).csv", content: .csv([columns] + rows)))
            for (code, numbers) in listsByPracticeAndCode[practice]!.sorted(by: { $0.key < $1.key }) {
                files.append(
                    ExportFile(
                        practice: practice, name: "\(practice)-\(code)-nhs-numbers-\(day).txt",
                        content: .lines(Array(Set(numbers)).sorted())))
            }
        }
        return (files, left)
    }
}
