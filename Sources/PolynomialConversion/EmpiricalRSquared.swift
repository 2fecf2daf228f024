import LinearAlgebra

/// The empirical R² of an approximation p of a model's outputs f on data:
/// R²ₒ = 1 − Σᵢ(fᵢₒ − pᵢₒ)² / Σᵢ(fᵢₒ − f̄ₒ)² per output, and pooled with both sums taken over
/// all outputs (each output weighs by its variance).
///
/// The rule for a constant output (Σᵢ(fᵢₒ − f̄ₒ)² = 0, and the same for the pooled sums): R² = 1
/// when the approximation reproduces it exactly and −∞ otherwise, since any error is then
/// infinitely worse than predicting the mean. (The exact Gaussian R² of
/// ``GaussianVarianceDecomposition`` and ``MixtureLinearFit`` is 1 for a constant output, which
/// a least-squares approximant always reproduces.)
///
/// Rows are added in batches; the sums are shifted by the first batch's means, which avoids the
/// cancellation in Σf² − (Σf)²/N.
///
/// ```swift
/// let r2 = EmpiricalRSquared(model: block(x), approximation: approximant(x))
/// r2.pooled   // 0.97
/// ```
public struct EmpiricalRSquared: Sendable, Equatable {
    private var shift: [Double]?
    private var sums: [Double]
    private var squares: [Double]
    private var residuals: [Double]
    /// The number of rows added.
    public private(set) var sampleCount = 0

    /// No rows yet, for a model of `outputs` outputs.
    public init(outputs: Int) {
        sums = [Double](repeating: 0, count: outputs)
        squares = sums
        residuals = sums
    }

    /// The R² of one batch.
    /// - Precondition: the two matrices have the same shape.
    public init(model: Matrix<Double>, approximation: Matrix<Double>) {
        self.init(outputs: model.columns)
        add(model: model, approximation: approximation)
    }

    /// Adds a batch of model outputs and their approximations (one sample per row).
    /// - Precondition: the two matrices have the same shape, one column per output.
    public mutating func add(model f: Matrix<Double>, approximation p: Matrix<Double>) {
        precondition(f.rows == p.rows && f.columns == p.columns && f.columns == sums.count,
                     "Model outputs \(f.rows)×\(f.columns) vs approximation \(p.rows)×\(p.columns) for \(sums.count) outputs")
        let center = shift ?? f.mean(over: .rows)
        shift = center
        for i in 0 ..< f.rows {
            for o in 0 ..< sums.count {
                let (value, error) = (f[i, o] - center[o], f[i, o] - p[i, o])
                sums[o] += value
                squares[o] += value * value
                residuals[o] += error * error
            }
        }
        sampleCount += f.rows
    }

    /// Σᵢ(fᵢₒ − f̄ₒ)² per output.
    private var totals: [Double] {
        let count = Double(Swift.max(sampleCount, 1))
        return sums.indices.map { squares[$0] - sums[$0] * sums[$0] / count }
    }

    /// R² per output.
    public var perOutput: [Double] {
        zip(residuals, totals).map { Self.rSquared(residual: $0, total: $1) }
    }

    /// R² pooled over outputs.
    public var pooled: Double {
        Self.rSquared(residual: residuals.reduce(0, +), total: totals.reduce(0, +))
    }

    /// 1 − residual/total, or for total ≤ 0 (a constant output) 1 when residual is 0 and −∞
    /// otherwise.
    public static func rSquared(residual: Double, total: Double) -> Double {
        total > 0 ? 1 - residual / total : (residual == 0 ? 1 : -.infinity)
    }
}
