// Composite minimax approximation of sign: P = p_k ∘ … ∘ p_1 ≈ sign on [−1, −ε] ∪ [ε, 1].
//
// Lee, Lee, No and Kim ([TDSC 2022][lee]): each p_i is the odd minimax polynomial for sign on
// the union that is the image of the previous stage. Stage i fits sign on [−b, −a] ∪ [a, b]
// with error δ; its image of [a, b] is inside [1 − δ, 1 + δ], so the next stage fits
// [−(1 + δ), −(1 − δ)] ∪ [1 − δ, 1 + δ]. sign is invariant under scaling, so a stage depends
// only on the ratio τ = a/b, and the error after the last stage bounds |P − sign| for |x| ≥ ε.
//
// Degrees: write λ = ln(τ/(1 − τ)). A stage of degree d maps λ to
// g_d(λ) = ln((1 − E_d)/(2E_d)), E_d(τ) the minimax error of degree d on [τ, 1], increasing
// in λ. So the best ratio reachable with at most m non-scalar products and depth n is
//     F(m, n) = max(λ_ε, F(m − 1, n), F(m, n − 1), max_d g_d(F(m − mult(d), n − dep(d)))),
// a dynamic programme over (m, n) (the paper's h(m, n) read forwards). E_d is tabulated by
// Remez on a grid of λ (step 1/4) and interpolated linearly in (λ, ln E_d); the chosen degrees
// are then fitted exactly and certified, and if the table was optimistic the target is
// tightened and the search repeated.
//
// Each stage is stored normalized, as Lattigo's GenMinimaxCompositePolynomial does: its
// coefficients are divided by the next stage's interval bound b, so every stage is a Chebyshev
// series on [-1, 1] that takes the previous stage's output directly.
//
// [lee]: https://eprint.iacr.org/2020/834

import RealModule

/// P = p_k ∘ … ∘ p_1 ≈ sign(x) on [−1, −ε] ∪ [ε, 1] with a certified error bound.
///
/// ```swift
/// let p = try CompositeSignApproximation.search(epsilon: 0x1p-13, alpha: 13, minimizing: .depth)
/// p.stages.map(\.degree)          // odd degrees, e.g. [15, 15, 15, 7]
/// p.errorBound                    // ≤ 2^-13: |P(x) − sign(x)| for ε ≤ |x| ≤ 1
/// p(0.5)                          // ≈ 1
/// ```
public struct CompositeSignApproximation: Sendable {
    /// One polynomial of the composition.
    public struct Stage: Sendable {
        /// The odd stage polynomial in the Chebyshev basis on [-1, 1]: it takes the previous
        /// stage's output (x for the first stage) and returns its own output divided by the
        /// next stage's bound (not divided for the last stage).
        public var polynomial: Polynomial
        /// The odd degree.
        public var degree: Int { polynomial.degree }
        /// The positive piece [τ, 1] of the union this stage was fitted on, in its normalized
        /// input variable.
        public var input: ClosedRange<Double>
        /// The certified bound on |p_i − sign| on the input union, before normalization.
        public var error: Double
        /// The de la Vallée-Poussin lower bound on the best error of this degree there.
        public var lowerBound: Double
        /// max |p_i| on the whole of [-1, 1], before normalization: bounds where inputs inside
        /// the band |x| < ε go.
        public var hullMaximum: Double
        /// Odd baby-step giant-step cost (``EvaluationCost/oddBabyStepGiantStep(degree:)``).
        public var cost: EvaluationCost { .oddBabyStepGiantStep(degree: degree) }
    }

    /// What the degree search minimizes first.
    public enum Objective: String, Sendable, CaseIterable {
        /// Total multiplicative depth, then non-scalar products.
        case depth
        /// Total non-scalar products, then depth.
        case multiplications
    }

    /// Inputs with ε ≤ |x| ≤ 1 are approximated within ``errorBound``.
    public var epsilon: Double
    /// The stages p_1 … p_k, in order of application.
    public var stages: [Stage]
    /// Certified: |P(x) − sign(x)| ≤ errorBound for ε ≤ |x| ≤ 1 (the last stage's error).
    public var errorBound: Double
    /// Certified: |P(x)| ≤ outputBound for |x| ≤ 1, the band |x| < ε included.
    public var outputBound: Double

    /// Total depth: Σ ⌈log₂(d_i + 1)⌉.
    public var depth: Int { stages.reduce(0) { $0 + $1.cost.depth } }
    /// Total non-scalar products.
    public var multiplications: Int { stages.reduce(0) { $0 + $1.cost.nonScalarMultiplications } }

