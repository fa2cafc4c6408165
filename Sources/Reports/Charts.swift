import Basics
import Planning

/// The report's four kinds of chart, each a ``ChartFigure`` drawn from the report's numbers.
enum Charts {
    static let width = ChartFigure.width

    // MARK: - Progress by cohort

    /// One stacked horizontal bar per cohort: its members by ``ProgressCategory``, as shares. Every
    /// segment carries its number: inside when it fits, else below the bar ("1 declined"), joined
    /// to its segment by a short leader.
    static func progress(_ report: ProgressReport) -> ChartFigure {
        let left = 236.0
        let right = 76.0
        let barHeight = 22.0
        let outsideRow = 18.0
        let swatches = ProgressCategory.allCases.map { Swatch.box(ChartFill.category($0), $0.description) }
        var svg = SVGWriter()
        Legend.draw(swatches, x: 24, y: 4, width: width - 28, into: &svg)
        let plotTop = 4 + Legend.height(swatches, width: width - 28) + 22
        let x = LinearScale(domain: (0, 100), range: (left, width - right))
        var rows: [(cohort: CohortProgress, lines: [String], segments: [BarSegment], top: Double, height: Double)] = []
        var y = plotTop
        for cohort in report.cohorts {
            let title = wrap(cohort.title, maxCharacters: 34, maxLines: 2)
            let target = cohort.callWithin.map { "call within \($0)" } ?? "no call within target"
            let lines = title + ["\(cohort.id) · \(target)"]
            let segments = BarSegment.stack(cohort, scale: x)
            let bar = barHeight + (segments.contains { !$0.labelInside } ? outsideRow : 0)
            let height = max(40, Double(lines.count) * 15 + 10, bar + 14)
            rows.append((cohort, lines, segments, y, height))
            y += height
        }
        let plotBottom = y
        for tick in stride(from: 0, through: 100, by: 20) {
            svg.line(x1: x(Double(tick)), y1: plotTop, x2: x(Double(tick)), y2: plotBottom, className: "grid")
        }
        svg.text("members", x: width - right + 8, y: plotTop - 6, className: "column-label")
        for row in rows {
            let outside = row.segments.filter { !$0.labelInside }
            let barTop = row.top + (row.height - barHeight - (outside.isEmpty ? 0 : outsideRow)) / 2
            let firstLine = row.top + (row.height - Double(row.lines.count) * 15) / 2 + 11
            for (index, line) in row.lines.enumerated() {
                svg.text(
                    line, x: left - 8, y: firstLine + Double(index) * 15, anchor: "end",
                    className: index == row.lines.count - 1 ? "label small" : "label strong")
            }
            svg.text(Formatting.grouped(row.cohort.members), x: width - right + 8, y: barTop + 16, className: "label")
            guard row.cohort.members > 0 else {
                svg.text("no members today", x: left + 6, y: barTop + 16, className: "label small")
                continue
            }
            for segment in row.segments {
                svg.fill(
                    x: segment.left, y: barTop, width: segment.width, height: barHeight,
                    with: ChartFill.category(segment.category), className: "bar segment")
                if segment.labelInside {
                    svg.text(
                        segment.label, x: segment.centre, y: barTop + 15, anchor: "middle", className: "direct-label")
                }
            }
            svg.rect(
                x: left, y: barTop, width: x(100) - left, height: barHeight, fill: "none", className: "bar-outline")
            let texts = outside.map { "\($0.label) \($0.category.description)" }
            let centres = spread(
                outside.map(\.centre), widths: texts.map { SVGWriter.textWidth($0, fontSize: 11) }, from: left,
                to: x(100), gap: 10)
            for (index, segment) in outside.enumerated() {
                let baseline = barTop + barHeight + 14
                svg.line(
                    x1: segment.centre, y1: barTop + barHeight, x2: centres[index], y2: baseline - 10,
                    className: "leader")
                svg.text(
                    texts[index], x: centres[index], y: baseline, anchor: "middle", className: "direct-label outside")
            }
        }
        percentAxis(x, y: plotBottom, label: "share of the cohort's members (%)", into: &svg)
        svg.verticalText("cohort", x: 12, y: (plotTop + plotBottom) / 2)

        let categories = ProgressCategory.allCases
        var table = HTMLTable(
            caption: "Members of each cohort by where they stand",
            header: [.text("cohort"), .number("members"), .number("called")]
                + categories.map { .number($0.description) })
        for cohort in report.cohorts {
            table.append(
                [
                    .markup(cohortLabel(cohort)), .number(Formatting.grouped(cohort.members)),
                    .number(Formatting.grouped(cohort.called)),
                ]
                    + categories.map { .number(Formatting.grouped(cohort.count($0))) })
        }
        let summary = report.cohorts.map { cohort in
            "\(cohort.title): \(Formatting.count(cohort.members, "member")), "
                + categories.map { "\(Formatting.grouped(cohort.count($0))) \($0.description)" }.joined(separator: ", ")
        }.joined(separator: "; ")
        return ChartFigure(
            id: "progress-chart", title: "Progress by cohort: members by where they stand",
            summary: "Stacked bars, one per cohort, each splitting the cohort's members by where they stand. " + summary
                + ".",
            width: width, height: plotBottom + 50, drawing: svg.markup,
            caption: "Each bar is one cohort's members today. Numbers on the bars are people (under the bar when "
                + "a segment is too narrow to hold its number); "
                + "<strong>overdue</strong> means not reached and past the cohort's <em>call within</em> target, counted from joining.",
            table: table.html, tableVisible: true)
    }

