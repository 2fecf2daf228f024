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
