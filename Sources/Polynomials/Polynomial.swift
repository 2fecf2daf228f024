/// A polynomial p(x) = Σ_k c_k·p_k(t), t = scale·x + offset, in one of the classical bases.
///
/// Coefficients are ascending in the basis's family (``Polynomial/Basis``). Evaluation uses
/// Clenshaw's recurrence for that family (Horner for monomials), which is backward stable in the
/// Chebyshev, Legendre and Hermite bases: keep a fit in the basis it was computed in and convert
/// to monomials only to export it (see ``converted(to:)`` and ``conversionReport(to:on:)``).
///
/// ```swift
/// let p = Polynomial(coefficients: [0.5, 0.5, 0.1], basis: .chebyshev(on: -6 ... 6))
/// p(1.5)                         // Clenshaw in T_k((x − 0)/6)
/// let q = p.converted(to: .monomial)
/// ```
public struct Polynomial: Sendable, Equatable {
    /// c_0 … c_n, ascending, in ``basis``.
    public var coefficients: [Double]
    /// The basis family and the affine map x ↦ t.
    public var basis: Basis

    /// A polynomial from ascending coefficients in `basis`.
    /// - Precondition: at least one coefficient.
    public init(coefficients: [Double], basis: Basis) {
        precondition(!coefficients.isEmpty, "A polynomial needs at least one coefficient")
        self.coefficients = coefficients
        self.basis = basis
    }

    /// The number of coefficients minus one (trailing zeros included).
    public var degree: Int { coefficients.count - 1 }

    /// p(x) by Clenshaw's recurrence in the basis's family.
    /// - Complexity: O(degree).
    public func callAsFunction(_ x: Double) -> Double {
        basis.family.clenshaw(coefficients, at: basis.standardized(x))
    }

    /// p at each of `xs`.
    public func values(at xs: [Double]) -> [Double] { xs.map { self($0) } }

    /// The polynomial with coefficients beyond `degree` dropped.
    public func truncated(toDegree degree: Int) -> Polynomial {
        precondition(degree >= 0, "Truncation to negative degree \(degree)")
        return Polynomial(coefficients: Array(coefficients.prefix(degree + 1)), basis: basis)
    }
}
