import LinearAlgebra

/// The functions φ₀ … φ_d a `PolynomialLayer` expands each input into.
///
/// Each case names its normalization; the raw values are the architecture language's words.
///
/// How this works and why: the seed's layer uses monomials xᵏ, which grow like |x|ᵈ, so a
/// small change to a high-degree coefficient moves the output a lot when inputs are large —
/// the instability seed 001 reports. The two orthogonal options keep every feature bounded or
/// well scaled: Chebyshev polynomials of t = tanh(x) stay in [−1, 1], and normalized
/// (probabilists') Hermite polynomials He_k(x)/√(k!) are orthonormal under the standard normal
/// weight, which matches LayerNorm outputs. All three are evaluated by three-term recurrences.
public enum PolynomialBasis: String, Sendable, CaseIterable {
    /// φ_k(x) = xᵏ (the seed's form; the default).
    case monomial
    /// φ_k(x) = T_k(tanh x), Chebyshev polynomials of the first kind of the squashed input
    /// (`basis=chebyshev` in the architecture language).
    case tanhChebyshev = "chebyshev"
    /// φ_k(x) = He_k(x)/√(k!), orthonormal probabilists' Hermite polynomials
    /// (`basis=hermite` in the architecture language).
    case normalizedHermite = "hermite"

    /// Writes φ₁ … φ_d of every input of `rows` rows of `columns` inputs, power-major within a
    /// row: row r of `features` holds [φ₁(x_r) | φ₂(x_r) | … | φ_d(x_r)], each block `columns`
    /// long (φ₀ = 1 is left out: ``PolynomialLayer`` folds it into a bias). Each block is one
    /// elementwise pass over the row, so the loops run over contiguous inputs and vectorize.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func expand<Scalar: BLASScalar>(_ x: UnsafePointer<Scalar>, rows: Int, columns: Int, degree d: Int,
                                    into features: UnsafeMutablePointer<Scalar>) {
        guard d >= 1 else { return }
        for r in 0 ..< rows {
            let input = x + r * columns
            let row = features + r * columns * d
            switch self {
            case .monomial:
                for i in 0 ..< columns { row[i] = input[i] }
                for k in Swift.stride(from: 2, through: d, by: 1) {
                    let (block, previous) = (row + (k - 1) * columns, row + (k - 2) * columns)
                    for i in 0 ..< columns { block[i] = previous[i] * input[i] }
                }
            case .tanhChebyshev:
                for i in 0 ..< columns { row[i] = Scalar.tanh(input[i]) }
                if d >= 2 {
                    let block = row + columns
                    for i in 0 ..< columns { block[i] = 2 * row[i] * row[i] - 1 }
                }
                for k in Swift.stride(from: 3, through: d, by: 1) {
                    let (block, previous, beforePrevious) = (row + (k - 1) * columns, row + (k - 2) * columns, row + (k - 3) * columns)
                    for i in 0 ..< columns { block[i] = 2 * row[i] * previous[i] - beforePrevious[i] }
                }
            case .normalizedHermite:
                // h_k = (x·h_{k−1} − √(k−1)·h_{k−2}) / √k, h₀ = 1.
                for i in 0 ..< columns { row[i] = input[i] }
                if d >= 2 {
                    let (block, scale) = (row + columns, 1 / Scalar(2).squareRoot())
                    for i in 0 ..< columns { block[i] = (input[i] * row[i] - 1) * scale }
                }
                for k in Swift.stride(from: 3, through: d, by: 1) {
                    let (block, previous, beforePrevious) = (row + (k - 1) * columns, row + (k - 2) * columns, row + (k - 3) * columns)
                    let (lower, scale) = (Scalar(k - 1).squareRoot(), 1 / Scalar(k).squareRoot())
                    for i in 0 ..< columns { block[i] = (input[i] * previous[i] - lower * beforePrevious[i]) * scale }
                }
            }
        }
    }

    /// Writes ∂loss/∂x_i = Σ_k ∂loss/∂φ_k(x_i) · φ_k′(x_i) for every input, given the
    /// power-major features from ``expand(_:rows:columns:degree:into:)`` and the gradient with
    /// respect to them (same layout); `workspace` holds 2·`columns` values.
    ///
    /// Derivatives: monomial k·x^(k−1); Hermite √k·h_{k−1}; Chebyshev k·U_{k−1}(t)·(1 − t²)
    /// with U the polynomials of the second kind (φ₀ = 1 and U₀ = 1).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func backpropagate<Scalar: BLASScalar>(
        _ featureGradient: UnsafePointer<Scalar>, features: UnsafePointer<Scalar>, rows: Int, columns: Int, degree d: Int,
        workspace: UnsafeMutablePointer<Scalar>, into dx: UnsafeMutablePointer<Scalar>
    ) {
        for r in 0 ..< rows {
            let (g, row, total) = (featureGradient + r * columns * d, features + r * columns * d, dx + r * columns)
            guard d >= 1 else {
                for i in 0 ..< columns { total[i] = 0 }
                continue
            }
            // k = 1: φ₁′ = 1 (monomial, Hermite) or U₀·(1 − t²) = 1 − t² (Chebyshev, below).
            for i in 0 ..< columns { total[i] = g[i] }
            switch self {
            case .monomial, .normalizedHermite:
                for k in Swift.stride(from: 2, through: d, by: 1) {
                    let factor = self == .monomial ? Scalar(k) : Scalar(k).squareRoot()
                    let (gk, previous) = (g + (k - 1) * columns, row + (k - 2) * columns)
                    for i in 0 ..< columns { total[i] += factor * gk[i] * previous[i] }
                }
            case .tanhChebyshev:
                let (previousU, currentU) = (workspace, workspace + columns)
                for i in 0 ..< columns { (previousU[i], currentU[i]) = (1, 2 * row[i]) }  // U₀, U₁
                for k in Swift.stride(from: 2, through: d, by: 1) {
                    let gk = g + (k - 1) * columns
                    for i in 0 ..< columns {
                        total[i] += Scalar(k) * gk[i] * currentU[i]
                        (previousU[i], currentU[i]) = (currentU[i], 2 * row[i] * currentU[i] - previousU[i])
                    }
                }
                for i in 0 ..< columns { total[i] *= 1 - row[i] * row[i] }
            }
        }
    }
}
