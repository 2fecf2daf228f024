import Activations
import NeuralNetworks
import Polynomials

/// How the interval a replacement polynomial covers is chosen from a layer's measured inputs.
public struct IntervalRule: Sendable, Equatable {
    /// The central interval holding all but `tailPercent` % of the inputs in each tail
    /// (nil: the whole measured range [min, max]).
    public var tailPercent: Double?
    /// The factor the interval's half-width is widened by, around its centre.
    public var margin: Double

    public init(tailPercent: Double? = nil, margin: Double = 1.05) {
        self.tailPercent = tailPercent
        self.margin = margin
    }

    /// The interval for `distribution`.
    public func interval(for distribution: ValueDistribution) -> ClosedRange<Double> {
        let (low, high) = tailPercent.map { (distribution.percentile($0), distribution.percentile(100 - $0)) }
            ?? (distribution.minimum, distribution.maximum)
        let centre = (low + high) / 2
        // A layer whose inputs are all equal still gets an interval a polynomial can be fitted on.
        let half = Swift.max((high - low) / 2 * margin, 1e-6 * Swift.max(Swift.abs(centre), 1))
        return (centre - half) ... (centre + half)
    }
}

/// How the degree of each replacement is chosen.
public enum DegreeRule: Sendable, Equatable {
    /// The same degree everywhere.
    case degree(Int)
    /// The smallest degree whose certified minimax error is at most the bound.
    case maxError(Double)
}

/// One nonlinearity replaced by a minimax polynomial on its interval.
public struct ActivationFit: Sendable {
    /// The layer's index in the network.
    public var layerIndex: Int
    /// The function replaced.
    public var function: ActivationFunction
    /// The interval the polynomial is fitted on.
    public var interval: ClosedRange<Double>
    /// The polynomial, in the Chebyshev basis on `interval`.
    public var polynomial: Polynomial
    /// max |f − p| on the interval, and the de la Vallée-Poussin lower bound on the best error.
    public var maxError: Double
    public var lowerBound: Double
    /// The homomorphic evaluation cost (OpenFHE's Chebyshev Paterson–Stockmeyer, with the
    /// affine map onto [−1, 1]).
    public var cost: EvaluationCost

    /// The highest degree fitted.
    public static let maximumDegree = Polynomial.maximumMinimaxDegree

    /// The minimax fit of `range`'s function on the interval `rule` chooses, at the degree
    /// `degrees` asks for.
    public static func fit(_ range: LayerRange, interval rule: IntervalRule, degree degrees: DegreeRule) throws -> ActivationFit {
        let interval = rule.interval(for: range.distribution)
        let activation = range.function.activation
        func fit(_ degree: Int) throws -> ActivationFit {
            let minimax = try Polynomial.minimax(of: { activation.value($0) }, degree: degree, on: interval,
                                                 breakpoints: activation.kinks)
            return ActivationFit(layerIndex: range.layerIndex, function: range.function, interval: interval,
                                 polynomial: minimax.polynomial, maxError: minimax.maxError, lowerBound: minimax.lowerBound,
                                 cost: .chebyshevPatersonStockmeyer(degree: degree, needsAffineMap: interval != -1 ... 1))
        }
        switch degrees {
        case let .degree(n):
            guard (1 ... maximumDegree).contains(n) else {
                throw PolynomializationError.invalidSetting("the degree must be in 1...\(maximumDegree), got \(n)")
            }
            return try fit(n)
        case let .maxError(bound):
            guard bound > 0, bound.isFinite else {
                throw PolynomializationError.invalidSetting("the error bound must be positive and finite, got \(bound)")
            }
            do {
                return try Polynomial.smallestDegree(upTo: maximumDegree, meeting: bound, error: \.maxError, fit: fit)
            } catch PolynomialError.boundNotReached(_, let limit, let achieved) {
                throw PolynomializationError.unreachableError(layer: range.layerIndex, bound: bound, limit: limit, best: achieved)
            }
        }
    }
}
