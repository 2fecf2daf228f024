import Activations
import LinearAlgebra
import RealModule

/// Fitted starting values for the Fourier and tropical-rational activations (seed 002 starts
/// them at GELU): closed-form or deterministic least-squares fits of an `Activation` on an
/// interval, in Double, at equally spaced points.
///
/// ```swift
/// let fourier = try FittedInitialization.fourier(degree: 5, fitting: .gelu)
/// let tropical = try FittedInitialization.tropicalRational(degree: 5, fitting: .gelu)
/// ```
public enum FittedInitialization {
    /// Equally spaced points of `interval`, both ends included.
    static func samples(_ count: Int, on interval: ClosedRange<Double>) -> [Double] {
        let step = (interval.upperBound - interval.lowerBound) / Double(count - 1)
        return (0 ..< count).map { $0 == count - 1 ? interval.upperBound : interval.lowerBound + Double($0) * step }
    }

    /// (a_0, α_1…α_d, β_1…β_d) of F(x) = a_0 + Σ_k (α_k·cos ω_k x + β_k·sin ω_k x)/k!, ω_k =
    /// k·`fundamental`, fitted to the activation's values and derivatives at 16·(d + 1)
    /// equally spaced points of `interval`.
    ///
    /// F and F′ = Σ_k ω_k·(β_k·cos ω_k x − α_k·sin ω_k x)/k! are linear in the parameters, so
    /// the fit is one least-squares problem [Φ; Φ′]·c ≈ [f(x); f′(x)] solved by LAPACK's
    /// `gelsd`. F has period 2π/`fundamental`: with the fixed frequencies ω_k = k (period 2π) a
    /// function that rises across [−3, 3], like GELU, cannot be followed near both ends, since
    /// F(3) = F(3 − 2π); a fundamental of ½ leaves room for it.
    /// - Throws: `LinearAlgebraError` when LAPACK fails.
    public static func fourier(degree: Int, fitting activation: Activation, on interval: ClosedRange<Double> = -3 ... 3,
                               fundamental: Double = 1) throws -> (constant: Double, cosine: [Double], sine: [Double]) {
        precondition(degree >= 1 && interval.upperBound > interval.lowerBound,
                     "Fitting degree \(degree) on \(interval)")
        let points = samples(16 * (degree + 1), on: interval)
        let count = points.count
        var system = Matrix<Double>(rows: 2 * count, columns: 2 * degree + 1)
        var target = Matrix<Double>(rows: 2 * count, columns: 1)
        for (i, x) in points.enumerated() {
            target[i, 0] = activation.value(x)
            target[count + i, 0] = activation.derivative(x)
            system[i, 0] = 1
            var factorial = 1.0
            for k in 1 ... degree {
                factorial *= Double(k)
                let omega = Double(k) * fundamental
                let (c, s) = (Double.cos(omega * x), Double.sin(omega * x))
                (system[i, k], system[i, degree + k]) = (c / factorial, s / factorial)
                (system[count + i, k], system[count + i, degree + k]) = (-omega * s / factorial, omega * c / factorial)
            }
        }
        let solution = Array(try system.leastSquaresSolution(target).solution.elements)
        return (solution[0], Array(solution[1 ... degree]), Array(solution[(degree + 1)...]))
    }

    /// Slopes and intercepts of F(x) = max_i(p_i·x + a_i) − max_j(q_j·x + b_j), d + 1 pieces
    /// each, fitted to the activation on `interval`, deterministically.
    ///
    /// How: a continuous piecewise-linear fit α + βx + Σᵢ cᵢ·max(0, x − tᵢ) with 2d knots tᵢ
    /// equally spaced inside the interval, by least squares on values at 64·(d + 1) points;
    /// while one sign has more than d kinks, the kink of that sign with the smallest |cᵢ| is
    /// dropped and the rest refitted. The convex part α + βx + Σ_{cᵢ>0} cᵢ·max(0, x − tᵢ) is the
    /// maximum of its pieces (the numerator), and Σ_{cᵢ<0} |cᵢ|·max(0, x − tᵢ) the maximum of
    /// its pieces and 0 (the denominator); unused pieces repeat the last.
    /// - Throws: `LinearAlgebraError` when LAPACK fails.
    public static func tropicalRational(degree: Int, fitting activation: Activation,
                                        on interval: ClosedRange<Double> = -3 ... 3)
        throws -> (numerator: (slopes: [Double], intercepts: [Double]), denominator: (slopes: [Double], intercepts: [Double])) {
        precondition(degree >= 1 && interval.upperBound > interval.lowerBound,
                     "Fitting degree \(degree) on \(interval)")
        let width = interval.upperBound - interval.lowerBound
        var knots = (1 ... 2 * degree).map { interval.lowerBound + width * Double($0) / Double(2 * degree + 1) }
        let points = samples(64 * (degree + 1), on: interval)
        var kinks = [Double]()
        var line = (intercept: 0.0, slope: 0.0)
        // At most 2d refits: each drops a knot.
        while true {
            var system = Matrix<Double>(rows: points.count, columns: 2 + knots.count)
            var target = Matrix<Double>(rows: points.count, columns: 1)
            for (i, x) in points.enumerated() {
                (system[i, 0], system[i, 1], target[i, 0]) = (1, x, activation.value(x))
                for (j, knot) in knots.enumerated() { system[i, 2 + j] = Swift.max(0, x - knot) }
            }
            let solution = Array(try system.leastSquaresSolution(target).solution.elements)
            (line, kinks) = ((solution[0], solution[1]), Array(solution[2...]))
            let positive = kinks.indices.filter { kinks[$0] > 0 }, negative = kinks.indices.filter { kinks[$0] <= 0 }
            let surplus = positive.count > degree ? positive : negative.count > degree ? negative : []
            guard let drop = surplus.min(by: { Swift.abs(kinks[$0]) < Swift.abs(kinks[$1]) }) else { break }
            knots.remove(at: drop)
        }
        /// The pieces of a + b·x + Σ cᵢ·max(0, x − tᵢ) (cᵢ ≥ 0, knots ascending), padded to d + 1.
        func pieces(start: (intercept: Double, slope: Double), kinks: [(knot: Double, size: Double)]) -> ([Double], [Double]) {
            var (slopes, intercepts) = ([start.slope], [start.intercept])
            for (knot, size) in kinks {
                slopes.append(slopes[slopes.count - 1] + size)
                intercepts.append(intercepts[intercepts.count - 1] - size * knot)
            }
            while slopes.count < degree + 1 { (slopes, intercepts) = (slopes + [slopes[slopes.count - 1]], intercepts + [intercepts[intercepts.count - 1]]) }
            return (slopes, intercepts)
        }
        let numerator = pieces(start: line, kinks: zip(knots, kinks).filter { $0.1 > 0 }.map { ($0.0, $0.1) })
        let denominator = pieces(start: (0, 0), kinks: zip(knots, kinks).filter { $0.1 < 0 }.map { ($0.0, -$0.1) })
        return ((numerator.0, numerator.1), (denominator.0, denominator.1))
    }
}
