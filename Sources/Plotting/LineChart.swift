import Foundation

/// A line chart of one or more stacked panels sharing the x-axis, written as SVG.
///
/// ```swift
/// var chart = LineChart(title: "gelu, minimax degree 8", xLabel: "x")
/// chart.panels.append(.init(yLabel: "value", series: [
///     .init(name: "gelu", x: xs, y: f, color: "#1f77b4"),
///     .init(name: "p", x: xs, y: p, color: "#d62728", dashed: true),
/// ]))
/// try chart.svg().write(toFile: "gelu.svg", atomically: true, encoding: .utf8)
/// ```
public struct LineChart: Sendable {
    /// One curve.
    public struct Series: Sendable {
        /// Legend label.
        public var name: String
        /// Abscissae (ascending).
        public var x: [Double]
        /// Ordinates; non-finite values break the line.
        public var y: [Double]
        /// An SVG color, e.g. `#1f77b4`.
        public var color: String
        /// Drawn dashed.
        public var dashed: Bool

        /// A series.
        /// - Precondition: `x` and `y` have the same length.
        public init(name: String, x: [Double], y: [Double], color: String, dashed: Bool = false) {
            precondition(x.count == y.count, "Series \(name): \(x.count) x values, \(y.count) y values")
            self.name = name
            self.x = x
            self.y = y
            self.color = color
            self.dashed = dashed
        }
    }

    /// A horizontal reference line (e.g. ±max error).
    public struct ReferenceLine: Sendable {
        /// Where.
        public var y: Double
        /// Legend label (shown once per label).
        public var label: String

        /// A reference line at `y`.
        public init(y: Double, label: String) {
            self.y = y
            self.label = label
        }
    }

    /// A vertical marker across the whole panel at an abscissa (e.g. the ends of an interval).
    public struct VerticalLine: Sendable {
        /// Where.
        public var x: Double
        /// Legend label (shown once per label).
        public var label: String
        /// An SVG color.
        public var color: String
        /// Drawn dashed.
        public var dashed: Bool

        /// A vertical line at `x`.
        public init(x: Double, label: String, color: String = "#d62728", dashed: Bool = false) {
            self.x = x
            self.label = label
            self.color = color
            self.dashed = dashed
        }
    }

    /// One plotting area with its own y-axis.
    public struct Panel: Sendable {
        /// Y-axis label.
        public var yLabel: String
        /// The curves.
        public var series: [Series]
        /// Dotted horizontal lines.
        public var referenceLines: [ReferenceLine]
        /// When set, the y-range is clipped to this (curves that leave it are cut at the frame).
        public var yRange: ClosedRange<Double>?
        /// Where the legend sits inside the frame.
        public var legendCorner: LegendCorner
        /// Vertical markers; the x-axis always reaches them.
        public var verticalLines: [VerticalLine]

        /// A panel.
        public init(yLabel: String, series: [Series], referenceLines: [ReferenceLine] = [],
                    yRange: ClosedRange<Double>? = nil, legendCorner: LegendCorner = .topRight,
                    verticalLines: [VerticalLine] = []) {
            self.yLabel = yLabel
            self.series = series
            self.referenceLines = referenceLines
            self.yRange = yRange
            self.legendCorner = legendCorner
            self.verticalLines = verticalLines
        }
    }

    /// A corner of a panel's frame for its legend.
    public enum LegendCorner: Sendable {
        /// The other corners of the plot area.
        case topRight, bottomLeft, bottomRight
    }

    /// Title above the first panel.
    public var title: String
    /// X-axis label under the last panel.
    public var xLabel: String
    /// Panels from top to bottom.
    public var panels: [Panel]
    /// Width in pixels.
    public var width: Double
    /// Height of each panel's plotting area in pixels.
    public var panelHeight: Double
    /// A logarithmic x-axis (ticks at powers of ten; non-positive x values are not drawn).
    public var logarithmicX: Bool
    /// Logarithmic y-axes (ticks at powers of ten; non-positive y values break the line, and a
    /// panel's `yRange` is given in values, not in logarithms).
    public var logarithmicY: Bool
    /// The x-axis reaches this fraction of the data's span beyond the outermost x values (and
    /// vertical lines) on each side, so that lines there are not hidden by the frame.
    public var xPadding: Double

    /// An empty chart; append panels.
    public init(title: String, xLabel: String, panels: [Panel] = [], width: Double = 800, panelHeight: Double = 300,
                logarithmicX: Bool = false, logarithmicY: Bool = false, xPadding: Double = 0) {
        self.title = title
        self.xLabel = xLabel
        self.panels = panels
        self.width = width
        self.panelHeight = panelHeight
        self.logarithmicX = logarithmicX
        self.logarithmicY = logarithmicY
        self.xPadding = xPadding
    }

    /// Where `x` sits along the axis: x itself, or log₁₀ x on a logarithmic axis.
    func axisPosition(_ x: Double) -> Double {
        logarithmicX ? (x > 0 ? log10(x) : .nan) : x
    }

    /// Where `y` sits along a y-axis: y itself, or log₁₀ y on a logarithmic axis.
    func axisHeight(_ y: Double) -> Double {
        logarithmicY ? (y > 0 ? log10(y) : .nan) : y
    }
}
