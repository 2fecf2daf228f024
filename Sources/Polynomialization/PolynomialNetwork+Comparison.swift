import LinearAlgebra
import NeuralNetworks

/// The original network and its polynomial replacement evaluated side by side on one data set.
public struct NetworkComparison: Sendable {
    /// How often a replaced nonlinearity's inputs left its interval on this data.
    public struct Excursion: Sendable, Equatable {
        /// The layer's index.
        public var layerIndex: Int
        /// The share of inputs outside the interval.
        public var outsideShare: Double
        /// The largest |x − centre| over the half-width (≤ 1 when everything is inside).
        public var largestExcursion: Double
    }

    /// Test accuracy of the original and of the polynomial network.
    public var originalAccuracy: Double
    /// The polynomial network's accuracy.
    public var polynomialAccuracy: Double
    /// The share of examples on which both predict the same class.
    public var agreement: Double
    /// The mean Kullback–Leibler divergence KL(softmax(original) ‖ softmax(polynomial)).
    public var meanKL: Double
    /// The largest |logit difference| over every example and class.
    public var largestLogitDifference: Double
    /// Per replaced nonlinearity, in layer order.
    public var excursions: [Excursion]

    /// Runs both networks over `inputs` (one example per row) in batches.
    public init(original: Sequential<Float>, polynomial: PolynomialNetwork, inputs: Matrix<Float>, labels: [Int],
                batchSize: Int = 1_000) throws {
        guard inputs.rows > 0, inputs.rows == labels.count else { throw PolynomializationError.noData }
        if let width = original.inputWidth, width != inputs.columns {
            throw PolynomializationError.inputWidthMismatch(network: width, data: inputs.columns)
        }
        var reference = original
        var layers = polynomial.model.layers
        let intervals = polynomial.fits.map { ($0.layerIndex, $0.interval) }
        var outside = [Int](repeating: 0, count: intervals.count)
        var seen = [Int](repeating: 0, count: intervals.count)
        var largest = [Double](repeating: 0, count: intervals.count)
        var (correct, polynomialCorrect, agreeing) = (0, 0, 0)
        var (divergence, logitGap) = (0.0, 0.0)
        let step = Swift.max(batchSize, 1)
        for start in stride(from: 0, to: inputs.rows, by: step) {
            let rows = start ..< Swift.min(start + step, inputs.rows)
            let batch = inputs.rows(rows)
            let expected = reference(batch)
            var current = batch
            for index in layers.indices {
                if let slot = intervals.firstIndex(where: { $0.0 == index }),
                   let values = PolynomialNetwork.replacedInputs(of: layers[index], for: current) {
                    let interval = intervals[slot].1
                    let (centre, half) = ((interval.lowerBound + interval.upperBound) / 2,
                                          (interval.upperBound - interval.lowerBound) / 2)
                    for value in values.elements {
                        let x = Double(value)
                        if !interval.contains(x) { outside[slot] += 1 }
                        largest[slot] = Swift.max(largest[slot], Swift.abs(x - centre) / half)
                    }
                    seen[slot] += values.elements.count
                }
                var output = Matrix<Float>(rows: 0, columns: 0)
                layers[index].forward(current, into: &output, training: false)
                current = output
            }
            for (offset, example) in rows.enumerated() {
                let (p, q) = (expected.row(offset).map(Double.init), current.row(offset).map(Double.init))
                guard q.allSatisfy({ $0.isFinite }) else {
                    throw PolynomializationError.invalidSetting(
                        "the polynomial network's outputs are not finite on example \(example): its inputs leave the fitted intervals far enough to overflow")
                }
                let (a, b) = (Self.argmax(p), Self.argmax(q))
                if a == labels[example] { correct += 1 }
                if b == labels[example] { polynomialCorrect += 1 }
                if a == b { agreeing += 1 }
                divergence += Self.kullbackLeibler(p, q)
                for (x, y) in zip(p, q) { logitGap = Swift.max(logitGap, Swift.abs(x - y)) }
            }
        }
        let count = Double(inputs.rows)
        originalAccuracy = Double(correct) / count
        polynomialAccuracy = Double(polynomialCorrect) / count
        agreement = Double(agreeing) / count
        meanKL = divergence / count
        largestLogitDifference = logitGap
        excursions = intervals.indices.map {
            Excursion(layerIndex: intervals[$0].0, outsideShare: Double(outside[$0]) / Double(Swift.max(seen[$0], 1)),
                      largestExcursion: largest[$0])
        }
    }

    static func argmax(_ values: [Double]) -> Int {
        values.indices.max { values[$0] < values[$1] } ?? 0
    }

    /// KL(softmax(p) ‖ softmax(q)), computed with log-sum-exp shifts.
    static func kullbackLeibler(_ p: [Double], _ q: [Double]) -> Double {
        func logSoftmax(_ x: [Double]) -> [Double] {
            let top = x.max() ?? 0
            let total = x.reduce(0) { $0 + Double.exp($1 - top) }
            return x.map { $0 - top - Double.log(total) }
        }
        let (lp, lq) = (logSoftmax(p), logSoftmax(q))
        return zip(lp, lq).reduce(0) { $0 + Double.exp($1.0) * ($1.0 - $1.1) }
    }
}
