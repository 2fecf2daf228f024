import Activations
import LinearAlgebra
@testable import PolynomialConversion

/// Small random blocks and Gaussians for the reference tests (seeded).
enum RandomBlocks {
    /// An MLP (or, with `gated`, a GLU) block d → n → o with pre-activations of order 1.
    static func block<G: RandomNumberGenerator>(
        inputs d: Int, hidden n: Int, outputs o: Int, activation: Activation, gated: Bool = false,
        using generator: inout G
    ) throws -> FeedforwardBlock {
        let scale = 1 / Double(d).squareRoot()
        let gate = gated
            ? (weight: Matrix<Double>.randomNormal(rows: n, columns: d, standardDeviation: scale, using: &generator),
               bias: Matrix<Double>.randomNormal(rows: 1, columns: n, standardDeviation: 0.5, using: &generator).row(0))
            : nil
        return try FeedforwardBlock(
            inputWeight: .randomNormal(rows: n, columns: d, standardDeviation: 1.5 * scale, using: &generator),
            inputBias: Matrix<Double>.randomNormal(rows: 1, columns: n, standardDeviation: 0.5, using: &generator).row(0),
            activation: activation, linearBranch: gate,
            outputWeight: .randomNormal(rows: o, columns: n, standardDeviation: 1 / Double(n).squareRoot(), using: &generator),
            outputBias: Matrix<Double>.randomNormal(rows: 1, columns: o, using: &generator).row(0))
    }

    /// N(μ, Σ) with μ ≠ 0 and a correlated Σ = AAᵀ/d + 0.2·I.
    static func gaussian<G: RandomNumberGenerator>(dimension d: Int, using generator: inout G) throws -> GaussianDistribution {
        let a = Matrix<Double>.randomNormal(rows: d, columns: d, using: &generator)
        var covariance = a.multiplied(by: a, transposingOther: true)
        covariance.scale(by: 1 / Double(d))
        for i in 0 ..< d { covariance[i, i] += 0.2 }
        let mean = Matrix<Double>.randomNormal(rows: 1, columns: d, standardDeviation: 0.7, using: &generator).row(0)
        return try GaussianDistribution(mean: mean, covariance: covariance)
    }
}
