import Basics
import Cohorts
import Journal
import Planning
import Population
import RuleLanguage

/// The texts that tell people on a day's lists that the surgery will ring them.
///
/// First who is texted (``announcements(run:cases:patients:dayPlan:history:recordedOn:)``):
/// everyone planned for the day who has a usable UK mobile number, a first name to greet, no
/// "no texts" in the rules' `contact` block (SMS dissent, a "not by SMS" contact preference) and
/// no call whose outcome is not back yet. Each is recorded as ``CallAnnounced``, and the planner
/// keeps that call like a promise, with the worker and band the text names when it can. Then the
/// files, from the recorded announcements alone (``files(for:day:population:workers:)``), so
/// they can be written again, the same, from the journal.
///
/// - Accurx (`PRACTICE-accurx-DAY.csv`): `NHS Number`, `Date of Birth` (DD/MM/YYYY), `Telecom
///   Number` (SystmOne practices need it) and `First Name` for "Dear …". No email column: one
///   would make Accurx send email only. A batch sends one message to all, so its template names
///   the day; the worker and band are in the Notify file only.
/// - GOV.UK Notify (`PRACTICE-notify-DAY.csv`): `phone number`, then the placeholders
///   `first name`, `day` (`Tuesday 24 November`), `time band` (`morning`, `afternoon`) and
///   `worker` (the worker's first name).
public enum MessageExport {
    public static let accurxColumns = ["NHS Number", "Date of Birth", "Telecom Number", "First Name"]
    public static let notifyColumns = ["phone number", "first name", "day", "time band", "worker"]

    /// The calls of `dayPlan` to announce by text, one per person (including anyone already told
    /// of the same call), and the people left out by why. `patients[i]` is the population index
    /// of `cases[i]`; `onListsToday` are the people on lists being published with the texts.
    public static func announcements(
        run: CohortRun, cases: [CaseInput], patients: [Int32], dayPlan: DayPlan, history: JournalHistory,
        recordedOn: Day, onListsToday: Set<UInt64> = []
    ) -> (announcements: [CallAnnounced], left: ExportExclusions) {
        let population = run.population
        var announcements: [CallAnnounced] = []
        var left = ExportExclusions()
        for call in dayPlan.calls {
            let patient = patients[call.caseIndex]
            let p = Int(patient)
            // Someone on today's lists, or on a list whose outcome is not back, may be reached
            // today; the next day keeps room for their retry, but no text tells them of it.
            if onListsToday.contains(call.nhsNumber) {
                left.add("on today's lists (room kept for a retry)")
                continue
            }
            if history.items(of: call.nhsNumber).contains(where: { history.status(of: $0.itemId) == .awaitingOutcome })
            {
                left.add("on a list whose outcome is not back yet")
                continue
            }
            guard ukMobile(population.mobilePhones[p]) != nil else {
                left.add("no UK mobile number")
                continue
            }
            if run.contactNeeds(patient: patient).noTexts {
                left.add("no texts (SMS declined, or another way of contact asked for)")
                continue
            }
            guard firstName(population.givenNames[p]) != nil else {
                left.add("no first name to greet")
                continue
            }
            announcements.append(
                CallAnnounced(
                    nhsNumber: call.nhsNumber, day: dayPlan.day, worker: call.worker, timeBand: call.band,
                    on: recordedOn))
        }
        return (announcements.sorted { $0.nhsNumber < $1.nhsNumber }, left)
    }

    /// The Accurx and Notify files, per practice, for calls announced for `day`; someone no longer
    /// in the population, or whose number or name has gone, is left out.
    public static func files(for announcements: [CallAnnounced], day: Day, population: Population, workers: [Worker])
        -> [ExportFile]
    {
        let names = Dictionary(workers.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let dayText = "\(day.weekday.fullName.capitalized) \(day.dayOfMonth) \(monthNames[day.month - 1])"
        var accurx: [String: [[String]]] = [:]
        var notify: [String: [[String]]] = [:]
        for call in announcements where call.day == day {
            guard let p = population.index(of: call.nhsNumber), let mobile = ukMobile(population.mobilePhones[p]),
                let firstName = firstName(population.givenNames[p])
            else { continue }
            let practice = population.practice(of: p)
            accurx[practice, default: []].append([
                NHSNumber.digits(call.nhsNumber), population.datesOfBirth[p].map(ukDate) ?? "", mobile, firstName,
            ])
            let worker = (names[call.worker] ?? call.worker).split(separator: " ").first.map(String.init)
            notify[practice, default: []].append([
                mobile, firstName, dayText, call.timeBand.rawValue, worker ?? call.worker,
            ])
        }
        return accurx.keys.sorted().flatMap { practice in
            [
                ExportFile(
                    practice: practice, name: "\(practice)-accurx-\(day).csv",
                    content: .csv([accurxColumns] + accurx[practice]!.sorted { $0[0] < $1[0] })),
                ExportFile(
                    practice: practice, name: "\(practice)-notify-\(day).csv",
                    content: .csv([notifyColumns] + notify[practice]!.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) })),
            ]
        }
    }

    /// The first word of a given name, to greet.
    static func firstName(_ givenName: String?) -> String? {
        givenName?.split(separator: " ").first.map(String.init)
    }

    /// `07700 900123` → `07700900123` for a UK mobile (07 and 11 digits in all), else `nil`.
    static func ukMobile(_ number: String?) -> String? {
        guard let number else { return nil }
        let digits = number.filter { $0.isASCII && $0.isNumber }
        guard digits.count == 11, digits.hasPrefix("07"), digits.count == number.filter({ $0 != " " }).count else {
            return nil
        }
        return digits
    }

    /// `24/11/2026`, the date form UK clinical systems and Accurx read.
    static func ukDate(_ day: Day) -> String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(two(day.dayOfMonth))/\(two(day.month))/\(day.year)"
    }

    static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]
}
