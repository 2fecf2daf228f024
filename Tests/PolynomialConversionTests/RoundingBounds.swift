import Foundation
import LinearAlgebra
import Polynomials
import TestSupport
@testable import PolynomialConversion

/// Magnitudes against which the rounding of a block's evaluation is bounded (plain loops in
/// Double, independent of BLAS): with H = |X|·|W₁|ᵀ + |b₁| (per sample and unit), every
/// evaluation of W₂·g(W₁x + b₁) + b₂ by dot products errs by at most γ_k times sums of these.
enum RoundingBounds {
    /// |X|·|W|ᵀ + |b|: the magnitude of the pre-activations W·x + b of each sample (N × n).
    static func preactivationMagnitude(_ x: Matrix<Double>, weight: Matrix<Double>, bias: [Double]) -> Matrix<Double> {
        var h = magnitudeProduct(x, weight, transposingB: true)
        for i in 0 ..< h.rows { for n in 0 ..< h.columns { h[i, n] += abs(bias[n]) } }
        return h
    }

    /// |G|·|W₂|ᵀ + |b₂| for hidden magnitudes G (N × n): the magnitude of each output (N × o).
    static func outputMagnitude(_ hidden: Matrix<Double>, of block: FeedforwardBlock) -> Matrix<Double> {
        preactivationMagnitude(hidden, weight: block.outputWeight, bias: block.outputBias)
    }

    /// |W|·|v| + |b| for one vector (the magnitude of W·v + b).
    static func affineMagnitude(_ weight: Matrix<Double>, _ v: [Double], _ bias: [Double]) -> [Double] {
        (0 ..< weight.rows).map { n in
            (0 ..< weight.columns).reduce(abs(bias[n])) { $0 + abs(weight[n, $1] * v[$1]) }
        }
    }
}

extension RoundingBounds {
    /// The largest |σ′| of the activations under test (GELU's 1.129; SiLU 1.100, ReLU, tanh
    /// and the identity 1, sigmoid ¼): a rounding δ in a pre-activation moves σ by ≤ 1.13·δ.
    static let activationLipschitz = 1.13

    /// The magnitude of each output of the block itself (N × o): |b₂| + |W₂|·U with, per unit,
    /// U = |σ(h)| + 1.13·H for an MLP and U = (1.13·H + 2|σ(h)|)·L for a GLU, where
    /// H = |W₁||x| + |b₁| and L = |V||x| + |c|. With `blockOperationCount` K = d + n + 12 the
    /// computed block is within γ_K·magnitude of the exact one: pre-activations γ_{d+1}·H
    /// (moving σ by ≤ 1.13·γ_{d+1}·H), σ by libm within 8u·(|σ| + |h|) (exp, erf, tanh within a
    /// few ulps and a few more operations; an absolute error ≤ u·|h| where a formula cancels,
    /// as 1 + erf in GELU for negative h), the gate's product one rounding, the output sum
    /// γ_{n+1}.
    static func blockMagnitude(_ block: FeedforwardBlock, at x: Matrix<Double>) -> Matrix<Double> {
        let absoluteX = x.map { abs($0) }
        let h = block.preactivations(x)
        let hMagnitude = affine(absoluteX, block.inputWeight, block.inputBias)
        let lMagnitude = block.linearBranch.map { affine(absoluteX, $0.weight, $0.bias) }
        var units = Matrix<Double>(rows: x.rows, columns: block.hiddenCount)
        let activation = block.activation
        h.elements.withUnsafeBufferPointer { hp in
            hMagnitude.elements.withUnsafeBufferPointer { hm in
                units.withUnsafeMutableElements { out in
                    for index in 0 ..< out.count {
                        let sigma = abs(activation.value(hp[index]))
                        let spread = activationLipschitz * hm[index]
                        out[index] = lMagnitude.map { (spread + 2 * sigma) * $0.elements[index] } ?? sigma + spread
                    }
                }
            }
        }
        return affine(units, block.outputWeight, block.outputBias)
    }

    /// K for `blockMagnitude`.
    static func blockOperationCount(inputs d: Int, hidden n: Int) -> Int { d + n + 12 }

    /// |X|·|W|ᵀ + |b| for nonnegative X (BLAS; the bound's own rounding is a relative γ_d,
    /// negligible against the bounds it scales).
    private static func affine(_ absoluteX: Matrix<Double>, _ weight: Matrix<Double>, _ bias: [Double]) -> Matrix<Double> {
        var result = absoluteX.multiplied(by: weight.map { abs($0) }, transposingOther: true)
        result.addToEachRow(bias.map { abs($0) })
        return result
    }

