// ReLU, |x|, max and sign over [−R, R] from a composite minimax sign P ≈ sign on
// [−1, −ε] ∪ [ε, 1] (``CompositeSignApproximation``), as homomorphic-encryption libraries do:
//     ReLU(x) = x·(1 + sign(x/R))/2,   |x| = x·sign(x/R),
//     max(a, b) = b + ReLU(a − b) = b + d·(1 + sign(d/2R))/2,  d = a − b, for a, b ∈ [−R, R].
// P takes its argument divided by the input radius D: R, or 2R for max (|a − b| ≤ 2R).
// With δ = P's certified error for |y| ≥ ε and M = its certified bound on |P| over [-1, 1]:
//   - ReLU: x·(P − sign)/2, so |error| ≤ |x|·δ/2 ≤ D·δ/2 for |x| ≥ εD, and
//     ≤ |x|·(1 + M)/2 < εD·(1 + M)/2 inside the band |x| < εD;
//   - max(a, b): exactly ReLU's error at x = a − b with D = 2R: R·δ for |a − b| ≥ 2εR and
//     εR·(1 + M) inside (plus the rounding of a − b and of b + …, a few ulps of R);
//   - |x|: twice ReLU's: R·δ and εR·(1 + M);
//   - sign: δ for |x| ≥ εR, and nothing useful inside the band (sign jumps there).
// Choosing (ε, α) for a max-error target E: the outside bound takes half of E and the band
// the rest — ReLU and max: α = ⌈log₂(D/E)⌉ (D·2^−α/2 ≤ E/2), ε = E/(D·(1 + 2^−α)) (band ≤ E
// while M ≤ 1 + 2^(1−α)); |x|: α = ⌈log₂(2R/E)⌉, ε = E/(R·(2 + 2^(1−α))). Both are checked
// after fitting against the certified M and δ.
//
// Depth: the map x ↦ x/D (one level unless D = 1), the stages' depths, and one product x·P for
// ReLU, max and |x| (the 1/2 folds into P's coefficients; a − b and b + … are additions).

import Polynomials

/// A composite approximation of ReLU, |x| or sign on [−R, R] with certified error bounds.
///
/// ```swift
/// let relu = try CompositeApproximation(meeting: 1e-2, kind: .relu, radius: 100)
/// relu(3.0)              // ≈ 3
/// relu.maxError          // ≤ 1e-2, certified
/// relu.depth             // multiplicative depth
/// ```
public struct CompositeApproximation: Sendable {
    /// The function approximated.
    public enum Kind: String, Sendable, CaseIterable {
        /// max(x, 0) = x·(1 + sign(x/R))/2.
        case relu
        /// |x| = x·sign(x/R).
        case abs
        /// sign(x/R) (no bound inside the band).
        case sign
        /// max(a, b) = b + ReLU(a − b) for a, b ∈ [−R, R]: ReLU of the difference on [−2R, 2R].
        case max

        /// The kind a name or expression spells (`relu`, `abs`, `sign`, `max`, `relu(x)`,
        /// `abs(x)`, `sign(x)`, `max(x,0)`, `max(0,x)`, `max(a,b)`; spaces ignored), or nil.
        public init?(activation text: String) {
            switch text.lowercased().filter({ !$0.isWhitespace }) {
            case "relu", "relu(x)", "max(x,0)", "max(0,x)": self = .relu
            case "abs", "absolute-value", "abs(x)": self = .abs
            case "sign", "sign(x)": self = .sign
            case "max", "max(a,b)": self = .max
            default: return nil
            }
        }
    }

    /// What is approximated.
    public var kind: Kind
    /// R: the approximation holds on [−R, R] (for max: a, b ∈ [−R, R]).
    public var radius: Double
    /// The composite sign P applied to x/D, D = ``inputRadius``.
    public var sign: CompositeSignApproximation
    /// α: P is within 2^−α of sign for |x| ≥ εR (the requested α, or −log₂ of the certified
    /// error for fixed degrees).
    public var alpha: Double
    /// Certified bound on the error outside the band (|x| ≥ ``band``; for max, |a − b| ≥ band).
    public var outsideBandError: Double
    /// Certified bound on the error inside the band (nil for sign, which jumps there).
    public var bandError: Double?

