// Truncated power series arithmetic: a value a(x0 + h) = Σ_{k<n} a_k·h^k. Sums and products are
// exact on the kept terms; elementary functions follow from their differential equations, e.g.
// y = exp(a) satisfies y′ = a′·y, so k·y_k = Σ_{j=1}^{k} j·a_j·y_{k−j}. This gives Taylor
// coefficients to rounding accuracy at any order, unlike finite differences.

import RealModule

/// A truncated power series Σ_{k<count} c_k·h^k (a Taylor jet).
///
/// ```swift
/// let x = TaylorSeries.variable(at: 0.5, count: 8)
/// let y = x * TaylorSeries.exp(-x)      // Taylor coefficients of x·e^{−x} at 0.5
/// ```
public struct TaylorSeries: Sendable, Equatable {
    /// c_0 … c_{count−1}.
    public var coefficients: [Double]

    /// A series from its coefficients.
    public init(_ coefficients: [Double]) {
        precondition(!coefficients.isEmpty, "A Taylor series needs at least one coefficient")
        self.coefficients = coefficients
    }

    /// The number of kept terms.
    public var count: Int { coefficients.count }

    /// The identity x = x0 + h.
    public static func variable(at x0: Double, count: Int) -> TaylorSeries {
        var c = [Double](repeating: 0, count: count)
        c[0] = x0
        if count > 1 { c[1] = 1 }
        return TaylorSeries(c)
    }

    /// The constant `value` with `count` terms.
    public static func constant(_ value: Double, count: Int) -> TaylorSeries {
        var c = [Double](repeating: 0, count: count)
        c[0] = value
        return TaylorSeries(c)
    }

    /// Coefficient-wise sum.
    public static func + (a: TaylorSeries, b: TaylorSeries) -> TaylorSeries {
        precondition(a.count == b.count, "Taylor series of \(a.count) and \(b.count) terms")
        return TaylorSeries(zip(a.coefficients, b.coefficients).map(+))
    }

    /// Coefficient-wise difference.
    public static func - (a: TaylorSeries, b: TaylorSeries) -> TaylorSeries {
        precondition(a.count == b.count, "Taylor series of \(a.count) and \(b.count) terms")
        return TaylorSeries(zip(a.coefficients, b.coefficients).map(-))
    }

    /// Negation.
    public static prefix func - (a: TaylorSeries) -> TaylorSeries { TaylorSeries(a.coefficients.map { -$0 }) }

    /// The series plus a constant (added to the value).
    public static func + (a: TaylorSeries, b: Double) -> TaylorSeries {
        var c = a.coefficients
        c[0] += b
        return TaylorSeries(c)
    }

    /// The series scaled by a constant.
    public static func * (a: Double, b: TaylorSeries) -> TaylorSeries { TaylorSeries(b.coefficients.map { a * $0 }) }

    /// The Cauchy product, truncated.
    public static func * (a: TaylorSeries, b: TaylorSeries) -> TaylorSeries {
        precondition(a.count == b.count, "Taylor series of \(a.count) and \(b.count) terms")
        var c = [Double](repeating: 0, count: a.count)
        for i in 0 ..< a.count where a.coefficients[i] != 0 {
            for j in 0 ..< a.count - i { c[i + j] += a.coefficients[i] * b.coefficients[j] }
        }
        return TaylorSeries(c)
    }

    /// a/b by back substitution; b_0 must be non-zero.
    public static func / (a: TaylorSeries, b: TaylorSeries) -> TaylorSeries {
        precondition(a.count == b.count, "Taylor series of \(a.count) and \(b.count) terms")
        var c = [Double](repeating: 0, count: a.count)
        for k in 0 ..< a.count {
            var sum = a.coefficients[k]
            for j in 0 ..< k { sum -= c[j] * b.coefficients[k - j] }
            c[k] = sum / b.coefficients[0]
        }
        return TaylorSeries(c)
    }

