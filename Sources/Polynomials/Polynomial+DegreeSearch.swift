extension Polynomial {
    /// The fit of the smallest degree in 1…`limit` whose error is at most `bound`.
    ///
    /// Doubles the degree until the bound holds, then bisects between the last failure and the
    /// first success: ⌈log₂ limit⌉ + O(log₂ limit) fits. Minimax errors never grow with the
    /// degree, so there it is the smallest degree; where errors do not fall monotonically (odd
    /// degrees of Chebyshev interpolation of ReLU) it is a degree that meets the bound while the
    /// one below it does not.
    ///
    /// ```swift
    /// let fit = try Polynomial.smallestDegree(upTo: 200, meeting: 1e-3, error: \.maxError) { n in
    ///     try Polynomial.minimax(of: tanh, degree: n, on: -4 ... 4)
    /// }
    /// ```
    /// - Precondition: `limit` ≥ 1 and `bound` > 0.
    /// - Throws: ``PolynomialError/boundNotReached(bound:limit:achieved:)`` with the error at
    ///   `limit`, or what `fit` throws.
    public static func smallestDegree<Fit>(upTo limit: Int, meeting bound: Double, error: (Fit) -> Double,
                                           fit: (Int) throws -> Fit) throws -> Fit {
        precondition(limit >= 1 && bound > 0, "degree search up to \(limit) for error \(bound)")
        var failed = 0, degree = 1
        var success = try fit(degree)
        while error(success) > bound {
            guard degree < limit else {
                throw PolynomialError.boundNotReached(bound: bound, limit: limit, achieved: error(success))
            }
            failed = degree
            degree = Swift.min(2 * degree, limit)
            success = try fit(degree)
        }
        var high = degree
        while high - failed > 1 {
            let middle = (failed + high) / 2
            let candidate = try fit(middle)
            if error(candidate) <= bound { (high, success) = (middle, candidate) } else { failed = middle }
        }
        return success
    }
}
