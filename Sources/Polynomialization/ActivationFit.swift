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
    /// How the replacement was fitted: ``/Activations/ApproximationMethod/minimax``,
    /// ``/Activations/ApproximationMethod/gaussian`` or (ReLU only)
    /// ``/Activations/ApproximationMethod/composite``.
    public var method: ApproximationMethod
    /// The interval the replacement is fitted on ([−R, R] for a composite; the hull of the
    /// channels' intervals for a per-channel fit).
    public var interval: ClosedRange<Double>
    /// The polynomial, in the Chebyshev basis on `interval`. For a composite fit, the single
    /// minimax polynomial of degree ``compositeComparisonDegree`` on the same interval, and for a
    /// per-channel fit the layer-wide minimax polynomial of the channels' degree, kept for
    /// comparison: the network uses ``composite`` or ``channels``.
    public var polynomial: Polynomial
    /// The composite ReLU that replaces the activation when `method` is composite, else nil.
    public var composite: CompositeApproximation?
    /// Per-channel fits (``fitPerChannel(_:interval:degree:method:)``): one polynomial per channel on
    /// that channel's interval, all of one degree; nil for a layer-wide fit.
    public var channels: [Polynomial]?
    /// For a composite or per-channel fit: the certified max error of `polynomial`, the single
    /// layer-wide polynomial it is compared with.
    public var comparisonError: Double?
    /// max |f − replacement| on the interval (certified for minimax and composite fits; the
    /// largest channel's for a per-channel fit).
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
    public static let methods: [ApproximationMethod] = [.minimax, .gaussian, .composite]

    /// The degree of the single polynomial a composite fit is compared with.
    public static let compositeComparisonDegree = 31

    /// The replacement at x: the composite's value, or the polynomial's (for a per-channel fit,
    /// the layer-wide comparison polynomial's).
    public func callAsFunction(_ x: Double) -> Double {
        composite.map { $0(x) } ?? polynomial(x)
    }

    /// The degree as a table shows it: `15` for a polynomial, `7→15→15` (first stage first)
    /// for a composite's sign stages.
    public var degreeDescription: String {
        composite.map { $0.sign.stages.map { String($0.degree) }.joined(separator: "→") } ?? String(polynomial.degree)
    }

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
        if method == .composite {
            guard range.function == .relu else { return try Self.fit(range, interval: rule, degree: degrees, method: .minimax) }
            return try compositeFit(range, interval: rule.interval(for: range.distribution), degree: degrees)
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
    /// The composite ReLU on [−R, R], R the larger end of `interval` in magnitude, meeting the
    /// error bound (a composite is chosen by its error, not by a degree).
    private static func compositeFit(_ range: LayerRange, interval: ClosedRange<Double>,
                                     degree degrees: DegreeRule) throws -> ActivationFit {
        guard case let .maxError(bound) = degrees else {
            throw PolynomializationError.invalidSetting("a composite ReLU is chosen by an error bound, not by a degree")
        }
        let radius = Swift.max(Swift.abs(interval.lowerBound), Swift.abs(interval.upperBound))
        let composite: CompositeApproximation
        do {
            composite = try CompositeApproximation(meeting: bound, kind: .relu, radius: radius)
        } catch {
            throw PolynomializationError.invalidSetting("layer \(range.layerIndex): \(error)")
        }
        let symmetric = -radius ... radius
        let single = try Polynomial.minimax(of: { Swift.max($0, 0) }, degree: compositeComparisonDegree, on: symmetric,
                                            breakpoints: [0])
        return ActivationFit(layerIndex: range.layerIndex, function: range.function, method: .composite, interval: symmetric,
                             polynomial: single.polynomial, composite: composite, comparisonError: single.maxError, maxError: composite.maxError, lowerBound: nil,
                             cost: CompositeReLU<Float>.cost(of: CompositeReLU<Float>.stages(of: composite)))
    }

    /// One polynomial per channel of `range` (profiled per channel), by `method`, each on the
    /// interval `rule` picks from that channel's distribution, all of one degree: `degree` n, or
    /// for an error bound the smallest degree at which every channel meets it (so an HE
    /// evaluator runs one evaluation with per-slot coefficients). The layer-wide fit at the same
    /// degree on the channels' hull is kept for comparison.
    /// - Throws: ``PolynomializationError/invalidSetting(_:)`` when the range was not profiled per
    ///   channel or for the composite method; ``PolynomializationError/unreachableError(layer:bound:limit:best:)``.
    public static func fitPerChannel(_ range: LayerRange, interval rule: IntervalRule, degree degrees: DegreeRule,
                                     method: ApproximationMethod = .minimax) throws -> ActivationFit {
        guard let channels = range.channels, !channels.isEmpty else {
            throw PolynomializationError.invalidSetting("layer \(range.layerIndex) was not profiled per channel")
        }
        guard method != .composite else {
            throw PolynomializationError.invalidSetting("a composite is fitted per layer, not per channel")
        }
        func channelRange(_ distribution: ValueDistribution) -> LayerRange {
            LayerRange(layerIndex: range.layerIndex, function: range.function, distribution: distribution)
        }
        let own = try channels.map { try fit(channelRange($0), interval: rule, degree: degrees, method: method) }
        let degree = own.map(\.polynomial.degree).max() ?? 1
        let fits = try zip(channels, own).map { distribution, fitted in
            fitted.polynomial.degree == degree ? fitted
                : try fit(channelRange(distribution), interval: rule, degree: .degree(degree), method: method)
        }
        var result = try fit(range, interval: rule, degree: .degree(degree), method: method)
        result.comparisonError = result.maxError
        result.channels = fits.map(\.polynomial)
        result.maxError = fits.map(\.maxError).max() ?? result.maxError
        result.lowerBound = nil
        let lower = fits.map(\.interval.lowerBound).min() ?? result.interval.lowerBound
        result.interval = lower ... (fits.map(\.interval.upperBound).max() ?? result.interval.upperBound)
        return result
    }

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
