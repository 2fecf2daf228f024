import Activations
import LinearAlgebra
import RealModule

/// How a ``HermiteActivation`` chooses its coefficients c_0 … c_d (computed in Double).
///
/// ```swift
/// let c = try HermiteInitialization.fitting(.gelu).coefficients(degree: 8)   // c[1] == 0.5
/// ```
public enum HermiteInitialization: Sendable {
    /// c_k = e^{−1/2} (k ≥ 1), c_0 = e^{−1/2}·√(1 − 1/d!): equal forward and backward gains
    /// under N(0, 1) inputs (see ``variancePreservingCoefficients(degree:)``).
    case variancePreserving
    /// Every c_k equal to the value: the naive choice, whose gains are value²·Σ 1/k! and grow
    /// with the degree.
    case constant(Double)
    /// F fitted to an activation's values and derivatives at equally spaced points of the
    /// interval (see ``fittedCoefficients(degree:fitting:on:sampleCount:)``).
    case fitting(Activation, on: ClosedRange<Double> = -3 ... 3)

    /// One coefficient set c_0 … c_d of `degree`.
    ///
    /// - Throws: `LinearAlgebraError` when the least-squares fit fails.
    public func coefficients(degree: Int) throws -> [Double] {
        precondition(degree >= 1, "A Hermite activation needs degree ≥ 1, got \(degree)")
        switch self {
        case .variancePreserving:
            return Self.variancePreservingCoefficients(degree: degree)
        case let .constant(value):
            return Array(repeating: value, count: degree + 1)
        case let .fitting(activation, interval):
            return try Self.fittedCoefficients(degree: degree, fitting: activation, on: interval)
        }
    }

    /// The variance-preserving coefficients: c_k = e^{−1/2} for k ≥ 1 and
    /// c_0 = e^{−1/2}·√(1 − 1/d!).
    ///
    /// Derivation, for x ~ N(0, 1): E[He_j·He_k] = k!·δ_jk, so E[φ_j·φ_k] = δ_jk/k! and
    /// - E[F²] = Σ_{k=0}^{d} c_k²/k!,
    /// - E[F′²] = E[(Σ_{k≥1} c_k·φ_{k−1})²] = Σ_{k=1}^{d} c_k²/(k−1)! = Σ_{j=0}^{d−1} c_{j+1}²/j!.
    ///
    /// With c_k² = e^{−1} for k ≥ 1, E[F′²] = e^{−1}·Σ_{j<d} 1/j!, and
    /// E[F²] = c_0² + e^{−1}·(Σ_{k≤d} 1/k! − 1), which equals it exactly when
    /// c_0² = e^{−1}·(1 − 1/d!). Both gains are then e^{−1}·Σ_{j<d} 1/j! (0.92 for d = 3,
    /// 0.99999 for d = 8), tending to 1 as d grows. In a network, the linear layer before the
    /// activation must deliver unit-variance pre-activations for these gains to apply.
    public static func variancePreservingCoefficients(degree: Int) -> [Double] {
        precondition(degree >= 1, "A Hermite activation needs degree ≥ 1, got \(degree)")
        let scale = Double.exp(-0.5)
        var inverseFactorial = 1.0
        for k in 1 ... degree { inverseFactorial /= Double(k) }
        return [scale * (1 - inverseFactorial).squareRoot()] + Array(repeating: scale, count: degree)
    }

    /// Coefficients fitting F to `activation` on values and derivatives at `sampleCount`
    /// equally spaced points x_i of `interval`.
    ///
    /// The coefficients enter F and F′ linearly, so the fit is one least-squares problem
    /// [Φ; Φ′]·c ≈ [f(x); f′(x)] with Φ_ik = φ_k(x_i) and Φ′_ik = φ_{k−1}(x_i), solved by
    /// LAPACK's SVD-based `gelsd` in Double. On a symmetric interval the odd and even parts
    /// decouple, so for GELU (x/2 plus an even function) the fit has c_1 = 1/2 and zero odd
    /// coefficients above it.
    ///
    /// ```swift
    /// let c = try HermiteInitialization.fittedCoefficients(degree: 8, fitting: .gelu)
    /// ```
    /// - Throws: `LinearAlgebraError` when LAPACK fails (for example on non-finite values).
    /// - Complexity: O(sampleCount·d²); well under a millisecond for d = 8.
    public static func fittedCoefficients(degree: Int, fitting activation: Activation,
                                          on interval: ClosedRange<Double> = -3 ... 3,
                                          sampleCount: Int? = nil) throws -> [Double] {
        precondition(degree >= 1, "A Hermite activation needs degree ≥ 1, got \(degree)")
        let count = sampleCount ?? 8 * (degree + 1)
        precondition(count >= 2 && interval.upperBound > interval.lowerBound,
                     "Fitting needs ≥ 2 points on a non-empty interval, got \(count) on \(interval)")
        var system = Matrix<Double>(rows: 2 * count, columns: degree + 1)
        var target = Matrix<Double>(rows: 2 * count, columns: 1)
        let step = (interval.upperBound - interval.lowerBound) / Double(count - 1)
        for i in 0 ..< count {
            let x = i == count - 1 ? interval.upperBound : interval.lowerBound + Double(i) * step
            target[i, 0] = activation.value(x)
            target[count + i, 0] = activation.derivative(x)
            var previous = 0.0, current = 1.0
            system[i, 0] = 1
            for k in 1 ... degree {
                system[count + i, k] = current
                (previous, current) = (current, (x * current - previous) / Double(k))
                system[i, k] = current
            }
        }
        return Array(try system.leastSquaresSolution(target).solution.elements)
    }
}
