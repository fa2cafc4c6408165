import Basics
import Journal
import Population
import RuleLanguage
import Vocabulary

/// One row of a published call list: the planned call plus what the worker needs to make it.
public struct CallListRow: Hashable, Sendable {
    public let itemID: String
    public let date: Day
    public let worker: String
    public let band: TimeBand
    public let practice: String
    public let nhsNumber: UInt64
    public let name: String
    public let age: Int?
    /// Shown so the worker can confirm identity on the phone by name and date of birth.
    public let dateOfBirth: Day?
    public let phoneMobile: String
    public let phoneHome: String
    public let preferredLanguage: String
    public let interpreterNeeded: Bool?
    /// Cohort ids, most urgent first.
    public let cohorts: [String]
    public let priority: Int
    /// Why they are on the list: each cohort's reason.
    public let reasons: [String]
    /// Prompts for the call: each cohort's `talk about`.
    public let talkAbout: [String]
    public let attempt: Int
    public let kind: CallKind
    public let lastOutcome: OutcomeCode?
    public let lastCalledOn: Day?
    public let lastWorker: String?

    public init(
        itemID: String, date: Day, worker: String, band: TimeBand, practice: String, nhsNumber: UInt64, name: String,
        age: Int?, dateOfBirth: Day?, phoneMobile: String, phoneHome: String, preferredLanguage: String,
        interpreterNeeded: Bool?,
        cohorts: [String], priority: Int, reasons: [String], talkAbout: [String], attempt: Int, kind: CallKind,
        lastOutcome: OutcomeCode?, lastCalledOn: Day?, lastWorker: String?
    ) {
        self.itemID = itemID
        self.date = date
        self.worker = worker
        self.band = band
        self.practice = practice
        self.nhsNumber = nhsNumber
        self.name = name
        self.age = age
        self.dateOfBirth = dateOfBirth
        self.phoneMobile = phoneMobile
        self.phoneHome = phoneHome
        self.preferredLanguage = preferredLanguage
        self.interpreterNeeded = interpreterNeeded
        self.cohorts = cohorts
        self.priority = priority
        self.reasons = reasons
        self.talkAbout = talkAbout
        self.attempt = attempt
        self.kind = kind
        self.lastOutcome = lastOutcome
        self.lastCalledOn = lastCalledOn
        self.lastWorker = lastWorker
    }
}

/// Writes a worker's list for a day: the CSV that opens in Excel and doubles as the return form,
/// and the printable HTML page.
public enum CallListFormat {
    /// The CSV columns, in the order scheduling.md fixes.
    public static let columns = [
        "item_id", "date", "worker", "time_band", "practice", "nhs_number", "name", "age", "date_of_birth",
        "phone_mobile",
        "phone_home", "preferred_language", "interpreter_needed", "cohorts", "priority", "reason", "talk_about",
        "attempt", "last_outcome", "last_called_on", "last_worker", "outcome", "call_back_on", "notes",
    ]

    /// The list as CSV: UTF-8 with a byte-order mark, CRLF line ends, formulas neutralised.
    public static func csv(_ rows: [CallListRow]) -> String {
        var writer = CSVWriter(lineEnd: "\r\n", neutraliseFormulas: true, byteOrderMark: true)
        writer.append(columns)
        for row in rows { writer.append(cells(row)) }
        return writer.output
    }

    /// One row's cells in column order, with `outcome`, `call_back_on` and `notes` empty for the worker.
    public static func cells(_ row: CallListRow) -> [String] {
        [
            row.itemID, row.date.description, row.worker, row.band.rawValue, row.practice,
            NHSNumber.digits(row.nhsNumber),
            row.name, row.age.map(String.init) ?? "", row.dateOfBirth?.description ?? "", row.phoneMobile,
            row.phoneHome, row.preferredLanguage,
            row.interpreterNeeded.map { $0 ? "yes" : "no" } ?? "", row.cohorts.joined(separator: "; "),
            String(row.priority), row.reasons.joined(separator: "; "), row.talkAbout.joined(separator: "; "),
            String(row.attempt), row.lastOutcome?.rawValue ?? "", row.lastCalledOn?.description ?? "",
            row.lastWorker ?? "", "", "", "",
        ]
    }

