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
    /// the seed is fixed, so the test is deterministic) plus a bound on the bias of the ratio
    /// estimator R̂ = 1 − Ā/B̄ (a = Σₒ(f − p)², b = Σₒ(f − f̄)² per sample, pooled over outputs):
    /// to first order E[Ā/B̄] − A/B = (A/B)·(Var b/(N·B²) − Cov(a, b)/(N·A·B) + 1/N) (the last term
    /// from estimating f̄), so |bias| ≤ (A/B)(|Cov(a, b)|/(AB) + Var b/B² + 1)/N per batch, with
    /// moments from the batch itself; doubled to cover the O(N⁻²) remainder, smaller by a factor
    /// of order kurtosis/N ≈ 10⁻³.
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
        let approximants = try (1 ... 3).map { try PolynomialApproximant(of: block, degree: $0, under: distribution) }

        let batches = try (0 ..< 10).map { _ -> (point: ComplexityCurve.Point, bias: [Double]) in
            var x = Matrix<Double>.randomNormal(rows: 20_000, columns: d, using: &generator)
                .multiplied(by: factor, transposingOther: true)
            x.addToEachRow(distribution.mean)
            let point = try ComplexityCurve.point(step: 0, block: block, distribution: distribution, inputs: x, maxDegree: 3)
            return (point, Self.ratioBiasBounds(block(x), approximants.map { $0(x) }))
        }
        let exact = batches[0].point.underGaussian
        #expect(exact.count == 3 && exact[0] < exact[1] && exact[1] <= exact[2])
        for degree in 0 ..< 3 {
            let estimates = batches.map { $0.point.onData[degree] }
            let mean = estimates.reduce(0, +) / 10
            let standardError = (estimates.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 9 / 10).squareRoot()
            let bias = batches.map { $0.bias[degree] }.max()!
            #expect(abs(mean - exact[degree]) <= 6 * standardError + bias,
                    "degree \(degree + 1): data \(mean) ± \(standardError) (bias ≤ \(bias)) vs Gaussian \(exact[degree])")
        }
    }

    /// Twice the first-order bias bound of 1 − Ā/B̄ for each approximation (see above).
    static func ratioBiasBounds(_ f: Matrix<Double>, _ approximations: [Matrix<Double>]) -> [Double] {
        let (count, outputs) = (f.rows, f.columns)
        let means = (0 ..< outputs).map { o in (0 ..< count).reduce(0.0) { $0 + f[$1, o] } / Double(count) }
        let b = (0 ..< count).map { i in (0 ..< outputs).reduce(0.0) { $0 + (f[i, $1] - means[$1]) * (f[i, $1] - means[$1]) } }
        func moments(_ v: [Double]) -> (mean: Double, variance: Double) {
            let mean = v.reduce(0, +) / Double(v.count)
            return (mean, v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count))
        }
        let (bMean, bVariance) = moments(b)
        return approximations.map { p in
            let a = (0 ..< count).map { i in (0 ..< outputs).reduce(0.0) { $0 + (f[i, $1] - p[i, $1]) * (f[i, $1] - p[i, $1]) } }
            let (aMean, _) = moments(a)
            let covariance = zip(a, b).reduce(0.0) { $0 + ($1.0 - aMean) * ($1.1 - bMean) } / Double(count)
            let ratio = aMean / bMean
            return 2 * ratio * (abs(covariance) / (aMean * bMean) + bVariance / (bMean * bMean) + 1) / Double(count)
        }
    }

    /// An affine block (identity activation) is its own linear approximant: R² = 1 at every
    /// degree, on any data and under the Gaussian, up to (u = 2⁻⁵³, n = 5 units, μ = 0, Σ = I,
    /// so mₙ = b₁ₙ and sₙ = ‖wₙ‖; the analysis of ClosedFormTests.identityActivationIsReproducedExactly):
    /// - on data, 1 − R² = ΣΣ(f − p)²/T with the closed-form approximant within
    ///   δ = 4γ_{n+6}·(|W₂|(H + 2|b₁|) + |b₂|) of the block (H = |W₁||x| + |b₁|): ≤ Σδ²/T;
    /// - under the Gaussian, explained and total variance differ by the quadrature of the unit
    ///   variances (1e-12·(mₙ² + sₙ²), the library's projection tolerance) against sₙ²ρₙₙ (4u·sₙ²)
    ///   and the rounding of the quadratic forms (2γ_{n+1}·|W₂||C||W₂|ᵀ, C = W₁W₁ᵀ), pooled over
    ///   outputs.
    @Test func affineBlockIsFullyExplainedAtEveryDegree() throws {
        var generator = SeededGenerator(seed: 42)
        let block = try FeedforwardBlock(
            inputWeight: .randomNormal(rows: 5, columns: 3, using: &generator), inputBias: [0, 1, 0, -1, 0],
            activation: .identity,
            outputWeight: .randomNormal(rows: 2, columns: 5, using: &generator), outputBias: [0, 0])
        let inputs = Matrix<Double>.randomUniform(rows: 300, columns: 3, in: -2 ... 2, using: &generator)
        let point = try ComplexityCurve.point(step: 7, block: block, distribution: .standard(3), inputs: inputs, maxDegree: 4)
        #expect(point.step == 7)
        let (w1, w2, b1) = (block.inputWeight, block.outputWeight, block.inputBias)
        let u = 0x1p-53
        let gamma = { (k: Int) in Double(k) * u / (1 - Double(k) * u) }
        var deltaSquares = 0.0, total = 0.0
        let outputs = block(inputs)
        for o in 0 ..< 2 {
            let column = outputs.column(o), mean = column.reduce(0, +) / 300
            total += column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        }
        for i in 0 ..< 300 {
            for o in 0 ..< 2 {
                let magnitude = (0 ..< 5).reduce(0.0) { sum, k in
                    let h = (0 ..< 3).reduce(abs(b1[k])) { $0 + abs(w1[k, $1] * inputs[i, $1]) }
                    return sum + abs(w2[o, k]) * (h + 2 * abs(b1[k]))
                }
                let delta = 4 * gamma(5 + 6) * magnitude
                deltaSquares += delta * delta
            }
        }
        // T is computed within γ₆₀₀ ≪ 1e-10 relative; plus 2u for the final division and 1 − E/T.
        let dataBound = deltaSquares / (total * (1 - 1e-10)) + 2 * u
        let c = w1.multiplied(by: w1, transposingOther: true)  // exact products of one row pair: C within γ₃
        var numerator = 0.0, gaussianTotal = 0.0
        for o in 0 ..< 2 {
            for k in 0 ..< 5 {
                let s2 = c[k, k]
                numerator += w2[o, k] * w2[o, k] * (1e-12 * (b1[k] * b1[k] + s2) + 4 * u * s2)
                for l in 0 ..< 5 {
                    numerator += 2 * gamma(5 + 1) * abs(w2[o, k] * c[k, l] * w2[o, l]) * (1 + 2 * gamma(3))
                    gaussianTotal += w2[o, k] * c[k, l] * w2[o, l]
                }
            }
        }
        let gaussianBound = numerator / (gaussianTotal * (1 - 1e-10)) + 2 * u
        expectClose(point.onData, [Double](repeating: 1, count: 4), absolute: dataBound)
        expectClose(point.underGaussian, [Double](repeating: 1, count: 4), absolute: gaussianBound)
    }

    @Test func degreesHaveNames() {
        #expect((1 ... 5).map(ComplexityCurve.degreeName) == ["linear", "quadratic", "cubic", "quartic", "degree 5"])
    }
}
