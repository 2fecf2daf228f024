import LinearAlgebra
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
    /// The magnitude of every term of a degree-≤2 approximant at each sample (N × o), in
    /// factorized and explicit form alike:
    ///   |b₂| + Σₙ |W₂[o,n]|·(Σ_{j≤k} |dₙⱼ|·Pⱼ(Aₙ) + Λₙ·Σ_{j<k} |cₙⱼ|·Pⱼ(Aₙ))
    /// with Aₙ = (|wₙ|(|x| + |μ|) + 2|bₙ|)/sₙ ≥ |uₙ| and every partial sum of uₙ, Pⱼ the
    /// Hermite polynomial with absolute coefficients (P₀ = 1, P₁ = A, P₂ = A² + 1) and, for a
    /// GLU, Λₙ = |vₙ|(|x| + |μ|) + 2|cₙ| + |βₙ|Aₙ ≥ |λ̃ₙ|. Expanding (aₙ·(x − μ))² or
    /// λₙ·(x − μ) into monomials of x gives terms bounded by the same products, so the
    /// explicit coefficients and their evaluation are bounded by it too.
    static func approximantMagnitude(_ approximant: PolynomialApproximant, at x: Matrix<Double>) -> Matrix<Double> {
        let block = approximant.block
        precondition(approximant.degree <= 2, "magnitudes are written out to degree 2")
        let (n, k) = (block.hiddenCount, approximant.degree)
        let s = approximant.preactivationStandardDeviation
        let mu = approximant.distribution.mean
        let shifted = x.map { abs($0) }
        var result = Matrix<Double>(rows: x.rows, columns: block.outputCount)
        for i in 0 ..< x.rows {
            let point = (0 ..< x.columns).map { shifted[i, $0] + abs(mu[$0]) }
            let along = (0 ..< n).map { unit -> Double in
                guard s[unit] > 0 else { return 0 }
                return (0 ..< x.columns).reduce(2 * abs(block.inputBias[unit])) { $0 + abs(block.inputWeight[unit, $1]) * point[$1] } / s[unit]
            }
            let hidden = (0 ..< n).map { unit -> Double in
                let a = along[unit]
                let p = [1, a, a * a + 1]
                var total = (0 ... k).reduce(0.0) { $0 + abs(approximant.coefficients[unit, $1]) * p[$1] }
                if let branch = block.linearBranch, let c = approximant.linearBranchCoefficients, k > 0 {
                    let lambda = (0 ..< x.columns).reduce(2 * abs(branch.bias[unit])) { $0 + abs(branch.weight[unit, $1]) * point[$1] }
                        + abs(approximant.linearBranchSlope[unit]) * a
                    total += lambda * (0 ..< k).reduce(0.0) { $0 + abs(c[unit, $1]) * p[$1] }
                }
                return total
            }
            for o in 0 ..< block.outputCount {
                result[i, o] = (0 ..< n).reduce(abs(block.outputBias[o])) { $0 + abs(block.outputWeight[o, $1]) * hidden[$1] }
            }
        }
        return result
    }

    /// The operation count K for `approximantMagnitude`: either form of a degree-≤2
    /// approximant, d inputs and n units, is within γ_K·magnitude of the exact polynomial of
    /// its computed parameters (sₙ, dₙⱼ, cₙⱼ, βₙ are shared by both forms, so their own
    /// rounding cancels), with K = 4d + n + 14: pre-activations and the unit means mₙ, m_l
    /// (d + 1 each, the mean's error shifting uₙ by at most γ_{d+1}·Aₙ), the Hermite terms and
    /// the GLU residual (≤ 12), the output sum (n + 1); for the explicit form, Q's and L's
    /// sums over units (n + 4) and xᵀQx (2d + 1).
    static func approximantOperationCount(inputs d: Int, hidden n: Int) -> Int { 4 * d + n + 14 }
}
