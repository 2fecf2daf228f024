import Polynomials

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
    /// A composition p_k ∘ … ∘ p_1 of odd minimax polynomials approximating sign, for ReLU,
    /// |x| and sign over wide ranges (``CompositeApproximation``); not a single polynomial, so
    /// ``Activation/approximation(_:)`` refuses it.
    case composite

    /// The largest (numerator) degree this method accepts: 200 for minimax and Hermite
    /// interpolation (dense (n+2)×(n+2) solves per Remez step), 100 for rational minimax,
    /// ``/Polynomials/Polynomial/maximumFitDegree`` (1000) otherwise; a composite's stages go up to 63.
    public var maximumDegree: Int {
        switch self {
        case .composite: return EvaluationCost.maximumOddBabyStepGiantStepDegree
        case .minimax, .hermite: return Polynomial.maximumMinimaxDegree
        case .rationalMinimax: return RationalFunction.maximumMinimaxDegrees.numerator
        case .taylor, .chebyshev, .leastSquares, .gaussian, .pade: return Polynomial.maximumFitDegree
        }
    }

    /// The largest denominator degree of Padé and rational minimax.
    public static let maximumDenominatorDegree = RationalFunction.maximumMinimaxDegrees.denominator

    /// Whether the result is a quotient p/q (Padé, rational minimax), whose homomorphic cost
    /// includes a Newton inverse sized from the fit itself.
    public var hasDenominator: Bool { self == .pade || self == .rationalMinimax }
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
    /// For `minimax`: minimize the relative error max |f − p|/|f| (the weighted Remez with
    /// w = 1/|f|) instead of the absolute one.
    public var relativeError = false

    /// Checks everything that does not need the activation: the interval
    /// (``/Polynomials/Polynomial/validateInterval(_:)``), the degree (0…``ApproximationMethod/maximumDegree``),
    /// the denominator degree for Padé and rational minimax (0…50), a finite center, and a
    /// Gaussian with finite μ, positive finite σ and finite μ ± 10σ (its RMS integral runs there).
    /// - Throws: ``/Polynomials/PolynomialError`` (interval, degree) or ``ActivationError``.
    public func validate() throws {
        try Polynomial.validateInterval(interval)
        guard (0 ... method.maximumDegree).contains(degree) else {
            throw PolynomialError.invalidDegree(degree, maximum: method.maximumDegree)
        }
        if method.hasDenominator, !(0 ... ApproximationMethod.maximumDenominatorDegree).contains(denominatorDegree) {
            throw ActivationError.invalidDenominatorDegree(denominatorDegree, maximum: ApproximationMethod.maximumDenominatorDegree)
        }
        if let center, !center.isFinite { throw ActivationError.invalidCenter(center) }
        if relativeError, method != .minimax { throw ActivationError.relativeErrorNeedsMinimax(method: method.rawValue) }
        if let (mean, standardDeviation) = gaussian {
            guard mean.isFinite else { throw ActivationError.invalidMean(mean) }
            guard standardDeviation > 0, standardDeviation.isFinite else {
                throw ActivationError.invalidStandardDeviation(standardDeviation)
            }
            guard (mean - 10 * standardDeviation).isFinite, (mean + 10 * standardDeviation).isFinite else {
                throw PolynomialError.invalidGaussian(mean: mean, standardDeviation: standardDeviation)
            }
        }
    }

    /// The largest degree whose Chebyshev Paterson–Stockmeyer evaluation (with the map onto
    /// [-1, 1] unless the interval is [-1, 1]) fits a multiplicative depth budget, capped at
    /// the method's ``ApproximationMethod/maximumDegree``.
    ///
    /// Padé and rational minimax are refused: their depth includes a Newton inverse whose step
    /// count depends on the fitted denominator's range, so no degree can be chosen before fitting.
    /// - Throws: ``ActivationError/depthBudgetNeedsPolynomial(method:)``,
    ///   ``ActivationError/noDegreeFitsDepth(_:)`` (depth below what degree 1 needs).
    public func largestDegree(forDepth depth: Int) throws -> Int {
        guard !method.hasDenominator else { throw ActivationError.depthBudgetNeedsPolynomial(method: method.rawValue) }
        guard depth >= 1, let degree = EvaluationCost.largestDegree(forDepth: depth, needsAffineMap: interval != -1 ... 1,
                                                                    limit: method.maximumDegree) else {
            throw ActivationError.noDegreeFitsDepth(depth)
        }
        return degree
    }

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
