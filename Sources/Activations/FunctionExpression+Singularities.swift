// Where an expression is not smooth (kinks) or not finite (poles, logarithms of negatives,
// overflow) on an interval.
//
// Kinks: relu, abs and sign switch where their argument g is 0, min and max where their
// arguments are equal (g = a − b). When g is affine in x (x, 2*x − 1, (x + 3)/2, …) the switch
// is −intercept/slope exactly, on any interval. Otherwise, on a given interval, g is sampled at
// 4097 Chebyshev points and each sign change is bisected to adjacent Doubles; a zero that g
// touches without changing sign between samples (relu(-(x − 0.3)^2)) is missed.
//
// Non-finite values: f is sampled at the endpoints, the midpoint and 4097 Chebyshev points;
// every denominator is sampled there too, and a sign change is bisected to its zero (a pole
// between samples, where f itself is large but finite). A pole where a denominator touches 0
// without changing sign between samples is caught later by the fits' own non-finite checks.

import Polynomials

extension FunctionExpression {
    /// Sample count for kink and pole searches (Chebyshev points of the second kind).
    static let sampleCount = 4097

    /// (slope, intercept) when the expression is affine in x, else nil.
    var affineForm: (slope: Double, intercept: Double)? {
        guard containsVariable else { return (0, value(at: 0)) }
        switch self {
        case .variable: return (1, 0)
        case let .negation(operand):
            return operand.affineForm.map { (-$0.slope, -$0.intercept) }
        case let .binary(op, left, right):
            guard let l = left.affineForm, let r = right.affineForm else { return nil }
            switch op {
            case .add: return (l.slope + r.slope, l.intercept + r.intercept)
            case .subtract: return (l.slope - r.slope, l.intercept - r.intercept)
            case .multiply:
                if l.slope == 0 { return (l.intercept * r.slope, l.intercept * r.intercept) }
                if r.slope == 0 { return (r.intercept * l.slope, r.intercept * l.intercept) }
                return nil
            case .divide:
                guard r.slope == 0, r.intercept != 0 else { return nil }
                return (l.slope / r.intercept, l.intercept / r.intercept)
            case .power:
                return nil
            }
        default:
            return nil
        }
    }

    /// The switching functions g (relu(g), abs(g), sign(g); g = a − b for min(a, b), max(a, b))
    /// in the tree.
    var switchingArguments: [FunctionExpression] {
        switch self {
        case .variable, .number, .pi: return []
        case let .negation(operand): return operand.switchingArguments
        case let .binary(_, left, right): return left.switchingArguments + right.switchingArguments
        case let .call(function, arguments):
            let inner = arguments.flatMap(\.switchingArguments)
            guard function.isPiecewise else { return inner }
            let g = function.arity == 2 ? FunctionExpression.binary(.subtract, arguments[0], arguments[1]) : arguments[0]
            return inner + [g]
        }
    }

    /// The denominators of every division in the tree.
    var denominators: [FunctionExpression] {
        switch self {
        case .variable, .number, .pi: return []
        case let .negation(operand): return operand.denominators
        case let .binary(op, left, right):
            return left.denominators + right.denominators + (op == .divide ? [right] : [])
        case let .call(_, arguments): return arguments.flatMap(\.denominators)
        }
    }

    /// Points where f is not smooth: exact for switches whose argument is affine in x (on any
    /// interval); located by sign changes on `interval` for the others (see the file header).
    public func kinks(on interval: ClosedRange<Double>?) -> [Double] {
        Self.zeros(of: switchingArguments, on: interval)
    }

    /// Points where f may jump: the switches of `sign` (found as for ``kinks(on:)``; a jump of
    /// sign(g) times a factor that vanishes there is still listed).
    public func jumps(on interval: ClosedRange<Double>?) -> [Double] {
        Self.zeros(of: signArguments, on: interval)
    }

    /// The arguments g of every sign(g) in the tree.
    var signArguments: [FunctionExpression] {
        switch self {
        case .variable, .number, .pi: return []
        case let .negation(operand): return operand.signArguments
        case let .binary(_, left, right): return left.signArguments + right.signArguments
        case let .call(function, arguments):
            return arguments.flatMap(\.signArguments) + (function == .sign ? [arguments[0]] : [])
        }
    }

