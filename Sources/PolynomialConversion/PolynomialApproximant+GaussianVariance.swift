// Exact variance of the block and of each Hermite degree under x ~ N(μ, Σ).
//
// For unit directions aₙ = wₙ/sₙ (Σ-inner product ⟨x, y⟩ = xᵀΣy, ρₙₙ′ = ⟨aₙ, aₙ′⟩ computed as
// W₁ΣW₁ᵀ by gemm: nothing of size d² per unit), Mehler's formula gives
// E[Heⱼ(uₙ)Heⱼ′(uₙ′)] = δⱼⱼ′·j!·ρₙₙ′ʲ, so the degree-j component of output o has variance
//   Σₙₙ′ W₂[o,n]W₂[o,n′]·Kⱼ[n,n′],  Kⱼ = j!·cₙⱼcₙ′ⱼ·ρʲ  (MLP),
// one gemm W₂·Kⱼ per degree plus a row-wise dot product. For a GLU the Wick/Isserlis rule for
// Hermite tensors adds, with Pₙₙ′ = ⟨aₙ, λₙ′⟩ and Λₙₙ′ = ⟨λₙ, λₙ′⟩,
//   Kⱼ += j!·ρʲ⁻¹·(dₙⱼcₙ′ⱼ₋₁Pₙₙ′ + cₙⱼ₋₁dₙ′ⱼPₙ′ₙ) + (j−1)!·cₙⱼ₋₁cₙ′ⱼ₋₁·(ρʲ⁻¹Λₙₙ′ + (j−1)ρʲ⁻²Pₙ′ₙPₙₙ′).
// Coefficients are carried as √j!·cⱼ so no factorial is formed.
//
// The total variance needs every degree. Diagonal terms (n = n′) are exact: the 1-D variance of
// each unit. Off-diagonal terms are summed to degree J (default 64) and the rest is bounded:
// degree-j components of functions of two subspaces S, S′ have inner product at most
// κʲ·‖·‖‖·‖ with κ = ‖P_S·P_S′‖ (|ρ| for an MLP; the largest singular value of the 2×2 cross-Gram
// matrix for a GLU), so by Cauchy–Schwarz the neglected part of pair (n, n′) is at most
// κ^{J+1}·τₙτₙ′, τₙ² being unit n's variance beyond degree J. `totalErrorBound` reports it.

import Activations
import LinearAlgebra

extension PolynomialApproximant {
    /// The default degree to which off-diagonal terms of the total variance are summed.
    public static let defaultVarianceTruncation = 64

    /// The exact variance of each output under the distribution, split by degree j ≤ `degree`,
    /// and the total (see `GaussianVarianceDecomposition`).
    ///
    /// - Parameter truncation: the degree J of the off-diagonal Mehler series for the total,
    ///   at most `Activation.maximumHermiteDegree` (one less for a GLU, which projects to
    ///   J + 1); halved (down to 8) if an activation's projection cannot reach it.
    /// - Throws: `ConversionError.projectionFailed` if a 1-D projection fails even at J = 8.
    /// - Complexity: gemms of O(n²·d) (Gram) and O(o·n²) per degree; O(n²·J) elementwise.
    public func gaussianVariance(truncation: Int = defaultVarianceTruncation) throws -> GaussianVarianceDecomposition {
        let gram = UnitGram(moments: moments, block: block)
        // A GLU projects its activation to degree J + 1.
        let highest = Activation.maximumHermiteDegree - (block.isGated ? 1 : 0)
        var order = Swift.min(Swift.max(truncation, degree, 1), highest)
        var expansion: (hermite: Matrix<Double>, linear: Matrix<Double>?)
        while true {
            do {
                expansion = try moments.normalizedExpansion(of: block.activation, degree: order)
                break
            } catch {
                if order / 2 < Swift.max(degree, 8) { throw error }
                order /= 2
            }
        }
        let series = NormalizedSeries(expansion: expansion, order: order)
        let w2 = block.outputWeight
        let (hidden, outputs) = (block.hiddenCount, block.outputCount)

        var components = Matrix<Double>(rows: degree, columns: outputs)
        var kernel = Matrix<Double>(rows: hidden, columns: hidden)
        for j in stride(from: 1, through: degree, by: 1) {
            gram.fillKernel(&kernel, series: series, degrees: j ... j)
            let values = Self.quadraticForms(w2, kernel)
            for o in 0 ..< outputs { components[j - 1, o] = values[o] }
        }

        // Total: off-diagonal series to degree J, exact unit variances on the diagonal.
        gram.fillKernel(&kernel, series: series, degrees: 1 ... order)
        let truncatedDiagonal = (0 ..< hidden).map { kernel[$0, $0] }
        let unitMeans = expansion.hermite.column(0)
        let unitVariances = try moments.unitVariances(block.activation, means: unitMeans,
                                                      linearResidualVariance: gram.linearResidualVariance)
        for n in 0 ..< hidden { kernel[n, n] = unitVariances[n] }
        let total = Self.quadraticForms(w2, kernel)
        let tails = zip(unitVariances, truncatedDiagonal).map { Swift.max($0 - $1, 0).squareRoot() }
        let bound = gram.tailBound(outputWeight: w2, tails: tails, order: order, total: total, scratch: &kernel)
        return GaussianVarianceDecomposition(components: components, total: total, totalErrorBound: bound,
                                             truncation: order)
    }

    /// yₒᵀ·K·yₒ for every row yₒ of `y`: one gemm and row-wise dot products.
    static func quadraticForms(_ y: Matrix<Double>, _ kernel: Matrix<Double>) -> [Double] {
        let product = y.multiplied(by: kernel)
        let width = y.columns
        return product.elements.withUnsafeBufferPointer { p in
            y.elements.withUnsafeBufferPointer { w in
                (0 ..< y.rows).map { o in
                    var sum = 0.0
                    for n in 0 ..< width { sum += p[o * width + n] * w[o * width + n] }
                    return sum
                }
            }
        }
    }
}

/// Unit coefficients in the orthonormal basis for the Mehler sums: d̂ⱼ = √j!·dⱼ (j ≤ J) and
/// ẽⱼ = √j!·cⱼ₋₁ (1 ≤ j ≤ J, GLU only), each stored as (J+1) × hidden so one degree is
/// contiguous. Built from `UnitMoments.normalizedExpansion`, so no √j! is formed (it
/// overflows past j = 300).
struct NormalizedSeries {
    var hermite: Matrix<Double>
    var linear: Matrix<Double>?

    init(expansion: (hermite: Matrix<Double>, linear: Matrix<Double>?), order: Int) {
        hermite = expansion.hermite.transposed()
        if let normalizedLinear = expansion.linear {
            // ẽⱼ = √j!·cⱼ₋₁ = ê_{j−1}; row 0 stays zero.
            var shifted = Matrix<Double>(rows: order + 1, columns: normalizedLinear.rows)
            for j in stride(from: 1, through: order, by: 1) {
                for n in 0 ..< normalizedLinear.rows { shifted[j, n] = normalizedLinear[n, j - 1] }
            }
            linear = shifted
        }
    }
}
