import Activations
import LinearAlgebra
import Polynomials
import Testing
import TestSupport
@testable import PolynomialConversion

/// Identities that hold exactly (to rounding) and need no sampling.
@Suite("Closed-form identities of the approximants")
struct ClosedFormTests {
    /// An identity-activation block is affine, so every approximant of degree ≥ 1 is the block
    /// itself. The identity's projection is the closed form c₀ = m, c₁ = s, cⱼ = 0 (j ≥ 2),
    /// formed without rounding, so only evaluation separates the two (u = 2⁻⁵³, n = 7 units,
    /// d = 5 inputs, H = |W₁||x| + |b₁| ≥ |h|, M = |W₁||μ| + |b₁| ≥ |m|):
    /// - p(x): a unit's m + s·((h − m)·fl(1/s)) is h within 5u·(|h| + |m|), and both sides
    ///   apply n-term products with W₂: |Δy| ≤ 2γ_{n+1}(|W₂||h| + |b₂|) + 5u·|W₂|(|h| + |m|)
    ///   ≤ 4γ_{n+6}·(|W₂|(H + 2M) + |b₂|).
    /// - explicit linear = (W₂·diag(s))·(diag(1/s)·W₁) against W₂W₁: three roundings per term
    ///   and an n-term sum on each side, 2γ_{n+3}·|W₂||W₁|.
    /// - explicit constant = b₂ + W₂m − linear·μ against W₂b₁ + b₂ (W₂W₁μ cancels): each term
    ///   within γ_{n+d+3} of its magnitude, 3γ_{n+d+3}·(|W₂|(|W₁||μ| + |b₁|) + |b₂|).
    /// - quadratic: Σₙ (W₂[o,n]·c₂ₙ)·aₙaₙᵀ with c₂ₙ = 0, exactly zero.
    /// - R²: explained and total variance share the off-diagonal kernel Cₙₙ′ = Cov(hₙ, hₙ′)
    ///   and differ on the diagonal, where the total uses Var hₙ = E[hₙ²] − mₙ² by quadrature
    ///   (the square has no closed form), checked by the library to 1e-12 relative
    ///   (`Activation.projectionTolerance`), so within 1e-12·(mₙ² + sₙ²), against sₙ²·ρₙₙ
    ///   (within 4u·sₙ²). Each quadratic form W₂[o,:]·K·W₂[o,:]ᵀ adds γ_{n+1}·(|W₂||C||W₂|ᵀ)ₒₒ.
    @Test func identityActivationIsReproducedExactly() throws {
        var generator = SeededGenerator(seed: 11)
        let block = try RandomBlocks.block(inputs: 5, hidden: 7, outputs: 3, activation: .identity, using: &generator)
        let distribution = try RandomBlocks.gaussian(dimension: 5, using: &generator)
        let x = Matrix<Double>.randomNormal(rows: 50, columns: 5, standardDeviation: 2, using: &generator)
        let (n, d) = (7, 5)
        let u = unitRoundoff(Double.self)
        let (w1, w2) = (block.inputWeight, block.outputWeight)
        let meanMagnitude = RoundingBounds.affineMagnitude(w1, distribution.mean, block.inputBias)
        var hidden = RoundingBounds.preactivationMagnitude(x, weight: w1, bias: block.inputBias)
        for i in 0 ..< hidden.rows { for k in 0 ..< n { hidden[i, k] += 2 * meanMagnitude[k] } }
        let evaluationBound = RoundingBounds.outputMagnitude(hidden, of: block).map { 4 * gamma(n + 6, Double.self) * $0 }
        // C = W₁ΣW₁ᵀ, the covariance of the pre-activations, for the R² bound.
        let covariance = Matrix<Double>(rows: n, columns: n, elements: ContiguousArray((0 ..< n * n).map { index in
            let (k, l) = (index / n, index % n)
            return (0 ..< d).reduce(0.0) { sum, i in sum + (0 ..< d).reduce(0.0) { $0 + w1[k, i] * distribution.covariance[i, $1] * w1[l, $1] } }
        }))
        let magnitudeOfForms = magnitudeProduct(magnitudeProduct(w2, covariance), w2, transposingB: true)
        for degree in 1 ... 3 {
            let approximant = try PolynomialApproximant(of: block, degree: degree, under: distribution)
            expectClose(approximant(x), block(x), within: evaluationBound, "degree \(degree)")
            let variance = try approximant.gaussianVariance()
            let (m, s) = (approximant.preactivationMean, approximant.preactivationStandardDeviation)
            let bounds = (0 ..< 3).map { o in
                let diagonal = (0 ..< n).reduce(0.0) { sum, k in
                    sum + w2[o, k] * w2[o, k] * (1e-12 * (m[k] * m[k] + s[k] * s[k]) + 4 * u * s[k] * s[k])
                }
                return (diagonal + 2 * gamma(n + 1, Double.self) * magnitudeOfForms[o, o]) / variance.total[o]
            }
            expectClose(variance.rSquared(), [1, 1, 1], within: bounds, "degree \(degree)")
        }
        // The explicit form is W₂W₁ and W₂b₁ + b₂.
        let explicit = try PolynomialApproximant(of: block, degree: 2, under: distribution).explicitCoefficients()
        expectClose(explicit.linear, w2.multiplied(by: w1),
                    within: magnitudeProduct(w2, w1).map { 2 * gamma(n + 3, Double.self) * $0 })
        let constant = zip(w2.multiplied(by: block.inputBias), block.outputBias).map { $0 + $1 }
        let constantBound = RoundingBounds.affineMagnitude(w2, meanMagnitude, block.outputBias)
            .map { 3 * gamma(n + d + 3, Double.self) * $0 }
        expectClose(explicit.constant, constant, within: constantBound)
        for q in explicit.quadratic { expectClose(q, Matrix(rows: 5, columns: 5), absolute: 0) }
    }

