/// Errors from looking up activations and projecting them onto polynomials.
public enum ActivationError: Error, Equatable, CustomStringConvertible, Sendable {
    /// No activation has this name.
    case unknownName(String, known: [String])
    /// A parameter such as the leaky-ReLU slope in `leaky-relu:SLOPE` is not a finite number.
    case badParameter(name: String, parameter: String)
    /// The Gaussian's standard deviation must be positive and finite.
    case invalidStandardDeviation(Double)
    /// The Gaussian's mean must be finite.
    case invalidMean(Double)
    /// The expansion point of Taylor or Padé must be finite.
    case invalidCenter(Double)
    /// The denominator degree of Padé or rational minimax must be in 0...maximum.
    case invalidDenominatorDegree(Int, maximum: Int)
    /// A depth budget picks a polynomial degree; methods with a denominator cannot use one.
    case depthBudgetNeedsPolynomial(method: String)
    /// Even degree 1 needs more than this depth.
    case noDegreeFitsDepth(Int)
    /// The degree must be between 0 and the supported maximum.
    case invalidDegree(Int, maximum: Int)
    /// Quadrature did not settle: the coefficients still changed by `change` at `nodes` nodes.
    case quadratureNotConverged(activation: String, nodes: Int, change: Double)
    /// f returned NaN or infinity at a quadrature node.
    case nonFiniteValue(activation: String, at: Double)
    /// f is not finite at a point of the fitting interval (a pole, a logarithm of a negative
    /// number, an overflow); `reason` says which part of f fails.
    case notFiniteOnInterval(activation: String, at: Double, interval: ClosedRange<Double>, reason: String)
    /// The text is neither a known activation name nor an expression in x.
    case unknownNameOrExpression(String, known: [String])
    /// The method writes its fit in one basis only (Padé: monomials; rational minimax: Chebyshev).
    case basisNotAvailable(method: String, basis: String, reason: String)
    /// A max-error bound must be positive and finite.
    case invalidErrorBound(Double)
    /// The bound is below 2ε·max|f| on the interval, which no fit can be shown to meet in Double.
    case boundBelowResolution(activation: String, bound: Double, floor: Double, interval: ClosedRange<Double>)
    /// The default interval μ ± 3σ of a Gaussian fit is not finite or is empty.
    case defaultIntervalNotFinite(lower: Double, upper: Double)
    /// Relative-error fitting is a weighted minimax; other methods do not take a weight.
    case relativeErrorNeedsMinimax(method: String)
    /// f vanishes on the range, so the relative error |f − p|/|f| is unbounded there.
    case relativeErrorAtZero(activation: String, at: Double)
    /// A Gaussian projection coefficient left Double's range (a mean far out in units of σ
    /// at a high degree).
    case nonFiniteCoefficient(activation: String, degree: Int, mean: Double, standardDeviation: Double)

    public var description: String {
        switch self {
        case let .unknownName(name, known):
            return "unknown activation '\(name)'; known: \(known.joined(separator: ", "))"
        case let .badParameter(name, parameter):
            return "bad parameter '\(parameter)' for activation \(name); expected a finite number, e.g. leaky-relu:0.1"
        case let .invalidStandardDeviation(value):
            return "standard deviation must be positive and finite, got \(value)"
        case let .invalidMean(value):
            return "mean must be finite, got \(value)"
        case let .invalidCenter(value):
            return "the expansion point must be finite, got \(value)"
        case let .invalidDenominatorDegree(degree, maximum):
            return "denominator degree must be in 0...\(maximum), got \(degree)"
        case let .depthBudgetNeedsPolynomial(method):
            return "a depth budget picks a polynomial degree; \(method) divides by q, and the depth of its Newton inverse depends on the fitted q, so it cannot be chosen in advance: use a polynomial method (e.g. minimax) or give the degrees"
        case let .noDegreeFitsDepth(depth):
            return "no degree fits depth \(depth) (degree 1 already needs more)"
        case let .invalidDegree(degree, maximum):
            return "degree must be in 0...\(maximum), got \(degree)"
        case let .quadratureNotConverged(activation, nodes, change):
            return "Gaussian projection of \(activation) did not converge: coefficients still changed by \(change) at \(nodes) quadrature nodes; use a smaller standard deviation or degree"
        case let .nonFiniteValue(activation, x):
            return "\(activation) returned a non-finite value at x = \(x)"
        case let .notFiniteOnInterval(activation, x, interval, reason):
            return "\(activation) is not finite at x = \(x) on [\(interval.lowerBound), \(interval.upperBound)]: \(reason); choose a range that avoids it"
        case let .unknownNameOrExpression(name, known):
            return "unknown activation '\(name)'; known: \(known.joined(separator: ", ")); or write an expression in x such as 'exp(x)' or 'x*sigmoid(1.702*x)'"
        case let .basisNotAvailable(_, basis, reason):
            return "\(reason); drop --basis \(basis)"
        case let .invalidErrorBound(bound):
            return "the max-error bound must be positive and finite, got \(bound)"
        case let .boundBelowResolution(activation, bound, floor, interval):
            return "\(bound) is below what Double resolves for \(activation) on [\(interval.lowerBound), \(interval.upperBound)]: 2ε·max|f| = \(floor)"
        case let .defaultIntervalNotFinite(lower, upper):
            return "mean ± 3·std = [\(lower), \(upper)] is the default range and must be finite and non-empty"
        case let .relativeErrorNeedsMinimax(method):
            return "relative error is fitted by minimax (the weighted Remez); \(method) minimizes another error"
        case let .relativeErrorAtZero(activation, x):
            return "\(activation) is 0 at x = \(x) on the range, where the relative error |f − p|/|f| is unbounded; choose a range where f does not vanish"
        case let .nonFiniteCoefficient(activation, degree, mean, deviation):
            return "the degree-\(degree) Gaussian projection coefficient of \(activation) under N(\(mean), \(deviation)²) overflows; use a lower degree"
        }
    }
}
