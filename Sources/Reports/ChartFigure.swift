import Basics
import Planning

/// One chart as the page shows it: an SVG with a title, a description and axis labels, then a
/// caption and a table of the same numbers (the text alternative, and what a printout keeps).
struct ChartFigure {
    /// Unique on the page; the SVG's title and description ids derive from it.
    let id: String
    let title: String
    /// One or two sentences saying what the chart shows, for screen readers (the SVG's `desc`).
    let summary: String
    let width: Double
    let height: Double
    /// The drawing, without the enclosing `svg` element.
    let drawing: String
    /// HTML for the caption (escaped by the caller).
    let caption: String
    /// The numbers: an HTML table (escaped by the caller).
    let table: String
    /// Whether the table is shown, or only read out by screen readers.
    let tableVisible: Bool

    static let width = 720.0

    var html: String {
        var html = "<figure class=\"chart-figure\" id=\"\(HTML.escape(id))\">\n<div class=\"chart-block\">\n"
        html += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" "
        html += "viewBox=\"0 0 \(SVGWriter.number(width)) \(SVGWriter.number(height))\" "
        html += "width=\"\(SVGWriter.number(width))\" height=\"\(SVGWriter.number(height))\" "
        html += "aria-labelledby=\"\(HTML.escape(id))-title \(HTML.escape(id))-desc\">\n"
        html += "<title id=\"\(HTML.escape(id))-title\">\(HTML.escape(title))</title>\n"
        html += "<desc id=\"\(HTML.escape(id))-desc\">\(HTML.escape(summary))</desc>\n"
        html += drawing
        html += "</svg>\n"
        html += "<figcaption>\(caption)</figcaption>\n</div>\n"
        html += "<div class=\"\(tableVisible ? "chart-data" : "chart-data visually-hidden")\">\n\(table)</div>\n"
        html += "</figure>\n"
        return html
    }
}

/// HTML tables for the report: a header row, cells escaped, numbers right-aligned.
struct HTMLTable {
    enum Cell {
        case text(String)
        case number(String)
        /// Text kept on one line (an NHS number).
        case unbroken(String)
        /// Markup already escaped.
        case markup(String)
    }

    let caption: String?
    let header: [Cell]
    /// Whether the table stays on one printed page (short tables), or may break across pages
    /// with its header repeated (the lists of people).
    let keepTogether: Bool
    var rows: [[Cell]] = []

    init(caption: String? = nil, header: [Cell], keepTogether: Bool = true) {
        self.caption = caption
        self.header = header
        self.keepTogether = keepTogether
    }

    mutating func append(_ row: [Cell]) {
        rows.append(row)
    }

    var html: String {
        var html = keepTogether ? "<table class=\"keep\">\n" : "<table>\n"
        if let caption { html += "<caption>\(HTML.escape(caption))</caption>\n" }
        html += "<thead><tr>" + header.map { cell("th", $0, scope: "col") }.joined() + "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr>"
            for (index, value) in row.enumerated() {
                html += index == 0 ? cell("th", value, scope: "row") : cell("td", value, scope: nil)
            }
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n"
        return html
    }

    private func cell(_ tag: String, _ cell: Cell, scope: String?) -> String {
        let scopeAttribute = scope.map { " scope=\"\($0)\"" } ?? ""
        switch cell {
        case .text(let text): return "<\(tag)\(scopeAttribute)>\(HTML.escape(text))</\(tag)>"
        case .number(let text): return "<\(tag)\(scopeAttribute) class=\"n\">\(HTML.escape(text))</\(tag)>"
        case .unbroken(let text): return "<\(tag)\(scopeAttribute) class=\"unbroken\">\(HTML.escape(text))</\(tag)>"
        case .markup(let markup): return "<\(tag)\(scopeAttribute)>\(markup)</\(tag)>"
        }
    }
}
