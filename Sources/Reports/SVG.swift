import Basics
import Planning

/// Markup for an inline SVG chart, written by hand: every attribute escaped, every number
/// written the same way on every machine (one decimal at most), so reports are byte-identical.
struct SVGWriter {
    private(set) var markup = ""

    /// A number for a coordinate or a length: `12`, `12.5`, never `12.500000001`.
    static func number(_ value: Double) -> String {
        Formatting.number((value * 10).rounded() / 10)
    }

    mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        markup += "<\(name)\(SVGWriter.attributes(attributes))>"
    }

    mutating func close(_ name: String) {
        markup += "</\(name)>\n"
    }

    /// An element without content.
    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String>) {
        markup += "<\(name)\(SVGWriter.attributes(attributes))/>\n"
    }

    /// An element whose content is text (escaped here).
    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String>, text: String) {
        markup += "<\(name)\(SVGWriter.attributes(attributes))>\(HTML.escape(text))</\(name)>\n"
    }

    /// Markup written as it is: only for constant markup of this module, never for input text.
    mutating func raw(_ constant: String) {
        markup += constant
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, className: String = "bar") {
        element(
            "rect",
            [
                "x": SVGWriter.number(x), "y": SVGWriter.number(y), "width": SVGWriter.number(max(0, width)),
                "height": SVGWriter.number(max(0, height)), "fill": fill, "class": className,
            ])
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, className: String) {
        element(
            "line",
            [
                "x1": SVGWriter.number(x1), "y1": SVGWriter.number(y1), "x2": SVGWriter.number(x2),
                "y2": SVGWriter.number(y2), "class": className,
            ])
    }

    /// A text at a point; `anchor` is `start`, `middle` or `end`.
    mutating func text(_ content: String, x: Double, y: Double, anchor: String = "start", className: String = "label") {
        element(
            "text",
            ["x": SVGWriter.number(x), "y": SVGWriter.number(y), "text-anchor": anchor, "class": className],
            text: content)
    }

    /// A text turned a quarter anticlockwise about its point (a vertical axis's label).
    mutating func verticalText(_ content: String, x: Double, y: Double, className: String = "axis-label") {
        element(
            "text",
            [
                "x": SVGWriter.number(x), "y": SVGWriter.number(y), "text-anchor": "middle", "class": className,
                "transform": "rotate(-90 \(SVGWriter.number(x)) \(SVGWriter.number(y)))",
            ],
            text: content)
    }

    mutating func polyline(_ points: [(Double, Double)], className: String) {
        let list = points.map { "\(SVGWriter.number($0.0)),\(SVGWriter.number($0.1))" }.joined(separator: " ")
        element("polyline", ["points": list, "class": className])
    }

    mutating func circle(x: Double, y: Double, radius: Double, className: String) {
        element(
            "circle",
            ["cx": SVGWriter.number(x), "cy": SVGWriter.number(y), "r": SVGWriter.number(radius), "class": className])
    }

    private static func attributes(_ attributes: KeyValuePairs<String, String>) -> String {
        attributes.map { " \($0.key)=\"\(HTML.escape($0.value))\"" }.joined()
    }

    /// About how wide a text is at a font size, for layout (labels that fit, legends that wrap).
    /// Generous, so a label judged to fit does fit in the usual sans-serif fonts.
    static func textWidth(_ text: String, fontSize: Double) -> Double {
        Double(text.count) * fontSize * 0.6
    }
}

/// A linear map from data values to positions.
struct LinearScale {
    let domain: (Double, Double)
    let range: (Double, Double)

    func callAsFunction(_ value: Double) -> Double {
        let span = domain.1 - domain.0
        guard span != 0 else { return range.0 }
        return range.0 + (value - domain.0) / span * (range.1 - range.0)
    }
}

/// Round tick values for the report's axes.
enum Ticks {
    /// Whole-number ticks from 0 to at least `maximum`, about `steps` steps of 1, 2 or 5 times a
    /// power of ten, so the top tick is the axis's end.
    static func counts(upTo maximum: Int, steps: Int = 5) -> [Int] {
        let top = max(1, maximum)
        var magnitude = 1
        while true {
            for multiple in [1, 2, 5] {
                let step = multiple * magnitude
                if step * steps >= top {
                    let count = (top + step - 1) / step
                    return (0...count).map { $0 * step }
                }
            }
            magnitude *= 10
        }
    }

    /// Ticks for a time axis from `start` to `end`: every day, every other day, or weekly on
    /// Mondays (every 2, 4, 8… weeks for longer spans), at most about `maximum` of them.
    static func days(from start: Day, to end: Day, maximum: Int = 8) -> [Day] {
        let span = end.days(since: start)
        for step in [1, 2] where span / step < maximum {
            return stride(from: 0, through: span, by: step).map { start.adding(days: $0) }
        }
        var weeks = 1
        while span / (7 * weeks) >= maximum { weeks *= 2 }
        let firstMonday = start.adding(days: (8 - start.weekday.rawValue) % 7)
        return stride(from: 0, through: end.days(since: firstMonday), by: 7 * weeks).map {
            firstMonday.adding(days: $0)
        }
    }
}

/// How a series is drawn: a fill (a pattern, so the chart reads without colour) and its name.
struct Swatch {
    enum Shape {
        case box
        case line(className: String)
    }

    let fill: String
    let label: String
    var shape = Shape.box

