// Values, derivatives and Taylor coefficients of an expression.
//
// Values are computed directly in Double. Derivatives use forward-mode automatic
// differentiation over the tree with truncated power series (``TaylorSeries``): evaluating at
// the jet x0 + h gives f(x0), f′(x0), f″(x0)/2, … to rounding accuracy at any order, the
// same arithmetic the built-in activations use for Taylor and Padé fits. A jet with two terms
// is a dual number (f, f′).
//
// Piecewise functions (relu, abs, sign, min, max) pick the branch from the argument's value.
// Where the argument sits exactly on the switch, a derivative follows PyTorch's convention
// (relu′(0) = abs′(0) = sign′(0) = 0; min and max take the mean of both branches), while a
// strict expansion (Taylor and Padé coefficients) has no series there and yields NaN beyond
// the value, which the fitting code reports as a non-finite coefficient.

import Polynomials
import RealModule

extension FunctionExpression {
    /// f(x).
    public func value(at x: Double) -> Double {
        switch self {
        case .variable: return x
        case let .number(value): return value
        case .pi: return Double.pi
        case let .negation(operand): return -operand.value(at: x)
        case let .binary(op, left, right):
            let a = left.value(at: x)
            switch op {
            case .add: return a + right.value(at: x)
            case .subtract: return a - right.value(at: x)
            case .multiply: return a * right.value(at: x)
            case .divide: return a / right.value(at: x)
            case .power:
                if let n = right.integerExponent { return Double.pow(a, n) }
                return Double.pow(a, right.value(at: x))
            }
        case let .call(function, arguments):
            let a = arguments[0].value(at: x)
            switch function {
            case .exp: return Double.exp(a)
            case .log: return Double.log(a)
            case .sqrt: return a.squareRoot()
            case .tanh: return Double.tanh(a)
            case .erf: return Double.erf(a)
            case .sigmoid: return logistic(a)
            case .relu: return a > 0 ? a : (a.isNaN ? a : 0)
            case .abs: return Swift.abs(a)
            case .sign: return a > 0 ? 1 : (a < 0 ? -1 : (a.isNaN ? a : 0))
            case .min: let b = arguments[1].value(at: x); return a.isNaN || b.isNaN ? .nan : Swift.min(a, b)
            case .max: let b = arguments[1].value(at: x); return a.isNaN || b.isNaN ? .nan : Swift.max(a, b)
            }
        }
    }

    /// f(x), so that an expression reads like the function it is.
    public func callAsFunction(_ x: Double) -> Double { value(at: x) }

    /// f′(x) by forward-mode differentiation (a two-term jet); at a switch of relu, abs, sign,
    /// min or max, PyTorch's convention (see the file header).
    public func derivative(at x: Double) -> Double {
        series(TaylorSeries.variable(at: x, count: 2), strict: false).coefficients[1]
    }

    /// f″(x) from a three-term jet (2·c₂).
    public func secondDerivative(at x: Double) -> Double {
        2 * series(TaylorSeries.variable(at: x, count: 3), strict: false).coefficients[2]
    }

    /// f applied to a truncated power series: the Taylor coefficients of f∘a.
    ///
    /// - Parameters:
    ///   - x: the argument a as a truncated power series.
    ///   - strict: when true, a piecewise function whose argument sits exactly on its
    ///     switch has no series: every coefficient after the value is NaN. When false, the
    ///     derivative convention of the file header applies.
    public func series(_ x: TaylorSeries, strict: Bool) -> TaylorSeries {
        let count = x.count
        switch self {
        case .variable: return x
        case let .number(value): return .constant(value, count: count)
        case .pi: return .constant(Double.pi, count: count)
        case let .negation(operand): return -operand.series(x, strict: strict)
        case let .binary(op, left, right):
            let a = left.series(x, strict: strict)
            switch op {
            case .add: return a + right.series(x, strict: strict)
            case .subtract: return a - right.series(x, strict: strict)
            case .multiply: return a * right.series(x, strict: strict)
            case .divide: return a / right.series(x, strict: strict)
            case .power:
                if let n = right.integerExponent { return TaylorSeries.power(a, n) }
                // a^b = e^{b·log a} (a > 0).
                return TaylorSeries.exp(right.series(x, strict: strict) * TaylorSeries.log(a))
            }
        case let .call(function, arguments):
            let a = arguments[0].series(x, strict: strict)
            let a0 = a.coefficients[0]
            switch function {
            case .exp: return TaylorSeries.exp(a)
            case .log: return TaylorSeries.log(a)
            case .sqrt: return TaylorSeries.sqrt(a)
            case .tanh: return TaylorSeries.tanh(a)
            case .erf: return TaylorSeries.erf(a)
            case .sigmoid: return TaylorSeries.logistic(a)
            case .relu:
                if a0 > 0 { return a }
                if a0 < 0 { return .constant(0, count: count) }
                return Self.atSwitch(value: a0.isNaN ? a0 : 0, count: count, strict: strict)
            case .abs:
                if a0 > 0 { return a }
                if a0 < 0 { return -a }
                return Self.atSwitch(value: a0.isNaN ? a0 : 0, count: count, strict: strict)
            case .sign:
                if a0 > 0 { return .constant(1, count: count) }
                if a0 < 0 { return .constant(-1, count: count) }
                return Self.atSwitch(value: a0.isNaN ? a0 : 0, count: count, strict: strict)
            case .min, .max:
                let b = arguments[1].series(x, strict: strict)
                let b0 = b.coefficients[0]
                if a0.isNaN || b0.isNaN { return .constant(.nan, count: count) }
                if a0 != b0 { return (a0 < b0) == (function == .min) ? a : b }
                if strict {
                    // Equal values and equal series: no switch after all (min(x, x)).
                    return a == b ? a : Self.atSwitch(value: a0, count: count, strict: true)
                }
                return 0.5 * (a + b)
            }
        }
    }

    /// The series of a piecewise function exactly at its switch.
    private static func atSwitch(value: Double, count: Int, strict: Bool) -> TaylorSeries {
        var c = [Double](repeating: strict ? .nan : 0, count: count)
        c[0] = value
        return TaylorSeries(c)
    }

    /// The exponent as an integer when it is a constant integer-valued expression of at most
    /// 2¹⁰ in magnitude (so a^n is a product and defined for a < 0), else nil.
    var integerExponent: Int? {
        guard !containsVariable else { return nil }
        let value = self.value(at: 0)
        guard value == value.rounded(), Swift.abs(value) <= 1024 else { return nil }
        return Int(value)
    }

    /// Whether x occurs in the expression.
    public var containsVariable: Bool {
        switch self {
        case .variable: return true
        case .number, .pi: return false
        case let .negation(operand): return operand.containsVariable
        case let .binary(_, left, right): return left.containsVariable || right.containsVariable
        case let .call(_, arguments): return arguments.contains { $0.containsVariable }
        }
    }
}
