import LinearAlgebra

/// The exact variance of a block's outputs under a Gaussian, split by Hermite degree.
///
/// Degree-j components of different degrees are uncorrelated, so the variance of the
/// degree-k approximant is the sum of the first k components and its R² is that sum over
/// the total (the approximant is an orthogonal projection, so 1 − R² is its relative
/// mean squared error).
public struct GaussianVarianceDecomposition: Sendable, Equatable {
    /// degree × outputs: row j − 1 is the variance of each output's degree-j component.
    public let components: Matrix<Double>
    /// The total variance of each output of the block, Var fₒ(x).
    public let total: [Double]
    /// A rigorous bound on |Var fₒ − total[o]| from truncating the off-diagonal Mehler series.
    public let totalErrorBound: [Double]
    /// The degree J at which the off-diagonal series was truncated (diagonal terms are exact).
    public let truncation: Int

    /// R² of the approximant of degree `degree` (default: all components) for each output.
    public func rSquared(degree: Int? = nil) -> [Double] {
        let k = Swift.min(degree ?? components.rows, components.rows)
        return total.indices.map { o in
            guard total[o] > 0 else { return 1 }
            return (0 ..< k).reduce(0) { $0 + components[$1, o] } / total[o]
        }
    }

    /// R² pooled over outputs: explained variance summed over outputs over total variance.
    public func pooledRSquared(degree: Int? = nil) -> Double {
        let k = Swift.min(degree ?? components.rows, components.rows)
        let explained = (0 ..< k).reduce(0.0) { sum, j in sum + components.row(j).reduce(0, +) }
        let variance = total.reduce(0, +)
        return variance > 0 ? explained / variance : 1
    }
}
