// How this works and why.
//
// Block f(x) = W₂·g(x) + b₂ with x ~ N(μ, Σ). Unit n's pre-activation hₙ = wₙ·x + bₙ is Gaussian
// with mean mₙ = wₙ·μ + bₙ and variance sₙ² = wₙᵀΣwₙ, so uₙ = (hₙ − mₙ)/sₙ ~ N(0, 1) and
// σ(hₙ) = Σⱼ cₙⱼ·Heⱼ(uₙ), cₙⱼ = E[σ(mₙ + sₙZ)·Heⱼ(Z)]/j! (the activation's Gaussian projection).
// Hermite polynomials of a unit-variance linear form are orthogonal to every polynomial of lower
// degree in x, so truncating each unit's series at degree k gives the least-squares
// approximation of degree k of the whole block: a width-n network with polynomial activations.
//
// A GLU unit σ(hₙ)·lₙ with lₙ = vₙ·x + cₙ depends on two directions. Write
// lₙ = m_l + βₙuₙ + λ̃ₙ with βₙ = Cov(lₙ, uₙ) and λ̃ₙ independent of uₙ (a centred linear form).
// Using u·Heⱼ(u) = Heⱼ₊₁(u) + j·Heⱼ₋₁(u):
//   σ(hₙ)·lₙ = Σⱼ dₙⱼ·Heⱼ(uₙ) + λ̃ₙ·Σⱼ cₙⱼ·Heⱼ(uₙ),  dₙⱼ = m_l·cₙⱼ + βₙ·(cₙ,ⱼ₋₁ + (j+1)·cₙ,ⱼ₊₁),
// a 2-D Hermite expansion in which λ̃ₙ·Heⱼ(uₙ) has degree j + 1. Truncating at total degree k keeps
// dₙⱼ for j ≤ k and cₙⱼ for j ≤ k − 1. With σ the identity (bilinear) it is exact at k = 2.
//
// Degenerate units (sₙ = 0: wₙ in the null space of Σ) are constant: cₙ₀ = σ(mₙ), the rest 0.

import Activations
import LinearAlgebra

/// The least-squares polynomial approximation of degree k of a feedforward block under a
/// Gaussian input distribution, in factorized form (per-unit Hermite series).
///
/// For an MLP block, p(x) = b₂ + Σₙ W₂[:, n]·Σ_{j≤k} cₙⱼ·Heⱼ((wₙ·x + bₙ − mₙ)/sₙ) with
/// cₙⱼ = E[σ(mₙ + sₙZ)·Heⱼ(Z)]/j! — minimizing E‖f(x) − p(x)‖² over all polynomials of
/// degree ≤ k when x ~ N(μ, Σ) ([Converting MLPs into Polynomials in Closed Form][seed]).
/// GLU and bilinear blocks are handled exactly as well (see the file header).
///
/// ```swift
/// let p = try PolynomialApproximant(of: block, degree: 2, under: .standard(784))
/// let y = p(x)                                   // evaluate on a batch
/// let (c, b, q) = try p.explicitCoefficients()   // constant, linear, quadratic in x
/// let r2 = try p.gaussianVariance().rSquared()   // exact R² per output
/// ```
/// [seed]: https://arxiv.org/abs/2502.01032
public struct PolynomialApproximant: Sendable {
    /// The block being approximated.
    public let block: FeedforwardBlock
    /// The input distribution the approximation is optimal for.
    public let distribution: GaussianDistribution
    /// The degree k.
    public let degree: Int
    /// dₙⱼ (hidden × (k+1)): the coefficient of Heⱼ(uₙ) in unit n (cₙⱼ for an MLP).
    public let coefficients: Matrix<Double>
    /// For a GLU, cₙⱼ (hidden × k): the coefficient of λ̃ₙ·Heⱼ(uₙ); `nil` for an MLP.
    public let linearBranchCoefficients: Matrix<Double>?
    /// The Gaussian moments of the units' inputs (and W₁Σ, VΣ for the exact variance).
    let moments: UnitMoments

    /// mₙ = wₙ·μ + bₙ, the mean of each pre-activation.
    public var preactivationMean: [Double] { moments.mean }
    /// sₙ = √(wₙᵀΣwₙ), the standard deviation of each pre-activation (0 for degenerate units).
    public var preactivationStandardDeviation: [Double] { moments.standardDeviation }
    /// For a GLU, the mean of the linear branch vₙ·μ + cₙ (empty for an MLP).
    public var linearBranchMean: [Double] { moments.linearBranchMean }
    /// For a GLU, βₙ = Cov(vₙ·x, uₙ): the part of the linear branch along uₙ (empty for an MLP).
    public var linearBranchSlope: [Double] { moments.linearBranchSlope }

