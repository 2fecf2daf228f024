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

    /// A rule; see the properties.
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

/// One nonlinearity replaced by a polynomial on its interval.
public struct ActivationFit: Sendable {
    /// The layer's index in the network.
    public var layerIndex: Int
    /// The function replaced.
    public var function: ActivationFunction
    /// How the polynomial was fitted: ``/Activations/ApproximationMethod/minimax`` or
    /// ``/Activations/ApproximationMethod/gaussian``.
    public var method: ApproximationMethod
    /// The interval the polynomial is fitted on.
    public var interval: ClosedRange<Double>
    /// The polynomial, in the Chebyshev basis on `interval`.
    public var polynomial: Polynomial
    /// max |f − p| on the interval.
    public var maxError: Double
    /// For minimax, the de la Vallée-Poussin lower bound on the best error at this degree
    /// (nil for the Gaussian fit, which minimizes a mean square instead).
    public var lowerBound: Double?
    /// The homomorphic evaluation cost (OpenFHE's Chebyshev Paterson–Stockmeyer, with the
    /// affine map onto [−1, 1]).
    public var cost: EvaluationCost

    /// The highest degree fitted.
    public static let maximumDegree = Polynomial.maximumMinimaxDegree

    /// The methods a replacement can be fitted by.
    public static let methods: [ApproximationMethod] = [.minimax, .gaussian]

    /// The fit of `range`'s function on the interval `rule` chooses, at the degree `degrees`
    /// asks for.
    ///
    /// - `minimax`: the best uniform approximation on the interval (Remez), certified by its
    ///   lower bound.
    /// - `gaussian`: the least-squares fit under N(μ, σ²) with μ and σ the measured mean and
    ///   standard deviation of the layer's inputs (Hermite projection), which spends its accuracy
    ///   where the inputs are dense; its max error is measured on the interval. A layer whose
    ///   inputs are all equal (σ = 0) gets the Gaussian of the interval's centre and a quarter of
    ///   its width.
    /// - Throws: ``PolynomializationError/invalidSetting(_:)`` for another method, a degree
    ///   outside 1…``maximumDegree`` or a bad bound;
    ///   ``PolynomializationError/unreachableError(layer:bound:limit:best:)`` when no degree
    ///   meets the bound.
    public static func fit(_ range: LayerRange, interval rule: IntervalRule, degree degrees: DegreeRule,
                           method: ApproximationMethod = .minimax) throws -> ActivationFit {
        guard methods.contains(method) else {
            throw PolynomializationError.invalidSetting(
                "a nonlinearity is fitted by \(methods.map(\.rawValue).joined(separator: " or ")), not \(method.rawValue)")
        }
        let interval = rule.interval(for: range.distribution)
        let activation = range.function.activation
        let chebyshev = Polynomial.Basis.chebyshev(on: interval)
        let gaussian = range.distribution.standardDeviation > 0
            ? (mean: range.distribution.mean, standardDeviation: range.distribution.standardDeviation)
            : (mean: (interval.lowerBound + interval.upperBound) / 2, standardDeviation: (interval.upperBound - interval.lowerBound) / 4)
        func fit(_ degree: Int) throws -> ActivationFit {
            let polynomial: Polynomial, maxError: Double, lowerBound: Double?
            switch method {
            case .gaussian:
                // The projection in the orthonormal basis He_k/√k!, whose coefficients stay of
                // the size of f's variance share at every degree, then the exact change of basis.
                let coefficients = try activation.normalizedHermiteCoefficients(mean: gaussian.mean,
                                                                                standardDeviation: gaussian.standardDeviation,
                                                                                degree: degree)
                polynomial = Polynomial(coefficients: coefficients,
                                        basis: .normalizedHermite(mean: gaussian.mean, standardDeviation: gaussian.standardDeviation))
                    .converted(to: chebyshev)
                maxError = try ApproximationErrorReport(of: { polynomial($0) }, against: { activation.value($0) },
                                                        on: interval, breakpoints: activation.kinks).maxError
                lowerBound = nil
            default:
                let minimax = try Polynomial.minimax(of: { activation.value($0) }, degree: degree, on: interval,
                                                     breakpoints: activation.kinks)
                (polynomial, maxError, lowerBound) = (minimax.polynomial, minimax.maxError, minimax.lowerBound)
            }
            return ActivationFit(layerIndex: range.layerIndex, function: range.function, method: method, interval: interval,
                                 polynomial: polynomial, maxError: maxError, lowerBound: lowerBound,
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
            // Minimax errors do not grow with the degree: the library's doubling-and-bisection
            // search applies. A Gaussian fit's max error on the interval need not fall
            // monotonically, so its degrees are tried in order.
            guard method == .minimax else {
                return try firstDegree(meeting: bound, layer: range.layerIndex, fit: fit)
            }
            do {
                return try Polynomial.smallestDegree(upTo: maximumDegree, meeting: bound, error: \.maxError, fit: fit)
            } catch PolynomialError.boundNotReached(_, let limit, let achieved) {
                throw PolynomializationError.unreachableError(layer: range.layerIndex, bound: bound, limit: limit, best: achieved)
            }
        }
    }

    /// The fit of the smallest degree whose max error is at most `bound`, trying 1, 2, … in
    /// order.
    private static func firstDegree(meeting bound: Double, layer: Int,
                                    fit: (Int) throws -> ActivationFit) throws -> ActivationFit {
        var best = Double.infinity
        for degree in 1 ... maximumDegree {
            let candidate = try fit(degree)
            if candidate.maxError <= bound { return candidate }
            best = Swift.min(best, candidate.maxError)
        }
        throw PolynomializationError.unreachableError(layer: layer, bound: bound, limit: maximumDegree, best: best)
    }
}
