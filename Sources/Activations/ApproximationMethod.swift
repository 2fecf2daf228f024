/// How ``Activation/approximation(_:)`` fits a polynomial.
public enum ApproximationMethod: String, Sendable, CaseIterable {
    /// Taylor polynomial at a point (truncated power-series arithmetic).
    case taylor
    /// Interpolation at Chebyshev points of the second kind on [a, b].
    case chebyshev
    /// Least squares on [a, b] with the uniform weight (Legendre projection).
    case leastSquares = "least-squares"
    /// Least squares under N(μ, σ²) (Hermite projection).
    case gaussian
    /// Best uniform approximation on [a, b] (Remez), with a de la Vallée-Poussin lower bound.
    case minimax
    /// Hermite interpolation: f and f′ at Chebyshev (or given) nodes.
    case hermite
    /// Padé approximant p/q at a point (needs division).
    case pade
    /// Best uniform rational approximation p/q on [a, b] (rational Remez; needs division).
    case rationalMinimax = "rational-minimax"
}

/// What to fit: the method, degree, where, and method-specific options.
public struct ApproximationRequest: Sendable {
    /// The fitting method.
    public var method: ApproximationMethod
    /// Polynomial degree (the numerator degree for Padé and rational minimax).
    public var degree: Int
    /// The interval [a, b] the fit and its error report refer to.
    public var interval: ClosedRange<Double>
    /// The Gaussian N(μ, σ²) for the `gaussian` method and the Gaussian RMS error.
    public var gaussian: (mean: Double, standardDeviation: Double)?
    /// Expansion point for `taylor` and `pade` (default: the interval's center).
    public var center: Double?
    /// Nodes for `hermite` (default: Chebyshev points).
    public var nodes: [Double]?
    /// Denominator degree for `pade` and `rational-minimax`.
    public var denominatorDegree: Int

    /// A request; see the properties.
    public init(method: ApproximationMethod, degree: Int, interval: ClosedRange<Double>,
                gaussian: (mean: Double, standardDeviation: Double)? = nil, center: Double? = nil,
                nodes: [Double]? = nil, denominatorDegree: Int = 2) {
        self.method = method
        self.degree = degree
        self.interval = interval
        self.gaussian = gaussian
        self.center = center
        self.nodes = nodes
        self.denominatorDegree = denominatorDegree
    }
}