    /// D: P takes x/D, so D bounds |x| — R, or 2R for max, whose x is a − b.
    public var inputRadius: Double { Self.inputRadius(kind, radius) }

    private static func inputRadius(_ kind: Kind, _ radius: Double) -> Double { kind == .max ? 2 * radius : radius }

    /// The band's half-width εD: |x| < εD (for max: |a − b| < 2εR).
    public var band: Double { sign.epsilon * inputRadius }

    /// The certified max error on [−R, R] (for sign: outside the band).
    public var maxError: Double { Swift.max(outsideBandError, bandError ?? 0) }

    /// Multiplicative depth: the map onto [-1, 1] (unless D = 1), the stages, and x·P.
    public var depth: Int { (inputRadius == 1 ? 0 : 1) + sign.depth + (kind == .sign ? 0 : 1) }

    /// Non-scalar products: the stages' and x·P.
    public var multiplications: Int { sign.multiplications + (kind == .sign ? 0 : 1) }

    /// The approximation at x (meant for |x| ≤ D): ReLU, |x| or sign; for max, the ReLU of
    /// the difference, x = a − b (max(a, b) − b).
    public func callAsFunction(_ x: Double) -> Double {
        let p = sign(x / inputRadius)
        switch kind {
        case .relu, .max: return x * (1 + p) / 2
        case .abs: return x * p
        case .sign: return p
        }
    }

    /// max(a, b) ≈ b + d·(1 + P(d/D))/2, d = a − b: for a ``Kind/max`` composite with
    /// a, b ∈ [−R, R] (D = 2R), whose bounds are ReLU's at x = a − b.
    public func maximum(_ a: Double, _ b: Double) -> Double { b + self(a - b) }

    /// The composite for given ε and α on [−R, R], degrees by the search.
    /// - Throws: ``/Polynomials/CompositeSignError`` for ε ∉ (0, 1) or α ∉ (0, 40];
    ///   ``CompositeApproximationError/invalidRadius(_:)``.
    public init(kind: Kind, radius: Double, epsilon: Double, alpha: Double,
                minimizing objective: CompositeSignApproximation.Objective = .depth) throws {
        guard radius > 0, (radius * 4).isFinite else { throw CompositeApproximationError.invalidRadius(radius) }
        try self.init(kind: kind, radius: radius,
                      sign: try CompositeSignApproximation.search(epsilon: epsilon, alpha: alpha, minimizing: objective))
        self.alpha = alpha
    }

    /// The composite of a given sign composite (e.g. fixed degrees,
    /// ``/Polynomials/CompositeSignApproximation/init(epsilon:degrees:schemeError:)``) on [−R, R]; ``alpha`` is then
    /// −log₂ of its certified error.
    /// - Throws: ``CompositeApproximationError/invalidRadius(_:)``.
    public init(kind: Kind, radius: Double, sign: CompositeSignApproximation) throws {
        guard radius > 0, (radius * 4).isFinite else { throw CompositeApproximationError.invalidRadius(radius) }
        self.kind = kind
        self.radius = radius
        self.sign = sign
        alpha = -Double.log2(sign.errorBound)
        let (delta, output, epsilon) = (sign.errorBound, sign.outputBound, sign.epsilon)
        switch kind {
        case .relu, .max:
            let d = Self.inputRadius(kind, radius)
            outsideBandError = d * delta / 2
            bandError = epsilon * d * (1 + output) / 2
        case .abs:
            outsideBandError = radius * delta
            bandError = epsilon * radius * (1 + output)
        case .sign:
            outsideBandError = delta
            bandError = nil
        }
    }

