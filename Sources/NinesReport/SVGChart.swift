import Foundation

/// Self-contained SVG charts for reports: no script, no external style or font, a `<title>`
/// and labelled axes, readable in a browser, on GitHub and in a document.
public enum SVGChart {
    /// One series of points.
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public init(name: String, points: [(x: Double, y: Double)]) {
            self.name = name
            self.points = points
        }
    }

    /// A labelled point of a scatter chart.
    public struct Mark: Sendable {
        public var label: String
        public var x: Double
        public var y: Double
        /// Drawn filled and joined to the others so marked (the Pareto front).
        public var highlighted: Bool
        public init(label: String, x: Double, y: Double, highlighted: Bool) {
            self.label = label
            self.x = x
            self.y = y
            self.highlighted = highlighted
        }
    }

    static let width = 720.0, height = 440.0
    static let left = 84.0, right = 24.0, top = 52.0, bottom = 64.0
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

    /// An axis: linear or base-10 logarithmic, with its range and ticks.
    struct Axis {
        var low: Double
        var high: Double
        var log: Bool

        init(values: [Double], log: Bool, includeZero: Bool = false) {
            let finite = values.filter { $0.isFinite && (!log || $0 > 0) }
            var low = finite.min() ?? (log ? 1 : 0)
            var high = finite.max() ?? (log ? 10 : 1)
            if log {
                low = Foundation.pow(10, Foundation.floor(Foundation.log10(low)))
                high = Foundation.pow(10, Foundation.ceil(Foundation.log10(high)))
                if high <= low { high = low * 10 }
            } else {
                if includeZero { low = min(low, 0) }
                if high <= low { high = low + 1 }
                let step = Axis.niceStep((high - low) / 5)
                low = Foundation.floor(low / step) * step
                high = Foundation.ceil(high / step) * step
            }
            self.low = low
            self.high = high
            self.log = log
        }

        static func niceStep(_ raw: Double) -> Double {
            guard raw > 0, raw.isFinite else { return 1 }
            let magnitude = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
            let fraction = raw / magnitude
            return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude
        }

        /// Position in [0, 1].
        func unit(_ value: Double) -> Double {
            if log {
                let v = max(value, low)
                return (Foundation.log10(v) - Foundation.log10(low)) / (Foundation.log10(high) - Foundation.log10(low))
            }
            return (value - low) / (high - low)
        }

        var ticks: [Double] {
            if log {
                var ticks: [Double] = []
                var t = low
                let decades = Int((Foundation.log10(high) - Foundation.log10(low)).rounded())
                let stride = max(1, decades / 8)
                var i = 0
                while t <= high * 1.0001 {
                    if i % stride == 0 { ticks.append(t) }
                    t *= 10
                    i += 1
                }
                return ticks
            }
            let step = Axis.niceStep((high - low) / 5)
            var ticks: [Double] = []
            var t = low
            while t <= high + step * 1e-9 {
                ticks.append(t)
                t += step
            }
            return ticks
        }
    }

    /// Lines (step functions for exceedance curves) of one or more series, with an optional
    /// vertical reference line (an SLA budget).
    public static func lines(title: String, subtitle: String? = nil, xLabel: String, yLabel: String, series: [Series],
                             logX: Bool, logY: Bool, step: Bool = true, reference: (x: Double, label: String)? = nil) -> String {
        let xs = series.flatMap { $0.points.map(\.x) } + (reference.map { [$0.x] } ?? [])
        let ys = series.flatMap { $0.points.map(\.y) }
        let xAxis = Axis(values: xs, log: logX, includeZero: !logX)
        let yAxis = Axis(values: ys, log: logY, includeZero: !logY)
        var body = frame(title: title, subtitle: subtitle, xLabel: xLabel, yLabel: yLabel, xAxis: xAxis, yAxis: yAxis)
        for (index, s) in series.enumerated() {
            let colour = palette[index % palette.count]
            var path = ""
            var previous: (Double, Double)?
            for point in s.points where point.x.isFinite && point.y.isFinite && (!logX || point.x > 0) && (!logY || point.y > 0) {
                let px = x(point.x, xAxis), py = y(point.y, yAxis)
                if let (lastX, lastY) = previous {
                    path += step ? " L\(f(px)),\(f(lastY)) L\(f(px)),\(f(py))" : " L\(f(px)),\(f(py))"
                    _ = lastX
                } else {
                    path += "M\(f(px)),\(f(py))"
                }
                previous = (px, py)
            }
            if !path.isEmpty {
                body += "  <path d=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"><title>\(escape(s.name))</title></path>\n"
            }
        }
        if let reference, reference.x.isFinite, !logX || reference.x > 0 {
            let px = x(reference.x, xAxis)
            body += "  <line x1=\"\(f(px))\" y1=\"\(f(top))\" x2=\"\(f(px))\" y2=\"\(f(height - bottom))\" stroke=\"#444\" stroke-dasharray=\"6 4\"/>\n"
            body += "  <text x=\"\(f(px + 4))\" y=\"\(f(top + 14))\" font-size=\"12\">\(escape(reference.label))</text>\n"
        }
        body += legend(series.map(\.name), bottom: false)
        return document(title: title, body: body)
    }

    /// A scatter of labelled marks; highlighted ones are joined in order of x (a Pareto front).
    public static func scatter(title: String, subtitle: String? = nil, xLabel: String, yLabel: String, marks: [Mark],
                               logX: Bool, logY: Bool, frontLabel: String) -> String {
        let xAxis = Axis(values: marks.map(\.x), log: logX, includeZero: !logX)
        let yAxis = Axis(values: marks.map(\.y), log: logY, includeZero: !logY)
        var body = frame(title: title, subtitle: subtitle, xLabel: xLabel, yLabel: yLabel, xAxis: xAxis, yAxis: yAxis)
        let front = marks.filter(\.highlighted).sorted { $0.x < $1.x }
        if front.count > 1 {
            let points = front.map { "\(f(x($0.x, xAxis))),\(f(y($0.y, yAxis)))" }.joined(separator: " ")
            body += "  <polyline points=\"\(points)\" fill=\"none\" stroke=\"\(palette[0])\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"><title>\(escape(frontLabel))</title></polyline>\n"
        }
        for mark in marks where mark.x.isFinite && mark.y.isFinite {
            let px = x(mark.x, xAxis), py = y(mark.y, yAxis)
            let fill = mark.highlighted ? palette[0] : "white"
            body += "  <circle cx=\"\(f(px))\" cy=\"\(f(py))\" r=\"5\" fill=\"\(fill)\" stroke=\"\(palette[0])\" stroke-width=\"2\"><title>\(escape(mark.label))</title></circle>\n"
            // Labels near the right edge end at their point, so they stay inside the chart.
            let nearRight = px > width * 0.7
            body += "  <text x=\"\(f(nearRight ? px - 8 : px + 8))\" y=\"\(f(py - 8))\" font-size=\"12\"\(nearRight ? " text-anchor=\"end\"" : "")>\(escape(mark.label))</text>\n"
        }
        body += legend(["\(frontLabel) (filled)"], bottom: true)
        return document(title: title, body: body)
    }

    // MARK: - Pieces

    static func x(_ value: Double, _ axis: Axis) -> Double { left + axis.unit(value) * (width - left - right) }
    static func y(_ value: Double, _ axis: Axis) -> Double { height - bottom - axis.unit(value) * (height - top - bottom) }

    static func frame(title: String, subtitle: String?, xLabel: String, yLabel: String, xAxis: Axis, yAxis: Axis) -> String {
        var s = "  <rect width=\"\(f(width))\" height=\"\(f(height))\" fill=\"white\"/>\n"
        s += "  <text x=\"\(f(width / 2))\" y=\"22\" font-size=\"16\" font-weight=\"bold\" text-anchor=\"middle\">\(escape(title))</text>\n"
        if let subtitle {
            s += "  <text x=\"\(f(width / 2))\" y=\"40\" font-size=\"12\" fill=\"#555\" text-anchor=\"middle\">\(escape(subtitle))</text>\n"
        }
        let plotBottom = height - bottom, plotRight = width - right
        s += "  <g class=\"axes\" stroke=\"#222\" stroke-width=\"1\">\n"
        s += "    <line x1=\"\(f(left))\" y1=\"\(f(plotBottom))\" x2=\"\(f(plotRight))\" y2=\"\(f(plotBottom))\"/>\n"
        s += "    <line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(plotBottom))\"/>\n"
        s += "  </g>\n"
        for tick in xAxis.ticks {
            let px = x(tick, xAxis)
            s += "  <line x1=\"\(f(px))\" y1=\"\(f(top))\" x2=\"\(f(px))\" y2=\"\(f(plotBottom))\" stroke=\"#e5e5e5\"/>\n"
            s += "  <text x=\"\(f(px))\" y=\"\(f(plotBottom + 18))\" font-size=\"11\" text-anchor=\"middle\">\(escape(label(tick, log: xAxis.log)))</text>\n"
        }
        for tick in yAxis.ticks {
            let py = y(tick, yAxis)
            s += "  <line x1=\"\(f(left))\" y1=\"\(f(py))\" x2=\"\(f(plotRight))\" y2=\"\(f(py))\" stroke=\"#e5e5e5\"/>\n"
            s += "  <text x=\"\(f(left - 6))\" y=\"\(f(py + 4))\" font-size=\"11\" text-anchor=\"end\">\(escape(label(tick, log: yAxis.log)))</text>\n"
        }
        s += "  <text class=\"x-label\" x=\"\(f((left + plotRight) / 2))\" y=\"\(f(height - 18))\" font-size=\"13\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        s += "  <text class=\"y-label\" x=\"18\" y=\"\(f((top + plotBottom) / 2))\" font-size=\"13\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(f((top + plotBottom) / 2)))\">\(escape(yLabel))</text>\n"
        return s
    }

    /// The series' names in the plot's top-left corner (exceedance curves fall away from
    /// it), or its bottom-left one.
    static func legend(_ names: [String], bottom: Bool) -> String {
        var s = ""
        for (index, name) in names.enumerated() {
            let yPosition = bottom ? height - self.bottom - 10 - Double(names.count - 1 - index) * 16 : top + 18 + Double(index) * 16
            let xPosition = left + 12
            s += "  <rect x=\"\(f(xPosition))\" y=\"\(f(yPosition - 9))\" width=\"12\" height=\"4\" fill=\"\(palette[index % palette.count])\"/>\n"
            s += "  <text x=\"\(f(xPosition + 18))\" y=\"\(f(yPosition - 3))\" font-size=\"12\">\(escape(name))</text>\n"
        }
        return s
    }

    static func document(title: String, body: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))" font-family="Helvetica, Arial, sans-serif">
          <title>\(escape(title))</title>
        \(body)</svg>

        """
    }

    /// A tick label: `0.001`, `10`, `1e-05`, `1,000`.
    static func label(_ value: Double, log: Bool) -> String {
        if value == 0 { return "0" }
        let magnitude = Foundation.log10(abs(value))
        if magnitude < -3 || magnitude >= 7 { return String(format: "%.0e", value) }
        return HumanFormat.significant(value, digits: log ? 1 : 3)
    }

    /// Coordinates to 0.1 px, without a trailing `.0`.
    static func f(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    /// XML text and attribute escaping.
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // XML 1.0 forbids most control characters, even escaped.
                if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
                   scalar.value < 0x20 && scalar != "\n" && scalar != "\t" {
                    out += " "
                } else {
                    out.append(character)
                }
            }
        }
        return out
    }
}
