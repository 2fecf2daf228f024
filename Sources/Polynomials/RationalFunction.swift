import LinearAlgebra

/// r(x) = p(x)/q(x) with p and q in the same basis, for users who can divide.
public struct RationalFunction: Sendable {
    /// The numerator p.
    public var numerator: Polynomial
    /// The denominator q.
    public var denominator: Polynomial

    /// p/q.
    public init(numerator: Polynomial, denominator: Polynomial) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// p(x)/q(x).
    public func callAsFunction(_ x: Double) -> Double { numerator(x) / denominator(x) }

    /// The Padé approximant [L/M] at x0 from Taylor coefficients a_0 … a_{L+M}: the p/q
    /// (q_0 = 1) with p − q·f = O((x − x0)^{L+M+1}).
    ///
    /// The denominator solves the M×M Toeplitz system Σ_{j=1}^{M} a_{L+i−j}·q_j = −a_{L+i},
    /// i = 1…M (LAPACK gesv); then p_i = Σ_{j≤min(i,M)} a_{i−j}·q_j. Both are monomials in
    /// (x − x0).
    ///
    /// ```swift
    /// let series = TaylorSeries.exp(.variable(at: 0, count: 5)).coefficients
    /// let r = try RationalFunction.pade(taylorCoefficients: series, numeratorDegree: 2, denominatorDegree: 2, at: 0)
    /// ```
    /// - Throws: ``PolynomialError/singularSystem(_:)`` when the [L/M] approximant does not
    ///   exist in this normalization (a degenerate Padé table entry).
    public static func pade(taylorCoefficients a: [Double], numeratorDegree l: Int, denominatorDegree m: Int,
                            at x0: Double) throws -> RationalFunction {
        precondition(l >= 0 && m >= 0 && a.count >= l + m + 1,
                     "Padé [\(l)/\(m)] needs \(l + m + 1) Taylor coefficients, got \(a.count)")
        let basis = Polynomial.Basis(family: .monomial, scale: 1, offset: -x0)
        func coefficient(_ i: Int) -> Double { i >= 0 ? a[i] : 0 }
        var q = [Double](repeating: 0, count: m + 1)
        q[0] = 1
        if m > 0 {
            var system = Matrix<Double>(rows: m, columns: m)
            var rhs = Matrix<Double>(rows: m, columns: 1)
            for i in 1 ... m {
                for j in 1 ... m { system[i - 1, j - 1] = coefficient(l + i - j) }
                rhs[i - 1, 0] = -coefficient(l + i)
            }
            do {
                let solution = try system.solve(rhs)
                for j in 1 ... m { q[j] = solution[j - 1, 0] }
            } catch {
                throw PolynomialError.singularSystem("the Padé [\(l)/\(m)] denominator system")
            }
        }
        let p = (0 ... l).map { i in (0 ... Swift.min(i, m)).reduce(0.0) { $0 + coefficient(i - $1) * q[$1] } }
        return RationalFunction(numerator: Polynomial(coefficients: p, basis: basis),
                                denominator: Polynomial(coefficients: q, basis: basis))
    }
}