    /// The composite whose certified max error on [−R, R] is at most `target`, with (ε, α) from
    /// the rule in this file's header (ReLU and max: α = ⌈log₂(D/E)⌉, ε = E/(D·(1 + 2^−α)),
    /// D = R or 2R; |x|: α = ⌈log₂(2R/E)⌉, ε = E/(R·(2 + 2^(1−α)))).
    /// - Throws: ``CompositeApproximationError`` for sign (give ε and α), a bad radius or
    ///   target, or a target that needs α > 40; ``/Polynomials/CompositeSignError`` from the search.
    public init(meeting target: Double, kind: Kind, radius: Double,
                minimizing objective: CompositeSignApproximation.Objective = .depth) throws {
        guard target > 0, target.isFinite else { throw CompositeApproximationError.invalidTarget(target) }
        guard radius > 0, (radius * 4).isFinite else { throw CompositeApproximationError.invalidRadius(radius) }
        let alpha: Double, epsilon: Double
        switch kind {
        case .relu, .max:
            let d = Self.inputRadius(kind, radius)
            alpha = Swift.max(1, (Double.log2(d / target)).rounded(.up))
            epsilon = target / (d * (1 + Double.exp2(-alpha)))
        case .abs:
            alpha = Swift.max(1, (Double.log2(2 * radius / target)).rounded(.up))
            epsilon = target / (radius * (2 + Double.exp2(1 - alpha)))
        case .sign:
            throw CompositeApproximationError.signNeedsEpsilon
        }
        guard alpha <= 40 else { throw CompositeApproximationError.targetTooSmall(target: target, radius: radius) }
        guard epsilon < 1 else { throw CompositeApproximationError.targetTooLarge(target: target, radius: radius) }
        try self.init(kind: kind, radius: radius, epsilon: epsilon, alpha: alpha, minimizing: objective)
        guard maxError <= target else {
            throw CompositeApproximationError.missedTarget(target: target, certified: maxError)
        }
    }
}

extension CompositeApproximation {
    /// The exact function at x: max(x, 0) (for max: of x = a − b), |x| or sign(x).
    public func exact(_ x: Double) -> Double {
        switch kind {
        case .relu, .max: return Swift.max(x, 0)
        case .abs: return Swift.abs(x)
        case .sign: return x > 0 ? 1 : (x < 0 ? -1 : 0)
        }
    }

    /// The largest sampled errors at `count` points, outside the band and inside it (nil for
    /// sign, which has no bound there): even-numbered x uniform on [−D, D], odd-numbered ones
    /// log-spaced in |x| from εD to D with alternating signs, so the band's edge, where the
    /// error peaks, is sampled densely. For max, x is the difference d: each d is split into
    /// a = b + d with b stepping through [−R, R] ∩ [−R − d, R − d] (a golden-ratio sequence),
    /// and the error is |maximum(a, b) − max(a, b)|, rounding of a − b and b + … included.
    /// - Precondition: count ≥ 2.
    public func sampledErrors(count: Int) -> (outside: Double, band: Double?) {
        precondition(count >= 2, "sampling needs at least 2 points, got \(count)")
        var outside = 0.0, inside = 0.0
        let half = Swift.max(count / 2, 2)
        let d = inputRadius
        for i in 0 ..< count {
            let u = Double(i / 2) / Double(half - 1)
            let x: Double
            if i % 2 == 0 {
                x = -d + 2 * d * Swift.min(u, 1)
            } else {
                let magnitude = Swift.min(band * Double.exp(Double.log(1 / sign.epsilon) * Swift.min(u, 1)), d)
                x = (i / 2) % 2 == 0 ? magnitude : -magnitude
            }
            let error: Double, difference: Double
            if kind == .max {
                let low = Swift.max(-radius, -radius - x), high = Swift.min(radius, radius - x)
                let fraction = (Double(i) * 0.6180339887498949).truncatingRemainder(dividingBy: 1)
                let b = low + (high - low) * fraction
                let a = Swift.min(Swift.max(b + x, -radius), radius)
                difference = a - b
                error = Swift.abs(maximum(a, b) - Swift.max(a, b))
            } else {
                difference = x
                error = Swift.abs(self(x) - exact(x))
            }
            if Swift.abs(difference) >= band { outside = Swift.max(outside, error) } else { inside = Swift.max(inside, error) }
        }
        return (outside, kind == .sign ? nil : inside)
    }
}

