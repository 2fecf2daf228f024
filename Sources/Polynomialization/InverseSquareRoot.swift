import LinearAlgebra
import Polynomials

/// 1/√v on an interval of positive v without division or square root: a polynomial with small
/// *relative* error followed by Newton steps y ← y·(3 − v·y²)/2, each of which roughly squares
/// that error (e ↦ 3e²/2 + e³/2).
///
/// The polynomial minimizes max |p(v)·√v − 1| (relative, not absolute, error: over a wide
/// range 1/√v varies by orders of magnitude, and an absolute minimax leaves the large-v end
/// with relative errors above 1, where Newton diverges). It is found by Lawson's iteratively
/// reweighted least squares on 8(n + 1) Chebyshev points (weights wᵢ ← wᵢ·|rᵢ|, 60 rounds,
/// each a `gelsd` solve), which converges towards the weighted minimax polynomial.
///
/// Depth, as a CKKS evaluator counts it: the polynomial's Paterson–Stockmeyer depth (affine
/// map included), then 3 levels per Newton step (y², v·y², and the product with y/2, which is
/// computed alongside).
public struct InverseSquareRoot: Sendable {
    /// The starting polynomial, in the Chebyshev basis on the interval of v.
    public let polynomial: Polynomial
    /// The number of Newton steps after it.
    public let newtonSteps: Int
    /// The polynomial's relative error max |p(v)·√v − 1|, sampled on 16,385 Chebyshev points.
    public let polynomialError: Double
    /// The relative error |y·√v − 1| after the Newton steps: the polynomial's e₀ = max|p·√v − 1|
    /// sampled on 16,385 Chebyshev points of the interval, carried through each step by
    /// e ↦ 3e²/2 + e³/2 (exact: y = (1 + e)/√v becomes (1 − 3e²/2 − e³/2)/√v).
    public let relativeError: Double
    /// The cost of the polynomial alone.
    public let polynomialCost: EvaluationCost
    private let slopePolynomial: Polynomial

    /// The most Newton steps allowed.
    public static let maximumNewtonSteps = 4

    /// The minimax fit of 1/√v of `degree` on `interval` (which must be positive) and
    /// `newtonSteps` refinements.
    public init(on interval: ClosedRange<Double>, degree: Int, newtonSteps: Int) throws {
        guard interval.lowerBound > 0, interval.upperBound.isFinite else {
            throw PolynomializationError.invalidSetting("1/√v needs an interval of positive v, got [\(interval.lowerBound), \(interval.upperBound)]")
        }
        guard (0 ... Self.maximumNewtonSteps).contains(newtonSteps) else {
            throw PolynomializationError.invalidSetting("the Newton steps must be in 0...\(Self.maximumNewtonSteps), got \(newtonSteps)")
        }
        guard (1 ... ActivationFit.maximumDegree).contains(degree) else {
            throw PolynomializationError.invalidSetting("the degree must be in 1...\(ActivationFit.maximumDegree), got \(degree)")
        }
        polynomial = try Self.relativeFit(degree: degree, on: interval)
        slopePolynomial = polynomial.derivative()
        self.newtonSteps = newtonSteps
        polynomialCost = .chebyshevPatersonStockmeyer(degree: degree, needsAffineMap: interval != -1 ... 1)
        let polynomial = self.polynomial
        var error = (0 ... 16_384).map { k -> Double in
            let v = interval.lowerBound + (1 - Double.cos(Double.pi * Double(k) / 16_384)) / 2
                * (interval.upperBound - interval.lowerBound)
            return Swift.abs(polynomial(v) * v.squareRoot() - 1)
        }.max() ?? .infinity
        // Newton's iteration for 1/√v converges from relative errors in (−1, √3 − 1); 1/2 keeps
        // the bound meaningful.
        guard error < 0.5 else {
            throw PolynomializationError.invalidSetting(
                "degree \(degree) starts 1/√v on [\(interval.lowerBound), \(interval.upperBound)] with relative error \(error), too coarse for Newton steps; raise the degree")
        }
        polynomialError = error
        for _ in 0 ..< newtonSteps { error = 1.5 * error * error + 0.5 * error * error * error }
        relativeError = error
    }

    /// The interval of v = var + ε a LayerNorm's 1/√v is fitted on: the measured range widened
    /// by `margin` on a logarithmic scale (v > 0 stays positive), v_min/m to v_max·m.
    public static func interval(for range: VarianceRange, margin: Double) -> ClosedRange<Double> {
        let low = Swift.max(range.distribution.minimum, range.epsilon) / margin
        let high = Swift.max(range.distribution.maximum * margin, low * (1 + 1e-6))
        return low ... high
    }

    /// The depth of the whole approximation.
    public var depth: Int { polynomialCost.depth + 3 * newtonSteps }

    /// y(v) and dy/dv.
    public func valueAndDerivative(_ v: Double) -> (value: Double, derivative: Double) {
        var (y, slope) = (polynomial(v), slopePolynomial(v))
        for _ in 0 ..< newtonSteps {
            let inner = 3 - v * y * y
            // d/dv [y(3 − v y²)/2] = ((3 − v y²)·y′ + y·(−y² − 2v·y·y′))/2.
            (y, slope) = (y * inner / 2, (inner * slope + y * (-y * y - 2 * v * y * slope)) / 2)
        }
        return (y, slope)
    }


    /// The degree-`n` Chebyshev series on `interval` minimizing max |p(v)·√v − 1| (Lawson).
    static func relativeFit(degree n: Int, on interval: ClosedRange<Double>) throws -> Polynomial {
        let basis = Polynomial.Basis.chebyshev(on: interval)
        let count = 8 * (n + 1)
        let nodes = (0 ..< count).map { -Double.cos(Double.pi * (Double($0) + 0.5) / Double(count)) }
        let roots = nodes.map { t in ((t - basis.offset) / basis.scale).squareRoot() }  // √v at each node
        // Row i: √vᵢ·T_k(tᵢ), k = 0…n.
        var design = Matrix<Double>(rows: count, columns: n + 1)
        for (i, t) in nodes.enumerated() {
            var (previous, current) = (1.0, t)
            design[i, 0] = roots[i]
            if n >= 1 { design[i, 1] = roots[i] * t }
            for k in stride(from: 2, through: n, by: 1) {
                (previous, current) = (current, 2 * t * current - previous)
                design[i, k] = roots[i] * current
            }
        }
        var weights = [Double](repeating: 1, count: count)
        var best: (coefficients: [Double], error: Double)?
        for _ in 0 ..< 60 {
            var a = design, b = Matrix<Double>(rows: count, columns: 1)
            for i in 0 ..< count {
                let w = weights[i].squareRoot()
                for k in 0 ... n { a[i, k] *= w }
                b[i, 0] = w
            }
            let coefficients = Array(try a.leastSquaresSolution(b).solution.column(0).prefix(n + 1))
            let residuals = (0 ..< count).map { i in (0 ... n).reduce(-1.0) { $0 + design[i, $1] * coefficients[$1] } }
            let error = residuals.reduce(0) { Swift.max($0, Swift.abs($1)) }
            if best.map({ error < $0.error }) ?? true { best = (coefficients, error) }
            let total = zip(weights, residuals).reduce(0) { $0 + $1.0 * Swift.abs($1.1) }
            guard total > 0 else { break }
            weights = zip(weights, residuals).map { $0 * Swift.abs($1) / total }
        }
        return Polynomial(coefficients: best?.coefficients ?? [Double](repeating: 0, count: n + 1), basis: basis)
    }
}
