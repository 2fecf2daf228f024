/// The result of ``RationalFunction/minimax(of:numeratorDegree:denominatorDegree:on:breakpoints:tolerance:maximumIterations:)``.
public struct RationalMinimaxApproximation: Sendable {
    /// r = p/q with p and q in the Chebyshev basis on the interval; q > 0 on the interval and its
    /// T_0 coefficient is 1.
    public var rational: RationalFunction
    /// max |f − r| on the interval (refined extrema): an upper bound on the best error.
    public var maxError: Double
    /// De la Vallée-Poussin lower bound: the best possible error is in [lowerBound, maxError].
    public var lowerBound: Double
    /// The n + m + 2 points where the error equioscillates, ascending (empty when f is itself
    /// a rational function of this type to rounding).
    public var reference: [Double]
    /// f − r at ``reference`` (alternating in sign, equal in magnitude at convergence).
    public var referenceErrors: [Double]
    /// Exchange iterations used.
    public var iterations: Int
    /// min and max of q on the interval (sampled): a homomorphic evaluation of 1/q needs them
    /// to start its Newton iteration.
    public var denominatorRange: ClosedRange<Double>
}