    /// The magnitude of every term of the approximant at each sample (N × o), in factorized
    /// form (any degree k) and, for k ≤ 2, in explicit form:
    ///   |b₂| + Σₙ |W₂[o,n]|·(Σ_{j≤k} |dₙⱼ|·Pⱼ(Aₙ) + Λₙ·Σ_{j<k} |cₙⱼ|·Pⱼ(Aₙ))
    /// with Aₙ = (|wₙ|(|x| + |μ|) + 2|bₙ|)/sₙ ≥ |uₙ| and every partial sum of uₙ, Pⱼ the
    /// Hermite polynomial with absolute coefficients (P₀ = 1, P₁ = A, Pⱼ₊₁ = A·Pⱼ + j·Pⱼ₋₁) and,
    /// for a GLU, Λₙ = |vₙ|(|x| + |μ|) + 2|cₙ| + |βₙ|Aₙ ≥ |λ̃ₙ|. Expanding (aₙ·(x − μ))² or
    /// λₙ·(x − μ) into monomials of x gives terms bounded by the same products, so the
    /// explicit coefficients and their evaluation are bounded by it too.
    static func approximantMagnitude(_ approximant: PolynomialApproximant, at x: Matrix<Double>) -> Matrix<Double> {
        approximantMagnitude(covering: [approximant], at: x)
    }

    /// One magnitude that bounds those of several approximants of the same block (each
    /// coefficient's largest absolute value, the smallest sₙ, the largest |βₙ|, the highest
    /// degree): the terms of each are among its terms, each no larger.
    static func approximantMagnitude(covering approximants: [PolynomialApproximant], at x: Matrix<Double>) -> Matrix<Double> {
        let block = approximants[0].block
        let n = block.hiddenCount
        let k = approximants.map(\.degree).max()!
        var hermite = [Double](repeating: 0, count: n * (k + 1))
        var linear = [Double](repeating: 0, count: n * Swift.max(k, 1))
        var inverse = [Double](repeating: 0, count: n), slopes = inverse
        for approximant in approximants {
            let degree = approximant.degree
            for unit in 0 ..< n {
                for j in 0 ... degree {
                    hermite[unit * (k + 1) + j] = Swift.max(hermite[unit * (k + 1) + j], abs(approximant.coefficients[unit, j]))
                }
                if let c = approximant.linearBranchCoefficients {
                    for j in 0 ..< degree { linear[unit * k + j] = Swift.max(linear[unit * k + j], abs(c[unit, j])) }
                    slopes[unit] = Swift.max(slopes[unit], abs(approximant.linearBranchSlope[unit]))
                }
                let s = approximant.preactivationStandardDeviation[unit]
                inverse[unit] = Swift.max(inverse[unit], s > 0 ? 1 / s : 0)
            }
        }
        var shifted = x.map { abs($0) }
        shifted.addToEachRow(approximants[0].distribution.mean.map { abs($0) })
        let along = affine(shifted, block.inputWeight, block.inputBias.map { 2 * $0 })
        let lambdas = block.linearBranch.map { Array(affine(shifted, $0.weight, $0.bias.map { 2 * $0 }).elements) }
        var units = Matrix<Double>(rows: x.rows, columns: n)
        var p = [Double](repeating: 0, count: k + 1)
        along.elements.withUnsafeBufferPointer { alongBuffer in
            units.withUnsafeMutableElements { out in
                for index in 0 ..< out.count {
                    let unit = index % n
                    let a = alongBuffer[index] * inverse[unit]
                    p[0] = 1
                    if k >= 1 { p[1] = a }
                    if k >= 2 { for j in 1 ..< k { p[j + 1] = a * p[j] + Double(j) * p[j - 1] } }
                    var total = 0.0
                    for j in 0 ... k { total += hermite[unit * (k + 1) + j] * p[j] }
                    if let lambdas, k > 0 {
                        let lambda = lambdas[index] + slopes[unit] * a
                        var sum = 0.0
                        for j in 0 ..< k { sum += linear[unit * k + j] * p[j] }
                        total += lambda * sum
                    }
                    out[index] = total
                }
            }
        }
        return affine(units, block.outputWeight, block.outputBias)
    }

