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
    /// itself: compared at random points to 1e-12 relative (a few roundings of O(1) values).
    @Test func identityActivationIsReproducedExactly() throws {
        var generator = SeededGenerator(seed: 11)
        let block = try RandomBlocks.block(inputs: 5, hidden: 7, outputs: 3, activation: .identity, using: &generator)
        let distribution = try RandomBlocks.gaussian(dimension: 5, using: &generator)
        let x = Matrix<Double>.randomNormal(rows: 50, columns: 5, standardDeviation: 2, using: &generator)
        for degree in 1 ... 3 {
            let approximant = try PolynomialApproximant(of: block, degree: degree, under: distribution)
            expectClose(approximant(x), block(x), absolute: 1e-12, relative: 1e-12)
            let variance = try approximant.gaussianVariance()
            expectClose(variance.rSquared(), [1, 1, 1], absolute: 1e-12)
        }
        // The explicit form is W₂W₁ and W₂b₁ + b₂.
        let explicit = try PolynomialApproximant(of: block, degree: 2, under: distribution).explicitCoefficients()
        expectClose(explicit.linear, block.outputWeight.multiplied(by: block.inputWeight), absolute: 1e-12, relative: 1e-12)
        let constant = zip(block.outputWeight.multiplied(by: block.inputBias), block.outputBias).map { $0 + $1 }
        expectClose(explicit.constant, constant, absolute: 1e-12, relative: 1e-12)
        for q in explicit.quadratic { expectClose(q, Matrix(rows: 5, columns: 5), absolute: 1e-12) }
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