    /// Label centres for texts of `widths` wanted at `centres` (left to right) along a line from
    /// `from` to `to`: each as near its wish as it can be without overlapping the one before it
    /// (at least `gap` apart), pushed back left where they would run past the end.
    static func spread(_ centres: [Double], widths: [Double], from: Double, to: Double, gap: Double) -> [Double] {
        var starts = zip(centres, widths).map { $0 - $1 / 2 }
        var edge = from
        for index in starts.indices {
            starts[index] = max(starts[index], edge)
            edge = starts[index] + widths[index] + gap
        }
        edge = to
        for index in starts.indices.reversed() {
            starts[index] = min(starts[index], edge - widths[index])
            edge = starts[index] - gap
        }
        return starts.indices.map { starts[$0] + widths[$0] / 2 }
    }

    /// A cohort's title and id for a table cell.
    static func cohortLabel(_ cohort: CohortProgress) -> String {
        "\(HTML.escape(cohort.title)) <span class=\"id\">\(HTML.escape(cohort.id))</span>"
    }

    // MARK: - Burn-down

    /// People not yet called, day by day, with the forecast's line to its completion date.
    static func burnDown(_ report: ProgressReport) -> ChartFigure {
        let burn = report.burnDown
        let left = 68.0
        let right = 28.0
        var swatches = [Swatch.line("history-line", "not yet called (journal)")]
        if let completion = burn.completion {
            swatches.append(
                .line("forecast-line", "forecast: everyone who can be called, called by \(shortDate(completion))"))
        }
        if burn.floor > 0 { swatches.append(.line("floor-line", "floor: cannot be called")) }
        var svg = SVGWriter()
        Legend.draw(swatches, x: left, y: 4, width: width - left - right, into: &svg)
        let plotTop = 4 + Legend.height(swatches, width: width - left - right) + 26
        let plotBottom = plotTop + 250
        var end = burn.end
        if let completion = burn.completion, completion > end { end = completion }
        let first = burn.start == end ? burn.start.adding(days: -1) : burn.start
        let x = LinearScale(domain: (0, Double(max(1, end.days(since: first)))), range: (left, width - right))
        let dayX = { (day: Day) in x(Double(day.days(since: first))) }
        let ticks = Ticks.counts(upTo: max(burn.counts.max() ?? 0, burn.floor), steps: 5)
        let y = LinearScale(domain: (0, Double(ticks.last ?? 1)), range: (plotBottom, plotTop))

        for tick in ticks {
            svg.line(x1: left, y1: y(Double(tick)), x2: width - right, y2: y(Double(tick)), className: "grid")
            svg.text(
                Formatting.grouped(tick), x: left - 6, y: y(Double(tick)) + 4, anchor: "end", className: "tick-label")
        }
        dateAxis(from: first, to: end, scale: dayX, y: plotBottom, into: &svg)
        svg.text("date", x: (left + width - right) / 2, y: plotBottom + 40, anchor: "middle", className: "axis-label")
        svg.verticalText("people not yet called", x: 16, y: (plotTop + plotBottom) / 2)

        if burn.floor > 0 {
            svg.line(
                x1: left, y1: y(Double(burn.floor)), x2: width - right, y2: y(Double(burn.floor)),
                className: "floor-line")
            svg.text(
                "not yet called and cannot be: \(Formatting.grouped(burn.floor))", x: left + 6,
                y: y(Double(burn.floor)) - 5,
                className: "label small halo")
        }
        let asOfX = dayX(burn.end)
        svg.line(x1: asOfX, y1: plotTop - 4, x2: asOfX, y2: plotBottom, className: "marker-line")
        svg.text(
            "as of \(shortDate(burn.end))", x: asOfX, y: plotTop - 8,
            anchor: asOfX > width - right - 60 ? "end" : "middle", className: "label small")
        let points = burn.counts.enumerated().map { (dayX(burn.start.adding(days: $0.offset)), y(Double($0.element))) }
        svg.polyline(points, className: "history-line")
        if points.count == 1 { svg.circle(x: points[0].0, y: points[0].1, radius: 3, className: "history-point") }
        if let completion = burn.completion {
            let from = (asOfX, y(Double(burn.now)))
            let to = (dayX(completion), y(Double(burn.floor)))
            svg.polyline([from, to], className: "forecast-line")
            svg.circle(x: to.0, y: to.1, radius: 4, className: "forecast-point")
            svg.text(
                shortDate(completion), x: to.0, y: to.1 - 10, anchor: "middle", className: "label small halo")
        }

        var table = HTMLTable(
            caption: "People not yet called, by day", header: [.text("day"), .number("people not yet called")])
        for (offset, count) in burn.counts.enumerated() {
            table.append([.text(burn.start.adding(days: offset).humanDescription), .number(Formatting.grouped(count))])
        }
        let forecastText = ReportText.forecastLine(report)
        if let completion = burn.completion {
            table.append([.text("\(completion.humanDescription) (forecast)"), .number(Formatting.grouped(burn.floor))])
        }
        let summary =
            "A line of the people not yet called, from \(Formatting.grouped(burn.counts.first ?? 0)) on "
            + "\(burn.start.humanDescription) to \(Formatting.grouped(burn.now)) on \(burn.end.humanDescription). "
            + forecastText
        return ChartFigure(
            id: "burn-down-chart", title: "Burn-down: people not yet called",
            summary: summary, width: width, height: plotBottom + 52, drawing: svg.markup,
            caption: "People in a cohort with at least one membership not yet called, each day. "
                + HTML.escape(forecastText)
                + (burn.floor > 0
                    ? " The line cannot fall below the people not yet called who cannot be called at all (no usable "
                        + "phone, stopped, or nobody on the team serves them; see section 5)." : ""),
            table: table.html, tableVisible: false)
    }

