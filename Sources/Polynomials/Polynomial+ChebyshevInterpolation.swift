import RealModule

extension Polynomial {
    /// The largest degree the fitting methods accept.
    public static let maximumFitDegree = 1000

    /// The Chebyshev points of the second kind x_j = mid + half·cos(πj/n), j = 0…n, ascending.
    public static func chebyshevPoints(count: Int, on interval: ClosedRange<Double>) -> [Double] {
        precondition(count >= 1, "Chebyshev points: count \(count)")
        if count == 1 { return [(interval.lowerBound + interval.upperBound) / 2] }
        let n = count - 1
        let half = (interval.upperBound - interval.lowerBound) / 2
        let middle = (interval.upperBound + interval.lowerBound) / 2
        return (0 ... n).map { j in middle - half * Double.cos(Double.pi * Double(j) / Double(n)) }
    }

    /// The polynomial of degree n interpolating f at the n + 1 Chebyshev points of the second
    /// kind on `interval`, in the Chebyshev basis on `interval`.
    ///
    /// c_k = (2/n)·Σ″_j f(x_j)·cos(πjk/n) (a DCT-I; the double prime halves the end terms, and
    /// c_0, c_n are halved too). For f analytic inside the Bernstein ellipse E_ρ the error is
    /// O(ρ⁻ⁿ); for a kink it is O(1/n), and an interpolant whose nodes miss the kink (odd n on
    /// an interval symmetric about it) is noticeably worse.
    ///
    /// ```swift
    /// let p = try Polynomial.chebyshevInterpolant(of: { tanh($0) }, degree: 40, on: -4 ... 4)
    /// ```
    /// - Throws: ``PolynomialError`` for a bad degree or interval, or non-finite f.
    /// - Complexity: n + 1 evaluations of f and O(n²) arithmetic.
    public static func chebyshevInterpolant(of f: (Double) -> Double, degree n: Int,
                                            on interval: ClosedRange<Double>) throws -> Polynomial {
        try validate(degree: n, maximum: maximumFitDegree, interval: interval)
        let points = chebyshevPoints(count: n + 1, on: interval)
        // Values ordered by j of x_j = mid + half·cos(πj/n), i.e. descending x.
        let values = try points.reversed().map { try finiteValue(f, $0) }
        let basis = Basis.chebyshev(on: interval)
        if n == 0 { return Polynomial(coefficients: values, basis: basis) }
        var cosines = [Double](repeating: 0, count: 2 * n)
        for i in 0 ..< 2 * n { cosines[i] = Double.cos(Double.pi * Double(i) / Double(n)) }
        var c = [Double](repeating: 0, count: n + 1)
        for k in 0 ... n {
            var sum = 0.5 * (values[0] + (k % 2 == 0 ? values[n] : -values[n]))
            var index = k
            for j in 1 ..< n {
                sum += values[j] * cosines[index]
                index += k
                if index >= 2 * n { index -= 2 * n }
            }
            c[k] = 2 * sum / Double(n)
        }
        c[0] /= 2
        c[n] /= 2
        return Polynomial(coefficients: c, basis: basis)
    }
}
