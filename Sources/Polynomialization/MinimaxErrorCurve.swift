import NeuralNetworks

/// How the best polynomial error of one nonlinearity falls with the degree, on the interval its
/// inputs were measured on: the curve a degree or a depth budget is read from.
///
/// ```swift
/// let curve = try MinimaxErrorCurve(ranges[0], interval: IntervalRule(), degrees: 1 ... 63)
/// curve.errors[30]   // max |f − p| of the degree-31 minimax polynomial
/// ```
public struct MinimaxErrorCurve: Sendable {
    /// The layer's index in the network.
    public var layerIndex: Int
    /// The function approximated.
    public var function: ActivationFunction
    /// The interval every fit covers.
    public var interval: ClosedRange<Double>
    /// The degrees, ascending.
    public var degrees: [Int]
    /// max |f − p| of the minimax polynomial of each degree on the interval.
    public var errors: [Double]

    /// The minimax error of `range`'s function at each of `degrees` on the interval `rule` chooses.
    /// - Throws: ``PolynomializationError`` for a degree outside 1…``ActivationFit/maximumDegree``
    ///   or a Remez run that fails.
    /// - Complexity: one Remez run per degree.
    public init(_ range: LayerRange, interval rule: IntervalRule, degrees: some Sequence<Int>) throws {
        layerIndex = range.layerIndex
        function = range.function
        interval = rule.interval(for: range.distribution)
        self.degrees = Array(degrees).sorted()
        errors = try self.degrees.map { try ActivationFit.fit(range, interval: rule, degree: .degree($0)).maxError }
    }
}