/// Bad requests for ``CompositeApproximation``.
public enum CompositeApproximationError: Error, Equatable, CustomStringConvertible, Sendable {
    /// R must be positive and finite (and 4R finite).
    case invalidRadius(Double)
    /// A max-error target must be positive and finite.
    case invalidTarget(Double)
    /// sign has no error bound inside the band, so ε cannot follow from a target.
    case signNeedsEpsilon
    /// The target needs α > 40 (below Double's resolution of the composite).
    case targetTooSmall(target: Double, radius: Double)
    /// The target is at least R·(band factor): no composite is needed.
    case targetTooLarge(target: Double, radius: Double)
    /// The certified error missed the target (should not happen; the rule has a margin).
    case missedTarget(target: Double, certified: Double)

    public var description: String {
        switch self {
        case let .invalidRadius(value):
            return "the range must be [-R, R] with R positive and finite, got R = \(value)"
        case let .invalidTarget(value):
            return "the max-error target must be positive and finite, got \(value)"
        case .signNeedsEpsilon:
            return "sign jumps at 0, so a max-error target cannot choose the band: give epsilon and alpha"
        case let .targetTooSmall(target, radius):
            return "max error \(target) on [-\(radius), \(radius)] needs alpha > 40, below what Double resolves; use a larger target"
        case let .targetTooLarge(target, radius):
            return "max error \(target) on [-\(radius), \(radius)] needs no composite (the band would cover the whole range); use a smaller target"
        case let .missedTarget(target, certified):
            return "the composite's certified error \(certified) misses the target \(target)"
        }
    }
}

/// The best single polynomial of a composite's depth, for comparison.
public struct EqualDepthPolynomial: Sendable {
    /// The largest degree whose Chebyshev Paterson–Stockmeyer evaluation (range map included)
    /// fits the depth, capped at ``/Polynomials/Polynomial/maximumMinimaxDegree``.
    public var degree: Int
    /// Its depth (at most the composite's).
    public var depth: Int
    /// The largest degree the depth allows without the cap (up to 1000).
    public var uncappedDegree: Int
    /// Certified minimax error: the best error of this degree is in [lowerBound, maxError] (for
    /// sign: on the union outside the band).
    public var maxError: Double
    /// De la Vallée-Poussin lower bound.
    public var lowerBound: Double
}

extension CompositeApproximation {
    /// The minimax polynomial of the largest degree that fits this composite's depth, on the
    /// same range (for sign: on [−R, −εR] ∪ [εR, R], where the composite's bound holds; for
    /// max: ReLU of the difference on [−2R, 2R], whose error is the pair's).
    /// - Throws: Remez failures.
    public func equalDepthPolynomial() throws -> EqualDepthPolynomial {
        let needsMap = inputRadius != 1
        let uncapped = EvaluationCost.largestDegree(forDepth: depth, needsAffineMap: needsMap) ?? 1
        var degree = Swift.min(uncapped, Polynomial.maximumMinimaxDegree)
        let fit: MinimaxApproximation
        switch kind {
        case .relu, .abs, .max:
            let f: (Double) -> Double = kind == .abs ? { Swift.abs($0) } : { Swift.max($0, 0) }
            fit = try Polynomial.minimax(of: f, degree: degree, on: -inputRadius ... inputRadius, breakpoints: [0])
        case .sign:
            // Odd f: an even degree gains nothing over the odd one below it.
            if degree % 2 == 0 { degree -= 1 }
            fit = try Polynomial.minimax(of: { $0 > 0 ? 1 : -1 }, degree: degree, on: [-radius ... -band, band ... radius])
        }
        let depth = EvaluationCost.chebyshevPatersonStockmeyer(degree: degree, needsAffineMap: needsMap).depth
        return EqualDepthPolynomial(degree: degree, depth: depth, uncappedDegree: uncapped,
                                    maxError: fit.maxError, lowerBound: fit.lowerBound)
    }
}
