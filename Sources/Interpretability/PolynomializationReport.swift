import Foundation
import Plotting
import Polynomialization

/// The figures and the offline HTML page of one `polyize` run, assembled from its typed
/// results: input histograms with the fitted intervals, the summary and per-layer tables,
/// minimax error against degree, and accuracy against depth budget.
///
/// ```swift
/// var report = PolynomializationReport(title: "runs/mlp", ranges: ranges, variances: variances)
/// report.conversion = .init(network: network, comparison: comparison)
/// for figure in report.histograms() { try RegularFile.write(figure.svg, to: "out/" + figure.fileName) }
/// try RegularFile.write(report.page().html(), to: "out/index.html")
/// ```
public struct PolynomializationReport {
    /// One polynomial network and how it compares with the original.
    public struct Conversion {
        /// The polynomial network.
        public var network: PolynomialNetwork
        /// The polynomial network compared with the original on the test set.
        public var comparison: NetworkComparison

        /// A conversion; see the properties.
        public init(network: PolynomialNetwork, comparison: NetworkComparison) {
            self.network = network
            self.comparison = comparison
        }
    }

    /// A chart with the file name it is written under.
    public struct Figure: Sendable {
        /// The file name the figure is written to.
        public var fileName: String
        /// The figure as SVG.
        public var svg: String
    }

    /// The page title (usually the checkpoint's path).
    public var title: String
    /// The measured inputs of every nonlinearity and LayerNorm variance.
    public var ranges: [LayerRange]
    /// The variance ranges of the LayerNorms' divisions.
    public var variances: [VarianceRange]
    /// How intervals were chosen (used for the histograms when no conversion is given).
    public var rule: IntervalRule
    /// The single network built, when one was.
    public var conversion: Conversion?
    /// Minimax error against degree, one curve per nonlinearity.
    public var errorCurves: [MinimaxErrorCurve]
    /// Accuracy per depth budget, when several budgets were tried.
    public var budgetSweep: [DepthBudgetOutcome]
    /// How many training examples were profiled and test examples compared on.
    public var trainingCount: Int
    /// The number of test examples compared.
    public var testCount: Int

    /// A report; see the properties.
    public init(title: String, ranges: [LayerRange], variances: [VarianceRange] = [], rule: IntervalRule = IntervalRule(),
                conversion: Conversion? = nil, errorCurves: [MinimaxErrorCurve] = [], budgetSweep: [DepthBudgetOutcome] = [],
                trainingCount: Int = 0, testCount: Int = 0) {
        self.title = title
        self.ranges = ranges
        self.variances = variances
        self.rule = rule
        self.conversion = conversion
        self.errorCurves = errorCurves
        self.budgetSweep = budgetSweep
        self.trainingCount = trainingCount
        self.testCount = testCount
    }

    /// Bins of the displayed histograms (the profile's 4096 bins, summed in groups).
    public static let displayedBinCount = 256

    /// One histogram per nonlinearity (`histogram-layer-K.svg`) and per LayerNorm variance
    /// (`histogram-layer-K-variance.svg`): counts on a logarithmic axis, the fitted interval
    /// and the measured minimum and maximum as vertical lines.
    public func histograms() -> [Figure] {
        let fits = Dictionary((conversion?.network.fits ?? []).map { ($0.layerIndex, $0) }, uniquingKeysWith: { first, _ in first })
        var figures = ranges.map { range in
            let interval = fits[range.layerIndex]?.interval ?? rule.interval(for: range.distribution)
            return Figure(fileName: "histogram-layer-\(range.layerIndex).svg",
                          svg: Self.histogram(range.distribution, interval: interval,
                                              title: "layer \(range.layerIndex) \(range.function.rawValue): inputs",
                                              xLabel: "input x"))
        }
        for range in variances {
            let interval = conversion?.network.inverseSquareRoots[range.layerIndex]?.polynomial.basis.interval
                ?? InverseSquareRoot.interval(for: range, margin: rule.margin)
            figures.append(Figure(fileName: "histogram-layer-\(range.layerIndex)-variance.svg",
                                  svg: Self.histogram(range.distribution, interval: interval,
                                                      title: "layer \(range.layerIndex) layernorm: var + ε per example",
                                                      xLabel: "v = var + ε")))
        }
        return figures
    }

