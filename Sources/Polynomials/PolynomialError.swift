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
