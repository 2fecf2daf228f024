import Foundation
import LinearAlgebra
import Datasets
import Plotting
import Training

/// Decision boundaries of classifiers of points in the plane, side by side: each panel colours
/// a grid over the data by the trained network's probability of class 1 (two-colour diverging
/// map, white at ½ — the boundary) and marks the data points by class.
///
/// ```swift
/// var figure = DecisionBoundaries(points: moons.images, labels: moons.labels)
/// let grid = figure.gridInputs()                       // resolution² × 2, top row first
/// figure.panels.append(.init(title: "relu", accuracy: 0.99, probabilities: p1(grid)))
/// try PNGCodec.encode(figure.image())
/// ```
public struct DecisionBoundaries: Sendable {
    /// One classifier.
    public struct Panel: Sendable {
        /// The panel's heading (the classifier's activation, say).
        public var title: String
        /// Accuracy on the points, as a fraction.
        public var accuracy: Double
        /// P(class 1) at every grid point, row-major, top row first (resolution² values).
        public var probabilities: [Double]

        /// A panel; see the properties.
        public init(title: String, accuracy: Double, probabilities: [Double]) {
            (self.title, self.accuracy, self.probabilities) = (title, accuracy, probabilities)
        }
    }

    /// The data, one (x, y) per row, and their classes (0 or 1).
    public var points: Matrix<Float>
    /// The class of each point, 0 or 1.
    public var labels: [Int]
    /// The plotted region: the data's bounding box widened by a quarter on every side.
    public let xRange: ClosedRange<Double>
    /// The plotted range of y, widened as `xRange` is.
    public let yRange: ClosedRange<Double>
    /// Grid points per side.
    public var resolution: Int
    /// The classifiers, drawn side by side in this order.
    public var panels: [Panel] = []

    /// A figure of `points` (n × 2) with `labels`, on a `resolution` × `resolution` grid.
    /// - Precondition: two columns, one label per row, at least one point, resolution ≥ 2.
    public init(points: Matrix<Float>, labels: [Int], resolution: Int = 160) {
        precondition(points.columns == 2 && points.rows == labels.count && points.rows > 0 && resolution >= 2,
                     "DecisionBoundaries: \(points.rows)×\(points.columns) points, \(labels.count) labels, resolution \(resolution)")
        self.points = points
        self.labels = labels
        self.resolution = resolution
        func range(_ column: Int) -> ClosedRange<Double> {
            let values = (0 ..< points.rows).map { Double(points[$0, column]) }
            let (low, high) = (values.min() ?? 0, values.max() ?? 1)
            let pad = Swift.max(high - low, 1e-3) / 4
            return (low - pad) ... (high + pad)
        }
        (xRange, yRange) = (range(0), range(1))
    }

    /// The grid's points, resolution² × 2, row-major with the top row (largest y) first.
    public func gridInputs() -> Matrix<Float> {
        var grid = Matrix<Float>(rows: resolution * resolution, columns: 2)
        let step = Double(resolution - 1)
        for row in 0 ..< resolution {
            for column in 0 ..< resolution {
                let x = xRange.lowerBound + (xRange.upperBound - xRange.lowerBound) * Double(column) / step
                let y = yRange.upperBound - (yRange.upperBound - yRange.lowerBound) * Double(row) / step
                grid[row * resolution + column, 0] = Float(x)
                grid[row * resolution + column, 1] = Float(y)
            }
        }
        return grid
    }

    /// The panels side by side, each with its title and accuracy above it; points of class 0
    /// drawn as black squares, of class 1 as white squares with a black outline.
    public func image(pixelSize: Int = 2) -> RGBImage {
        let side = resolution * pixelSize
        let (margin, titleHeight) = (12, 26)
        let width = margin + panels.count * (side + margin)
        var image = RGBImage(width: Swift.max(width, 2 * margin), height: titleHeight + side + 2 * margin)
        let colors = DivergingColorMap(scale: 0.5)
        for (index, panel) in panels.enumerated() {
            let left = margin + index * (side + margin)
            let top = margin + titleHeight
            image.draw(panel.title, x: left, y: margin, scale: 1)
            image.draw(String(format: "accuracy %.1f%%", 100 * panel.accuracy), x: left, y: margin + 11, scale: 1)
            for row in 0 ..< resolution {
                for column in 0 ..< resolution where row * resolution + column < panel.probabilities.count {
                    let value = panel.probabilities[row * resolution + column] - 0.5
                    image.fill(x: left + column * pixelSize, y: top + row * pixelSize, width: pixelSize, height: pixelSize,
                               with: colors.color(for: value.isFinite ? value : 0))
                }
            }
            for point in 0 ..< points.rows {
                let u = (Double(points[point, 0]) - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound)
                let v = (yRange.upperBound - Double(points[point, 1])) / (yRange.upperBound - yRange.lowerBound)
                let (x, y) = (left + Int(u * Double(side - 1)) - 1, top + Int(v * Double(side - 1)) - 1)
                image.fill(x: x, y: y, width: 3, height: 3, with: labels[point] == 0 ? .black : .white)
                if labels[point] != 0 { image.strokeRectangle(x: x - 1, y: y - 1, width: 5, height: 5, with: .black) }
            }
            image.strokeRectangle(x: left - 1, y: top - 1, width: side + 2, height: side + 2, with: .gray)
        }
        return image
    }
}

extension DecisionBoundaries {
    /// The classifier trained for each panel: `dense(2,h) ACT dense(h,h) ACT dense(h,2)`.
    public static func architecture(activation: String, hidden: Int) -> String {
        "dense(2,\(hidden)) \(activation) dense(\(hidden),\(hidden)) \(activation) dense(\(hidden),2)"
    }

    /// Trains the classifier of ``architecture(activation:hidden:)`` on `data` (the figure's
    /// points) with `configuration` (its architecture is replaced) and adds its panel, titled
    /// by the activation.
    /// - Throws: the architecture parser's and the trainer's errors.
    public mutating func addClassifier(activation: String, hidden: Int, configuration: TrainingConfiguration,
                                       data: LabeledImages) throws {
        var configuration = configuration
        configuration.architecture = Self.architecture(activation: activation, hidden: hidden)
        var trainer = try Trainer(configuration: configuration, training: data, test: data)
        let metrics = try trainer.run()
        var model = trainer.model
        let logits = model(gridInputs())
        let probabilities = (0 ..< logits.rows).map { row -> Double in
            let (a, b) = (Double(logits[row, 0]), Double(logits[row, 1]))
            return 1 / (1 + Double.exp(a - b))  // softmax's class-1 share
        }
        panels.append(Panel(title: activation, accuracy: metrics.last?.testAccuracy ?? 0, probabilities: probabilities))
    }
}
