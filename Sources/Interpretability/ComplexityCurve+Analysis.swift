import Foundation
import Plotting

extension ComplexityCurve {
    /// The complexity analysis of a run's step checkpoints: a table of R² per degree (on data
    /// and under the Gaussian) and `complexity.svg`, with steps on a logarithmic axis (a step-0
    /// point appears in the table but not on the chart).
    /// - Precondition: every point has `maxDegree` values of each kind.
    public static func analysis(_ points: [Point], maxDegree: Int) -> ReportAnalysis {
        precondition(points.allSatisfy { $0.onData.count == maxDegree && $0.underGaussian.count == maxDegree },
                     "Complexity points need \(maxDegree) R² values of each kind")
        let degrees = Array(1 ... maxDegree)
        let header = ["step"] + degrees.map { "\(degreeName($0)) R² (data)" } + degrees.map { "\(degreeName($0)) R² (Gaussian)" }
        let rows = points.map { [String($0.step)] + ($0.onData + $0.underGaussian).map { String(format: "%.4f", $0) } }
        let steps = points.map { Double($0.step) }
        let series: [LineChart.Series] = degrees.reversed().flatMap { degree -> [LineChart.Series] in
            let (name, color) = (degreeName(degree), Figures.palette[degree % Figures.palette.count])
            return [.init(name: "\(name), test data", x: steps, y: points.map { $0.onData[degree - 1] }, color: color),
                    .init(name: "\(name), Gaussian", x: steps, y: points.map { $0.underGaussian[degree - 1] }, color: color, dashed: true)]
        }
        let chart = LineChart(title: "Complexity over training: R² of polynomial approximants", xLabel: "training step",
                              panels: [.init(yLabel: "R² (pooled over classes)", series: series, yRange: 0 ... 1,
                                             legendCorner: .bottomLeft)], logarithmicX: true)
        let svg = chart.svg()
        let section = ReportPage.Section(
            heading: "Complexity over training",
            caption: "At every checkpoint the network is converted in closed form to its least-squares polynomial approximants of degree 1 to \(maxDegree); R² is measured on test images (solid) and exactly under the Gaussian (dashed). The seed reports quadratic R² above 0.95 at the end of training and linear R² falling as training proceeds.",
            contents: [.svg(svg), .table(header: header, rows: rows)])
        return ReportAnalysis(section: section, header: header, rows: rows, files: [.init(name: "complexity.svg", contents: Array(svg.utf8))])
    }
}