    /// The largest supported degree.
    public static let maximumDegree = 64

    /// Computes the degree-`degree` approximant of `block` under `distribution`.
    ///
    /// - Throws: `ConversionError.dimensionMismatch`, `.unsupportedDegree` outside
    ///   0...`maximumDegree`, `.projectionFailed` when an activation's Gaussian projection fails
    ///   (e.g. quadrature that does not converge).
    /// - Complexity: O(n·d²) for W₁Σ (skipped when Σ = I) and O(n·k) projections.
    public init(of block: FeedforwardBlock, degree: Int, under distribution: GaussianDistribution) throws {
        guard block.inputDimension == distribution.dimension else {
            throw ConversionError.dimensionMismatch(block: block.inputDimension, distribution: distribution.dimension)
        }
        guard (0 ... Self.maximumDegree).contains(degree) else {
            throw ConversionError.unsupportedDegree(degree, supported: 0 ... Self.maximumDegree,
                                                    reason: "the factorized form goes up to degree \(Self.maximumDegree)")
        }
        self.block = block
        self.distribution = distribution
        self.degree = degree
        moments = UnitMoments(block: block, distribution: distribution)
        let expansion = try moments.expansion(of: block.activation, degree: degree)
        coefficients = expansion.hermite
        linearBranchCoefficients = expansion.linear
    }

    /// p(x) for a batch of inputs (one sample per row).
    /// - Complexity: two gemms (X·W₁ᵀ, then ·W₂ᵀ; one more for a GLU) and O(N·n·k) elementwise.
    public func callAsFunction(_ inputs: Matrix<Double>) -> Matrix<Double> {
        block.output(fromHidden: hiddenValues(preactivations: block.preactivations(inputs),
                                              linearBranchValues: block.linearBranchValues(inputs)))
    }

    /// Each unit's polynomial Σⱼ dₙⱼHeⱼ(uₙ) (+ λ̃ₙ·Σⱼ cₙⱼHeⱼ(uₙ) for a GLU) from pre-activations
    /// h = W₁x + b₁ (and linear-branch values Vx + c), by the Hermite recurrence
    /// Heⱼ₊₁(u) = u·Heⱼ(u) − j·Heⱼ₋₁(u).
    func hiddenValues(preactivations h: Matrix<Double>, linearBranchValues l: Matrix<Double>?) -> Matrix<Double> {
        var result = Matrix<Double>(rows: h.rows, columns: h.columns)
        let (count, width, k) = (h.rows, h.columns, degree)
        let inverse = preactivationStandardDeviation.map { $0 > 0 ? 1 / $0 : 0 }
        let (mean, branchMean, branchSlope) = (moments.mean, moments.linearBranchMean, moments.linearBranchSlope)
        h.elements.withUnsafeBufferPointer { hp in
            result.withUnsafeMutableElements { out in
                coefficients.elements.withUnsafeBufferPointer { d in
                    for i in 0 ..< count {
                        for n in 0 ..< width {
                            let u = (hp[i * width + n] - mean[n]) * inverse[n]
                            var (previous, current) = (0.0, 1.0)
                            var sum = d[n * (k + 1)]
                            for j in 0 ..< k {
                                (previous, current) = (current, u * current - Double(j) * previous)
                                sum += d[n * (k + 1) + j + 1] * current
                            }
                            out[i * width + n] = sum
                        }
                    }
                }
            }
        }
        guard let l, let linearBranchCoefficients, k > 0 else { return result }
        h.elements.withUnsafeBufferPointer { hp in
            l.elements.withUnsafeBufferPointer { lp in
                result.withUnsafeMutableElements { out in
                    linearBranchCoefficients.elements.withUnsafeBufferPointer { c in
                        for i in 0 ..< count {
                            for n in 0 ..< width {
                                let u = (hp[i * width + n] - mean[n]) * inverse[n]
                                let residual = lp[i * width + n] - branchMean[n] - branchSlope[n] * u
                                var (previous, current) = (0.0, 1.0)
                                var sum = c[n * k]
                                for j in 0 ..< k - 1 {
                                    (previous, current) = (current, u * current - Double(j) * previous)
                                    sum += c[n * k + j + 1] * current
                                }
                                out[i * width + n] += residual * sum
                            }
                        }
                    }
                }
            }
        }
        return result
    }
}