    /// Solves y′ = a′·g for y with y_0 = value, where g = derivativeFactor(y) is recomputed
    /// from the known terms: k·y_k = Σ_{j=1}^{k} j·a_j·g_{k−j}.
    private static func integrating(_ a: TaylorSeries, value: Double,
                                    factor: (_ y: [Double], _ k: Int) -> Double) -> TaylorSeries {
        var y = [Double](repeating: 0, count: a.count)
        y[0] = value
        var g = [Double](repeating: 0, count: a.count)
        for k in 0 ..< a.count {
            if k > 0 {
                var sum = 0.0
                for j in 1 ... k { sum += Double(j) * a.coefficients[j] * g[k - j] }
                y[k] = sum / Double(k)
            }
            g[k] = factor(y, k)
        }
        return TaylorSeries(y)
    }

    /// e^a.
    public static func exp(_ a: TaylorSeries) -> TaylorSeries {
        integrating(a, value: Double.exp(a.coefficients[0])) { y, k in y[k] }
    }

    /// log a (a_0 > 0): y′ = a′/a.
    public static func log(_ a: TaylorSeries) -> TaylorSeries {
        let reciprocal = constant(1, count: a.count) / a
        return integrating(a, value: Double.log(a.coefficients[0])) { _, k in reciprocal.coefficients[k] }
    }

    /// Φ(a) = ½·erfc(−a/√2), the normal CDF: y′ = a′·φ(a).
    public static func normalCDF(_ a: TaylorSeries) -> TaylorSeries {
        let density = (1 / (2 * Double.pi).squareRoot()) * exp(-0.5 * (a * a))
        return integrating(a, value: 0.5 * Double.erfc(-a.coefficients[0] / 2.0.squareRoot())) { _, k in
            density.coefficients[k]
        }
    }

    /// tanh a = 1 − 2/(e^{2a} + 1).
    public static func tanh(_ a: TaylorSeries) -> TaylorSeries {
        let one = constant(1, count: a.count)
        if a.coefficients[0] > 0 {
            return one - 2 * (one / (exp(2 * a) + 1))
        }
        return 2 * (one / (exp(-2 * a) + 1)) - one
    }

    /// The logistic function 1/(1 + e^{−a}).
    public static func logistic(_ a: TaylorSeries) -> TaylorSeries {
        let one = constant(1, count: a.count)
        if a.coefficients[0] >= 0 { return one / (exp(-a) + 1) }
        let e = exp(a)
        return e / (e + 1)
    }

    /// √a (a_0 > 0) from y² = a: y_k = (a_k − Σ_{j=1}^{k−1} y_j·y_{k−j})/(2·y_0).
    public static func sqrt(_ a: TaylorSeries) -> TaylorSeries {
        var y = [Double](repeating: 0, count: a.count)
        y[0] = a.coefficients[0].squareRoot()
        for k in 1 ..< Swift.max(a.count, 1) {
            var sum = a.coefficients[k]
            for j in 1 ..< k { sum -= y[j] * y[k - j] }
            y[k] = sum / (2 * y[0])
        }
        return TaylorSeries(y)
    }

    /// erf a: y′ = a′·(2/√π)·e^{−a²}.
    public static func erf(_ a: TaylorSeries) -> TaylorSeries {
        let density = (2 / Double.pi.squareRoot()) * exp(-(a * a))
        return integrating(a, value: Double.erf(a.coefficients[0])) { _, k in density.coefficients[k] }
    }

    /// aⁿ for an integer n by repeated squaring (exact on the kept terms up to rounding; any
    /// a_0 for n ≥ 0, a_0 ≠ 0 for n < 0).
    public static func power(_ a: TaylorSeries, _ n: Int) -> TaylorSeries {
        var result = constant(1, count: a.count)
        var base = a
        var e = n.magnitude
        while e > 0 {
            if e & 1 == 1 { result = result * base }
            e >>= 1
            if e > 0 { base = base * base }
        }
        return n < 0 ? constant(1, count: a.count) / result : result
    }
}