    /// P(x) for x in [-1, 1].
    public func callAsFunction(_ x: Double) -> Double {
        stages.reduce(x) { y, stage in stage.polynomial(y) }
    }

    /// The largest stage degree the search considers by default (the paper's 31).
    public static let defaultMaximumDegree = 31

    /// The composite of the given odd degrees on [−1, −ε] ∪ [ε, 1], each stage fitted and
    /// certified.
    ///
    /// - Parameters:
    ///   - epsilon: ε in (0, 1).
    ///   - degrees: the stages' degrees, first stage first.
    ///   - e: the scheme error e ≥ 0, the noise an encrypted input may carry (Lattigo's
    ///     `logerr` as 2^logerr): the first stage is fitted on [ε, 1 + e], and each later one on
    ///     its input image widened by e on both sides, as GenMinimaxCompositePolynomial does, so
    ///     the bounds hold for inputs perturbed by up to e before every stage.
    /// - Throws: ``CompositeSignError`` for ε outside (0, 1), e negative or not below ε, or a
    ///   degree that is not odd in 3…63; Remez failures.
    public init(epsilon: Double, degrees: [Int], schemeError e: Double = 0) throws {
        guard epsilon > 0, epsilon < 1, epsilon.isFinite else { throw CompositeSignError.invalidEpsilon(epsilon) }
        guard e >= 0, e < epsilon else { throw CompositeSignError.invalidSchemeError(e) }
        guard !degrees.isEmpty else { throw CompositeSignError.noStages }
        for d in degrees where !(d % 2 == 1 && (3 ... EvaluationCost.maximumOddBabyStepGiantStepDegree).contains(d)) {
            throw CompositeSignError.invalidDegree(d)
        }
        self.epsilon = epsilon
        stages = []
        var low = epsilon, high = 1 + e
        var bound = 0.0, output = 0.0
        for (index, d) in degrees.enumerated() {
            let fit = try Self.stageFit(degree: d, low: low, high: high)
            // The image of [low, high] lies within [1 − δ, 1 + δ]; the margin covers the
            // located (not proven) maximum of the error and rounding.
            let delta = fit.error * (1 + 1e-9) + 4 * Double.ulpOfOne
            let hullMaximum = try Self.maximumMagnitude(fit.polynomial, on: 0 ... high)
            let nextHigh = Swift.max(1 + delta, hullMaximum) + e
            let isLast = index == degrees.count - 1
            let scale = isLast ? 1 : nextHigh
            // p(high·y)/scale as a Chebyshev series in y ∈ [-1, 1]: same T_k(x/high), divided.
            let normalized = Polynomial(coefficients: fit.polynomial.coefficients.map { $0 / scale }, basis: .chebyshev(on: -1 ... 1))
            stages.append(Stage(polynomial: normalized, input: low / high ... 1, error: fit.error,
                                lowerBound: fit.lowerBound, hullMaximum: hullMaximum))
            bound = delta
            output = hullMaximum
            guard delta + e < 1 else { throw CompositeSignError.stageDoesNotContract(stage: index + 1, error: fit.error) }
            (low, high) = (1 - delta - e, nextHigh)
        }
        errorBound = bound
        outputBound = output
    }

    /// The composite within 2^−α of sign on [−1, −ε] ∪ [ε, 1] whose degrees (odd, 3 through
    /// `maximumDegree`) minimize `objective` under the odd baby-step giant-step cost model, by the
    /// dynamic programme of Lee, Lee, No and Kim.
    ///
    /// - Parameters:
    ///   - epsilon: ε in (0, 1).
    ///   - alpha: α > 0 (at most 40: Double resolves sign errors to about 2⁻⁵⁰).
    ///   - objective: what the chosen degrees minimize (the depth by default).
    ///   - maximumDegree: the largest stage degree considered.
    /// - Throws: ``CompositeSignError``; Remez failures.
    /// - Complexity: one Remez fit per tabulated (degree, ratio): about 8·(α + log₂(1/ε)) ratios
    ///   for each of the (maximumDegree − 1)/2 degrees.
    public static func search(epsilon: Double, alpha: Double, minimizing objective: Objective = .depth,
                              maximumDegree: Int = defaultMaximumDegree) throws -> CompositeSignApproximation {
        guard epsilon > 0, epsilon < 1, epsilon.isFinite else { throw CompositeSignError.invalidEpsilon(epsilon) }
        guard alpha > 0, alpha <= 40 else { throw CompositeSignError.invalidAlpha(alpha) }
        guard maximumDegree % 2 == 1, (3 ... EvaluationCost.maximumOddBabyStepGiantStepDegree).contains(maximumDegree) else {
            throw CompositeSignError.invalidDegree(maximumDegree)
        }
        let target = Double.exp2(-alpha)
        let degrees = Array(stride(from: 3, through: maximumDegree, by: 2))
        let start = logit(epsilon)
        var goal = Double.log((1 - target) / (2 * target))
        let table = try ErrorTable(degrees: degrees, from: start, to: goal + 1)
        // The interpolated table can be optimistic by a little: tighten the goal and retry.
        for _ in 0 ..< 8 {
            let chosen = try table.optimalDegrees(from: start, to: goal, minimizing: objective)
            let composite = try CompositeSignApproximation(epsilon: epsilon, degrees: chosen)
            if composite.errorBound <= target { return composite }
            goal += 0.25
        }
        throw CompositeSignError.searchFailed(epsilon: epsilon, alpha: alpha)
    }