    /// A filled box swatch using a pattern of ``ChartPatterns``.
    static func pattern(_ id: String, _ label: String) -> Swatch {
        Swatch(fill: "url(#\(id))", label: label)
    }

    /// A line swatch (for line charts and reference lines).
    static func line(_ className: String, _ label: String) -> Swatch {
        Swatch(fill: "none", label: label, shape: .line(className: className))
    }
}

/// Legends laid out in rows that wrap within a width.
enum Legend {
    static let fontSize = 12.0
    static let rowHeight = 20.0

    /// The height the legend needs.
    static func height(_ swatches: [Swatch], width: Double) -> Double {
        Double(rows(swatches, width: width).count) * rowHeight
    }

    /// Draws the legend with its top left corner at (`x`, `y`).
    static func draw(_ swatches: [Swatch], x: Double, y: Double, width: Double, into svg: inout SVGWriter) {
        svg.open("g", ["class": "legend"])
        for (row, items) in rows(swatches, width: width).enumerated() {
            var left = x
            let top = y + Double(row) * rowHeight
            for swatch in items {
                switch swatch.shape {
                case .box:
                    svg.rect(x: left, y: top + 3, width: 14, height: 14, fill: swatch.fill, className: "swatch")
                case .line(let className):
                    svg.line(x1: left, y1: top + 10, x2: left + 18, y2: top + 10, className: className)
                }
                svg.text(swatch.label, x: left + 22, y: top + 14, className: "legend-label")
                left += itemWidth(swatch)
            }
        }
        svg.close("g")
    }

    /// Swatch, gap, label and the space before the next item (labels measured a little tighter
    /// than ``SVGWriter/textWidth(_:fontSize:)``: a legend that runs long only wraps early).
    private static func itemWidth(_ swatch: Swatch) -> Double {
        22 + SVGWriter.textWidth(swatch.label, fontSize: fontSize) * 0.92 + 14
    }

    private static func rows(_ swatches: [Swatch], width: Double) -> [[Swatch]] {
        var rows: [[Swatch]] = [[]]
        var used = 0.0
        for swatch in swatches {
            let needed = itemWidth(swatch)
            if used + needed > width, !rows[rows.count - 1].isEmpty {
                rows.append([])
                used = 0
            }
            rows[rows.count - 1].append(swatch)
            used += needed
        }
        return rows
    }
}

/// The fills every chart shares, defined once per page: a colour-blind-safe palette (Okabe and
/// Ito) with a distinct texture for each, so the charts read in greyscale and on paper too.
enum ChartPatterns {
    static func fill(_ category: ProgressCategory) -> String { "url(#\(id(category)))" }

    static func id(_ category: ProgressCategory) -> String {
        switch category {
        case .reached: return "fill-reached"
        case .declined: return "fill-declined"
        case .unreachable: return "fill-unreachable"
        case .cannotCall: return "fill-cannot-call"
        case .inProgress: return "fill-in-progress"
        case .pending: return "fill-pending"
        case .overdue: return "fill-overdue"
        }
    }

    static let called = "fill-called"
    static let withOutcome = "fill-with-outcome"
    static let notAttempted = "fill-not-attempted"
    static let awaiting = "fill-awaiting"

    /// A hidden SVG holding the patterns (hidden by size, not `display: none`, which would
    /// switch the patterns off in some browsers).
    static var definitions: String {
        var svg = SVGWriter()
        svg.open(
            "svg",
            [
                "xmlns": "http://www.w3.org/2000/svg", "width": "0", "height": "0", "aria-hidden": "true",
                "class": "pattern-definitions", "focusable": "false",
            ])
        svg.open("defs")
        func pattern(_ id: String, background: String, _ marks: String) {
            svg.raw(
                "<pattern id=\"\(id)\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\">"
                    + "<rect width=\"8\" height=\"8\" fill=\"\(background)\"/>\(marks)</pattern>\n")
        }
        let diagonal = "M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4"
        let otherDiagonal = "M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4"
        pattern(id(.reached), background: "#009e73", "")
        pattern(
            id(.declined), background: "#bbbbbb", "<path d=\"\(diagonal)\" stroke=\"#333333\" stroke-width=\"1.2\"/>")
        pattern(
            id(.unreachable), background: "#e69f00",
            "<path d=\"\(diagonal) \(otherDiagonal)\" stroke=\"#000000\" stroke-width=\"1\"/>")
        pattern(id(.cannotCall), background: "#f0e442", "<circle cx=\"4\" cy=\"4\" r=\"1.6\" fill=\"#000000\"/>")
        pattern(id(.inProgress), background: "#56b4e9", "<path d=\"M0,4 h8\" stroke=\"#0b3d5c\" stroke-width=\"1.5\"/>")
        pattern(id(.pending), background: "#ffffff", "")
        pattern(
            id(.overdue), background: "#d55e00", "<path d=\"\(otherDiagonal)\" stroke=\"#ffffff\" stroke-width=\"2\"/>")
        pattern(called, background: "#cde9f8", "<path d=\"\(diagonal)\" stroke=\"#0072b2\" stroke-width=\"1.2\"/>")
        pattern(withOutcome, background: "#0072b2", "")
        pattern(notAttempted, background: "#ffffff", "<path d=\"\(diagonal)\" stroke=\"#d55e00\" stroke-width=\"2\"/>")
        pattern(awaiting, background: "#ffffff", "")
        svg.close("defs")
        svg.close("svg")
        return svg.markup
    }
}
