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

    /// Writes φ₀(x) … φ_d(x) for each of `count` inputs, d + 1 consecutive values per input.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func expand<Scalar: BLASScalar>(_ x: UnsafePointer<Scalar>, count: Int, degree d: Int,
                                    into features: UnsafeMutablePointer<Scalar>) {
        let width = d + 1
        for i in 0 ..< count {
            let row = features + i * width
            row[0] = 1
            guard d >= 1 else { continue }
            switch self {
            case .monomial:
                let value = x[i]
                row[1] = value
                for k in Swift.stride(from: 2, through: d, by: 1) { row[k] = row[k - 1] * value }
            case .tanhChebyshev:
                let t = Scalar.tanh(x[i])
                row[1] = t
                for k in Swift.stride(from: 2, through: d, by: 1) { row[k] = 2 * t * row[k - 1] - row[k - 2] }
            case .normalizedHermite:
                // h_{k+1} = (x·h_k − √k·h_{k−1}) / √(k+1)
                let value = x[i]
                row[1] = value
                for k in Swift.stride(from: 2, through: d, by: 1) {
                    row[k] = (value * row[k - 1] - Scalar(k - 1).squareRoot() * row[k - 2]) / Scalar(k).squareRoot()
                }
            }
        }
    }

    /// Writes ∂loss/∂x_i = Σ_k ∂loss/∂φ_k(x_i) · φ_k′(x_i), given the features from `expand`.
    ///
    /// Derivatives: monomial k·x^(k−1); Hermite √k·h_{k−1}; Chebyshev k·U_{k−1}(t)·(1 − t²)
    /// with U the polynomials of the second kind.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func backpropagate<Scalar: BLASScalar>(
        _ featureGradient: UnsafePointer<Scalar>, features: UnsafePointer<Scalar>, count: Int, degree d: Int,
        into dx: UnsafeMutablePointer<Scalar>
    ) {
        let width = d + 1
        for i in 0 ..< count {
            let g = featureGradient + i * width, row = features + i * width
            var total: Scalar = 0
            switch self {
            case .monomial:
                for k in Swift.stride(from: 1, through: d, by: 1) { total += g[k] * Scalar(k) * row[k - 1] }
            case .normalizedHermite:
                for k in Swift.stride(from: 1, through: d, by: 1) { total += g[k] * Scalar(k).squareRoot() * row[k - 1] }
            case .tanhChebyshev:
                guard d >= 1 else { break }
                let t = row[1]
                var previous: Scalar = 0, current: Scalar = 1  // U_{−1}, U_0
                for k in Swift.stride(from: 1, through: d, by: 1) {
                    total += g[k] * Scalar(k) * current
                    (previous, current) = (current, 2 * t * current - previous)
                }
                total *= 1 - t * t
            }
            dx[i] = total
        }
    }
}
