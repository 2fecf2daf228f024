/// Failures of fitting and evaluating polynomials that depend on the input.
public enum PolynomialError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The degree is negative or above the supported maximum.
    case invalidDegree(Int, maximum: Int)
    /// The interval is empty, reversed or not finite.
    case invalidInterval(lower: Double, upper: Double)
    /// The interval's width or midpoint overflows Double (e.g. [-1e308, 1e308]).
    case intervalTooWide(lower: Double, upper: Double)
    /// The interval is too narrow for its magnitude: its width is below
    /// ``Polynomial/minimumRelativeWidth`` times max(|a|, |b|), so the map onto [-1, 1] cannot
    /// resolve points of it (see ``Polynomial/validateInterval(_:)``).
    case intervalNotResolvable(lower: Double, upper: Double)
    /// A Gaussian N(μ, σ²) needs μ finite, σ positive and finite, and μ ± 10σ finite.
    case invalidGaussian(mean: Double, standardDeviation: Double)
    /// The function returned NaN or infinity.
    case nonFiniteValue(at: Double)
    /// A union of intervals with no piece.
    case emptyUnion
    /// The pieces of a union must be ascending and disjoint; `reason` names the offending pair.
    case invalidPieces(String)
    /// A minimax weight must be finite and positive on the union; `value` is w(x).
    case nonPositiveWeight(at: Double, value: Double)
    /// A fitting system was singular (e.g. repeated interpolation nodes).
    case singularSystem(String)
    /// Remez did not reach equioscillation; `best` is the best polynomial found.
    case remezNotConverged(iterations: Int, maxError: Double, lowerBound: Double, best: Polynomial)
    /// Rational Remez did not level the error within the iteration budget.
    case rationalRemezNotConverged(iterations: Int, maxError: Double, lowerBound: Double)
    /// A rational trial's denominator vanishes inside the interval (a pole), in t ∈ [-1, 1]
    /// mapped back to x.
    case poleInInterval(at: Double, iteration: Int)
    /// The rational problem is degenerate at this type: no pole-free levelled solution, or fewer
    /// alternation points than a non-degenerate best approximation has.
    case degenerateRational(String)
    /// Interpolation nodes must be distinct, finite and inside the interval.
    case invalidNodes(String)
    /// A method cannot handle this function (e.g. minimax of a discontinuous function).
    case unsupported(String)
    /// A fit under a Gaussian was asked for without the Gaussian's mean and standard deviation.
    case gaussianMissing
    /// A Taylor series of `function` was asked for at a point where it is not smooth.
    case notSmooth(function: String, at: Double)
    /// No degree up to `limit` reaches the error bound; `achieved` is the error at `limit`.
    case boundNotReached(bound: Double, limit: Int, achieved: Double)
    /// An iterative routine reached its iteration cap before its (relative) tolerance.
    case iterationLimit(routine: String, iterations: Int)
    /// A result that must be a finite number is not (it overflows Double); `quantity` names it.
    case nonFiniteResult(quantity: String)
    /// Converting to another basis overflows Double (monomial coefficients of a high degree).
    case conversionOverflow(degree: Int, target: String)
    /// 1/q by Newton's iteration needs more than `maximumSteps` steps: q's range
    /// q_max/q_min is too wide (or not finite).
    case newtonInverseTooSlow(denominatorRange: ClosedRange<Double>, maximumSteps: Int)

    public var description: String {
        switch self {
        case let .invalidDegree(degree, maximum):
            return "degree must be in 0...\(maximum), got \(degree)"
        case let .invalidInterval(lower, upper):
            return "interval [\(lower), \(upper)] must be finite with lower < upper"
        case let .invalidGaussian(mean, standardDeviation):
            return "the Gaussian N(\(mean), \(standardDeviation)²) needs a finite mean, a positive finite standard deviation and finite mean ± 10·std"
        case let .nonFiniteValue(x):
            return "the function is NaN or infinite at x = \(x)"
        case .emptyUnion:
            return "the union of intervals is empty: give at least one interval"
        case let .invalidPieces(reason):
            return "the intervals of the union must be ascending and disjoint: \(reason)"
        case let .nonPositiveWeight(x, value):
            return "the weight must be finite and positive on the union; w(\(x)) = \(value)"
        case let .singularSystem(what):
            return "singular system in \(what)"
        case let .remezNotConverged(iterations, maxError, lowerBound, _):
            return "Remez did not converge after \(iterations) iterations; best max error \(maxError) (lower bound \(lowerBound)); try a lower degree or a smaller interval"
        case let .rationalRemezNotConverged(iterations, maxError, lowerBound):
            return "rational Remez did not converge after \(iterations) iterations; best max error \(maxError) (lower bound \(lowerBound)); try a smaller denominator degree or a smaller interval"
        case let .poleInInterval(x, iteration):
            return "the rational trial of Remez iteration \(iteration) has a pole at x ≈ \(x) inside the interval; no pole-free best approximation was reached from this start: try a smaller denominator degree, a type whose parity matches the function (even functions: even degrees), or a smaller interval"
        case let .degenerateRational(reason):
            return "degenerate rational approximation: \(reason)"
        case let .invalidNodes(reason):
            return "invalid interpolation nodes: \(reason)"
        case let .unsupported(reason):
            return reason
        case .gaussianMissing:
            return "the gaussian method needs the mean and standard deviation of its Gaussian"
        case let .notSmooth(function, x0):
            return "\(function) is not smooth at x = \(x0): no Taylor series there; expand elsewhere or use another method"
        case let .intervalTooWide(lower, upper):
            return "interval [\(lower), \(upper)] is too wide: its width or midpoint overflows Double"
        case let .intervalNotResolvable(lower, upper):
            return "interval [\(lower), \(upper)] is too narrow for its magnitude: Double cannot resolve points inside it (the width must be at least 2^-32 × max(|lower|, |upper|, 2^-960))"
        case let .boundNotReached(bound, limit, achieved):
            return "no degree ≤ \(limit) reaches max error \(bound); degree \(limit) gives \(achieved)"
        case let .iterationLimit(routine, iterations):
            return "\(routine) did not reach its tolerance in \(iterations) iterations"
        case let .nonFiniteResult(quantity):
            return "\(quantity) is not a finite Double (it overflows)"
        case let .conversionOverflow(degree, target):
            return "the degree-\(degree) coefficients overflow Double in the \(target) basis"
        case let .newtonInverseTooSlow(range, maximumSteps):
            return "the Newton inverse of q needs more than \(maximumSteps) steps: q ranges over [\(range.lowerBound), \(range.upperBound)] on the interval"
        }
    }
}

