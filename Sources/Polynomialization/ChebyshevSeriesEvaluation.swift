/// Chebyshev series evaluated straight from coefficient arrays, for the layers whose
/// coefficients and interval are parameters (and so may hold any finite values).
///
/// p(x) = Σₖ cₖ·Tₖ(t) with t = (2x − a − b)/(b − a): Clenshaw's recurrence
/// bₖ = cₖ + 2t·bₖ₊₁ − bₖ₊₂, p = c₀ + t·b₁ − b₂ (backward stable). The derivative series
/// dp/dt = Σₖ dₖ·Tₖ(t) comes from dₖ₋₁ = dₖ₊₁ + 2k·cₖ (then d₀ halved).
enum ChebyshevSeriesEvaluation {
    /// Σₖ cₖ·Tₖ(t).
    static func value(_ coefficients: [Double], at t: Double) -> Double {
        var (next, afterNext) = (0.0, 0.0)
        for k in stride(from: coefficients.count - 1, through: 1, by: -1) {
            (next, afterNext) = (coefficients[k] + 2 * t * next - afterNext, next)
        }
        return coefficients[0] + t * next - afterNext
    }

    /// The coefficients of d/dt Σₖ cₖ·Tₖ(t) (one fewer; a constant gives [0]).
    static func derivative(_ coefficients: [Double]) -> [Double] {
        let n = coefficients.count - 1
        guard n >= 1 else { return [0] }
        var d = [Double](repeating: 0, count: n + 1)
        for k in stride(from: n, through: 1, by: -1) {
            d[k - 1] = (k + 1 <= n ? d[k + 1] : 0) + 2 * Double(k) * coefficients[k]
        }
        d[0] /= 2
        return Array(d.prefix(n))
    }

    /// t for x on [a, b].
    static func mapped(_ x: Double, from a: Double, to b: Double) -> Double {
        (2 * x - a - b) / (b - a)
    }

    /// ∂t/∂a and ∂t/∂b at x: 2(x − b)/(b − a)² and −2(x − a)/(b − a)².
    static func intervalSlopes(_ x: Double, from a: Double, to b: Double) -> (Double, Double) {
        let width = b - a
        return (2 * (x - b) / (width * width), -2 * (x - a) / (width * width))
    }

    /// Adds g·Tₖ(t) to `gradient[k]` for every k.
    static func accumulateBasis(_ g: Double, at t: Double, into gradient: inout [Double]) {
        var (previous, current) = (1.0, t)
        gradient[0] += g
        if gradient.count > 1 { gradient[1] += g * t }
        for k in stride(from: 2, to: gradient.count, by: 1) {
            (previous, current) = (current, 2 * t * current - previous)
            gradient[k] += g * current
        }
    }
}
