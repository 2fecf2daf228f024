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
    /// The degrees a report shows: 1…63, the range a CKKS circuit typically affords per
    /// nonlinearity.
    public static let reportedDegrees = 1 ... 63

    /// Why the curve ends before the last degree asked for: the Remez run that failed there
    /// (smooth functions reach rounding level long before degree 63, and Remez cannot
    /// converge below it).
    public var stopped: String?

    /// The minimax error of `range`'s function at each of `degrees` on the interval `rule`
    /// chooses; the curve ends at the first degree whose fit fails (see ``stopped``).
    /// - Throws: ``PolynomializationError`` for a degree outside 1…``ActivationFit/maximumDegree``,
    ///   or the error of the first degree's fit when that fails.
    /// - Complexity: one Remez run per degree.
    public init(_ range: LayerRange, interval rule: IntervalRule, degrees: some Sequence<Int>) throws {
        layerIndex = range.layerIndex
        function = range.function
        interval = rule.interval(for: range.distribution)
        let asked = Array(degrees).sorted()
        if let degree = asked.first(where: { !(1 ... ActivationFit.maximumDegree).contains($0) }) {
            throw PolynomializationError.invalidSetting("the degree must be in 1...\(ActivationFit.maximumDegree), got \(degree)")
        }
        (self.degrees, errors) = ([], [])
        for degree in asked {
            do {
                errors.append(try ActivationFit.fit(range, interval: rule, degree: .degree(degree)).maxError)
                self.degrees.append(degree)
            } catch where !errors.isEmpty {
                stopped = "degree \(degree): \(error)"
                break
            }
        }
    }
}