extension Polynomial {
    /// The least width of an interval [a, b] relative to max(|a|, |b|): 2⁻³², see
    /// ``validateInterval(_:)``.
    public static let minimumRelativeWidth = 0x1p-32

    /// Checks that [a, b] can carry a fit: finite, a < b, width b − a and midpoint (a + b)/2
    /// finite, and b − a ≥ 2⁻³²·max(|a|, |b|, 2⁻⁹⁶⁰).
    ///
    /// Why 2⁻³²: every method works in t = (2x − a − b)/(b − a) ∈ [-1, 1]. A Double x carries
    /// a relative rounding error of ε/2 (ε = 2⁻⁵²), so t carries an absolute error up to
    /// ε·max(|a|, |b|)/(b − a): the condition number of the map. With the width at least
    /// 2⁻³²·max(|a|, |b|) that error stays below 2⁻²⁰ ≈ 1e-6 of the half-width, so the
    /// thousands of sample points of a fit and its error report stay distinct and ordered.
    /// Narrower intervals (e.g. [1e6, 1e6 + 1e-6]) are refused rather than fitted in noise.
    /// The floor 2⁻⁹⁶⁰ covers subnormal bounds (spacing 2⁻¹⁰⁷⁴, not ε·|x|) and keeps the
    /// map's scale 2/(b − a) ≤ 2⁹⁹³ finite.
    ///
    /// ```swift
    /// try Polynomial.validateInterval(1e6 ... 1.001e6)    // fine
    /// try Polynomial.validateInterval(-1e308 ... 1e308)   // throws intervalTooWide
    /// ```
    /// - Throws: ``PolynomialError/invalidInterval(lower:upper:)`` (not finite, empty or
    ///   reversed), ``PolynomialError/intervalTooWide(lower:upper:)``,
    ///   ``PolynomialError/intervalNotResolvable(lower:upper:)``.
    public static func validateInterval(_ interval: ClosedRange<Double>) throws {
        let (a, b) = (interval.lowerBound, interval.upperBound)
        guard a.isFinite, b.isFinite, a < b else { throw PolynomialError.invalidInterval(lower: a, upper: b) }
        guard (b - a).isFinite, (a + b).isFinite else { throw PolynomialError.intervalTooWide(lower: a, upper: b) }
        guard b - a >= minimumRelativeWidth * Swift.max(Swift.abs(a), Swift.abs(b), 0x1p-960) else {
            throw PolynomialError.intervalNotResolvable(lower: a, upper: b)
        }
    }
}

/// Checks a requested degree and interval before fitting.
func validate(degree: Int, maximum: Int, interval: ClosedRange<Double>) throws {
    guard (0 ... maximum).contains(degree) else { throw PolynomialError.invalidDegree(degree, maximum: maximum) }
    try Polynomial.validateInterval(interval)
}

/// f(x), or a thrown ``PolynomialError/nonFiniteValue(at:)``.
@inline(__always)
func finiteValue(_ f: (Double) -> Double, _ x: Double) throws -> Double {
    let y = f(x)
    guard y.isFinite else { throw PolynomialError.nonFiniteValue(at: x) }
    return y
}