    /// Zero-bias ReLU at μ = 0: every pre-activation has mean 0, E[ReLU′] = ½, so B = ½·W₂·W₁
    /// for any covariance; E[ReLU″(h)] = φ(0)/s, so Q_o = ½W₁ᵀdiag(W₂[o,:]⊙φ(0)/s)W₁.
    @Test func zeroBiasReLUAtZeroMeanHasHalfTheLinearMap() throws {
        var generator = SeededGenerator(seed: 12)
        let random = try RandomBlocks.block(inputs: 6, hidden: 8, outputs: 3, activation: .relu, using: &generator)
        let block = try FeedforwardBlock(inputWeight: random.inputWeight, inputBias: [Double](repeating: 0, count: 8),
                                         activation: .relu, outputWeight: random.outputWeight, outputBias: random.outputBias)
        let shifted = try RandomBlocks.gaussian(dimension: 6, using: &generator)
        let centred = try GaussianDistribution(mean: [Double](repeating: 0, count: 6), covariance: shifted.covariance)
        for degree in 1 ... 2 {
            let explicit = try PolynomialApproximant(of: block, degree: degree, under: centred).explicitCoefficients()
            expectClose(explicit.linear, 0.5 * block.outputWeight.multiplied(by: block.inputWeight), absolute: 1e-14, relative: 1e-13)
        }
        let approximant = try PolynomialApproximant(of: block, degree: 2, under: centred)
        let q = try approximant.explicitCoefficients().quadratic
        let density = 1 / (2 * Double.pi).squareRoot()
        for o in 0 ..< 3 {
            var scaled = block.inputWeight
            scaled.scaleRows(by: (0 ..< 8).map { 0.5 * block.outputWeight[o, $0] * density / approximant.preactivationStandardDeviation[$0] })
            expectClose(q[o], scaled.multiplied(by: block.inputWeight, transposingSelf: true), absolute: 1e-14, relative: 1e-12)
        }
    }