    /// The share of the x span left free beyond the outermost line on each side of a histogram.
    public static let histogramPadding = 0.03

    /// A histogram of `distribution` with `interval` and the measured extremes marked.
    public static func histogram(_ distribution: ValueDistribution, interval: ClosedRange<Double>, title: String,
                                 xLabel: String) -> String {
        let group = Swift.max(distribution.histogram.count / displayedBinCount, 1)
        let counts = stride(from: 0, to: distribution.histogram.count, by: group).map { start in
            Double(distribution.histogram[start ..< Swift.min(start + group, distribution.histogram.count)].reduce(0, +))
        }
        let width = (distribution.maximum - distribution.minimum) / Double(counts.count)
        let edges = (0 ... counts.count).map { distribution.minimum + Double($0) * width }
        let format = { (x: Double) in String(format: "%.4g", x) }
        var chart = LineChart(title: title, xLabel: xLabel, panelHeight: 260, logarithmicY: true, xPadding: histogramPadding)
        chart.panels.append(.init(
            yLabel: "count (log)",
            series: [.steps(name: "\(distribution.count) values", edges: edges, counts: counts, color: "#1f77b4")],
            // Headroom above the tallest bin for the legend, and below a bin of one.
            yRange: 0.5 ... Swift.max(counts.max() ?? 1, 1) * 100,
            verticalLines: [
                .init(x: interval.lowerBound, label: "fitted interval [\(format(interval.lowerBound)), \(format(interval.upperBound))]",
                      color: "#d62728"),
                .init(x: interval.upperBound, label: "fitted interval [\(format(interval.lowerBound)), \(format(interval.upperBound))]",
                      color: "#d62728"),
                .init(x: distribution.minimum, label: "measured min \(format(distribution.minimum)), max \(format(distribution.maximum))",
                      color: "#7f7f7f", dashed: true),
                .init(x: distribution.maximum, label: "measured min \(format(distribution.minimum)), max \(format(distribution.maximum))",
                      color: "#7f7f7f", dashed: true),
            ]))
        return chart.svg()
    }

