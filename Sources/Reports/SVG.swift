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

/// How a series is drawn: a fill (with a hatch, so the chart reads without colour) and its name.
struct Swatch {
    enum Shape {
        case box(ChartFill)
        case line(className: String)
    }

    let label: String
    let shape: Shape

    /// A filled box swatch.
    static func box(_ fill: ChartFill, _ label: String) -> Swatch {
        Swatch(label: label, shape: .box(fill))
    }

    /// A line swatch (for line charts and reference lines).
    static func line(_ className: String, _ label: String) -> Swatch {
        Swatch(label: label, shape: .line(className: className))
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
                case .box(let fill):
                    svg.fill(x: left, y: top + 3, width: 14, height: 14, with: fill, className: "swatch")
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

/// A fill every chart shares: a colour of a colour-blind-safe palette (Okabe and Ito) and, for
/// most, a hatch of a few straight strokes, so the charts read in greyscale and on paper too.
///
/// Drawn as a plain colour and a path of strokes clipped to the shape, never an SVG `pattern`:
/// Chromium prints every pattern-filled shape as a bitmap of the whole chart, which made the
/// printed report 8 MB; strokes print as a few hundred bytes of vector.
struct ChartFill: Equatable, Sendable {
    enum Hatch: Equatable, Sendable {
        case none
        /// `/` strokes.
        case forward
        /// `\` strokes.
        case backward
        /// Both diagonals.
        case cross
        case horizontal
        /// Short vertical dashes in rows: dots.
        case dots
    }

    /// Names the fill in the markup (`fill-reached`), so a reader or a test can tell fills apart.
    let name: String
    let colour: String
    var hatch = Hatch.none
    var ink = "#000000"
    var strokeWidth = 1.0
    /// The distance between strokes along the horizontal, in user units.
    var spacing = 8.0

    static func category(_ category: ProgressCategory) -> ChartFill {
        switch category {
        case .reached: return reached
        case .declined:
            return ChartFill(name: "declined", colour: "#bbbbbb", hatch: .forward, ink: "#333333", strokeWidth: 1.2)
        case .unreachable: return ChartFill(name: "unreachable", colour: "#e69f00", hatch: .cross)
        case .cannotCall:
            return ChartFill(name: "cannot-call", colour: "#f0e442", hatch: .dots, strokeWidth: 2.6, spacing: 8)
        case .inProgress:
            return ChartFill(
                name: "in-progress", colour: "#56b4e9", hatch: .horizontal, ink: "#0b3d5c", strokeWidth: 1.5)
        case .pending: return ChartFill(name: "pending", colour: "#ffffff")
        case .overdue:
            return ChartFill(name: "overdue", colour: "#d55e00", hatch: .backward, ink: "#ffffff", strokeWidth: 2)
        }
    }

    static let reached = ChartFill(name: "reached", colour: "#009e73")
    static let called = ChartFill(
        name: "called", colour: "#cde9f8", hatch: .forward, ink: "#0072b2", strokeWidth: 1.2)
    static let withOutcome = ChartFill(name: "with-outcome", colour: "#0072b2")
    /// Items left empty or not returned: pale vermillion under bold dark strokes, outlined in the
    /// same ink (`.chart .fill-not-attempted`), so even a one-call sliver on a bar shows.
    static let notAttempted = ChartFill(
        name: "not-attempted", colour: "#fbd0b4", hatch: .forward, ink: "#a33b00", strokeWidth: 1.6, spacing: 5)
    static let awaiting = ChartFill(name: "awaiting", colour: "#ffffff")

    /// The strokes of the hatch inside a rectangle, as path data (empty for a plain fill). Strokes
    /// lie on one grid for the whole chart, so neighbouring shapes' hatches line up.
    func hatchPath(x: Double, y: Double, width: Double, height: Double) -> String {
        let inset = min(strokeWidth / 2, width / 2, height / 2)
        let (x0, y0, x1, y1) = (x + inset, y + inset, x + width - inset, y + height - inset)
        guard x1 > x0, y1 > y0 else { return "" }
        var d = ""
        func segment(_ ax: Double, _ ay: Double, _ bx: Double, _ by: Double) {
            d += "M\(SVGWriter.number(ax)),\(SVGWriter.number(ay))L\(SVGWriter.number(bx)),\(SVGWriter.number(by))"
        }
        func forward() {
            // Lines x + y = c, one every `spacing` along the horizontal.
            var c = (((x0 + y0) / spacing).rounded(.up)) * spacing
            while c <= x1 + y1 {
                let a = max(x0, c - y1)
                let b = min(x1, c - y0)
                if b - a > 0.05 { segment(a, c - a, b, c - b) }
                c += spacing
            }
        }
        func backward() {
            // Lines x - y = c.
            var c = (((x0 - y1) / spacing).rounded(.up)) * spacing
            while c <= x1 - y0 {
                let a = max(x0, c + y0)
                let b = min(x1, c + y1)
                if b - a > 0.05 { segment(a, a - c, b, b - c) }
                c += spacing
            }
        }
        switch hatch {
        case .none: break
        case .forward: forward()
        case .backward: backward()
        case .cross:
            forward()
            backward()
        case .horizontal:
            var row = ((y0 - spacing / 2) / spacing).rounded(.up) * spacing + spacing / 2
            while row <= y1 {
                segment(x0, row, x1, row)
                row += spacing
            }
        case .dots:
            // A dash as long as the stroke is wide, with round-free butt ends: a square dot.
            var row = ((y0 - spacing / 2) / spacing).rounded(.up) * spacing + spacing / 2
            while row + strokeWidth / 2 <= y1 + 0.01 {
                var column = ((x0 + strokeWidth / 2) / spacing).rounded(.up) * spacing
                while column + strokeWidth / 2 <= x1 + 0.01 {
                    segment(column, row - strokeWidth / 2, column, row + strokeWidth / 2)
                    column += spacing
                }
                row += spacing
            }
        }
        return d
    }
}

extension SVGWriter {
    /// A rectangle in a ``ChartFill``: the colour, then its hatch strokes on top (clipped to it).
    mutating func fill(x: Double, y: Double, width: Double, height: Double, with fill: ChartFill, className: String) {
        rect(x: x, y: y, width: width, height: height, fill: fill.colour, className: "\(className) fill-\(fill.name)")
        let d = fill.hatchPath(x: x, y: y, width: max(0, width), height: max(0, height))
        guard !d.isEmpty else { return }
        element(
            "path",
            [
                "d": d, "stroke": fill.ink, "stroke-width": SVGWriter.number(fill.strokeWidth), "fill": "none",
                "class": "hatch",
            ])
    }
}
