import Polynomials

extension Activation {
    /// Fits a polynomial (or, for Padé, a rational function) to this activation and measures it.
    ///
    /// ```swift
    /// let fit = try Activation.gelu.approximation(.init(method: .minimax, degree: 8, interval: -6 ... 6))
    /// fit.errors.maxError, fit.lowerBound      // certificate: best error ∈ [lowerBound, maxError]
    /// ```
    /// - Throws: ``ActivationError`` or ``/Polynomials/PolynomialError`` for bad input (see
    ///   ``ApproximationRequest/validate()``), f not finite somewhere on the interval
    ///   (``ActivationError/notFiniteOnInterval(activation:at:interval:reason:)``, checked
    ///   before fitting by ``firstNonFinitePoint(on:)``), a method that does not apply (minimax of `sign`,
    ///   Taylor at a kink), a Remez run that does not converge, or a fit whose coefficients or
    ///   error on the interval overflow Double
    ///   (``/Polynomials/PolynomialError/nonFiniteResult(quantity:)``): a returned fit has only finite
    ///   coefficients, max error and uniform RMS error.
    public func approximation(_ request: ApproximationRequest) throws -> ActivationApproximation {
        try request.validate()
        let interval = request.interval
        if let (x, reason) = firstNonFinitePoint(on: interval) {
            throw ActivationError.notFiniteOnInterval(activation: name, at: x, interval: interval, reason: reason)
        }
        let f = valueFunction
        let n = request.degree
        var notes = [String]()
        var denominator: Polynomial?
        var lowerBound: Double?, iterations: Int?, newtonSteps: Int?, relativeError: Double?
        let polynomial: Polynomial
        switch request.method {
        case .chebyshev:
            polynomial = try Polynomial.chebyshevInterpolant(of: f, degree: n, on: interval)
            let nodes = Polynomial.chebyshevPoints(count: n + 1, on: interval)
            let tolerance = 1e-9 * (interval.upperBound - interval.lowerBound)
            for kink in kinks where kink > interval.lowerBound && kink < interval.upperBound {
                if !nodes.contains(where: { Swift.abs($0 - kink) <= tolerance }) {
                    notes.append("no interpolation node at the kink x = \(kink) (degree \(n)\(n % 2 == 1 ? " is odd" : "")): the error there is larger than for a degree whose nodes include it (even degrees on an interval symmetric about the kink)")
                }
            }
        case .leastSquares:
            polynomial = try Polynomial.leastSquares(of: f, degree: n, on: interval, breakpoints: kinks)
        case .gaussian:
            guard let (mean, std) = request.gaussian else {
                throw PolynomialError.gaussianMissing
            }
            let c = try probabilistsHermiteCoefficients(mean: mean, standardDeviation: std, degree: n)
            polynomial = Polynomial(coefficients: c, basis: .probabilistsHermite(mean: mean, standardDeviation: std))
        case .minimax:
            guard projection != .sign else {
                throw PolynomialError.unsupported("minimax is undefined for the discontinuous sign function (every polynomial has max error ≥ 1); use least-squares or gaussian")
            }
            if let jump = jumps.first(where: { interval.contains($0) }) {
                throw PolynomialError.unsupported("minimax is undefined for \(name), which may jump at x = \(jump) (every polynomial errs by half the jump); use least-squares or gaussian")
            }
            let result: MinimaxApproximation
            if request.relativeError {
                // A zero of f (a sign change or an exact 0 between samples) makes 1/|f| unbounded.
                let samples = (Polynomial.chebyshevPoints(count: 4097, on: interval) + kinks.filter { interval.contains($0) }).sorted()
                let values = samples.map(f)
                if let i = values.indices.first(where: { values[$0] == 0 || ($0 > 0 && values[$0 - 1].sign != values[$0].sign) }) {
                    let zero = values[i] == 0 || i == 0 || Swift.abs(values[i]) <= Swift.abs(values[i - 1]) ? samples[i] : samples[i - 1]
                    throw ActivationError.relativeErrorAtZero(activation: name, at: zero)
                }
                do {
                    result = try Polynomial.minimax(of: f, degree: n, on: [interval], weight: { 1 / Swift.abs(f($0)) })
                } catch PolynomialError.nonPositiveWeight(let x, _) {
                    throw ActivationError.relativeErrorAtZero(activation: name, at: x)
                }
                relativeError = result.maxError
            } else {
                result = try Polynomial.minimax(of: f, degree: n, on: interval, breakpoints: kinks)
            }
            polynomial = result.polynomial
            lowerBound = result.lowerBound
            iterations = result.iterations
        case .hermite:
            polynomial = try Polynomial.hermiteInterpolant(of: f, derivative: derivativeFunction, degree: n,
                                                           on: interval, nodes: request.nodes)
            if !kinks.filter({ interval.contains($0) }).isEmpty {
                notes.append("\(name) is not differentiable at \(kinks): Hermite interpolation uses f′ = \(derivative(kinks[0])) there if it is a node")
            }
        case .taylor:
            let center = request.center ?? interval.lowerBound / 2 + interval.upperBound / 2
            let c = try taylorCoefficients(at: center, count: n + 1)
            polynomial = Polynomial(coefficients: c, basis: Polynomial.Basis(family: .monomial, scale: 1, offset: -center))
        case .pade:
            let center = request.center ?? interval.lowerBound / 2 + interval.upperBound / 2
            let m = request.denominatorDegree
            let c = try taylorCoefficients(at: center, count: n + m + 1)
            let rational = try RationalFunction.pade(taylorCoefficients: c, numeratorDegree: n, denominatorDegree: m, at: center)
            polynomial = rational.numerator
            denominator = rational.denominator
            let grid = Polynomial.chebyshevPoints(count: 2001, on: interval).map { rational.denominator($0) }
            if let pole = zip(grid, grid.dropFirst()).first(where: { $0.0.sign != $0.1.sign || $0.0 == 0 }) {
                notes.append("the denominator changes sign inside the interval (a pole near q = \(pole.0)): the approximant is unbounded there")
            }
        case .composite:
            throw PolynomialError.unsupported("composite is a composition of polynomials, not one: build a CompositeApproximation (relu, abs, sign)")
        case .rationalMinimax:
            guard projection != .sign else {
                throw PolynomialError.unsupported("rational minimax is undefined for the discontinuous sign function (every continuous p/q has max error ≥ 1); use least-squares or gaussian")
            }
            if let jump = jumps.first(where: { interval.contains($0) }) {
                throw PolynomialError.unsupported("rational minimax is undefined for \(name), which may jump at x = \(jump) (every continuous p/q errs by half the jump); use least-squares or gaussian")
            }
            let result = try RationalFunction.minimax(of: f, numeratorDegree: n, denominatorDegree: request.denominatorDegree,
                                                      on: interval, breakpoints: kinks)
            polynomial = result.rational.numerator
            denominator = result.rational.denominator
            lowerBound = result.lowerBound
            iterations = result.iterations
        }
        guard polynomial.coefficients.allSatisfy(\.isFinite), denominator?.coefficients.allSatisfy(\.isFinite) ?? true else {
            throw PolynomialError.nonFiniteResult(quantity: "a coefficient of the degree-\(n) \(request.method.rawValue) fit")
        }
        let approximant: (Double) -> Double = { [denominator] x in
            guard let denominator else { return polynomial(x) }
            return polynomial(x) / denominator(x)
        }
        let errors = try ApproximationErrorReport(of: approximant, against: f, on: interval, breakpoints: kinks,
                                              gaussian: request.gaussian)
        if let denominator, denominator.degree > 0,
           let steps = try newtonInverseSteps(for: denominator, on: interval, fitError: errors.maxError) {
            newtonSteps = steps.count
            notes.append("p/q needs one inverse: homomorphic evaluation computes 1/q by \(steps.count) Newton steps y ← y·(2 − q·y) from y₀ = 2/(q_min + q_max), |q| ∈ [\(steps.range.lowerBound), \(steps.range.upperBound)] on the range (to 1% of the fit's error); the costs count p, q, the inverse and the product p·(1/q) separately")
        }
        return ActivationApproximation(
            activation: name, method: request.method, degree: n, polynomial: polynomial, denominator: denominator,
            newtonSteps: newtonSteps,
            interval: interval, gaussian: request.gaussian, lowerBound: lowerBound, relativeError: relativeError,
            iterations: iterations,
            errors: errors, notes: notes)
    }