    /// Minimax error against degree for every nonlinearity, on a logarithmic axis.
    public func errorCurveChart() -> String? {
        guard !errorCurves.isEmpty else { return nil }
        let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]
        var chart = LineChart(title: "minimax error against degree on each fitted interval", xLabel: "degree", logarithmicY: true)
        chart.panels.append(.init(yLabel: "max |f − p| (log)", series: errorCurves.enumerated().map { index, curve in
            .init(name: "layer \(curve.layerIndex) \(curve.function.rawValue) on [\(String(format: "%.3g", curve.interval.lowerBound)), \(String(format: "%.3g", curve.interval.upperBound))]",
                  x: curve.degrees.map(Double.init), y: curve.errors, color: colors[index % colors.count])
        }))
        return chart.svg()
    }

    /// Test accuracy against total depth budget (budgets below the minimum are left out).
    public func budgetChart() -> String? {
        let reached = budgetSweep.filter { $0.accuracy != nil }
        guard reached.count > 1, let original = reached.first?.originalAccuracy else { return nil }
        let budgets = reached.map { Double($0.budget) }
        var chart = LineChart(title: "test accuracy against total multiplicative depth", xLabel: "depth budget")
        chart.panels.append(.init(yLabel: "accuracy (%)", series: [
            .init(name: "polynomial network", x: budgets, y: reached.map { 100 * ($0.accuracy ?? 0) }, color: "#d62728"),
        ], referenceLines: [.init(y: 100 * original, label: "original network")], legendCorner: .bottomRight))
        return chart.svg()
    }

    /// The page: summary, per-layer table, histograms, error curves and the budget sweep.
    public func page() -> ReportPage {
        let percent = { (x: Double) in String(format: "%.2f%%", 100 * x) }
        let number = { (x: Double) in String(format: "%.4g", x) }
        var page = ReportPage(title: "PolyNet polyize: \(title)")
        if let conversion {
            let c = conversion.comparison
            page.sections.append(.init(
                heading: "Summary",
                caption: "On \(testCount) test examples; the ranges were profiled on \(trainingCount) training examples. Agreement: both networks predict the same class. KL: mean KL(softmax(original) ‖ softmax(polynomial)).",
                contents: [.table(header: ["", "value"], rows: [
                    ["original accuracy", percent(c.originalAccuracy)],
                    ["polynomial accuracy", percent(c.polynomialAccuracy)],
                    ["agreement", percent(c.agreement)],
                    ["mean KL", String(format: "%.3g", c.meanKL)],
                    ["largest logit difference", String(format: "%.3g", c.largestLogitDifference)],
                    ["total multiplicative depth", String(conversion.network.totalDepth)],
                ])]))
            let excursions = Dictionary(c.excursions.map { ($0.layerIndex, $0) }, uniquingKeysWith: { first, _ in first })
            var rows = conversion.network.fits.map { fit -> (layer: Int, cells: [String]) in
                let excursion = excursions[fit.layerIndex]
                return (fit.layerIndex, [String(fit.layerIndex), fit.function.rawValue,
                        "[\(number(fit.interval.lowerBound)), \(number(fit.interval.upperBound))]",
                        fit.degreeDescription, String(format: "%.3g", fit.maxError), String(fit.cost.depth),
                        excursion.map { String(format: "%.4f%%", 100 * $0.outsideShare) } ?? "",
                        excursion.map { String(format: "%.3f×", $0.largestExcursion) } ?? ""])
            }
            for (index, inverse) in conversion.network.inverseSquareRoots.sorted(by: { $0.key < $1.key }) {
                let interval = inverse.polynomial.basis.interval
                rows.append((index, [String(index), "layernorm 1/√v",
                             "[\(number(interval.lowerBound)), \(number(interval.upperBound))]",
                             "\(inverse.polynomial.degree) + \(inverse.newtonSteps) Newton",
                             String(format: "%.3g (relative)", inverse.relativeError),
                             String(PolynomialNetwork.layerNormDepth(inverse)), "", ""]))
            }
            page.sections.append(.init(
                heading: "Layers",
                caption: "Each replaced nonlinearity: the interval its minimax polynomial covers, its degree, max |f − p| there, its multiplicative depth (Chebyshev Paterson–Stockmeyer, affine map included), and the share of test inputs outside the interval with the largest |x − centre| / half-width. Depth per layer: \(conversion.network.layerDepths.map(String.init).joined(separator: " + ")).",
                contents: [.table(header: ["layer", "function", "interval", "degree", "max error", "depth", "test inputs outside", "largest excursion"],
                                  rows: rows.sorted { $0.layer < $1.layer }.map(\.cells))]))
        }
        let histograms = histograms()
        if !histograms.isEmpty {
            page.sections.append(.init(
                heading: "Measured inputs",
                caption: "Histograms of every nonlinearity's inputs (and every LayerNorm's var + ε) over the profiled training examples, counts on a logarithmic axis; solid red lines: the fitted interval; dashed grey lines: the measured minimum and maximum.",
                contents: histograms.map { .svg($0.svg) }))
        }
        if let chart = errorCurveChart() {
            page.sections.append(.init(
                heading: "Error against degree",
                caption: "The minimax error of each nonlinearity on its fitted interval, degrees \(errorCurves.first?.degrees.first ?? 0)…\(errorCurves.map { $0.degrees.last ?? 0 }.max() ?? 0): what a higher degree (and depth) buys."
                    + errorCurves.compactMap { curve in
                        curve.stopped.map { " Layer \(curve.layerIndex)'s curve ends before \($0)" }
                    }.joined(),
                contents: [.svg(chart)]))
        }
        if !budgetSweep.isEmpty {
            var contents = [ReportPage.Content]()
            if let chart = budgetChart() { contents.append(.svg(chart)) }
            contents.append(.table(header: ["budget", "degrees per nonlinearity", "depth", "accuracy"], rows: budgetSweep.map { outcome in
                [String(outcome.budget),
                 outcome.degrees.map { $0.map(String.init).joined(separator: ", ") } ?? "below the minimum \(outcome.minimumDepth)",
                 outcome.depth.map(String.init) ?? "", outcome.accuracy.map(percent) ?? ""]
            }))
            page.sections.append(.init(
                heading: "Accuracy against depth budget",
                caption: "Each total depth budget shared over the nonlinearities by dynamic programming over their error curves; original accuracy \(percent(budgetSweep[0].originalAccuracy)).",
                contents: contents))
        }
        return page
    }
}