    /// For any Gaussian the degree-1 linear term is W₂·diag(E[σ′(h)])·W₁ (Stein). The reference
    /// E[σ′(m + sZ)] is Gauss–Hermite quadrature of the derivative itself, independent of the
    /// Hermite projection; its own error is estimated as |Q₁₀₀₀ − Q₄₀₀| (slow for tanh and sigmoid,
    /// whose poles lie π/(2s) from the real axis) and the comparison allows 10× that plus 1e-12.
    /// The matrix identity itself holds to rounding (1e-12 relative).
    @Test(arguments: ["gelu", "sigmoid", "tanh", "silu"])
    func linearTermIsTheAverageJacobian(_ name: String) throws {
        let activation = try Activation.named(name)
        var generator = SeededGenerator(seed: 13)
        let block = try RandomBlocks.block(inputs: 5, hidden: 6, outputs: 2, activation: activation, using: &generator)
        let distribution = try RandomBlocks.gaussian(dimension: 5, using: &generator)
        let approximant = try PolynomialApproximant(of: block, degree: 1, under: distribution)
        let (fine, coarse) = (try GaussHermiteQuadrature(nodeCount: 1000), try GaussHermiteQuadrature(nodeCount: 400))
        let ours = (0 ..< 6).map { approximant.coefficients[$0, 1] / approximant.preactivationStandardDeviation[$0] }
        for n in 0 ..< 6 {
            let slope = { (z: Double) in
                activation.derivative(approximant.preactivationMean[n] + approximant.preactivationStandardDeviation[n] * z)
            }
            let reference = fine.expectation(slope)
            let referenceError = abs(reference - coarse.expectation(slope))
            #expect(abs(ours[n] - reference) <= 1e-12 + 10 * referenceError, "unit \(n): \(ours[n]) vs \(reference) ± \(referenceError)")
        }
        var expected = block.outputWeight
        expected.multiplyEachRow(by: ours)
        expectClose(try approximant.explicitCoefficients().linear, expected.multiplied(by: block.inputWeight),
                    absolute: 1e-14, relative: 1e-12)
    }

    /// The explicit form of degree 2 equals the factorized form at any point (μ ≠ 0, GLU too);
    /// both are the same polynomial, so only rounding separates them (1e-10 relative).
    @Test(arguments: [false, true])
    func explicitAndFactorizedFormsAgree(_ gated: Bool) throws {
        var generator = SeededGenerator(seed: gated ? 15 : 14)
        let block = try RandomBlocks.block(inputs: 5, hidden: 7, outputs: 3, activation: .gelu, gated: gated, using: &generator)
        let distribution = try RandomBlocks.gaussian(dimension: 5, using: &generator)
        let x = Matrix<Double>.randomNormal(rows: 40, columns: 5, standardDeviation: 1.5, using: &generator)
        for degree in 0 ... 2 {
            let approximant = try PolynomialApproximant(of: block, degree: degree, under: distribution)
            let explicit = try approximant.explicitCoefficients()
            expectClose(explicit(x), approximant(x), absolute: 1e-10, relative: 1e-10)
            let withoutQuadratic = try approximant.explicitCoefficients(includingQuadratic: false)
            expectClose(withoutQuadratic.linear, explicit.linear, absolute: 1e-13, relative: 1e-12)
            expectClose(withoutQuadratic.constant, explicit.constant, absolute: 1e-13, relative: 1e-12)
        }
    }

    /// A bilinear block (σ = identity, gated) is exactly quadratic: degree 2 reproduces it.
    @Test func bilinearBlockIsExactlyQuadratic() throws {
        var generator = SeededGenerator(seed: 16)
        let block = try RandomBlocks.block(inputs: 4, hidden: 5, outputs: 2, activation: .identity, gated: true, using: &generator)
        let distribution = try RandomBlocks.gaussian(dimension: 4, using: &generator)
        let x = Matrix<Double>.randomNormal(rows: 30, columns: 4, standardDeviation: 2, using: &generator)
        let approximant = try PolynomialApproximant(of: block, degree: 2, under: distribution)
        expectClose(approximant(x), block(x), absolute: 1e-11, relative: 1e-11)
        expectClose(try approximant.explicitCoefficients()(x), block(x), absolute: 1e-10, relative: 1e-10)
        let r2 = try approximant.gaussianVariance().rSquared()
        expectClose(r2, [1, 1], absolute: 1e-12)
    }

