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
        // Rounding (u = 2⁻⁵³, 8 units): the library forms (W₂·diag(s·Φ(0)))·(diag(1/s)·W₁), Φ(0)
        // from libm's erfc within 2 ulps of ½, so each term is within 6u and the sum within γ₈;
        // the reference ½·W₂W₁ is within γ₈ too (halving is exact). Qμ vanishes exactly (μ = 0).
        let linearBound = magnitudeProduct(block.outputWeight, block.inputWeight).map { 0.5 * 2 * gamma(8 + 6, Double.self) * $0 }
        for degree in 1 ... 2 {
            let explicit = try PolynomialApproximant(of: block, degree: degree, under: centred).explicitCoefficients()
            expectClose(explicit.linear, 0.5 * block.outputWeight.multiplied(by: block.inputWeight), within: linearBound)
        }
        let approximant = try PolynomialApproximant(of: block, degree: 2, under: centred)
        let q = try approximant.explicitCoefficients().quadratic
        let density = 1 / (2 * Double.pi).squareRoot()
        for o in 0 ..< 3 {
            var scaled = block.inputWeight
            scaled.scaleRows(by: (0 ..< 8).map { 0.5 * block.outputWeight[o, $0] * density / approximant.preactivationStandardDeviation[$0] })
            // Each term W₁[n,i]·(½W₂[o,n]φ(0)/sₙ)·W₁[n,j] is formed with at most 12 roundings on
            // either side (φ(0) and 1/√(2π) within 3 ulps; scalings by 1/s; products), and
            // summed over 8 units: 2γ₂₀ times the sum of the terms' magnitudes.
            let bound = magnitudeProduct(scaled, block.inputWeight, transposingA: true).map { 2 * gamma(8 + 12, Double.self) * $0 }
            expectClose(q[o], scaled.multiplied(by: block.inputWeight, transposingSelf: true), within: bound)
        }
    }

    /// For any Gaussian the degree-1 linear term is W₂·diag(E[σ′(h)])·W₁ (Stein). The reference
    /// E[σ′(m + sZ)] is Gauss–Hermite quadrature of the derivative itself, independent of the
    /// Hermite projection; its own error is estimated as |Q₁₀₀₀ − Q₄₀₀| (slow for tanh and sigmoid,
    /// whose poles lie π/(2s) from the real axis) and the comparison allows 10× that plus 1e-12.
    /// The matrix identity itself holds to rounding.
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
            // Ours: the library stops its quadrature when two rules agree to 1e-12 of the
            // largest coefficient (`Activation.projectionTolerance`; GELU's closed form is
            // tighter), so c₁/s is within 1e-12·max(|c₀|, |c₁|)/s, plus 2u for the division.
            // The reference: 10 error estimates, plus γ₁₀₀₀·E|σ′| for the rounding of its sum
            // (weights sum to 1).
            let (c0, c1) = (approximant.coefficients[n, 0], approximant.coefficients[n, 1])
            let oursError = 1e-12 * max(abs(c0), abs(c1)) / approximant.preactivationStandardDeviation[n]
                + 2 * unitRoundoff(Double.self) * abs(ours[n])
            let referenceRounding = gamma(1000, Double.self) * fine.expectation { abs(slope($0)) }
            #expect(abs(ours[n] - reference) <= oursError + 10 * referenceError + referenceRounding,
                    "unit \(n): \(ours[n]) vs \(reference) ± \(referenceError)")
        }
        var expected = block.outputWeight
        expected.multiplyEachRow(by: ours)
        // (W₂·diag(c₁))·(diag(1/s)·W₁) against (W₂·diag(c₁/s))·W₁: three roundings per term
        // and a 6-term sum on each side.
        expectClose(try approximant.explicitCoefficients().linear, expected.multiplied(by: block.inputWeight),
                    within: magnitudeProduct(expected, block.inputWeight).map { 2 * gamma(6 + 3, Double.self) * $0 })
    }

    /// The explicit form of degree 2 equals the factorized form at any point (μ ≠ 0, GLU too);
    /// both are the same polynomial of the same computed parameters, so only the rounding of
    /// forming and evaluating each separates them: each is within γ_K of the magnitude of its
    /// terms (`RoundingBounds.approximantMagnitude`), so they differ by at most twice that.
    /// The coefficients formed without the quadratic part are checked the same way, evaluated
    /// with the quadratic forms of the full explicit polynomial.
    @Test(arguments: [false, true])
    func explicitAndFactorizedFormsAgree(_ gated: Bool) throws {
        var generator = SeededGenerator(seed: gated ? 15 : 14)
        let block = try RandomBlocks.block(inputs: 5, hidden: 7, outputs: 3, activation: .gelu, gated: gated, using: &generator)
        let distribution = try RandomBlocks.gaussian(dimension: 5, using: &generator)
        let x = Matrix<Double>.randomNormal(rows: 40, columns: 5, standardDeviation: 1.5, using: &generator)
        for degree in 0 ... 2 {
            let operations = RoundingBounds.approximantOperationCount(inputs: 5, hidden: 7, degree: degree)
            let approximant = try PolynomialApproximant(of: block, degree: degree, under: distribution)
            let bound = RoundingBounds.approximantMagnitude(approximant, at: x).map { 2 * gamma(operations, Double.self) * $0 }
            let explicit = try approximant.explicitCoefficients()
            expectClose(explicit(x), approximant(x), within: bound, "degree \(degree)")
            let withoutQuadratic = try approximant.explicitCoefficients(includingQuadratic: false)
            let recombined = ExplicitPolynomial(constant: withoutQuadratic.constant, linear: withoutQuadratic.linear,
                                                quadratic: explicit.quadratic)
            expectClose(recombined(x), approximant(x), within: bound, "degree \(degree) without the quadratic part")
        }
    }

    /// A bilinear block (σ = identity, gated) is exactly quadratic: degree 2 reproduces it, to
    /// the rounding of both approximant forms (γ_K of their magnitude, as above) plus that of
    /// the block itself, W₂·(h ⊙ l) + b₂: γ_{d+n+3}·(|W₂|(H ⊙ L) + |b₂|) with H = |W₁||x| + |b₁|
    /// and L = |V||x| + |c|.
    @Test func bilinearBlockIsExactlyQuadratic() throws {
        var generator = SeededGenerator(seed: 16)
        let block = try RandomBlocks.block(inputs: 4, hidden: 5, outputs: 2, activation: .identity, gated: true, using: &generator)
        let distribution = try RandomBlocks.gaussian(dimension: 4, using: &generator)
        let x = Matrix<Double>.randomNormal(rows: 30, columns: 4, standardDeviation: 2, using: &generator)
        let approximant = try PolynomialApproximant(of: block, degree: 2, under: distribution)
        let branch = try #require(block.linearBranch)
        let (h, l) = (RoundingBounds.preactivationMagnitude(x, weight: block.inputWeight, bias: block.inputBias),
                      RoundingBounds.preactivationMagnitude(x, weight: branch.weight, bias: branch.bias))
        let blockBound = RoundingBounds.outputMagnitude(h * l, of: block).map { gamma(4 + 5 + 3, Double.self) * $0 }
        let bound = RoundingBounds.approximantMagnitude(approximant, at: x)
            .map { gamma(RoundingBounds.approximantOperationCount(inputs: 4, hidden: 5, degree: 2), Double.self) * $0 } + blockBound
        expectClose(approximant(x), block(x), within: bound)
        expectClose(try approximant.explicitCoefficients()(x), block(x), within: bound)
        // R² = 1 up to the unit variances and the rounding of the quadratic forms. Unit n's
        // output gₙ = hₙlₙ has its variance from quadrature of h² (the square has no closed
        // form), checked to 1e-12 relative to the largest coefficient of h², at most
        // Sₙ = mₙ² + 2|mₙ|sₙ + 2sₙ²; Var gₙ = m_l²·s₀ + 2m_lβ·s₁ + β²·s₂ + r·s₀ (s₂ = 2c₂ + c₀)
        // multiplies those errors by at most Bₙ = m_l² + 2|m_lβ| + 3β² + r, r the linear
        // branch's residual variance. Kernel entries are sums of products of orthonormal-basis
        // coefficients (squares summing to E[gₙ²]) and Gaussian inner products of unit-norm
        // functions, two families (Hermite and λ̃ terms): by Cauchy–Schwarz their absolute
        // sums are ≤ 2√(E[gₙ²]E[gₙ′²]), each within γ₈, and each quadratic form adds γ_{n+1}:
        // |R²ₒ − 1| ≤ (2·1e-12·Σₙ W₂[o,n]²SₙBₙ + 2γ_{n+9}·2(Σₙ|W₂[o,n]|√E[gₙ²])²)/totalₒ.
        let variance = try approximant.gaussianVariance()
        let (m, s, ml, beta) = (approximant.preactivationMean, approximant.preactivationStandardDeviation,
                                approximant.linearBranchMean, approximant.linearBranchSlope)
        let sigma = distribution.covariance
        func form(_ a: [Double], _ b: [Double]) -> Double {
            (0 ..< 4).reduce(0.0) { sum, i in sum + (0 ..< 4).reduce(0.0) { $0 + a[i] * sigma[i, $1] * b[$1] } }
        }
        let units = (0 ..< 5).map { n -> (errorScale: Double, secondMoment: Double) in
            let (w, v) = (block.inputWeight.row(n), branch.weight.row(n))
            let (lVariance, cross) = (form(v, v), form(w, v))
            let residual = max(lVariance - beta[n] * beta[n], 0)
            let scale = (m[n] * m[n] + 2 * abs(m[n]) * s[n] + 2 * s[n] * s[n])
                * (ml[n] * ml[n] + 2 * abs(ml[n] * beta[n]) + 3 * beta[n] * beta[n] + residual)
            let second = (m[n] * m[n] + s[n] * s[n]) * (ml[n] * ml[n] + lVariance) + 2 * cross * cross + 4 * m[n] * ml[n] * cross
            return (scale, second)
        }
        let w2 = block.outputWeight
        let r2Bounds = (0 ..< 2).map { o -> Double in
            let quadrature = 2 * 1e-12 * (0 ..< 5).reduce(0.0) { $0 + w2[o, $1] * w2[o, $1] * units[$1].errorScale }
            let spread = (0 ..< 5).reduce(0.0) { $0 + abs(w2[o, $1]) * units[$1].secondMoment.squareRoot() }
            return (quadrature + 2 * gamma(5 + 9, Double.self) * 2 * spread * spread) / variance.total[o]
        }
        expectClose(variance.rSquared(), [1, 1], within: r2Bounds)
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
        // Every sum here has one nonzero term (x₂ = 0 and the weights' zeros), so both sides
        // round only fl(0.3·1 + 0.5) the same way: exact on any machine.
        expectClose(approximant(x), block(x), absolute: 0)
        #expect(try approximant.gaussianVariance().total == [0])
    }
}

