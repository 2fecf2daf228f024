/// The distribution of the values a nonlinearity receives: extremes, moments, percentiles and a
/// histogram, from one pass over the values and one over a fine histogram.
///
/// Percentiles are read from a histogram of ``binCount`` equal bins over [min, max] with linear
/// interpolation inside a bin, so each is exact to within one bin width, (max − min)/4096.
public struct ValueDistribution: Sendable, Equatable, Codable {
    /// The number of histogram bins.
    public static let binCount = 4096
    /// The percentiles reported (in percent).
    public static let reportedPercentiles: [Double] = [0.01, 0.1, 1, 50, 99, 99.9, 99.99]

    /// The number of values.
    public var count: Int
    /// The smallest value.
    public var minimum: Double
    /// The largest value.
    public var maximum: Double
    /// The mean.
    public var mean: Double
    /// The standard deviation.
    public var standardDeviation: Double
    /// Counts per bin over [minimum, maximum].
    public var histogram: [Int]

    /// The distribution of `values` (all finite, at least one).
    public init(_ values: UnsafeBufferPointer<Float>) {
        var (low, high) = (Double.infinity, -Double.infinity)
        var (sum, sumOfSquares) = (0.0, 0.0)
        for value in values {
            let x = Double(value)
            low = Swift.min(low, x)
            high = Swift.max(high, x)
            sum += x
            sumOfSquares += x * x
        }
        count = values.count
        minimum = low
        maximum = high
        mean = sum / Double(Swift.max(count, 1))
        standardDeviation = (Swift.max(sumOfSquares / Double(Swift.max(count, 1)) - mean * mean, 0)).squareRoot()
        var bins = [Int](repeating: 0, count: Self.binCount)
        let width = high - low
        if width > 0 {
            let scale = Double(Self.binCount) / width
            for value in values {
                bins[Swift.min(Int((Double(value) - low) * scale), Self.binCount - 1)] += 1
            }
        } else {
            bins[0] = count
        }
        histogram = bins
    }

    /// The value below which `percent` % of the values lie (to within one bin width).
    public func percentile(_ percent: Double) -> Double {
        let target = Swift.min(Swift.max(percent, 0), 100) / 100 * Double(count)
        let width = (maximum - minimum) / Double(Self.binCount)
        var below = 0.0
        for (bin, size) in histogram.enumerated() where size > 0 {
            if below + Double(size) >= target {
                let inside = (target - below) / Double(size)
                return Swift.min(minimum + (Double(bin) + inside) * width, maximum)
            }
            below += Double(size)
        }
        return maximum
    }
}
