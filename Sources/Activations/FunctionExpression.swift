// An expression in one variable x, as `polynet approx 'x*sigmoid(1.702*x)'` reads it.
//
// Grammar (precedence from loosest to tightest; `^` is right-associative and binds tighter
// than unary minus, so -x^2 = −(x²) and 2^-x = 2^(−x)):
//     sum     := product (('+' | '-') product)*
//     product := unary (('*' | '/') unary)*
//     unary   := '-' unary | '+' unary | power
//     power   := primary ('^' unary)?
//     primary := number | 'x' | 'pi' | function '(' sum (',' sum)* ')' | '(' sum ')'
// Numbers are written as Double reads them (2, 0.5, 1e-3, 1.5E+2); `**`, `−`, `×`, `÷` are
// accepted for `^`, `-`, `*`, `/`.

/// An expression in x built from numbers, `pi`, + − × ÷ ^, and the functions of
/// ``FunctionExpression/Function``.
///
/// ```swift
/// let f = try FunctionExpression(parsing: "x*sigmoid(1.702*x)")
/// f.value(at: 1)              // 0.8457…
/// f.description               // "x*sigmoid(1.702*x)"
/// ```
public indirect enum FunctionExpression: Sendable, Equatable, CustomStringConvertible {
    /// The variable x.
    case variable
    /// A number as written (non-negative when parsed: a leading minus is a ``negation(_:)``).
    case number(Double)
    /// π.
    case pi
    /// −a.
    case negation(FunctionExpression)
    /// a ∘ b for + − × ÷ ^.
    case binary(BinaryOperator, FunctionExpression, FunctionExpression)
    /// A function applied to its arguments (one, or two for min and max).
    case call(Function, [FunctionExpression])

    /// The binary operators, spelled as the parser reads them.
    public enum BinaryOperator: String, Sendable, CaseIterable {
        /// The arithmetic operators, by their symbol: + − * / and ^ (power).
        case add = "+", subtract = "-", multiply = "*", divide = "/", power = "^"
    }

    /// The functions an expression may call.
    public enum Function: String, Sendable, CaseIterable {
        /// eᵃ.
        case exp
        /// The natural logarithm (a > 0).
        case log
        /// √a (a ≥ 0).
        case sqrt
        /// The hyperbolic tangent.
        case tanh
        /// The error function (2/√π)·∫₀ᵃ e^{−t²} dt.
        case erf
        /// The logistic function 1/(1 + e^{−a}).
        case sigmoid
        /// max(a, 0); kink where a = 0.
        case relu
        /// |a|; kink where a = 0.
        case abs
        /// −1, 0 or 1; jumps where a = 0.
        case sign
        /// The smaller of two arguments; kink where they are equal.
        case min
        /// The larger of two arguments; kink where they are equal.
        case max

        /// How many arguments the function takes.
        public var arity: Int { self == .min || self == .max ? 2 : 1 }

        /// Whether the function switches branches where its argument is 0 (relu, abs, sign) or
        /// where its two arguments are equal (min, max).
        public var isPiecewise: Bool { [.relu, .abs, .sign, .min, .max].contains(self) }
    }

    /// The expression printed with the fewest parentheses that parse back to the same tree,
    /// with spaces around + and − (`log(1 + exp(x))`, `x*sigmoid(1.702*x)`).
    public var description: String { printed(minimumPrecedence: 0) }

    /// Binding strength of the printed form: sum 1, product 2, unary 3, power 4, atom 5.
    private var precedence: Int {
        switch self {
        case .variable, .pi, .call: return 5
        case let .number(value): return value < 0 ? 3 : 5
        case .negation: return 3
        case let .binary(op, _, _):
            switch op {
            case .add, .subtract: return 1
            case .multiply, .divide: return 2
            case .power: return 4
            }
        }
    }

    private func printed(minimumPrecedence: Int) -> String {
        let text: String
        switch self {
        case .variable: text = "x"
        case .pi: text = "pi"
        case let .number(value): text = Self.format(value)
        case let .negation(operand): text = "-" + operand.printed(minimumPrecedence: 4)
        case let .binary(op, left, right):
            switch op {
            case .add, .subtract:
                text = left.printed(minimumPrecedence: 1) + " \(op.rawValue) " + right.printed(minimumPrecedence: 2)
            case .multiply, .divide:
                text = left.printed(minimumPrecedence: 2) + op.rawValue + right.printed(minimumPrecedence: 3)
            case .power:
                text = left.printed(minimumPrecedence: 5) + "^" + right.printed(minimumPrecedence: 3)
            }
        case let .call(function, arguments):
            text = function.rawValue + "(" + arguments.map { $0.printed(minimumPrecedence: 0) }.joined(separator: ", ") + ")"
        }
        return precedence >= minimumPrecedence ? text : "(" + text + ")"
    }

    /// A number in the shortest form that reads back to the same Double (integers without
    /// a decimal point).
    static func format(_ value: Double) -> String {
        if value == value.rounded(), Swift.abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
