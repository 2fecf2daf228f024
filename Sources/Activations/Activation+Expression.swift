import Polynomials

extension Activation {
    /// An activation computed from an expression in x, with derivatives and Taylor series by
    /// forward-mode automatic differentiation (``FunctionExpression/series(_:strict:)``), so
    /// every fitting method applies, Taylor and Padé at any order included.
    ///
    /// ```swift
    /// let f = Activation(expression: try FunctionExpression(parsing: "1/sqrt(x)"))
    /// let fit = try f.approximation(.init(method: .minimax, degree: 15, interval: 0.01 ... 10))
    /// ```
    /// - Parameters:
    ///   - expression: f as an expression of x.
    ///   - interval: where to look for kinks of piecewise functions whose argument is
    ///     not affine in x (``FunctionExpression/kinks(on:)``); affine ones are found everywhere.
    public init(expression: FunctionExpression, kinksOn interval: ClosedRange<Double>? = nil) {
        self.init(name: expression.description,
                  value: { expression.value(at: $0) },
                  derivative: { expression.derivative(at: $0) },
                  secondDerivative: { expression.secondDerivative(at: $0) },
                  kinks: expression.kinks(on: interval), projection: .quadrature,
                  series: { expression.series($0, strict: true) },
                  nonFiniteSearch: { expression.firstNonFinitePoint(on: $0) },
                  jumps: expression.jumps(on: interval))
    }

    /// The standard activation with this name (``named(_:)``), or else the activation of the
    /// expression in x the text spells.
    ///
    /// ```swift
    /// try Activation.named(orExpression: "gelu")             // the built-in GELU
    /// try Activation.named(orExpression: "log(1 + exp(x))")  // an expression
    /// ```
    /// - Throws: ``ActivationError/badParameter(name:parameter:)`` for `leaky-relu:SLOPE` with
    ///   a bad slope; ``ActivationError/unknownNameOrExpression(_:known:)`` for a bare word
    ///   that is neither; ``FunctionExpressionError`` (with carets) for a malformed expression.
    public static func named(orExpression text: String, kinksOn interval: ClosedRange<Double>? = nil) throws -> Activation {
        do {
            return try named(text)
        } catch ActivationError.unknownName {
            // Not a name: an expression, or a misspelt name (a bare word).
        }
        do {
            return Activation(expression: try FunctionExpression(parsing: text), kinksOn: interval)
        } catch let error as FunctionExpressionError {
            let word = text.trimmingWhitespace
            if !word.isEmpty, word.allSatisfy({ $0.isLetter || $0.isNumber || "-_:.".contains($0) }) {
                throw ActivationError.unknownNameOrExpression(word, known: knownNames)
            }
            throw error
        }
    }

    /// The first point of `interval` where f is not finite, with the reason, or nil: the
    /// expression's own search for expressions, else f sampled at the endpoints, the midpoint
    /// and 4097 Chebyshev points.
    public func firstNonFinitePoint(on interval: ClosedRange<Double>) -> (x: Double, reason: String)? {
        if let nonFiniteSearch { return nonFiniteSearch(interval) }
        let xs = FunctionExpression.samples(on: interval)
        guard let x = xs.first(where: { !valueFunction($0).isFinite }) else { return nil }
        return (x, "the value is \(valueFunction(x))")
    }
}

extension String {
    /// The text without leading and trailing whitespace.
    var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
