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
    /// Cohort ids, most urgent first: the CSV's `cohorts` column, which a returned list is matched on.
    public let cohorts: [String]
    /// The rule set's title of each cohort in `cohorts`, in the same order: what the printed list shows.
    public let cohortTitles: [String]
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
        cohorts: [String], cohortTitles: [String]? = nil, priority: Int, reasons: [String], talkAbout: [String],
        attempt: Int, kind: CallKind,
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
        self.cohortTitles = cohortTitles ?? cohorts
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

    /// The list as a self-contained page for the phone: printed on A4 it holds three or more calls a
    /// page, each call's block whole, every page headed with the worker, the day and "page N of M";
    /// on screen it reads the same. Every text is escaped.
    ///
    /// Each block: who to ring and their labelled numbers, how to confirm it is them, why they are
    /// on the list (cohort titles, not ids) and what to talk about, then a tick box for every
    /// outcome a worker can record (``printedOutcomes``; each box and its words one unit that never
    /// wraps apart) and ruled lines for the call-back date and notes.
    public static func html(_ rows: [CallListRow], workerName: String, worker: String, date: Day) -> String {
        let day = "\(date.weekday.fullName.capitalized) \(date.humanDescription)"
        let who = "\(workerName) (\(worker))"
        var html = """
            <!DOCTYPE html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <title>Call list — \(HTML.escape(workerName)) — \(date.humanDescription)</title>
            <style>
            @page {
              size: A4; margin: 13mm 12mm 10mm;
              @top-left { content: "Call list: \(cssString(who))"; font: 9pt Arial, Helvetica, sans-serif; }
              @top-right { content: "\(cssString(day)) · page " counter(page) " of " counter(pages); font: 9pt Arial, Helvetica, sans-serif; }
            }
            * { box-sizing: border-box; }
            body { font-family: Arial, Helvetica, "Liberation Sans", sans-serif; font-size: 10pt; line-height: 1.25; color: #000; max-width: 190mm; margin: 1em auto; padding: 0 0.5em; }
            h1 { font-size: 15pt; margin: 0; }
            h1 .summary { font-size: 10pt; font-weight: normal; margin-left: 3mm; }
            .how { font-size: 9pt; margin: 0.5mm 0 2mm; }
            .call { border: 1.5pt solid #000; border-radius: 4px; padding: 1.5mm 3mm 1mm; margin: 0 0 3mm; break-inside: avoid; page-break-inside: avoid; }
            .head { display: flex; flex-wrap: wrap; align-items: baseline; column-gap: 3mm; }
            .head h2 { font-size: 14pt; margin: 0; }
            .number { font-weight: bold; white-space: nowrap; }
            .band { font-weight: bold; text-transform: uppercase; font-size: 9pt; letter-spacing: 0.05em; white-space: nowrap; }
            .phones { margin-left: auto; font-size: 11.5pt; font-weight: bold; }
            .phone { white-space: nowrap; margin-left: 4mm; }
            dl { margin: 0; }
            dt { font-weight: bold; }
            dd { margin: 0; }
            .identity { display: flex; flex-wrap: wrap; column-gap: 1.5mm; margin: 0.5mm 0 1mm; }
            .identity dd { margin-right: 4mm; }
            .middle { display: flow-root; }
            .about div { margin: 0 0 0.3mm; }
            .about dt { display: inline; margin-right: 1.5mm; }
            .about dd { display: inline; }
            .outcomes { float: right; margin: 0.3mm 0 0.5mm 3mm; border-left: 1px solid #000; padding-left: 2.5mm; }
            .groups { display: grid; grid-template-columns: repeat(3, max-content); column-gap: 4mm; }
            .group { display: block; font-size: 8pt; font-style: italic; margin-bottom: 0.3mm; }
            .outcome { display: block; white-space: nowrap; margin-bottom: 0.7mm; }
            .box { display: inline-block; width: 3.6mm; height: 3.6mm; border: 1.2pt solid #000; vertical-align: -0.7mm; margin-right: 1.5mm; }
            .urgent { border: 2pt solid #000; padding: 0.5mm 1.5mm; margin-top: 0.3mm; }
            .urgent .outcome { display: inline; font-weight: bold; }
            .lines { margin-top: 1mm; }
            .line { border-bottom: 1px solid #000; height: 6mm; padding-top: 1.6mm; font-size: 9pt; }
            .line.first { display: flex; border-bottom: none; padding-top: 0; }
            .line.first span { border-bottom: 1px solid #000; padding-top: 1.6mm; }
            .line.first .when { width: 62mm; margin-right: 4mm; }
            .line.first span:last-child { flex: 1; }
            .item { float: right; font-size: 8.5pt; }
            @media print { body { max-width: none; margin: 0; padding: 0; } }
            </style>
            </head>
            <body>
            <h1>Call list for \(HTML.escape(workerName)) <span class="summary">\(HTML.escape(day)) · \(Formatting.count(rows.count, "call")) · worker id \(HTML.escape(worker))</span></h1>
            <p class="how">Tick one outcome for each call. <strong>Call back:</strong> write the day they asked for. <strong>Urgent concern:</strong> tell the duty clinician today; write what you heard.</p>

            """
        for (number, row) in rows.enumerated() {
            let phones = [(row.phoneMobile, "mobile"), (row.phoneHome, "home")].filter { !$0.0.isEmpty }
                .map { "<span class=\"phone\">\(HTML.escape($0.0)) (\($0.1))</span>" }
            var language = HTML.escape(row.preferredLanguage.isEmpty ? "not recorded" : row.preferredLanguage)
            if row.interpreterNeeded == true { language += " <strong>(interpreter needed)</strong>" }
            var attempt = row.attempt == 1 ? "first call" : "attempt \(row.attempt)"
            if row.kind == .promised { attempt += " — promised call-back" }
            if row.kind == .followUp { attempt += " — follow-up after support" }
            if let day = row.lastCalledOn {
                attempt += "; last call \(day.humanDescription)"
                if let outcome = row.lastOutcome { attempt += ", \(label(outcome))" }
                if let worker = row.lastWorker { attempt += ", by \(worker)" }
            }
            let born =
                row.dateOfBirth.map { "\($0.humanDescription) (age \(row.age.map(String.init) ?? "unknown"))" }
                ?? "not recorded"
            html += """
                <section class="call">
                <div class="head"><span class="number">\(number + 1) of \(rows.count)</span><h2>\(HTML.escape(row.name))</h2><span class="band">\(row.band.rawValue)</span><span class="phones">\(phones.isEmpty ? "no phone number on record" : phones.joined(separator: " "))</span></div>
                <dl class="identity"><dt>Date of birth</dt><dd>\(born)</dd><dt>NHS number</dt><dd>\(HTML.escape(NHSNumber.spaced(row.nhsNumber)))</dd><dt>Language</dt><dd>\(language)</dd><dt>Practice</dt><dd>\(HTML.escape(row.practice))</dd></dl>
                <div class="middle">
                \(outcomeBoxes)
                <dl class="about">
                <div><dt>Why</dt> <dd>\(HTML.escape(row.reasons.joined(separator: "; ")))</dd></div>
                <div><dt>Talk about</dt> <dd>\(HTML.escape(row.talkAbout.isEmpty ? "—" : row.talkAbout.joined(separator: "; ")))</dd></div>
                <div><dt>Cohorts</dt> <dd>\(HTML.escape(row.cohortTitles.joined(separator: "; "))) (priority \(row.priority))</dd></div>
                <div><dt>Call</dt> <dd>\(HTML.escape(attempt))</dd></div>
                </dl>
                </div>
                <div class="lines">
                <div class="line first"><span class="when">Call back on:</span><span>Notes (required for an urgent concern):</span></div>
                <div class="line"></div>
                <div class="line"></div>
                <div class="line"><span class="item">item \(HTML.escape(row.itemID))</span></div>
                </div>
                </section>

                """
        }
        html += "</body>\n</html>\n"
        return html
    }

    /// Every outcome a worker can record, in the order the list prints them (column by column):
    /// spoken to, not reached, the ones that stop or resume calls; `urgent_concern` last.
    public static let printedOutcomes = OutcomeCode.allCases.sorted { printPlace($0) < printPlace($1) }

    /// An outcome's column of boxes and its place in it (a switch, so a new outcome cannot be left
    /// off the list): 0 spoke to them, 1 not reached, 2 stop or resume calls, 3 urgent concern.
    private static func printPlace(_ code: OutcomeCode) -> (column: Int, row: Int) {
        switch code {
        case .reached: return (0, 0)
        case .reachedSupport: return (0, 1)
        case .callBack: return (0, 2)
        case .declined: return (0, 3)
        case .noAnswer: return (1, 0)
        case .voicemail: return (1, 1)
        case .wrongNumber: return (1, 2)
        case .deceased: return (2, 0)
        case .movedAway: return (2, 1)
        case .optedOut: return (2, 2)
        case .optedIn: return (2, 3)
        case .urgentConcern: return (3, 0)
        }
    }

    /// An outcome as the list prints it, and as a worker may type it back: `reached support`.
    static func label(_ code: OutcomeCode) -> String {
        code.rawValue.replacingAll("_", with: " ")
    }

    /// The tick boxes in three headed columns (spoke to them, not reached, stop or resume), each box with
    /// its words in one `outcome` unit that never wraps apart; then `urgent_concern`, boxed, with
    /// what to do.
    private static let outcomeBoxes: String = {
        func unit(_ code: OutcomeCode) -> String {
            "<span class=\"outcome\" data-outcome=\"\(code.rawValue)\"><span class=\"box\"></span>\(label(code))</span>"
        }
        let headings = ["spoke to them", "not reached", "stop or resume"]
        let columns = (0..<3).map { column in
            "<div><span class=\"group\">\(headings[column])</span>"
                + printedOutcomes.filter { printPlace($0).column == column }.map(unit).joined() + "</div>"
        }
        let urgent = printedOutcomes.filter { printPlace($0).column == 3 }.map(unit).joined()
        return "<div class=\"outcomes\"><div class=\"groups\">\(columns.joined())</div>"
            + "<div class=\"urgent\">\(urgent) — tell the duty clinician today</div></div>"
    }()

    /// Text for a CSS string in double quotes (the page's running header): anything but letters,
    /// digits, spaces and plain punctuation written as a hex escape, so no input can end the string
    /// or the style sheet.
    static func cssString(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            let plain =
                (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || " .,()-·—:".unicodeScalars.contains(scalar))
                && scalar.value >= 0x20
            if plain {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\" + String(scalar.value, radix: 16, uppercase: true) + " "
            }
        }
        return out
    }
}
