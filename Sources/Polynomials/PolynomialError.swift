/// Failures of fitting and evaluating polynomials that depend on the input.
public enum PolynomialError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The degree is negative or above the supported maximum.
    case invalidDegree(Int, maximum: Int)
    /// The interval is empty, reversed or not finite.
    case invalidInterval(lower: Double, upper: Double)
    /// The function returned NaN or infinity.
    case nonFiniteValue(at: Double)
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

    public var description: String {
        switch self {
        case let .invalidDegree(degree, maximum):
            return "degree must be in 0...\(maximum), got \(degree)"
        case let .invalidInterval(lower, upper):
            return "interval [\(lower), \(upper)] must be finite with lower < upper"
        case let .nonFiniteValue(x):
            return "the function is NaN or infinite at x = \(x)"
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
        }
    }
}

/// Checks a requested degree and interval before fitting.
func validate(degree: Int, maximum: Int, interval: ClosedRange<Double>) throws {
    guard (0 ... maximum).contains(degree) else { throw PolynomialError.invalidDegree(degree, maximum: maximum) }
    guard interval.lowerBound.isFinite, interval.upperBound.isFinite, interval.lowerBound < interval.upperBound else {
        throw PolynomialError.invalidInterval(lower: interval.lowerBound, upper: interval.upperBound)
    }
}

/// f(x), or a thrown ``PolynomialError/nonFiniteValue(at:)``.
@inline(__always)
func finiteValue(_ f: (Double) -> Double, _ x: Double) throws -> Double {
    let y = f(x)
    guard y.isFinite else { throw PolynomialError.nonFiniteValue(at: x) }
    return y
}