    /// The Newton steps for 1/q in homomorphic evaluation, sized so the inverse adds at most 1%
    /// of `fitError` relative to the largest |f| on the range, with the range of |q| sampled at
    /// 2001 Chebyshev points; `nil` when q changes sign or vanishes there (no inverse exists).
    /// - Throws: ``/Polynomials/PolynomialError/newtonInverseTooSlow(denominatorRange:maximumSteps:)``.
    func newtonInverseSteps(for denominator: Polynomial, on interval: ClosedRange<Double>,
                            fitError: Double) throws -> (count: Int, range: ClosedRange<Double>)? {
        let points = Polynomial.chebyshevPoints(count: 2001, on: interval)
        let values = points.map { denominator($0) }
        guard let first = values.first, first != 0,
              values.allSatisfy({ $0.sign == first.sign && $0 != 0 && $0.isFinite }) else { return nil }
        let magnitudes = values.map(Swift.abs)
        let range = magnitudes.min()! ... magnitudes.max()!
        let largest = points.reduce(0.0) { Swift.max($0, Swift.abs(valueFunction($1))) }
        let relativeError = Swift.min(0.5, 0.01 * fitError / Swift.max(largest, .leastNormalMagnitude))
        // An exact fit (error 0) asks for full Double precision instead.
        let count = try EvaluationCost.newtonInverseSteps(denominatorRange: range,
                                                      relativeError: Swift.max(relativeError, Double.ulpOfOne))
        return (count, range)
    }

