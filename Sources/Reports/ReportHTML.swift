import Basics
import Planning
import Population

/// The report as one self-contained HTML page: inline CSS and SVG, no scripts, no external
/// assets, so it opens from a file, prints on A4 and can be archived as it is.
///
/// The page is also well-formed XML (every element closed, attributes quoted, no named entities
/// but XML's own), so a strict parser reads it; every text from the rules, the extracts or the
/// journal is escaped.
///
/// - Important: the page names people (the cannot-call and unreachable lists): patient data for
///   the PCN lead, written 0600.
public enum ReportHTML {
    /// The whole page.
    public static func page(_ report: ProgressReport) -> String {
        var title = "Outreach progress report"
        if let team = report.teamName { title += " — \(team)" }
        title += " — \(report.asOf.humanDescription)"
        var html = """
            <!DOCTYPE html>
            <html lang="en-GB" xmlns="http://www.w3.org/1999/xhtml">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <meta name="robots" content="noindex"/>
            <title>\(HTML.escape(title))</title>
            <style>
            \(stylesheet)</style>
            </head>
            <body>
            <main>

            """
        html += header(report)
        html += safetySection(report)
        html += keyFigures(report)
        html += progressSection(report)
        html += burnDownSection(report)
        html += equitySection(report)
        html += workersSection(report)
        html += cannotCallSection(report)
        html += unreachableSection(report)
        html += definitionsSection(report)
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    // MARK: - Sections

    static func header(_ report: ProgressReport) -> String {
        var meta: [String] = []
        if let team = report.teamName { meta.append(HTML.escape(team)) }
        meta.append(
            "as of <strong>\(HTML.escape(report.asOf.weekday.fullName.capitalized)) \(report.asOf.humanDescription)</strong>"
        )
        meta.append("rules version \(HTML.escape(report.ruleVersion))")
        return """
            <header>
            <h1>Outreach progress report</h1>
            <p class="meta">\(meta.joined(separator: " · "))</p>
            <p class="notice"><strong>Patient data.</strong> Sections 5 and 6 name people with their NHS numbers, \
            for the letters and escalations they need. Keep this report within the PCN; do not email or print it \
            for anyone who does not need it.</p>
            </header>

            """
    }

    static func keyFigures(_ report: ProgressReport) -> String {
        let people = report.people
        let completion: (String, String)
        switch report.completion {
        case .done: completion = ("done", "all who can be called")
        case .by(let day): completion = (day.humanDescription, "forecast, first calls")
        case .beyondHorizon(let end): completion = ("after \(end.humanDescription)", "beyond the forecast")
        case .nobodyCallable: completion = ("—", "nobody can be called")
        }
        let figures: [(String, String, String)] = [
            (
                Formatting.grouped(people.inCohorts), "people in cohorts",
                "in \(Formatting.count(report.cohorts.count, "cohort"))"
            ),
            (
                Formatting.percent(people.called, people.inCohorts), "called",
                "\(Formatting.grouped(people.called)) people"
            ),
            (
                Formatting.percent(people.reached, people.inCohorts), "reached",
                "\(Formatting.grouped(people.reached)) people"
            ),
            (Formatting.grouped(people.overdue), "overdue", "past a call within target"),
            (completion.0, "everyone called by", completion.1),
            (Formatting.grouped(report.noPhone.count), "no usable phone", "write or escalate"),
            (Formatting.grouped(report.unreachable.count), "unreachable", "retries used up"),
        ]
        var html = "<section class=\"figures\" aria-label=\"Key figures\">\n<dl>\n"
        for (value, name, detail) in figures {
            html +=
                "<div class=\"figure\"><dt>\(HTML.escape(name))</dt><dd><span class=\"value\">\(HTML.escape(value))</span>"
            html += "<span class=\"detail\">\(HTML.escape(detail))</span></dd></div>\n"
        }
        return html + "</dl>\n</section>\n"
    }

    static func progressSection(_ report: ProgressReport) -> String {
        var html = "<section id=\"progress\">\n<h2>1. Progress by cohort</h2>\n"
        html += "<p>\(HTML.escape(ReportText.peopleLine(report)))</p>\n"
        html += Charts.progress(report).html
        var targets = HTMLTable(
            caption: "Targets, forecast and escalation",
            header: [
                .text("cohort"), .text("priority"), .text("call within"), .text("everyone called by (forecast)"),
                .text("when unreachable"),
            ])
        for cohort in report.cohorts {
            let outlook = report.forecast.cohorts.first { $0.id == cohort.id }
            targets.append([
                .markup(Charts.cohortLabel(cohort)), .number(String(cohort.priority)),
                .text(cohort.callWithin?.description ?? "—"),
                .text(outlook.map { forecastText($0, report.forecast) } ?? "—"),
                .text(cohort.whenUnreachable),
            ])
        }
        html += "<div class=\"table-block\">\n" + targets.html + "</div>\n"
        return html + "</section>\n"
    }

    /// A cohort's forecast in words.
    static func forecastText(_ outlook: Forecast.CohortOutlook, _ forecast: Forecast) -> String {
        if outlook.members == outlook.cannotCall { return "nobody can be called" }
        guard let day = outlook.everyoneCalledBy else {
            return
                "after \(forecast.end.humanDescription) (\(Formatting.percent(outlook.calledByEnd, outlook.members - outlook.cannotCall)) by then)"
        }
        return day < forecast.start ? "done (last first call \(day.humanDescription))" : day.humanDescription
    }

    static func burnDownSection(_ report: ProgressReport) -> String {
        "<section id=\"burn-down\">\n<h2>2. Burn-down</h2>\n" + Charts.burnDown(report).html + "</section>\n"
    }

    static func equitySection(_ report: ProgressReport) -> String {
        var html = "<section id=\"equity\">\n<h2>3. Equity: reach by deprivation and by practice</h2>\n"
        html += "<p class=\"headline\">\(HTML.escape(ReportText.equityLine(report.equity)))</p>\n"
        let equity = report.equity
        html +=
            Charts.reach(
                equity.deciles, overall: equity.overall, id: "decile-chart",
                title: "Reach by IMD decile (1 most deprived, 10 least)", groupName: "IMD decile"
            ) { row in
                switch row.label {
                case "1": return "1 (most deprived)"
                case "10": return "10 (least deprived)"
                default: return row.label
                }
            }.html
        html +=
            Charts.reach(
                equity.practices, overall: equity.overall, id: "practice-chart", title: "Reach by practice",
                groupName: "practice"
            ) { $0.label }.html
        return html + "</section>\n"
    }

    static func workersSection(_ report: ProgressReport) -> String {
        var html = "<section id=\"workers\">\n<h2>4. Calls per worker per day</h2>\n"
        html += Charts.workers(report).html
        var totals = HTMLTable(
            caption: report.workerDays.count < report.publishedDayCount
                ? "Totals over the last \(report.workerDays.count) published days" : "Totals over the published days",
            header: [
                .text("worker"), .number("calls on lists"), .number("capacity"), .number("use of capacity"),
                .number("not attempted"),
            ])
        for worker in report.workers {
            totals.append([
                .text("\(worker.name) (\(worker.id))"), .number(Formatting.grouped(worker.published)),
                .number(Formatting.grouped(worker.capacity)),
                .number(Formatting.percent(worker.published, worker.capacity)),
                .number(Formatting.grouped(worker.notAttempted)),
            ])
        }
        html += "<div class=\"table-block\">\n" + totals.html + "</div>\n"
        let counts = report.notAttempted
        html += "<p>Items flagged <strong>not attempted</strong> (back in the queue, not counted as attempts): "
        html += "\(Formatting.grouped(counts.returnedEmpty)) returned with the outcome left empty, "
        html += "\(Formatting.grouped(counts.notReturned)) not returned by the next morning"
        if counts.overdueReturns > 0 { html += ", \(Formatting.grouped(counts.overdueReturns)) not returned yet" }
        html += "; of \(Formatting.count(counts.published, "item")) published in all"
        if counts.outToday > 0 { html += " (\(Formatting.grouped(counts.outToday)) out today)" }
        html += ".</p>\n"
        return html + "</section>\n"
    }

    /// Urgent concerns still open and practices not called from, before anything else: both need
    /// someone to act today. Nothing when there is neither.
    static func safetySection(_ report: ProgressReport) -> String {
        guard !report.escalations.isEmpty || !report.staleExtracts.isEmpty else { return "" }
        var html = "<section id=\"act-now\" class=\"patient-data\">\n<h2>Act now</h2>\n"
        if !report.escalations.isEmpty {
            html +=
                "<h3>Urgent concerns for the duty clinician (\(Formatting.grouped(report.escalations.count)))</h3>\n"
            html += "<p class=\"warning\">A worker heard something on these calls that a clinician must act on. The "
            html += "worker's notes are in <code>outbox/escalations/</code>; fill in <code>handled_by</code> there and "
            html += "return the file through <code>inbox/outcomes/</code> once each is dealt with.</p>\n"
            html += "<table>\n<thead><tr><th>raised</th><th>name</th><th>NHS number</th><th>practice</th>"
            html += "<th>worker</th><th>item</th></tr></thead>\n<tbody>\n"
            for escalation in report.escalations {
                html += "<tr><td>\(escalation.raisedOn.humanDescription)</td>"
                html +=
                    "<td>\(HTML.escape(escalation.name.isEmpty ? "(not in the current extract)" : escalation.name))</td>"
                html += "<td>\(HTML.escape(NHSNumber.spaced(escalation.nhsNumber)))</td>"
                html += "<td>\(HTML.escape(escalation.practice))</td><td>\(HTML.escape(escalation.worker))</td>"
                html += "<td>\(HTML.escape(escalation.itemId))</td></tr>\n"
            }
            html += "</tbody>\n</table>\n"
        }
        if !report.staleExtracts.isEmpty {
            html +=
                "<h3>Practices not called from: stale extracts (\(Formatting.grouped(report.staleExtracts.count)))</h3>\n"
            html +=
                "<p class=\"warning\">Extracts go stale after \(HTML.escape(report.staleAfter.description)): people "
            html +=
                "who have died, moved or left since would still be rung, so these practices' patients are not put on "
            html += "lists until a fresh extract arrives.</p>\n<ul>\n"
            for stale in report.staleExtracts { html += "<li>\(HTML.escape(stale.description))</li>\n" }
            html += "</ul>\n"
        }
        return html + "</section>\n"
    }

    static func cannotCallSection(_ report: ProgressReport) -> String {
        var html = "<section id=\"cannot-call\" class=\"patient-data\">\n<h2>5. Cannot call</h2>\n"
        html += "<h3>No usable phone: write or escalate (\(Formatting.grouped(report.noPhone.count)))</h3>\n"
        html +=
            "<p>Members not yet reached who cannot be called: no usable phone number, or a wrong number and no newer "
        html +=
            "one. The action is what their cohorts say to do when someone cannot be reached (<em>when unreachable</em>).</p>\n"
        html += peopleTable(report.noPhone, extra: nil)
        html += "<h3>Not to be contacted (\(Formatting.grouped(report.doNotContact.count)))</h3>\n"
        html += "<p>Still in a cohort by the latest extract, but recorded as deceased, moved away or opted out.</p>\n"
        html += peopleTable(report.doNotContact, extra: nil)
        for (reason, count) in report.noWorker {
            html += "<p class=\"warning\">Nobody on the team can call \(Formatting.count(count, "person", "people")): "
            html += "\(HTML.escape(reason)). Change the team's practices or skills in the rules.</p>\n"
        }
        return html + "</section>\n"
    }

    static func unreachableSection(_ report: ProgressReport) -> String {
        var html = "<section id=\"unreachable\" class=\"patient-data\">\n"
        html += "<h2>6. Unreachable (\(Formatting.grouped(report.unreachable.count)))</h2>\n"
        html += "<p>Members whose retries are used up without reaching them, grouped by what their cohorts say to do "
        html += "(<em>when unreachable</em>).</p>\n"
        if report.unreachable.isEmpty { return html + "<p class=\"empty\">Nobody.</p>\n</section>\n" }
        var groups: [(action: String, people: [ListedPerson])] = []
        for person in report.unreachable {
            if groups.last?.action == person.action {
                groups[groups.count - 1].people.append(person)
            } else {
                groups.append((person.action, [person]))
            }
        }
        for group in groups {
            html += "<h3>\(HTML.escape(group.action)) (\(Formatting.grouped(group.people.count)))</h3>\n"
            html += peopleTable(group.people, extra: "unanswered calls")
        }
        return html + "</section>\n"
    }

    static func definitionsSection(_ report: ProgressReport) -> String {
        let answerRate = Formatting.fixed(report.forecast.answerRate * 100, 0)
        let definitions: [(String, String)] = [
            (
                "member",
                "someone in a cohort today. Their current spell in the cohort starts the day the journal says "
                    + "they last joined it."
            ),
            (
                "called",
                "at least one attempt with an outcome in the current spell. A list item left empty or not "
                    + "returned was not attempted."
            ),
            ("reached", "the latest conversation in the spell was reached, reached_support or call_back."),
            ("declined", "the latest conversation in the spell was declined."),
            (
                "unreachable",
                "not spoken to, and the retries of the latest episode are used up (the policy's or the "
                    + "cohort's retry rule)."
            ),
            (
                "cannot call",
                "not spoken to, and cannot be called now: no usable phone number, a wrong number with no "
                    + "newer one, or stopped (deceased, moved away, opted out)."
            ),
            ("in progress", "called but not yet spoken to, with retries left, and not overdue."),
            ("pending", "not yet called, and not overdue."),
            (
                "overdue",
                "not yet reached (and none of the above) and past the cohort's call within target, counted "
                    + "from joining."
            ),
            (
                "forecast",
                "the planner run forward day by day with the team's capacity, assuming \(answerRate)% of calls "
                    + "are answered; everyone called by is the day the last person who can be called has had a first call."
            ),
            (
                "IMD decile",
                "the Index of Multiple Deprivation decile of the person's area: 1 is the most deprived tenth "
                    + "of England, 10 the least."
            ),
        ]
        var html =
            "<section id=\"definitions\">\n<h2>How to read this report</h2>\n<p>Every member of a cohort is in exactly one of "
        html +=
            "reached, declined, unreachable, cannot call, in progress, pending and overdue, so each cohort's figures add up to its members. "
        html +=
            "People in several cohorts count once in each; the people figures count them once.</p>\n<dl class=\"definitions\">\n"
        for (term, meaning) in definitions {
            html += "<dt>\(HTML.escape(term))</dt><dd>\(HTML.escape(meaning))</dd>\n"
        }
        return html + "</dl>\n</section>\n"
    }

    /// A table of named people: patient data.
    static func peopleTable(_ people: [ListedPerson], extra: String?) -> String {
        guard !people.isEmpty else { return "<p class=\"empty\">Nobody.</p>\n" }
        var header: [HTMLTable.Cell] = [
            .text("name"), .text("NHS number"), .text("practice"), .text("cohorts"), .text("reason"),
        ]
        if extra != nil { header += [.text("last attempt")] } else { header += [.text("action")] }
        var table = HTMLTable(header: header, keepTogether: false)
        for person in people {
            var row: [HTMLTable.Cell] = [
                .text(person.name), .unbroken(NHSNumber.spaced(person.nhsNumber)), .text(person.practice),
                .text(person.cohorts.joined(separator: ", ")), .text(person.reason),
            ]
            if extra != nil {
                row.append(.text(person.lastAttempt?.humanDescription ?? "—"))
            } else {
                row.append(.text(person.action))
            }
            table.append(row)
        }
        return "<div class=\"table-block\">\n" + table.html + "</div>\n"
    }

    // MARK: - Style

    /// Screen and print: a readable column on a laptop, A4 pages on paper, charts never split.
    static let stylesheet = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #f4f4f1; color: #1a1a1a; font-size: 16px; line-height: 1.45;
          font-family: "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; }
        main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 2rem 3rem; background: #ffffff; }
        h1 { font-size: 1.8rem; margin: 0 0 0.25rem; }
        h2 { font-size: 1.35rem; margin: 2rem 0 0.6rem; padding-top: 0.6rem; border-top: 2px solid #1a1a1a; }
        h3 { font-size: 1.1rem; margin: 1.2rem 0 0.4rem; }
        p { margin: 0.4rem 0 0.8rem; max-width: 48rem; }
        .meta { color: #444444; margin-top: 0; }
        .notice { border-left: 5px solid #d55e00; background: #fff4ec; padding: 0.5rem 0.8rem; max-width: none; }
        .warning { border-left: 5px solid #e69f00; padding: 0.3rem 0.8rem; }
        .headline { font-weight: bold; }
        .empty { color: #444444; font-style: italic; }
        .figures dl { display: grid; grid-template-columns: repeat(auto-fit, minmax(7rem, 1fr)); gap: 0.6rem; margin: 1rem 0; }
        .figure { border: 1px solid #bbbbbb; border-radius: 6px; padding: 0.5rem 0.7rem;
          break-inside: avoid; page-break-inside: avoid; }
        .figure dt { font-size: 0.85rem; color: #444444; }
        .figure dd { margin: 0; }
        .figure .value { display: block; font-size: 1.5rem; font-weight: bold; line-height: 1.2; }
        .figure .detail { display: block; font-size: 0.8rem; color: #444444; }
        figure { margin: 1rem 0 1.5rem; }
        .chart-block { break-inside: avoid; page-break-inside: avoid; }
        figcaption { font-size: 0.9rem; color: #333333; margin: 0.3rem 0 0.5rem; }
        svg.chart { display: block; width: 100%; height: auto; }
        .chart text { font-family: inherit; fill: #1a1a1a; }
        .chart .label { font-size: 12px; }
        .chart .small { font-size: 11px; }
        .chart .strong { font-weight: bold; }
        .chart .tick-label { font-size: 11px; fill: #333333; }
        .chart .muted { fill: #777777; }
        .chart .axis-label, .chart .column-label { font-size: 12px; font-weight: bold; }
        .chart .legend-label { font-size: 12px; }
        .chart .direct-label { font-size: 11px; font-weight: bold; fill: #000000;
          paint-order: stroke; stroke: #ffffff; stroke-width: 3px; stroke-linejoin: round; }
        .chart .halo { paint-order: stroke; stroke: #ffffff; stroke-width: 4px; stroke-linejoin: round; }
        .chart .grid { stroke: #dddddd; stroke-width: 1; }
        .chart .axis { stroke: #1a1a1a; stroke-width: 1; }
        .chart .segment, .chart .swatch { stroke: #1a1a1a; stroke-width: 0.75; }
        .chart .fill-not-attempted { stroke: #a33b00; stroke-width: 1.5; }
        .chart .not-attempted-count { fill: #a33b00; }
        .chart .leader { stroke: #1a1a1a; stroke-width: 0.75; }
        .chart .bar-outline { fill: none; stroke: #1a1a1a; stroke-width: 1; }
        .chart .history-line { fill: none; stroke: #0072b2; stroke-width: 2.5; }
        .chart .history-point { fill: #0072b2; }
        .chart .forecast-line { fill: none; stroke: #d55e00; stroke-width: 2.5; stroke-dasharray: 8 5; }
        .chart .forecast-point { fill: #ffffff; stroke: #d55e00; stroke-width: 2.5; }
        .chart .floor-line { stroke: #1a1a1a; stroke-width: 1.5; stroke-dasharray: 2 3; }
        .chart .marker-line { stroke: #777777; stroke-width: 1; stroke-dasharray: 3 3; }
        .chart .reference-line { stroke: #1a1a1a; stroke-width: 2; stroke-dasharray: 6 3; }
        .chart .capacity-line { stroke: #000000; stroke-width: 2.5; }
        table { border-collapse: collapse; width: 100%; font-size: 0.85rem; margin: 0.4rem 0 1rem; }
        caption { text-align: left; font-weight: bold; padding: 0.2rem 0; }
        th, td { text-align: left; vertical-align: top; padding: 0.25rem 0.45rem; border-bottom: 1px solid #cccccc; }
        thead th { border-bottom: 2px solid #1a1a1a; }
        tbody th { font-weight: normal; min-width: 11rem; }
        table.keep { break-inside: avoid; page-break-inside: avoid; }
        .n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .id { color: #555555; font-size: 0.85em; white-space: nowrap; }
        .table-block { overflow-x: auto; }
        tr { break-inside: avoid; page-break-inside: avoid; }
        .definitions { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; }
        .definitions dt { font-weight: bold; }
        .definitions dd { margin: 0; }
        .unbroken { white-space: nowrap; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
          clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
        @page { size: A4; margin: 14mm 12mm 16mm; }
        @media print {
          body { background: #ffffff; font-size: 10.5pt; }
          main { max-width: none; padding: 0; }
          h2 { break-after: avoid; page-break-after: avoid; }
          h3 { break-after: avoid; page-break-after: avoid; }
          thead { display: table-header-group; }
          .table-block { overflow: visible; }
          #cannot-call { break-before: page; page-break-before: always; }
        }

        """
}