    /// The odd minimax fit of sign on [−high, −low] ∪ [low, high], Chebyshev on [−high, high],
    /// to the Remez `tolerance` (relative gap of its certificate).
    static func stageFit(degree d: Int, low: Double, high: Double,
                         tolerance: Double = 1e-12) throws -> (polynomial: Polynomial, error: Double, lowerBound: Double) {
        let sign: (Double) -> Double = { $0 > 0 ? 1 : -1 }
        let fit = try Polynomial.minimax(of: sign, degree: d, on: [-high ... -low, low ... high], symmetry: .odd,
                                         tolerance: tolerance)
        return (fit.polynomial, fit.maxError, fit.lowerBound)
    }

    /// max |p| on `interval`, located on a Chebyshev grid of 64 points per degree with every
    /// discrete local maximum refined by golden-section search.
    static func maximumMagnitude(_ p: Polynomial, on interval: ClosedRange<Double>) throws -> Double {
        let grid = Polynomial.chebyshevPoints(count: 64 * Swift.max(p.degree, 1) + 1, on: interval)
        let values = grid.map { Swift.abs(p($0)) }
        var largest = values.max() ?? 0
        for i in grid.indices where (i == 0 || values[i] >= values[i - 1]) && (i == grid.count - 1 || values[i] >= values[i + 1]) {
            let low = grid[Swift.max(i - 1, 0)], high = grid[Swift.min(i + 1, grid.count - 1)]
            guard high > low else { continue }
            let (_, v) = try goldenSectionMaximum(of: { Swift.abs(p($0)) }, in: low, high, tolerance: 1e-10 * (high - low))
            largest = Swift.max(largest, v)
        }
        return largest
    }

    /// ln(τ/(1 − τ)).
    static func logit(_ tau: Double) -> Double { Double.log(tau) - Double.log(onePlus: -tau) }
}

/// ln E_d(λ) on a grid of λ = ln(τ/(1 − τ)), one row per degree, for the degree search.
private struct ErrorTable {
    let degrees: [Int]
    let start: Double
    let step = 0.25
    /// logErrors[i][j] = ln E_{degrees[i]}(start + j·step).
    let logErrors: [[Double]]

    init(degrees: [Int], from start: Double, to end: Double) throws {
        self.degrees = degrees
        self.start = start
        let count = Int(((end - start) / step).rounded(.up)) + 1
        var rows = [[Double]]()
        for d in degrees {
            var row = [Double]()
            for j in 0 ..< count {
                let lambda = start + Double(j) * step
                let tau = 1 / (1 + Double.exp(-lambda))
                // A stage whose error is at rounding level (high degree on a narrow union) ends
                // the search there: its error is taken as 2⁻⁵⁰.
                let error: Double
                if let last = row.last, last <= Double.log(0x1p-50) {
                    error = 0x1p-50
                } else {
                    // Linear interpolation in (λ, ln E) on a step of 1/4 errs far more than 1e-6
                    // relative in E; the chosen degrees are refitted to 1e-12 and certified.
                    do {
                        error = try CompositeSignApproximation.stageFit(degree: d, low: tau, high: 1, tolerance: 1e-6).error
                    } catch PolynomialError.remezNotConverged(_, let maxError, _, _) {
                        error = maxError
                    }
                }
                row.append(Double.log(Swift.max(error, 0x1p-50)))
            }
            rows.append(row)
        }
        logErrors = rows
    }

    /// g_d(λ): the λ after a stage of degree `degrees[i]`, by linear interpolation of ln E_d.
    func next(_ i: Int, from lambda: Double) -> Double {
        let row = logErrors[i]
        let position = Swift.min(Swift.max((lambda - start) / step, 0), Double(row.count - 1))
        let j = Swift.min(Int(position), row.count - 2)
        let fraction = position - Double(j)
        let error = Double.exp(row[j] + fraction * (row[j + 1] - row[j]))
        return error >= 1 ? -Double.infinity : Double.log((1 - error) / (2 * error))
    }