    /// The smallest max error a fit on `interval` can be shown to meet in Double: 2ε·max|f|
    /// over 2001 Chebyshev points of the interval (ε = 2⁻⁵²).
    ///
    /// The error report measures |f(x) − p(x)| with f(x) and p(x) each rounded to within an
    /// ulp or so of |f| (libm's f, and p ≈ f): differences below 2ε·|f| are rounding, not
    /// approximation error, so a bound below this floor cannot be certified by any degree.
    /// - Throws: interval errors (``/Polynomials/Polynomial/validateInterval(_:)``).
    public func smallestResolvableError(on interval: ClosedRange<Double>) throws -> Double {
        try Polynomial.validateInterval(interval)
        let largest = Polynomial.chebyshevPoints(count: 2001, on: interval).reduce(0.0) { largest, x in
            let y = Swift.abs(valueFunction(x))
            return y.isFinite ? Swift.max(largest, y) : largest
        }
        return 2 * Double.ulpOfOne * largest
    }

    /// Taylor coefficients f⁽ᵏ⁾(x0)/k!, k < count, by power-series arithmetic.
    /// - Throws: ``/Polynomials/PolynomialError/notSmooth(function:at:)`` at a kink, ``/Polynomials/PolynomialError/unsupported(_:)``
    ///   for a custom activation.
    public func taylorCoefficients(at x0: Double, count: Int) throws -> [Double] {
        precondition(count >= 1, "Taylor series with \(count) terms")
        guard x0.isFinite else { throw PolynomialError.nonFiniteValue(at: x0) }
        if kinks.contains(x0) {
            throw PolynomialError.notSmooth(function: name, at: x0)
        }
        if let series {
            let c = series(TaylorSeries.variable(at: x0, count: count)).coefficients
            guard c.allSatisfy(\.isFinite) else {
                throw PolynomialError.nonFiniteResult(quantity: "a Taylor coefficient of \(name) at x = \(x0)")
            }
            return c
        }
        switch projection {
        case .ramp, .absoluteValue, .sign:
            // Piecewise linear: the local series is the tangent line.
            var c = [Double](repeating: 0, count: count)
            c[0] = value(x0)
            if count > 1 { c[1] = derivative(x0) }
            return c
        case .quadrature, .polynomial:
            throw PolynomialError.unsupported("\(name) has no power series here; Taylor and Padé need a built-in activation")
        }
    }
}