    // MARK: - Reach (equity)

    /// Reach per group: called as a hatched bar, reached as a solid bar over it, with everyone's
    /// reach as a reference line.
    static func reach(
        _ rows: [ReachRow], overall: ReachRow, id: String, title: String, groupName: String,
        label: (ReachRow) -> String
    ) -> ChartFigure {
        let left = 150.0
        let right = 212.0
        let swatches = [
            Swatch.box(ChartFill.reached, "reached"),
            Swatch.box(ChartFill.called, "called, not reached"),
            Swatch.line("reference-line", "everyone reached"),
        ]
        var svg = SVGWriter()
        Legend.draw(swatches, x: left, y: 4, width: width - left - 8, into: &svg)
        let plotTop = 4 + Legend.height(swatches, width: width - left - 8) + 22
        let rowHeight = 26.0
        let plotBottom = plotTop + Double(rows.count) * rowHeight
        let x = LinearScale(domain: (0, 100), range: (left, width - right))
        for tick in stride(from: 0, through: 100, by: 20) {
            svg.line(x1: x(Double(tick)), y1: plotTop, x2: x(Double(tick)), y2: plotBottom, className: "grid")
        }
        for (index, row) in rows.enumerated() {
            let top = plotTop + Double(index) * rowHeight
            svg.text(label(row), x: left - 8, y: top + 17, anchor: "end", className: "label")
            guard row.people > 0 else {
                svg.text("no one in cohorts", x: left + 6, y: top + 17, className: "label small halo")
                continue
            }
            let called = 100 * Double(row.called) / Double(row.people)
            let reached = 100 * Double(row.reached) / Double(row.people)
            svg.fill(x: left, y: top + 5, width: x(reached) - left, height: 16, with: .reached, className: "bar")
            svg.fill(
                x: x(reached), y: top + 5, width: x(called) - x(reached), height: 16, with: .called, className: "bar")
            svg.rect(x: left, y: top + 5, width: x(100) - left, height: 16, fill: "none", className: "bar-outline")
            svg.text(
                "\(Formatting.percent(row.reached, row.people)) reached, \(Formatting.percent(row.called, row.people)) called, "
                    + "of \(Formatting.grouped(row.people))",
                x: x(100) + 8, y: top + 17, className: "label small")
        }
        if overall.people > 0 {
            let reference = x(100 * Double(overall.reached) / Double(overall.people))
            svg.line(x1: reference, y1: plotTop - 6, x2: reference, y2: plotBottom + 4, className: "reference-line")
            svg.text(
                "everyone: \(Formatting.percent(overall.reached, overall.people))", x: reference, y: plotTop - 9,
                anchor: "middle", className: "label small halo")
        }
        percentAxis(x, y: plotBottom, label: "share of people in cohorts (%)", into: &svg)
        svg.verticalText(groupName, x: 12, y: (plotTop + plotBottom) / 2)

        var table = HTMLTable(
            caption: "Reach by \(groupName)",
            header: [.text(groupName), .number("people"), .number("called"), .number("reached"), .number("reached %")])
        for row in rows + [overall] {
            table.append(
                [
                    .text(label(row)), .number(Formatting.grouped(row.people)), .number(Formatting.grouped(row.called)),
                    .number(Formatting.grouped(row.reached)), .number(Formatting.percent(row.reached, row.people)),
                ])
        }
        let summary = rows.filter { $0.people > 0 }.map {
            "\(label($0)): \(Formatting.percent($0.reached, $0.people)) reached of \(Formatting.grouped($0.people))"
        }.joined(separator: "; ")
        return ChartFigure(
            id: id, title: title,
            summary: "Bars of the share of people in cohorts called and reached, by \(groupName). \(summary).",
            width: width, height: plotBottom + 50, drawing: svg.markup,
            caption: "Solid: reached; hatched: called but not (yet) reached. The dashed line is everyone's reach.",
            table: table.html, tableVisible: true)
    }

