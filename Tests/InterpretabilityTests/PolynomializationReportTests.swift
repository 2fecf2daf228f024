import Foundation
import LinearAlgebra
import NeuralNetworks
import Plotting
import Polynomialization
import Testing
@testable import Interpretability

@Suite("The polyize report")
struct PolynomializationReportTests {
    /// A small ReLU network, its profile on Gaussian inputs, and its degree-7 replacement.
    static func conversion() throws -> (model: Sequential<Float>, ranges: [LayerRange], inputs: Matrix<Float>, labels: [Int],
                                        network: PolynomialNetwork, comparison: NetworkComparison) {
        var generator = SeededGenerator(seed: 61)
        let model = try Architecture(parsing: "dense(5,8) relu dense(8,6) tanh dense(6,3)").makeModel(as: Float.self, using: &generator)
        let inputs = Matrix<Float>.randomNormal(rows: 200, columns: 5, using: &generator)
        let labels = (0 ..< 200).map { $0 % 3 }
        let ranges = try RangeProfile.measure(model, on: inputs)
        let fits = try ranges.map { try ActivationFit.fit($0, interval: IntervalRule(), degree: .degree(7)) }
        let network = try PolynomialNetwork(replacingIn: model, with: fits)
        let comparison = try NetworkComparison(original: model, polynomial: network, inputs: inputs, labels: labels)
        return (model, ranges, inputs, labels, network, comparison)
    }

    /// Each histogram marks the fitted interval and the measured extremes where the x-axis puts
    /// them: the axis spans the outermost of the four, widened by `histogramPadding` of that
    /// span on each side, across the 700-pixel frame from x = 80. Printed with "%.2f": 0.005.
    @Test func histogramsMarkTheIntervalAndTheExtremes() throws {
        let (_, ranges, _, _, network, comparison) = try Self.conversion()
        var report = PolynomializationReport(title: "t", ranges: ranges, rule: IntervalRule(tailPercent: 1))
        report.conversion = .init(network: network, comparison: comparison)
        let figures = report.histograms()
        #expect(figures.map(\.fileName) == ["histogram-layer-1.svg", "histogram-layer-3.svg"])
        for (figure, fit) in zip(figures, network.fits) {
            let d = ranges.first { $0.layerIndex == fit.layerIndex }!.distribution
            let marks = [fit.interval.lowerBound, fit.interval.upperBound, d.minimum, d.maximum]
            let (low, high) = (marks.min()!, marks.max()!)
            let pad = (high - low) * PolynomializationReport.histogramPadding
            let expected = marks.map { 80 + ($0 - (low - pad)) / (high - low + 2 * pad) * 700 }
            let positions = figure.svg.components(separatedBy: "<line class=\"marker\" x1=\"").dropFirst()
                .compactMap { $0.components(separatedBy: "\"").first.flatMap(Double.init) }
            #expect(positions.count == 4)
            for (position, value) in zip(positions, expected) { #expect(abs(position - value) <= 0.005 + 1e-9) }
            #expect(figure.svg.contains("fitted interval"))
        }
    }

    /// The page holds the summary and layer tables, every histogram, the error curves and the
    /// budget sweep inline (no external references), with the comparison's numbers.
    @Test func pageHoldsTablesAndEmbeddedFigures() throws {
        let (model, ranges, inputs, labels, network, comparison) = try Self.conversion()
        var report = PolynomializationReport(title: "small", ranges: ranges, trainingCount: 200, testCount: 200)
        report.conversion = .init(network: network, comparison: comparison)
        report.errorCurves = try ranges.map { try MinimaxErrorCurve($0, interval: report.rule, degrees: 1 ... 9) }
        report.budgetSweep = try DepthBudgetOutcome.sweep([7, 9, 12], model: model, ranges: ranges, interval: report.rule,
                                                          inputs: inputs, labels: labels)
        #expect(report.budgetSweep.map { $0.accuracy == nil } == [false, false, false])
        let html = report.page().html()
        for text in ["Summary", "original accuracy", "polynomial accuracy", "agreement", "mean KL", "total multiplicative depth",
                     "<td>\(network.totalDepth)</td>", String(format: "<td>%.2f%%</td>", 100 * comparison.polynomialAccuracy),
                     "Layers", "test inputs outside", "Measured inputs", "Error against degree", "Accuracy against depth budget"] {
            #expect(html.contains(text), "missing \(text)")
        }
        // Two histograms, the error curves and the budget chart, all inline SVG.
        #expect(html.components(separatedBy: "<svg").count - 1 == 4)
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http"))
        // Error curves do not rise with the degree (minimax errors are non-increasing).
        for curve in report.errorCurves {
            #expect(zip(curve.errors, curve.errors.dropFirst()).allSatisfy { $1 <= $0 * (1 + 1e-9) })
        }
    }
}
