import Basics
import Cohorts
import Journal
import Planning
import Population
import RuleLanguage
import Vocabulary

/// The texts that tell people on a day's lists that the surgery will ring them.
///
/// First who is texted (``announcements(run:dayPlan:history:recordedOn:onListsToday:)``):
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

    /// The calls of `dayPlan` to announce by text, one per person (never someone told of that day
    /// already), and the people left out by why. `onListsToday` are the people on lists being
    /// published with the texts.
    public static func announcements(
        run: CohortRun, dayPlan: DayPlan, history: JournalHistory, recordedOn: Day, onListsToday: Set<UInt64> = []
    ) -> (announcements: [CallAnnounced], left: ExportExclusions) {
        var announcements: [CallAnnounced] = []
        var left = ExportExclusions()
        for call in dayPlan.calls {
            // Someone on today's lists, or on a list whose outcome is not back, may be reached
            // today; the next day keeps room for their retry, but no text tells them of it.
            if onListsToday.contains(call.nhsNumber) {
                left.add("on today's lists (room kept for a retry)", nhsNumber: call.nhsNumber)
                continue
            }
            if history.items(of: call.nhsNumber).contains(where: { history.status(of: $0.itemId) == .awaitingOutcome })
            {
                left.add("on a list whose outcome is not back yet", nhsNumber: call.nhsNumber)
                continue
            }
            if history.announcedCall(of: call.nhsNumber)?.day == dayPlan.day {
                // Told already (and that call kept as told): not texted twice.
                left.add("texted already for that day", nhsNumber: call.nhsNumber)
                continue
            }
            if let reason = reasonNotToText(call.nhsNumber, run: run, history: history, on: dayPlan.day) {
                left.add(reason, nhsNumber: call.nhsNumber)
                continue
            }
            announcements.append(
                CallAnnounced(
                    nhsNumber: call.nhsNumber, day: dayPlan.day, worker: call.worker, timeBand: call.band,
                    on: recordedOn))
        }
        return (announcements.sorted { $0.nhsNumber < $1.nhsNumber }, left)
    }

    /// Why a person must not be texted about a call on `day`, or `nil`: not in the population, dead
    /// or deregistered by then, a stop recorded (deceased, moved away, opted out), not to be
    /// telephoned or texted (the rules' `contact` block), no UK mobile, no first name.
    public static func reasonNotToText(_ nhsNumber: UInt64, run: CohortRun, history: JournalHistory, on day: Day)
        -> String?
    {
        let population = run.population
        guard let p = population.index(of: nhsNumber) else { return "no longer in their practice's extract" }
        if let died = population.datesOfDeath[p], died <= day { return "recorded as deceased" }
        if let left = population.deregisteredOn[p], left <= day { return "no longer registered" }
        let stops: Set<OutcomeCode> = [.deceased, .movedAway, .optedOut]
        if history.items(of: nhsNumber).contains(where: {
            history.effectiveOutcome(of: $0.itemId).map { stops.contains($0.outcome) } ?? false
        }) {
            return "not to be contacted (deceased, moved away or opted out recorded)"
        }
        let contact = run.contactNeeds(patient: Int32(p))
        if contact.notByTelephone { return "not to be telephoned" }
        if contact.noTexts { return "no texts (SMS declined, or another way of contact asked for)" }
        if ukMobile(population.mobilePhones[p]) == nil { return "no UK mobile number" }
        if firstName(population.givenNames[p]) == nil { return "no first name to greet" }
        return nil
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