    /// The degrees, in order of application, that reach `goal` from `start` at least cost.
    func optimalDegrees(from start: Double, to goal: Double, minimizing objective: CompositeSignApproximation.Objective) throws -> [Int] {
        let costs = degrees.map { EvaluationCost.oddBabyStepGiantStep(degree: $0) }
        let maximumProducts = 160, maximumDepth = 80
        // best[m][n]: the largest λ reachable with ≤ m products and depth ≤ n; choice: the last
        // degree index, or −1 (inherited from a smaller budget, see `from`).
        var best = [[Double]](repeating: [Double](repeating: start, count: maximumDepth + 1), count: maximumProducts + 1)
        var choice = [[(degree: Int, m: Int, n: Int)?]](repeating: [(Int, Int, Int)?](repeating: nil, count: maximumDepth + 1),
                                                        count: maximumProducts + 1)
        for m in 0 ... maximumProducts {
            for n in 0 ... maximumDepth {
                if m > 0, best[m - 1][n] > best[m][n] { best[m][n] = best[m - 1][n]; choice[m][n] = choice[m - 1][n] }
                if n > 0, best[m][n - 1] > best[m][n] { best[m][n] = best[m][n - 1]; choice[m][n] = choice[m][n - 1] }
                for (i, cost) in costs.enumerated() where cost.nonScalarMultiplications <= m && cost.depth <= n {
                    let (pm, pn) = (m - cost.nonScalarMultiplications, n - cost.depth)
                    let value = next(i, from: best[pm][pn])
                    if value > best[m][n] { best[m][n] = value; choice[m][n] = (i, pm, pn) }
                }
            }
        }
        let cell: (m: Int, n: Int)
        switch objective {
        case .depth:
            guard let n = (0 ... maximumDepth).first(where: { best[maximumProducts][$0] >= goal }),
                  let m = (0 ... maximumProducts).first(where: { best[$0][n] >= goal }) else {
                throw CompositeSignError.budgetExceeded(products: maximumProducts, depth: maximumDepth)
            }
            cell = (m, n)
        case .multiplications:
            guard let m = (0 ... maximumProducts).first(where: { best[$0][maximumDepth] >= goal }),
                  let n = (0 ... maximumDepth).first(where: { best[m][$0] >= goal }) else {
                throw CompositeSignError.budgetExceeded(products: maximumProducts, depth: maximumDepth)
            }
            cell = (m, n)
        }
        var chosen = [Int]()
        var current = choice[cell.m][cell.n]
        while let step = current {
            chosen.append(degrees[step.degree])
            current = choice[step.m][step.n]
        }
        return chosen.reversed()
    }
}

/// Bad parameters or failures of ``CompositeSignApproximation``.
public enum CompositeSignError: Error, Equatable, CustomStringConvertible, Sendable {
    /// ε must be in (0, 1).
    case invalidEpsilon(Double)
    /// α must be in (0, 40].
    case invalidAlpha(Double)
    /// A stage degree must be odd in 3…63.
    case invalidDegree(Int)
    /// The scheme error must be non-negative and below ε.
    case invalidSchemeError(Double)
    /// A composite needs at least one stage.
    case noStages
    /// A stage's error is not below 1: the composition does not converge to sign.
    case stageDoesNotContract(stage: Int, error: Double)
    /// No composition within the search's budget reaches the target.
    case budgetExceeded(products: Int, depth: Int)
    /// The fitted composition kept missing the target.
    case searchFailed(epsilon: Double, alpha: Double)

    public var description: String {
        switch self {
        case let .invalidEpsilon(value):
            return "epsilon must be in (0, 1) (sign is approximated on [-1, -epsilon] ∪ [epsilon, 1]), got \(value)"
        case let .invalidAlpha(value):
            return "alpha must be in (0, 40] (the error bound is 2^-alpha), got \(value)"
        case let .invalidDegree(degree):
            return "a composite stage degree must be odd in 3...63, got \(degree)"
        case let .invalidSchemeError(value):
            return "the scheme error must be at least 0 and below epsilon, got \(value)"
        case .noStages:
            return "a composite needs at least one stage degree"
        case let .stageDoesNotContract(stage, error):
            return "stage \(stage) has error \(error) ≥ 1 against sign: the composition does not converge; raise its degree"
        case let .budgetExceeded(products, depth):
            return "no composition within \(products) non-scalar products and depth \(depth) reaches the target; use a larger epsilon or a smaller alpha"
        case let .searchFailed(epsilon, alpha):
            return "the degree search for epsilon = \(epsilon), alpha = \(alpha) did not reach its target after tightening it 8 times"
        }
    }
}