    // MARK: - Calls per worker per day

    /// Small multiples, one row per worker: calls per published day as bars (with an outcome, not
    /// attempted, still out) against the worker's capacity that day.
    static func workers(_ report: ProgressReport) -> ChartFigure {
        let left = 64.0
        let right = 16.0
        let days = report.workerDays
        let swatches = [
            Swatch.box(ChartFill.withOutcome, "with an outcome"),
            Swatch.box(ChartFill.notAttempted, "not attempted or not returned: count below"),
            Swatch.box(ChartFill.awaiting, "out today"),
            Swatch.line("capacity-line", "capacity"),
        ]
        var svg = SVGWriter()
        Legend.draw(swatches, x: left, y: 4, width: width - left - right, into: &svg)
        let chartTop = 4 + Legend.height(swatches, width: width - left - right) + 10
        let panelHeight = 130.0
        let plotHeight = 72.0
        let slot = (width - left - right) / Double(max(1, days.count))
        let barWidth = min(26, slot * 0.64)
        let peak = report.workers.flatMap(\.days).map { max($0.published, $0.capacity) }.max() ?? 0
        let ticks = Ticks.counts(upTo: peak, steps: 2)
        let top = Double(ticks.last ?? 1)
        for (index, worker) in report.workers.enumerated() {
            let panelTop = chartTop + Double(index) * panelHeight
            let baseline = panelTop + 36 + plotHeight
            let y = LinearScale(domain: (0, top), range: (baseline, baseline - plotHeight))
            svg.text(
                "\(worker.name) (\(worker.id)): \(Formatting.count(worker.published, "call")), capacity \(Formatting.grouped(worker.capacity))",
                x: left, y: panelTop + 14, className: "label strong")
            for tick in ticks {
                svg.line(
                    x1: left, y1: y(Double(tick)), x2: width - right, y2: y(Double(tick)),
                    className: tick == 0 ? "axis" : "grid")
                svg.text(
                    Formatting.grouped(tick), x: left - 6, y: y(Double(tick)) + 4, anchor: "end",
                    className: "tick-label")
            }
            for (position, day) in worker.days.enumerated() {
                let centre = left + slot * (Double(position) + 0.5)
                let barLeft = centre - barWidth / 2
                // The capacity first, so a full bar's top segment (often the items not attempted)
                // is drawn over it, with the capacity showing either side.
                if day.capacity > 0 {
                    let capacityWidth = min(slot * 0.9, barWidth + 10)
                    svg.line(
                        x1: centre - capacityWidth / 2, y1: y(Double(day.capacity)), x2: centre + capacityWidth / 2,
                        y2: y(Double(day.capacity)), className: "capacity-line")
                }
                var base = 0
                for (count, fill) in [
                    (day.withOutcome, ChartFill.withOutcome), (day.notAttempted, ChartFill.notAttempted),
                    (day.awaiting, ChartFill.awaiting),
                ] where count > 0 {
                    svg.fill(
                        x: barLeft, y: y(Double(base + count)), width: barWidth,
                        height: y(Double(base)) - y(Double(base + count)), with: fill, className: "bar segment")
                    base += count
                }
                if day.published > 0, slot >= 16 {
                    svg.text(
                        Formatting.grouped(day.published), x: centre, y: y(Double(day.published)) - 3, anchor: "middle",
                        className: "tick-label halo")
                } else if day.published == 0, day.capacity == 0, slot >= 16 {
                    svg.text("off", x: centre, y: baseline - 4, anchor: "middle", className: "tick-label muted")
                }
                // Items not attempted are a sliver of the bar: their number goes under it.
                if day.notAttempted > 0, slot >= 9 {
                    svg.text(
                        Formatting.grouped(day.notAttempted), x: centre, y: baseline + 13, anchor: "middle",
                        className: "direct-label not-attempted-count")
                }
            }
        }
        let chartBottom = chartTop + Double(report.workers.count) * panelHeight
        var previousMonth = 0
        let labelEvery = slot >= 18 ? 1 : slot >= 9 ? 2 : 4
        for (position, day) in days.enumerated() where position % labelEvery == 0 {
            let centre = left + slot * (Double(position) + 0.5)
            svg.text(String(day.dayOfMonth), x: centre, y: chartBottom + 6, anchor: "middle", className: "tick-label")
            if day.month != previousMonth {
                svg.text(
                    Day.monthAbbreviations[day.month - 1], x: centre, y: chartBottom + 20, anchor: "middle",
                    className: "tick-label")
                previousMonth = day.month
            }
        }
        svg.text(
            "published day", x: (left + width - right) / 2, y: chartBottom + 38, anchor: "middle",
            className: "axis-label")
        svg.verticalText("calls per day", x: 14, y: (chartTop + chartBottom) / 2)

        var table = HTMLTable(
            caption: "Calls per worker per day: with an outcome / not attempted / on the list / capacity",
            header: [.text("worker")] + days.map { .number(shortDate($0)) })
        for worker in report.workers {
            table.append(
                [.text("\(worker.name) (\(worker.id))")]
                    + worker.days.map {
                        .number("\($0.withOutcome) / \($0.notAttempted) / \($0.published) / \($0.capacity)")
                    })
        }
        let summary = report.workers.map {
            "\($0.name): \(Formatting.count($0.published, "call")) against a capacity of \(Formatting.grouped($0.capacity)), "
                + "\(Formatting.grouped($0.notAttempted)) not attempted"
        }.joined(separator: "; ")
        let span =
            days.isEmpty
            ? "no published days yet"
            : "\(Formatting.count(days.count, "published day")) from \(days[0].humanDescription) to \(days[days.count - 1].humanDescription)"
        return ChartFigure(
            id: "workers-chart", title: "Calls per worker per day against capacity",
            summary: "Bars of calls per worker on each of \(span), with each day's capacity as a line. \(summary).",
            width: width, height: chartBottom + 50, drawing: svg.markup,
            caption: "One row per worker; each bar is a day's list and the black line the worker's capacity that day "
                + "(under the current rules); the number under a bar counts its items not attempted or not returned. "
                + "\(HTML.escape(span.prefix(1).uppercased() + span.dropFirst())).",
            table: table.html, tableVisible: false)
    }

