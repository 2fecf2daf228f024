import Activations
import LinearAlgebra
import PolynomialConversion
import Testing
import TestSupport
@testable import Interpretability

/// The complexity curve's two R² estimates agree where they must: on samples drawn from the
/// Gaussian itself, the empirical R² of each degree converges to the exact Gaussian R².
@Suite("Complexity curve")
struct ComplexityCurveTests {
    /// A ReLU block under a correlated, shifted Gaussian, degrees 1–3, 10 batches of 20,000
    /// samples. The tolerance is 6 standard errors of the mean of the 10 batch estimates (a
    /// false failure has probability ≈ 2·10⁻⁴ per comparison for a t with 9 degrees of freedom;
    /// the seed is fixed, so the test is deterministic)
    /// plus 1e-4 for the ratio estimator's bias (O(1/N) = 5e-5 per batch). Measured: differences of
    /// 0.3e-3 against standard errors of 0.3–0.7e-3.
    @Test func empiricalRSquaredOnGaussianSamplesMatchesTheExactOne() throws {
        var generator = SeededGenerator(seed: 41)
        let (d, n, o) = (4, 6, 2)
        let block = try FeedforwardBlock(
            inputWeight: .randomNormal(rows: n, columns: d, using: &generator), inputBias: [0.3, -0.2, 0.1, 0, -0.4, 0.5],
            activation: .relu,
            outputWeight: .randomNormal(rows: o, columns: n, using: &generator), outputBias: [0.1, -0.1])
        let a = Matrix<Double>.randomNormal(rows: d, columns: d, using: &generator)
        var covariance = a.multiplied(by: a, transposingOther: true)
        for i in 0 ..< d { covariance[i, i] += 0.5 }
        let distribution = try GaussianDistribution(mean: [0.5, -0.3, 0.2, 0], covariance: covariance)
        let factor = try covariance.choleskyFactor()

        let batches = try (0 ..< 10).map { _ -> ComplexityCurve.Point in
            var x = Matrix<Double>.randomNormal(rows: 20_000, columns: d, using: &generator)
                .multiplied(by: factor, transposingOther: true)
            x.addToEachRow(distribution.mean)
            return try ComplexityCurve.point(step: 0, block: block, distribution: distribution, inputs: x, maxDegree: 3)
        }
        let exact = batches[0].underGaussian
        #expect(exact.count == 3 && exact[0] < exact[1] && exact[1] <= exact[2])
        for degree in 0 ..< 3 {
            let estimates = batches.map { $0.onData[degree] }
            let mean = estimates.reduce(0, +) / 10
            let standardError = (estimates.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 9 / 10).squareRoot()
            #expect(abs(mean - exact[degree]) <= 6 * standardError + 1e-4,
                    "degree \(degree + 1): data \(mean) ± \(standardError) vs Gaussian \(exact[degree])")
        }
    }

    /// An affine block (identity activation) is its own linear approximant: R² = 1 at every
    /// degree, on any data and under the Gaussian (to rounding, 1e-12).
    @Test func affineBlockIsFullyExplainedAtEveryDegree() throws {
        var generator = SeededGenerator(seed: 42)
        let block = try FeedforwardBlock(
            inputWeight: .randomNormal(rows: 5, columns: 3, using: &generator), inputBias: [0, 1, 0, -1, 0],
            activation: .identity,
            outputWeight: .randomNormal(rows: 2, columns: 5, using: &generator), outputBias: [0, 0])
        let inputs = Matrix<Double>.randomUniform(rows: 300, columns: 3, in: -2 ... 2, using: &generator)
        let point = try ComplexityCurve.point(step: 7, block: block, distribution: .standard(3), inputs: inputs, maxDegree: 4)
        #expect(point.step == 7)
        expectClose(point.onData + point.underGaussian, [Double](repeating: 1, count: 8), absolute: 1e-12)
    }

    @Test func degreesHaveNames() {
        #expect((1 ... 5).map(ComplexityCurve.degreeName) == ["linear", "quadratic", "cubic", "quartic", "degree 5"])
    }
}
