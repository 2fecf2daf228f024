import Polynomials
import RealModule

/// A scalar activation function f: ℝ → ℝ with its first derivative, optionally its second, and
/// what the fitting code needs to know about it (where it is not smooth, closed forms for
/// Gaussian projections).
///
/// The standard activations are static members (``relu``, ``gelu``, …, ``named(_:)`` by name);
/// any function of one variable becomes one with ``init(name:value:derivative:secondDerivative:kinks:)``:
///
/// ```swift
/// let gelu = Activation.gelu
/// gelu(1.0)                 // 0.8413…
/// let cube = Activation(name: "cube", value: { $0 * $0 * $0 })
/// cube.derivative(2)        // ≈ 12 (central difference)
/// ```
public struct Activation: Sendable, CustomStringConvertible {
    /// The activation's name as the command line spells it (`gelu`, `leaky-relu:0.01`, …).
    public let name: String
    /// Points where f or one of its derivatives is not continuous (the kink of ReLU at 0).
    ///
    /// Fitting code splits quadratures there and notes that interpolants miss them.
    public let kinks: [Double]
    /// Points where f itself may jump (sign at 0); minimax and rational minimax refuse an
    /// interval that contains one, since every continuous approximant errs by half the jump.
    public let jumps: [Double]
    let valueFunction: @Sendable (Double) -> Double
    let derivativeFunction: @Sendable (Double) -> Double
    let secondDerivativeFunction: (@Sendable (Double) -> Double)?
    /// How the Gaussian projection is computed (closed form or quadrature).
    let projection: GaussianProjectionMethod
    /// f applied to a truncated power series, for Taylor and Padé fits (nil: not available).
    let series: (@Sendable (TaylorSeries) -> TaylorSeries)?
    /// The first point of an interval where f is not finite, with the reason (nil: sample f).
    let nonFiniteSearch: (@Sendable (ClosedRange<Double>) -> (x: Double, reason: String)?)?

    /// An activation from any function of one variable.
    ///
    /// - Parameters:
    ///   - name: the name reports and error messages use.
    ///   - value: f.
    ///   - derivative: f′; when `nil`, a central difference with step ε^{1/3}·max(1, |x|)
    ///     (relative accuracy about 1e-10 for smooth f).
    ///   - secondDerivative: f″, used by Gaussian projections when given (nil: not available).
    ///   - kinks: points where f is not smooth; quadratures are split there.
    public init(name: String, value: @escaping @Sendable (Double) -> Double,
                derivative: (@Sendable (Double) -> Double)? = nil,
                secondDerivative: (@Sendable (Double) -> Double)? = nil,
                kinks: [Double] = []) {
        self.init(name: name, value: value,
                  derivative: derivative ?? { x in Activation.centralDifference(value, at: x) },
                  secondDerivative: secondDerivative, kinks: kinks, projection: .quadrature)
    }

    init(name: String, value: @escaping @Sendable (Double) -> Double,
         derivative: @escaping @Sendable (Double) -> Double,
         secondDerivative: (@Sendable (Double) -> Double)?, kinks: [Double],
         projection: GaussianProjectionMethod, series: (@Sendable (TaylorSeries) -> TaylorSeries)? = nil,
         nonFiniteSearch: (@Sendable (ClosedRange<Double>) -> (x: Double, reason: String)?)? = nil,
         jumps: [Double] = []) {
        self.name = name
        self.valueFunction = value
        self.derivativeFunction = derivative
        self.secondDerivativeFunction = secondDerivative
        self.kinks = kinks.sorted()
        self.projection = projection
        self.series = series
        self.nonFiniteSearch = nonFiniteSearch
        self.jumps = jumps.sorted()
    }

    /// f(x).
    @inline(__always)
    public func value(_ x: Double) -> Double { valueFunction(x) }

    /// f(x), so that an activation reads like the function it is.
    @inline(__always)
    public func callAsFunction(_ x: Double) -> Double { valueFunction(x) }

    /// f′(x); at a kink, the value PyTorch uses (ReLU′(0) = 0).
    public func derivative(_ x: Double) -> Double { derivativeFunction(x) }

    /// f″(x) in closed form (away from kinks), or `nil` when this activation has none.
    public func secondDerivative(_ x: Double) -> Double? { secondDerivativeFunction?(x) }

    /// Whether ``secondDerivative(_:)`` is available.
    public var hasSecondDerivative: Bool { secondDerivativeFunction != nil }

    public var description: String { name }

    /// The degree of f when it is a polynomial made with ``polynomial(name:degree:value:derivative:)``
    /// (1 for the identity), else `nil`.
    public var polynomialDegree: Int? {
        if case let .polynomial(degree) = projection { return degree }
        return name == Activation.identity.name ? 1 : nil
    }

    /// A polynomial activation of `degree` given by its value and derivative (for instance a
    /// learnable Hermite activation). Its Gaussian projection is exact: Gauss–Hermite
    /// quadrature with `degree + 1` nodes integrates f(μ + σz)·He_j(z) without error, and every
    /// coefficient above `degree` is zero.
    ///
    /// ```swift
    /// let cube = Activation.polynomial(name: "cube", degree: 3, value: { $0 * $0 * $0 }, derivative: { 3 * $0 * $0 })
    /// try cube.probabilistsHermiteCoefficients(mean: 0, standardDeviation: 1, degree: 4)   // [0, 3, 0, 1, 0]
    /// ```
    /// - Precondition: `degree` ≥ 0; `value` must be a polynomial of at most that degree
    ///   (otherwise the projection is that of its interpolant at the nodes).
    public static func polynomial(name: String, degree: Int, value: @escaping @Sendable (Double) -> Double,
                                  derivative: @escaping @Sendable (Double) -> Double) -> Activation {
        precondition(degree >= 0, "A polynomial activation needs a degree ≥ 0, got \(degree)")
        return Activation(name: name, value: value, derivative: derivative, secondDerivative: nil, kinks: [],
                          projection: .polynomial(degree: degree))
    }

    /// (f(x + h) − f(x − h)) / 2h with h = ε^{1/3}·max(1, |x|), which balances truncation
    /// (h²·f‴/6) against rounding (ε·|f|/h).
    static func centralDifference(_ f: (Double) -> Double, at x: Double) -> Double {
        let h = Double.pow(Double.ulpOfOne, 1.0 / 3) * Swift.max(1, Swift.abs(x))
        return (f(x + h) - f(x - h)) / (2 * h)
    }
}

/// How ``Activation/probabilistsHermiteCoefficients(mean:standardDeviation:degree:)`` works for an activation.
enum GaussianProjectionMethod: Sendable, Equatable {
    /// f(x) = slope·x + (1 − slope)·ramp(x) − offset, where ramp is x·Φ(x/τ) smoothed by a
    /// Gaussian of width τ (τ = 0: ReLU, τ = 1: GELU). Closed form via Stein's lemma.
    case ramp(width: Double, slope: Double)
    /// f(x) = scale·(2·H(x) − 1) with H the Heaviside step (the sign function).
    case sign
    /// f(x) = |x| = 2·ReLU(x) − x.
    case absoluteValue
    /// Gauss–Hermite quadrature with a convergence check (split at kinks if any).
    case quadrature
    /// f is a polynomial of this degree: Gauss–Hermite with `degree + 1` nodes is exact for
    /// f(μ + σz)·He_j(z) (degree ≤ 2·degree ≤ 2(degree + 1) − 1) and c_j = 0 for j > degree.
    case polynomial(degree: Int)
}
