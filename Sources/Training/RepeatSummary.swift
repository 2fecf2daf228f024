/// The final metrics of a run repeated with consecutive seeds, each summarized as its mean ±
/// sample standard deviation, as seed 001's table reports accuracy and loss.
///
/// ```swift
/// let summary = RepeatSummary(finalEpochs: runs.map { $0.last! })
/// print(summary.testAccuracy.mean, summary.testLoss.standardDeviation)
/// ```
public struct RepeatSummary: Sendable, Equatable {
    /// The mean and sample standard deviation of some values.
    public struct Statistic: Sendable, Equatable {
        /// The arithmetic mean.
        public var mean: Double
        /// The sample standard deviation √(Σ(x − mean)²/(n − 1)); 0 for a single value.
        public var standardDeviation: Double

        /// The statistic of `values` (at least one).
        public init(_ values: [Double]) {
            precondition(!values.isEmpty, "A statistic of no values")
            let mean = values.reduce(0, +) / Double(values.count)
            let squares = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
            self.mean = mean
            standardDeviation = values.count > 1 ? (squares / Double(values.count - 1)).squareRoot() : 0
        }
    }

    /// The last epoch's metrics of each run, in seed order.
    public var finalEpochs: [EpochMetrics]

    /// A summary of runs whose last epochs are `finalEpochs` (at least one).
    public init(finalEpochs: [EpochMetrics]) {
        precondition(!finalEpochs.isEmpty, "A summary of no runs")
        self.finalEpochs = finalEpochs
    }

    /// Test accuracy (a fraction) over the runs.
    public var testAccuracy: Statistic { Statistic(finalEpochs.map(\.testAccuracy)) }
    /// Mean test loss over the runs.
    public var testLoss: Statistic { Statistic(finalEpochs.map(\.testLoss)) }
    /// Mean training loss of the last epoch over the runs.
    public var trainLoss: Statistic { Statistic(finalEpochs.map(\.trainLoss)) }
}