    // MARK: - Axes

    /// A percentage axis along the bottom of a plot: ticks every 20%, and its label.
    static func percentAxis(_ x: LinearScale, y: Double, label: String, into svg: inout SVGWriter) {
        svg.line(x1: x(0), y1: y, x2: x(100), y2: y, className: "axis")
        for tick in stride(from: 0, through: 100, by: 20) {
            svg.line(x1: x(Double(tick)), y1: y, x2: x(Double(tick)), y2: y + 5, className: "axis")
            svg.text("\(tick)%", x: x(Double(tick)), y: y + 18, anchor: "middle", className: "tick-label")
        }
        svg.text(label, x: (x(0) + x(100)) / 2, y: y + 38, anchor: "middle", className: "axis-label")
    }

    /// A time axis along the bottom of a plot.
    static func dateAxis(from start: Day, to end: Day, scale: (Day) -> Double, y: Double, into svg: inout SVGWriter) {
        svg.line(x1: scale(start), y1: y, x2: scale(end), y2: y, className: "axis")
        for day in Ticks.days(from: start, to: end) {
            svg.line(x1: scale(day), y1: y, x2: scale(day), y2: y + 5, className: "axis")
            svg.text(shortDate(day), x: scale(day), y: y + 18, anchor: "middle", className: "tick-label")
        }
    }