    /// Zeros of each g: exact when g is affine, else sign changes on `interval`.
    private static func zeros(of functions: [FunctionExpression], on interval: ClosedRange<Double>?) -> [Double] {
        var points = [Double]()
        for g in functions {
            if let (slope, intercept) = g.affineForm {
                // + 0 turns −0 into 0.
                if slope != 0, (-intercept / slope).isFinite { points.append(-intercept / slope + 0) }
            } else if let interval {
                points += g.signChanges(on: interval)
            }
        }
        return Array(Set(points)).sorted()
    }

    /// Zeros of the expression located by sign changes between samples on `interval`, each
    /// bisected to adjacent Doubles; samples that are exactly 0 count as zeros.
    func signChanges(on interval: ClosedRange<Double>) -> [Double] {
        let xs = FunctionExpression.samples(on: interval)
        let values = xs.map { value(at: $0) }
        var zeros = [Double]()
        for i in xs.indices {
            if values[i] == 0 { zeros.append(xs[i]); continue }
            guard i + 1 < xs.count, values[i].isFinite, values[i + 1].isFinite,
                  values[i] * values[i + 1] < 0 else { continue }
            var (low, high) = (xs[i], xs[i + 1])
            let lowSign = values[i] < 0
            while true {
                let middle = low / 2 + high / 2
                guard middle > low, middle < high else { break }
                let v = value(at: middle)
                if v == 0 { low = middle; high = middle; break }
                if !v.isFinite { break }
                if (v < 0) == lowSign { low = middle } else { high = middle }
            }
            zeros.append(Swift.abs(value(at: low)) <= Swift.abs(value(at: high)) ? low : high)
        }
        return zeros
    }

    /// The endpoints, the midpoint and ``sampleCount`` Chebyshev points of `interval`, sorted.
    static func samples(on interval: ClosedRange<Double>) -> [Double] {
        let points = Polynomial.chebyshevPoints(count: sampleCount, on: interval)
            + [interval.lowerBound, interval.upperBound, interval.lowerBound / 2 + interval.upperBound / 2]
        return Array(Set(points.filter { interval.contains($0) })).sorted()
    }

    /// The first point of `interval` where f is not finite, with the reason, or nil (see the
    /// file header for what is sampled).
    public func firstNonFinitePoint(on interval: ClosedRange<Double>) -> (x: Double, reason: String)? {
        let xs = FunctionExpression.samples(on: interval)
        if let x = xs.first(where: { !value(at: $0).isFinite }) {
            return (x, diagnosis(at: x) ?? "the value is \(value(at: x))")
        }
        for denominator in denominators {
            if let pole = denominator.signChanges(on: interval).first {
                return (pole, "'\(denominator)' changes sign there (a pole)")
            }
        }
        return nil
    }

    /// Why f(x) is not finite: the innermost subexpression whose operands are finite but whose
    /// value is not; nil when f(x) is finite.
    public func diagnosis(at x: Double) -> String? {
        switch self {
        case .variable, .number, .pi: return nil
        case let .negation(operand): return operand.diagnosis(at: x)
        case let .binary(op, left, right):
            if let inner = left.diagnosis(at: x) ?? right.diagnosis(at: x) { return inner }
            guard !value(at: x).isFinite else { return nil }
            let (a, b) = (left.value(at: x), right.value(at: x))
            switch op {
            case .divide where b == 0: return "division by zero in '\(self)'"
            case .power where a < 0: return "'\(self)' raises the negative \(a) to the non-integer power \(b)"
            default: return "'\(self)' overflows (\(value(at: x)))"
            }
        case let .call(function, arguments):
            for argument in arguments { if let inner = argument.diagnosis(at: x) { return inner } }
            guard !value(at: x).isFinite else { return nil }
            let a = arguments[0].value(at: x)
            switch function {
            case .log: return "'\(self)' takes the logarithm of \(a)"
            case .sqrt: return "'\(self)' takes the square root of \(a)"
            default: return "'\(self)' overflows (\(value(at: x)))"
            }
        }
    }
}
