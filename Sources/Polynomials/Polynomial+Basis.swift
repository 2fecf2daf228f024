// The five bases share one description: a three-term recurrence in the standardized variable
// t = scale·x + offset,
//     p_0 = 1,  p_{k+1}(t) = (α_k·t + β_k)·p_k(t) − γ_k·p_{k−1}(t),
// which gives Clenshaw evaluation, values of derivatives, and the "multiply by t" operator
// t·p_k = (p_{k+1} − β_k·p_k + γ_k·p_{k−1})/α_k used for exact basis conversion.

extension Polynomial {
    /// A polynomial basis: a family of polynomials in t = scale·x + offset.
    public struct Basis: Sendable, Equatable, CustomStringConvertible {
        /// The polynomial family.
        public enum Family: String, Sendable, CaseIterable {
            /// t^k.
            case monomial
            /// Chebyshev polynomials of the first kind T_k(t) = cos(k·arccos t).
            case chebyshev
            /// Probabilists' Hermite polynomials He_k, orthogonal under N(0, 1) (`hermite` on the command line).
            case probabilistsHermite = "hermite"
            /// He_k/√k!, orthonormal under N(0, 1).
            case normalizedHermite = "hermite-normalized"
            /// Legendre polynomials P_k, orthogonal under the uniform weight on [-1, 1].
            case legendre
        }

        /// The family.
        public let family: Family
        /// t = scale·x + offset.
        public let scale: Double
        /// t = scale·x + offset.
        public let offset: Double

        /// A family in t = scale·x + offset.
        /// - Precondition: `scale` is finite and non-zero, `offset` finite.
        public init(family: Family, scale: Double = 1, offset: Double = 0) {
            precondition(scale.isFinite && scale != 0 && offset.isFinite,
                         "Basis map t = \(scale)·x + \(offset) must be finite and invertible")
            self.family = family
            self.scale = scale
            self.offset = offset
        }

        /// Powers of x.
        public static let monomial = Basis(family: .monomial)

        /// T_k of the variable mapped from `interval` onto [-1, 1].
        public static func chebyshev(on interval: ClosedRange<Double>) -> Basis {
            mapping(interval, family: .chebyshev)
        }

        /// P_k of the variable mapped from `interval` onto [-1, 1].
        public static func legendre(on interval: ClosedRange<Double>) -> Basis {
            mapping(interval, family: .legendre)
        }

        /// He_k((x − μ)/σ).
        public static func probabilistsHermite(mean: Double, standardDeviation: Double) -> Basis {
            Basis(family: .probabilistsHermite, scale: 1 / standardDeviation, offset: -mean / standardDeviation)
        }

        /// He_k((x − μ)/σ)/√k!.
        public static func normalizedHermite(mean: Double, standardDeviation: Double) -> Basis {
            Basis(family: .normalizedHermite, scale: 1 / standardDeviation, offset: -mean / standardDeviation)
        }

        private static func mapping(_ interval: ClosedRange<Double>, family: Family) -> Basis {
            let width = interval.upperBound - interval.lowerBound
            precondition(width > 0, "Basis interval \(interval) is empty")
            return Basis(family: family, scale: 2 / width,
                         offset: -(interval.upperBound + interval.lowerBound) / width)
        }

        /// t = scale·x + offset.
        @inline(__always)
        public func standardized(_ x: Double) -> Double { scale * x + offset }

        /// The x-interval mapped onto t ∈ [-1, 1].
        public var interval: ClosedRange<Double> {
            let (a, b) = ((-1 - offset) / scale, (1 - offset) / scale)
            return Swift.min(a, b) ... Swift.max(a, b)
        }

        /// The Gaussian N(μ, σ²) whose standardized variable is t (μ = −offset/scale, σ = 1/|scale|).
        public var mean: Double { -offset / scale }
        /// See ``mean``.
        public var standardDeviation: Double { 1 / Swift.abs(scale) }

        public var description: String {
            switch family {
            case .monomial:
                return scale == 1 && offset == 0 ? "monomial" : "monomial in \(scale)·x + \(offset)"
            case .chebyshev, .legendre:
                return "\(family.rawValue) on [\(interval.lowerBound), \(interval.upperBound)]"
            case .probabilistsHermite, .normalizedHermite:
                return "\(family.rawValue) for N(\(mean), \(standardDeviation)²)"
            }
        }
    }
}

extension Polynomial.Basis.Family {
    /// Recurrence coefficients (α_k, β_k, γ_k) of p_{k+1} = (α_k·t + β_k)·p_k − γ_k·p_{k−1}.
    @inline(__always)
    func recurrence(_ k: Int) -> (alpha: Double, beta: Double, gamma: Double) {
        let kk = Double(k)
        switch self {
        case .monomial: return (1, 0, 0)
        case .chebyshev: return (k == 0 ? 1 : 2, 0, 1)
        case .probabilistsHermite: return (1, 0, kk)
        case .normalizedHermite:
            let root = (kk + 1).squareRoot()
            return (1 / root, 0, kk.squareRoot() / root)
        case .legendre: return ((2 * kk + 1) / (kk + 1), 0, kk / (kk + 1))
        }
    }

    /// Σ c_k·p_k(t) by Clenshaw: b_k = c_k + (α_k·t + β_k)·b_{k+1} − γ_{k+1}·b_{k+2}, result b_0.
    func clenshaw(_ c: [Double], at t: Double) -> Double {
        var b1 = 0.0, b2 = 0.0
        var k = c.count - 1
        while k >= 0 {
            let (alpha, beta, _) = recurrence(k)
            let gamma = recurrence(k + 1).gamma
            let b0 = c[k] + (alpha * t + beta) * b1 - gamma * b2
            b2 = b1
            b1 = b0
            k -= 1
        }
        return b1
    }

    /// p_0(t) … p_{count−1}(t) and their t-derivatives.
    func valuesAndDerivatives(at t: Double, count: Int) -> (values: [Double], derivatives: [Double]) {
        var p = [Double](repeating: 0, count: count)
        var d = [Double](repeating: 0, count: count)
        guard count > 0 else { return (p, d) }
        p[0] = 1
        for k in 0 ..< count - 1 {
            let (alpha, beta, gamma) = recurrence(k)
            let previous = k > 0 ? p[k - 1] : 0
            let previousDerivative = k > 0 ? d[k - 1] : 0
            p[k + 1] = (alpha * t + beta) * p[k] - gamma * previous
            d[k + 1] = alpha * p[k] + (alpha * t + beta) * d[k] - gamma * previousDerivative
        }
        return (p, d)
    }

    /// Coefficients of t·Σ c_k·p_k in this family (one degree higher).
    func multipliedByT(_ c: [Double]) -> [Double] {
        var result = [Double](repeating: 0, count: c.count + 1)
        for k in c.indices where c[k] != 0 {
            let (alpha, beta, gamma) = recurrence(k)
            // t·p_k = (p_{k+1} − β_k·p_k + γ_k·p_{k−1}) / α_k
            result[k + 1] += c[k] / alpha
            result[k] -= c[k] * beta / alpha
            if k > 0 { result[k - 1] += c[k] * gamma / alpha }
        }
        return result
    }
}
