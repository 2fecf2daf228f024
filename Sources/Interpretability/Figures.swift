import Foundation
import LinearAlgebra
import Plotting

/// The charts and image grids of `polynet explain`, built from analysis results.
public enum Figures {
    /// Ten distinguishable colours (Tableau 10), one per class.
    public static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                 "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    /// Per class, the top-k positive then top-k negative eigenvectors as images.
    public static func eigenvectorGrid(_ features: [EigenFeatures], top: Int, imageRows: Int, imageColumns: Int,
                                       classNames: [String]) -> ImageGrid {
        var grid = ImageGrid(title: "Eigenvectors of the quadratic term Q, top \(top) positive | top \(top) negative")
        for feature in features {
            let indices = feature.topPositive(top) + feature.topNegative(top)
            grid.append(row: classNames[feature.output], tiles: indices.map { index in
                .init(values: feature.vectors.column(index), rows: imageRows, columns: imageColumns,
                      caption: "λ=" + String(format: "%+.3g", feature.values[index]))
            })
        }
        return grid
    }

    /// Each row of the linear coefficients B as an image.
    public static func linearCoefficientGrid(_ linear: Matrix<Double>, imageRows: Int, imageColumns: Int,
                                             classNames: [String]) -> ImageGrid {
        var grid = ImageGrid(title: "Linear coefficients B (one row per class)")
        grid.append(row: "B", tiles: (0 ..< linear.rows).map {
            .init(values: linear.row($0), rows: imageRows, columns: imageColumns, caption: classNames[$0])
        })
        return grid
    }

    /// The largest and the most negative eigenvalues of every class against their rank.
    public static func spectrumChart(_ features: [EigenFeatures], count: Int, classNames: [String]) -> LineChart {
        var chart = LineChart(title: "Eigenvalue spectrum of Q per class", xLabel: "rank", panelHeight: 260)
        func series(_ pick: (EigenFeatures) -> [Int]) -> [LineChart.Series] {
            features.map { feature in
                let indices = pick(feature)
                return .init(name: classNames[feature.output], x: indices.indices.map { Double($0 + 1) },
                             y: indices.map { feature.values[$0] }, color: palette[feature.output % palette.count])
            }
        }
        chart.panels.append(.init(yLabel: "largest eigenvalues", series: series { $0.topPositive(count) }))
        chart.panels.append(.init(yLabel: "most negative eigenvalues", series: series { $0.topNegative(count) },
                                  legendCorner: .bottomRight))
        return chart
    }

    /// Accuracy against the number of removed singular directions.
    public static func svdAttackChart(_ rows: [SVDAttack.Row]) -> LineChart {
        let k = rows.map { Double($0.removed) }
        return LineChart(title: "Removing the top-k singular directions of B from the test inputs", xLabel: "k (directions removed)",
                         panels: [.init(yLabel: "test accuracy", series: [
                             .init(name: "network", x: k, y: rows.map(\.networkAccuracy), color: palette[0]),
                             .init(name: "quadratic approximant", x: k, y: rows.map(\.quadraticAccuracy), color: palette[1]),
                             .init(name: "linear approximant", x: k, y: rows.map(\.linearAccuracy), color: palette[2]),
                             .init(name: "network, k random directions", x: k, y: rows.map(\.randomDirectionsNetworkAccuracy),
                                   color: palette[7], dashed: true),
                         ], yRange: 0 ... 1, legendCorner: .bottomLeft)])
    }

    /// Accuracy and target rate against the attack magnitude.
    public static func eigenAttackChart(_ rows: [EigenAttack.Row], target: String) -> LineChart {
        let m = rows.map(\.magnitude)
        return LineChart(title: "Eigenvector attack towards \(target)", xLabel: "magnitude (L2 norm of the added image)",
                         panels: [.init(yLabel: "fraction of test images", series: [
                             .init(name: "network accuracy", x: m, y: rows.map(\.networkAccuracy), color: palette[0]),
                             .init(name: "classified as \(target)", x: m, y: rows.map(\.fractionClassifiedAsTarget), color: palette[3]),
                         ], yRange: 0 ... 1, legendCorner: .bottomLeft)])
    }

    /// Example images: one row per example, one tile per perturbation.
    public static func exampleGrid(title: String, examples: [[(image: [Double], caption: String)]],
                                   rowLabels: [String], imageRows: Int, imageColumns: Int) -> ImageGrid {
        var grid = ImageGrid(title: title)
        for (label, row) in zip(rowLabels, examples) {
            grid.append(row: label, tiles: row.map { .init(values: $0.image, rows: imageRows, columns: imageColumns, caption: $0.caption) })
        }
        return grid
    }
}