    /// The list as a self-contained printable page: one block per call, large type, every text escaped.
    public static func html(_ rows: [CallListRow], workerName: String, worker: String, date: Day) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <title>Call list — \(HTML.escape(workerName)) — \(date.humanDescription)</title>
            <style>
            body { font-family: Arial, Helvetica, sans-serif; font-size: 14pt; line-height: 1.35; margin: 1.5em; color: #000; }
            h1 { font-size: 20pt; margin: 0 0 0.2em; }
            .summary { margin: 0 0 1em; }
            .call { border: 2px solid #000; border-radius: 6px; padding: 0.6em 0.8em; margin: 0 0 0.8em; page-break-inside: avoid; break-inside: avoid; }
            .call h2 { font-size: 16pt; margin: 0 0 0.3em; }
            .band { font-weight: bold; text-transform: uppercase; font-size: 11pt; letter-spacing: 0.05em; }
            dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.1em 1em; margin: 0.3em 0; }
            dt { font-weight: bold; }
            dd { margin: 0; }
            .record { border-top: 1px dashed #000; margin-top: 0.5em; padding-top: 0.4em; font-size: 12pt; }
            .box { display: inline-block; width: 0.9em; height: 0.9em; border: 1px solid #000; vertical-align: middle; margin: 0 0.2em 0 0.6em; }
            @page { size: A4; margin: 15mm; }
            @media print { body { margin: 0; } }
            </style>
            </head>
            <body>
            <h1>Call list for \(HTML.escape(workerName))</h1>
            <p class="summary">\(HTML.escape(date.weekday.fullName.capitalized)) \(date.humanDescription) · \(Formatting.count(rows.count, "call")) · worker id \(HTML.escape(worker))</p>

            """
        for (number, row) in rows.enumerated() {
            let phones = [(row.phoneMobile, "mobile"), (row.phoneHome, "home")].filter { !$0.0.isEmpty }
                .map { "\($0.0) (\($0.1))" }.joined(separator: " or ")
            var language = row.preferredLanguage.isEmpty ? "not recorded" : row.preferredLanguage
            if row.interpreterNeeded == true { language += " (interpreter needed)" }
            var attempt = row.attempt == 1 ? "first call" : "attempt \(row.attempt)"
            if row.kind == .promised { attempt += " — promised call-back" }
            if row.kind == .followUp { attempt += " — follow-up after support" }
            var last = "none"
            if let day = row.lastCalledOn {
                last = "\(day.humanDescription)"
                if let outcome = row.lastOutcome { last += ", \(outcome.rawValue.replacingAll("_", with: " "))" }
                if let worker = row.lastWorker { last += ", by \(worker)" }
            }
            html += """
                <section class="call">
                <h2>\(number + 1). \(HTML.escape(row.name)) <span class="band">\(row.band.rawValue)</span></h2>
                <dl>
                <dt>Phone</dt><dd>\(HTML.escape(phones.isEmpty ? "none" : phones))</dd>
                <dt>Date of birth</dt><dd>\(row.dateOfBirth.map { "\($0.humanDescription) (age \(row.age.map(String.init) ?? "unknown"))" } ?? "not recorded")</dd>
                <dt>NHS number</dt><dd>\(HTML.escape(NHSNumber.spaced(row.nhsNumber)))</dd>
                <dt>Practice</dt><dd>\(HTML.escape(row.practice))</dd>
                <dt>Language</dt><dd>\(HTML.escape(language))</dd>
                <dt>Why</dt><dd>\(HTML.escape(row.reasons.joined(separator: "; ")))</dd>
                <dt>Talk about</dt><dd>\(HTML.escape(row.talkAbout.isEmpty ? "—" : row.talkAbout.joined(separator: "; ")))</dd>
                <dt>Cohorts</dt><dd>\(HTML.escape(row.cohorts.joined(separator: ", "))) (priority \(row.priority))</dd>
                <dt>Call</dt><dd>\(HTML.escape(attempt))</dd>
                <dt>Last call</dt><dd>\(HTML.escape(last))</dd>
                <dt>Item</dt><dd>\(HTML.escape(row.itemID))</dd>
                </dl>
                <div class="record">Outcome:\(outcomeBoxes)<br>Call back on: ______________ Notes: ____________________________________</div>
                </section>

                """
        }
        html += "</body>\n</html>\n"
        return html
    }

    private static let outcomeBoxes: String = [
        "reached", "reached support", "declined", "no answer", "voicemail", "call back", "wrong number",
        "urgent concern (notes required; tell the duty clinician now)",
    ].map { "<span class=\"box\"></span>\($0)" }.joined(separator: " ")
}