/// The total variance does not depend on how far the off-diagonal Mehler series is summed,
/// beyond the tail bound it reports: truncations 64, 300, 301 and 1000 (where √J! overflows
/// Double, which once turned every R² into 1) agree within the sum of their tail bounds plus
/// each computation's own error (`RoundingBounds.varianceErrorBound`: the projections'
/// documented 1e-12 accuracy and the rounding of the kernel sums over J + 1 degrees and of
/// the quadratic forms).
@Suite("Variance truncation")
struct VarianceTruncationTests {
    @Test(arguments: [false, true])
    func totalsAgreeAcrossTruncations(gated: Bool) throws {
        var generator = SeededGenerator(seed: 31)
        let block = try RandomBlocks.block(inputs: 6, hidden: 5, outputs: 3, activation: .relu, gated: gated, using: &generator)
        let distribution = try RandomBlocks.gaussian(dimension: 6, using: &generator)
        let approximant = try PolynomialApproximant(of: block, degree: 2, under: distribution)
        let reference = try approximant.gaussianVariance(truncation: 1000)
        let referenceError = try RoundingBounds.varianceErrorBound(approximant, truncation: reference.truncation)
        for truncation in [64, 300, 301, 1000] {
            let variance = try approximant.gaussianVariance(truncation: truncation)
            // A GLU projects to J + 1 ≤ 1000, so its J stops at 999.
            #expect(variance.truncation == min(truncation, gated ? 999 : 1000))
            let error = try RoundingBounds.varianceErrorBound(approximant, truncation: variance.truncation)
            for o in 0 ..< 3 {
                #expect(variance.total[o].isFinite && variance.totalErrorBound[o].isFinite)
                let allowed = variance.totalErrorBound[o] + reference.totalErrorBound[o] + error[o] + referenceError[o]
                #expect(abs(variance.total[o] - reference.total[o]) <= allowed)
            }
            let pooled = variance.pooledRSquared()
            // ReLU is not a quadratic: degree-2 R² is below 1 by more than rounding.
            #expect(pooled > 0 && pooled < 1 - 1e-6)
            // R² = explained/total: explained and total each move by at most the bounds above,
            // so R² moves by at most (ΔE + R²·ΔT)/T ≤ 2·(their sum)/T (to first order; the
            // second-order term is smaller by the same tiny ratio).
            let bounds = variance.totalErrorBound.reduce(0, +) + reference.totalErrorBound.reduce(0, +)
                + error.reduce(0, +) + referenceError.reduce(0, +)
            let relative = bounds / reference.total.reduce(0, +)
            #expect(abs(pooled - reference.pooledRSquared()) <= 2 * relative * (1 + 2 * relative))
        }
        // The tail bound shrinks as the series is summed further.
        #expect(try approximant.gaussianVariance(truncation: 300).totalErrorBound.max()! <=
                approximant.gaussianVariance(truncation: 64).totalErrorBound.max()!)
    }
}