    /// `20 Nov`.
    static func shortDate(_ day: Day) -> String {
        "\(day.dayOfMonth) \(Day.monthAbbreviations[day.month - 1])"
    }

    /// Words wrapped into lines of at most `maxCharacters`, at most `maxLines` (the last shortened with `…`).
    static func wrap(_ text: String, maxCharacters: Int, maxLines: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= maxCharacters {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        lines = lines.map { $0.count > maxCharacters ? String($0.prefix(maxCharacters - 1)) + "…" : $0 }
        if lines.count > maxLines {
            lines = Array(lines.prefix(maxLines))
            let last = lines[maxLines - 1]
            lines[maxLines - 1] = String(last.prefix(maxCharacters - 1)) + "…"
        }
        return lines
    }
}

/// One category's part of a cohort's stacked bar.
struct BarSegment: Equatable {
    let category: ProgressCategory
    let count: Int
    let left: Double
    let width: Double

    var centre: Double { left + width / 2 }
    var label: String { Formatting.grouped(count) }
    /// Whether the number fits inside the segment; if not, it goes below the bar.
    var labelInside: Bool { SVGWriter.textWidth(label, fontSize: 11) + 6 <= width }

    /// The cohort's non-empty categories in order, as shares of its members along `scale` (0–100).
    static func stack(_ cohort: CohortProgress, scale: LinearScale) -> [BarSegment] {
        guard cohort.members > 0 else { return [] }
        var start = 0.0
        var segments: [BarSegment] = []
        for category in ProgressCategory.allCases {
            let count = cohort.count(category)
            guard count > 0 else { continue }
            let share = 100 * Double(count) / Double(cohort.members)
            segments.append(
                BarSegment(
                    category: category, count: count, left: scale(start), width: scale(start + share) - scale(start)))
            start += share
        }
        return segments
    }
}