    /// The operation count K for `approximantMagnitude`: either form of a degree-k approximant
    /// (explicit: k ≤ 2), d inputs and n units, is within γ_K·magnitude of the exact polynomial
    /// of its computed parameters (sₙ, dₙⱼ, cₙⱼ, βₙ are shared by both forms, so their own
    /// rounding cancels), K = (d + 1)(k + 3) + 3k + n + 8, the longest chain of roundings along
    /// any term: the linear branch's λ̃ₙ = l − m_l − βu (2(d + 1) + 3), uₙ = (h − m)/s with
    /// h and m each γ_{d+1} (the mean's error shifting uₙ by γ_{d+1}·Aₙ moves Heⱼ(uₙ) by at
    /// most j·γ_{d+1}·Pⱼ(Aₙ): (d + 1)(k + 1) + 2), the Hermite recurrence (2k), the sums over
    /// j (k + 1) and the products with coefficients and the residual (2), the output sum
    /// (n + 1); the explicit form's chains (Q and L summed over units, then xᵀQx, 2d + n + 8)
    /// are shorter.
    static func approximantOperationCount(inputs d: Int, hidden n: Int, degree k: Int) -> Int {
        (d + 1) * (k + 3) + 3 * k + n + 8
    }
}

extension RoundingBounds {
    /// A bound, per output, on the error of the library's Gaussian variances (each degree's
    /// component and the total), from the accuracy the library documents and from rounding:
    /// - every projection coefficient (orthonormal basis) is within 1e-12 of the largest
    ///   (`Activation.projectionTolerance`; closed forms are tighter), and the coefficients'
    ///   squares sum to at most E[gₙ²] (gₙ = σ(hₙ), or σ(hₙ)lₙ for a GLU, whose expansion
    ///   has two families, Hermite and λ̃ terms, hence the factors 2). A kernel entry
    ///   Σⱼ ĉⱼĉ′ⱼ·(Gaussian inner products ≤ 1) over J + 1 degrees is then within
    ///   2·2√(J+1)·1e-12·√(E[gₙ²]E[gₙ′²]) (Cauchy–Schwarz: Σ|ĉ′ⱼ| ≤ √(J+1)·‖ĉ′‖), and its
    ///   rounding within 2γ_{J+8}·√(E[gₙ²]E[gₙ′²]); the quadratic form with W₂ adds γ_{n+1}.
    ///   With Vₒ = (Σₙ|W₂[o,n]|√E[gₙ²])²: (4√(J+1)·1e-12 + 2γ_{J+n+9})·Vₒ.
    /// - the diagonal uses unit variances from quadrature of σ², within 1e-12 of the largest
    ///   coefficient of σ², at most √E[σ(hₙ)⁴], multiplied for a GLU by
    ///   m_l² + 2|m_lβ| + 3β² + r (see ClosedFormTests.bilinearBlockIsExactlyQuadratic):
    ///   Σₙ W₂[o,n]²·1e-12·√E[σ(hₙ)⁴]·Bₙ.
    /// The moments come from 200-node Gauss–Hermite quadrature in the test, within 1% even for
    /// ReLU's kink (error O(200^{-3/2})); the scale is raised by 2% to cover it.
    static func varianceErrorBound(_ approximant: PolynomialApproximant, truncation: Int) throws -> [Double] {
        let block = approximant.block
        let n = block.hiddenCount
        let rule = try GaussHermiteQuadrature(nodeCount: 200)
        let (m, s) = (approximant.preactivationMean, approximant.preactivationStandardDeviation)
        let sigma = approximant.distribution.covariance
        func form(_ a: [Double]) -> Double {
            (0 ..< a.count).reduce(0.0) { sum, i in sum + (0 ..< a.count).reduce(0.0) { $0 + a[i] * sigma[i, $1] * a[$1] } }
        }
        let units = (0 ..< n).map { unit -> (second: Double, diagonalScale: Double) in
            let value = { (z: Double) in block.activation.value(m[unit] + s[unit] * z) }
            let fourth = rule.expectation { pow(value($0), 4) }.squareRoot()
            guard let branch = block.linearBranch else {
                return (rule.expectation { value($0) * value($0) }, fourth)
            }
            let (ml, beta) = (approximant.linearBranchMean[unit], approximant.linearBranchSlope[unit])
            let residual = Swift.max(form(branch.weight.row(unit)) - beta * beta, 0)
            let second = rule.expectation { z in value(z) * value(z) * ((ml + beta * z) * (ml + beta * z) + residual) }
            return (second, fourth * (ml * ml + 2 * Swift.abs(ml * beta) + 3 * beta * beta + residual))
        }
        let w2 = block.outputWeight
        let kernel = 4 * Double(truncation + 1).squareRoot() * 1e-12 + 2 * gamma(truncation + n + 9, Double.self)
        return (0 ..< block.outputCount).map { o in
            let v = (0 ..< n).reduce(0.0) { $0 + Swift.abs(w2[o, $1]) * units[$1].second.squareRoot() }
            let diagonal = (0 ..< n).reduce(0.0) { $0 + w2[o, $1] * w2[o, $1] * 1e-12 * units[$1].diagonalScale }
            return 1.02 * (kernel * v * v + diagonal)
        }
    }
}