    /// Degenerate units (w in the null space of Σ) are constant and do not break anything; the
    /// approximant of a block whose every unit is degenerate is the constant block value.
    @Test func degenerateUnitsAreConstant() throws {
        let w1 = Matrix<Double>([[0, 1], [0, -2]])
        let block = try FeedforwardBlock(inputWeight: w1, inputBias: [0.3, -0.4], activation: .relu,
                                         outputWeight: Matrix([[1, 2]]), outputBias: [0.5])
        let distribution = try GaussianDistribution(mean: [1, 0], covariance: Matrix([[2, 0], [0, 0]]))
        let approximant = try PolynomialApproximant(of: block, degree: 2, under: distribution)
        #expect(approximant.preactivationStandardDeviation == [0, 0])
        let x = Matrix<Double>([[3, 0], [-1, 0]])
        expectClose(approximant(x), block(x), absolute: 1e-15)
        #expect(try approximant.gaussianVariance().total == [0])
    }
}

/// The total variance does not depend on how far the off-diagonal Mehler series is summed,
/// beyond the tail bound it reports: truncations 64, 300, 301 and 1000 (where √J! overflows
/// Double, which once turned every R² into 1) agree within the sum of their bounds plus
/// rounding. Rounding: each total is a sum of n² kernel entries, each a sum of ≤ J + 1 terms
/// of size ≤ the total, so J·n²·ε relative (1000·25·2.2e-16 ≈ 6e-12) bounds it; 1e-11 is used.
@Suite("Variance truncation")
struct VarianceTruncationTests {
    @Test(arguments: [false, true])
    func totalsAgreeAcrossTruncations(gated: Bool) throws {
        var generator = SeededGenerator(seed: 31)
        let block = try RandomBlocks.block(inputs: 6, hidden: 5, outputs: 3, activation: .relu, gated: gated, using: &generator)
        let distribution = try RandomBlocks.gaussian(dimension: 6, using: &generator)
        let approximant = try PolynomialApproximant(of: block, degree: 2, under: distribution)
        let reference = try approximant.gaussianVariance(truncation: 1000)
        for truncation in [64, 300, 301, 1000] {
            let variance = try approximant.gaussianVariance(truncation: truncation)
            // A GLU projects to J + 1 ≤ 1000, so its J stops at 999.
            #expect(variance.truncation == min(truncation, gated ? 999 : 1000))
            for o in 0 ..< 3 {
                #expect(variance.total[o].isFinite && variance.totalErrorBound[o].isFinite)
                let allowed = variance.totalErrorBound[o] + reference.totalErrorBound[o] + 1e-11 * reference.total[o]
                #expect(abs(variance.total[o] - reference.total[o]) <= allowed)
            }
            let pooled = variance.pooledRSquared()
            // ReLU is not a quadratic: degree-2 R² is below 1 by more than rounding.
            #expect(pooled > 0 && pooled < 1 - 1e-6)
            // R² = explained/total with the same explained part: its relative change is the
            // total's, at most the bounds' share of the total (doubled for second order).
            let bounds = variance.totalErrorBound.reduce(0, +) + reference.totalErrorBound.reduce(0, +)
            let relative = bounds / reference.total.reduce(0, +) + 1e-11
            #expect(abs(pooled - reference.pooledRSquared()) <= 2 * relative)
        }
        // The tail bound shrinks as the series is summed further.
        #expect(try approximant.gaussianVariance(truncation: 300).totalErrorBound.max()! <=
                approximant.gaussianVariance(truncation: 64).totalErrorBound.max()!)
    }
}
